import { describeChange } from '../store/changes.js';
import type { Conflict } from '../store/store.js';
import type { Colors } from './style.js';
import { type Column, table } from './table.js';

export function conflictTable(conflicts: readonly Conflict[], colors: Colors, tty: boolean): string {
  const columns: Column<Conflict>[] = [
    { header: 'id', value: (conflict) => conflict.id },
    { header: 'record', value: (conflict) => conflict.record_id },
    { header: 'local change', value: (conflict) => describeChange(conflict.entry), shrink: 1 },
    { header: 'why', value: (conflict) => conflict.reason, shrink: 2 },
  ];
  return table(conflicts, columns, colors, tty);
}
