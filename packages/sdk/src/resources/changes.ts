import type { components } from '../generated/openapi.js';
import type { APIPromise } from '../core/api-promise.js';
import { type QueryOf, callJson } from '../core/operation.js';
import type { RequestOptions, Transport } from '../core/transport.js';

type ChangePage = components['schemas']['ChangePage'];

/** The query of `changes.list()`: `cursor`, `limit` and `wait`, as listChanges in openapi.yaml defines them. */
export type ListChangesParams = QueryOf<'listChanges'>;
/** The query of `changes.pages()`: `cursor` and `limit`; the walk never long-polls. */
export type ChangePagesParams = Omit<ListChangesParams, 'wait'>;

/**
 * The change feed: `client.changes`. Each record appears once, at its latest change, with
 * tombstones (`op: 'delete'`) for deleted ones. Keep the `next_cursor` of every page you have
 * applied; a `CursorExpiredError` (410) means: start again without a cursor.
 */
export class ChangesResource {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Lists one page of changes after `cursor` (from the beginning without one). With `wait`
   * (seconds, up to 30) the server holds the request until a change arrives; the attempt's
   * timeout is extended by `wait`, so a quiet feed answers an empty page rather than a
   * TimeoutError.
   * @example
   * const page = await client.changes.list({ cursor: saved, wait: 25 });
   * for (const change of page.items) apply(change);
   * saved = page.next_cursor;
   */
  list(params: ListChangesParams = {}, options?: RequestOptions): APIPromise<ChangePage> {
    const waitMs = (params.wait ?? 0) * 1000;
    const timeoutMs = (options?.timeoutMs ?? this.#transport.timeoutMs) + waitMs;
    return callJson(this.#transport, 'listChanges', {
      method: 'GET',
      path: '/api/v1/changes',
      query: params,
      secured: true,
      options: waitMs > 0 ? { ...options, timeoutMs } : options,
    });
  }

  /**
   * Walks the feed page by page from `cursor` until `has_more` is false, without waiting for
   * new changes. It yields pages, not items, so you can apply a page and then save its
   * `next_cursor`: the last page's `next_cursor` is where the next sync starts.
   * @example
   * for await (const page of client.changes.pages({ cursor: store.cursor() })) {
   *   store.transaction(() => {
   *     for (const change of page.items) store.apply(change);
   *     store.setCursor(page.next_cursor);
   *   });
   * }
   */
  async *pages(params: ChangePagesParams = {}, options?: RequestOptions): AsyncGenerator<ChangePage, void, undefined> {
    let cursor = params.cursor;
    for (;;) {
      const page = await this.list({ ...params, ...(cursor === undefined ? {} : { cursor }) }, options);
      yield page;
      if (!page.has_more) return;
      cursor = page.next_cursor;
    }
  }
}
