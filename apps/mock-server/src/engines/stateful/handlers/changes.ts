import type { Handler } from './context.js';

/**
 * One page of the change feed; with `wait`, a request that finds nothing new is held until a
 * change arrives, `wait` seconds pass or the client goes away, then answered from the feed.
 */
export const listChanges: Handler = async ({ changes, query, signal }) => {
  const after = changes.position(query.cursor as string | undefined);
  const limit = query.limit as number;
  const wait = query.wait as number;
  let page = changes.page(after, limit);
  if (page.items.length === 0 && wait > 0) {
    await changes.waitForChange(after, wait * 1000, signal);
    page = changes.page(after, limit);
  }
  return { status: 200, body: page };
};
