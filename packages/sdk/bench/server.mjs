// The benchmark's HTTP server, run as a child process of run.mjs so that serving does not
// share an event loop (or a CPU) with the clients being measured. Reports its port over IPC.
import { createServer } from 'node:http';
import { body, makeTask, TOKEN } from './fixtures.mjs';

const payload = Buffer.from(body);
const expectedAuth = `Bearer ${TOKEN}`;
const ok = { 'content-type': 'application/json', 'content-length': String(payload.length) };
const unauthorized = JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401 });

/** GET /api/v1/tasks/export: 100,000 tasks as NDJSON, in 64 KiB chunks (built once). */
const EXPORT_TASKS = 100_000;
let exportBody;
function sendExport(res) {
  exportBody ??= Buffer.from(Array.from({ length: EXPORT_TASKS }, (_, i) => `${JSON.stringify(makeTask(i + 1))}\n`).join(''));
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'content-length': String(exportBody.length) });
  let offset = 0;
  const next = () => {
    while (offset < exportBody.length) {
      const chunk = exportBody.subarray(offset, offset + 65_536);
      offset += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', next);
    }
    res.end();
  };
  next();
}

const server = createServer((req, res) => {
  req.resume();
  if (req.url?.startsWith('/api/v1/tasks/export') && req.headers.authorization === expectedAuth) {
    sendExport(res);
    return;
  }
  if (req.url?.startsWith('/api/v1/tasks') && req.headers.authorization === expectedAuth) {
    res.writeHead(200, ok).end(payload);
    return;
  }
  res.writeHead(401, { 'content-type': 'application/problem+json' }).end(unauthorized);
});
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});

// Die with the parent, whatever way it goes.
process.on('disconnect', () => process.exit(0));
