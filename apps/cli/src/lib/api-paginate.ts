// `dtm api --paginate`: every page of an offset-paged list (`{ items, total, limit, offset }`),
// walked by the SDK's walkPages from the offset the request starts at.
import type { Page } from '@dtm/sdk';
import type { ApiAnswer } from './api-answer.js';
import { usageError } from './errors.js';

/** True for a body shaped like a page of a list operation. */
export function isOffsetPage(data: unknown): data is Page<unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const page = data as Record<string, unknown>;
  return Array.isArray(page.items) && [page.total, page.limit, page.offset].every((value) => typeof value === 'number');
}

/**
 * Every page's answer, from `startOffset`: `fetchAnswer(offset)` asks for the page at that
 * offset. A first answer that is not a page is a usage error (the request was no list).
 */
export async function fetchAllPages(
  fetchAnswer: (offset: number) => Promise<ApiAnswer>,
  startOffset: number,
  what: string,
): Promise<ApiAnswer[]> {
  const { walkPages } = await import('@dtm/sdk');
  const answers: ApiAnswer[] = [];
  let latest: ApiAnswer | undefined;
  const fetchPage = async (offset: number): Promise<Page<unknown>> => {
    const answer = await fetchAnswer(offset);
    if (!isOffsetPage(answer.data)) {
      throw usageError(
        `--paginate: ${what} did not answer with a page of a list ({ items, total, limit, offset }).`,
        '--paginate follows the offset pages of the list operations, such as GET /api/v1/tasks.',
      );
    }
    latest = answer;
    return answer.data;
  };
  for await (const page of walkPages(fetchPage, startOffset)) {
    if (latest?.data === page) answers.push(latest);
  }
  return answers;
}

/** What `--paginate` prints: every page's items in one document with the total, or (`--slurp`) the array of every page. */
export function mergePages(answers: readonly ApiAnswer[], slurp: boolean): unknown {
  const pages = answers.map((answer) => answer.data as Page<unknown>);
  if (slurp) return pages;
  return { items: pages.flatMap((page) => page.items), total: pages.at(-1)?.total ?? 0 };
}
