import type { TaskHistoryEntry } from '@dtm/sdk';
import { describeChanges } from '../tasks/changes.js';
import type { Colors } from './style.js';
import { table } from './table.js';
import { type When, timeFormat } from './time.js';

/** The audit trail of a task, oldest first: when, who, what, and each field's old → new value. */
export function taskHistoryTable(entries: readonly TaskHistoryEntry[], colors: Colors, tty: boolean, when: When = timeFormat(tty)): string {
  if (entries.length === 0) return 'No recorded changes.';
  return table(
    entries,
    [
      { header: 'at', value: (entry) => when(entry.at) },
      { header: 'by', value: (entry) => entry.actor, shrink: 2 },
      { header: 'action', value: (entry) => entry.action },
      { header: 'changes', value: (entry) => describeChanges(entry.changes), shrink: 1 },
    ],
    colors,
    tty,
  );
}
