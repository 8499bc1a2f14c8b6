import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

// Kept alive so a command that makes many calls (bulk-update, listAll) reuses connections;
// bin/run.js exits as soon as the command is done, so idle sockets never hold it open.
const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/**
 * The `fetch` the CLI gives the SDK: the same contract, over node:http(s). Node 20's
 * built-in fetch spends about 150 ms on its first request (loading undici and compiling its
 * WASM HTTP parser) — more than half of a short command's run time. It supports what the
 * SDK uses: method, headers, a body, AbortSignal, and response bodies streamed as they
 * arrive. Like fetch, a network failure rejects with `TypeError('fetch failed')` whose
 * `cause` is the system error; an abort rejects with the signal's reason.
 */
export async function nodeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request && init === undefined ? input : new Request(input, init);
  const { signal } = request;
  if (signal.aborted) throw signal.reason;
  const url = new URL(request.url);
  const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (body !== undefined) headers['content-length'] = String(body.length);
  const secure = url.protocol === 'https:';

  return new Promise<Response>((resolve, reject) => {
    const outgoing = (secure ? httpsRequest : httpRequest)(url, {
      method: request.method,
      headers,
      agent: secure ? httpsAgent : httpAgent,
    });
    let incoming: IncomingMessage | undefined;
    const onAbort = (): void => {
      const reason: unknown = signal.reason;
      const error = reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
      outgoing.destroy(error);
      incoming?.destroy(error);
      reject(error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    outgoing.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      if (!signal.aborted) reject(new TypeError('fetch failed', { cause: error }));
    });
    outgoing.once('response', (response) => {
      incoming = response;
      response.once('close', () => {
        signal.removeEventListener('abort', onAbort);
      });
      const responseHeaders = new Headers();
      const raw = response.rawHeaders;
      for (let index = 0; index + 1 < raw.length; index += 2) responseHeaders.append(raw[index] as string, raw[index + 1] as string);
      const status = response.statusCode ?? 0;
      const streamed = !nullBodyStatuses.has(status) && request.method !== 'HEAD';
      if (!streamed) response.resume();
      resolve(
        new Response(streamed ? (Readable.toWeb(response) as ReadableStream<Uint8Array>) : null, {
          status,
          statusText: response.statusMessage ?? '',
          headers: responseHeaders,
        }),
      );
    });
    outgoing.end(body);
  });
}
