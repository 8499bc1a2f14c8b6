import type { TaskHistoryEntry, TaskHistoryPage, TaskHistoryParams } from '@dtm/sdk';

/** Every history entry of a task, oldest first, page after page. */
export async function allHistory(
  history: (id: string, params: TaskHistoryParams) => Promise<TaskHistoryPage>,
  id: string,
  pageSize = 1000,
): Promise<TaskHistoryEntry[]> {
  const entries: TaskHistoryEntry[] = [];
  for (;;) {
    const page = await history(id, { limit: pageSize, offset: entries.length });
    entries.push(...page.items);
    if (page.items.length === 0 || entries.length >= page.total) return entries;
  }
}
