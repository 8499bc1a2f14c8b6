import type { Conflict } from './outbox.js';
import { type Column, table } from '../render/table.js';
import type { Colors } from '../render/style.js';

/** What the queued change wanted, in a few words: `update status=completed, assignee=bob`. */
export function describeChange(conflict: Conflict): string {
  const { entry } = conflict;
  if (entry.action === 'delete') return 'delete';
  const body = Object.entries(entry.body).map(([field, value]) => `${field}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return body.length === 0 ? entry.action : `${entry.action} ${body.join(', ')}`;
}

export function conflictTable(conflicts: readonly Conflict[], colors: Colors, tty: boolean): string {
  const columns: Column<Conflict>[] = [
    { header: 'id', value: (conflict) => conflict.id },
    { header: 'task', value: (conflict) => conflict.task_id },
    { header: 'local change', value: describeChange },
    { header: 'why', value: (conflict) => conflict.reason },
  ];
  return table(conflicts, columns, colors, tty);
}
