import { usageError } from '../errors.js';

/** Keeps only the given fields of a resource, of each item of a list, or of each item of a page. */
export function selectFields(value: unknown, fields: readonly string[] | undefined): unknown {
  if (fields === undefined) return value;
  const pick = (item: unknown): unknown => {
    if (typeof item !== 'object' || item === null) return item;
    const record = item as Record<string, unknown>;
    return Object.fromEntries(fields.map((field) => [field, record[field] ?? null]));
  };
  if (Array.isArray(value)) return value.map(pick);
  if (typeof value === 'object' && value !== null && Array.isArray((value as { items?: unknown }).items)) {
    const page = value as { items: unknown[] };
    return { ...page, items: page.items.map(pick) };
  }
  return pick(value);
}

/** Splits `--json id,title` and checks each name against the command's fields. */
export function parseFields(spec: string, known: readonly string[]): string[] {
  const fields = spec
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '');
  const unknown = fields.filter((field) => !known.includes(field));
  if (fields.length === 0 || unknown.length > 0) {
    throw usageError(
      unknown.length > 0 ? `Unknown JSON field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.` : 'No JSON fields given.',
      `Available fields: ${known.join(', ')}.`,
    );
  }
  return fields;
}
