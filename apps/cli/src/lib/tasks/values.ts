// Checks of the values a user types for task fields and filters, made before anything is
// sent so that a typo is a usage error (exit 2) that names the flag, not a 422 from the API.
// The rules are the contract's (openapi.yaml): id patterns, Username, Tag, CalendarDate.
import { usageError } from '../errors.js';

const patterns = {
  project: { pattern: /^PRJ-\d{3,}$/, example: 'PRJ-001' },
  sprint: { pattern: /^SPR-\d{3,}$/, example: 'SPR-001' },
  task: { pattern: /^TASK-\d{6,}$/, example: 'TASK-000123' },
} as const;

/** A project, sprint or task id in the contract's form; `label` names the flag in the message. */
export function checkId(kind: keyof typeof patterns, value: string, label: string): string {
  const { pattern, example } = patterns[kind];
  // A record created offline is named by its temporary id (e.g. PRJ-L and 8 hex digits) until `dtm sync`.
  if (/^(TASK|PRJ|SPR)-L[0-9a-f]{8}$/.test(value) && value.startsWith(example.slice(0, example.indexOf('-')))) return value;
  if (!pattern.test(value)) throw usageError(`${label} must be a ${kind} id like ${example}, got "${value}".`);
  return value;
}

/** A task id, or the temporary id (TASK-L and 8 hex digits) of a task created offline. */
export function checkTaskRef(value: string, label: string): string {
  if (/^TASK-L[0-9a-f]{8}$/.test(value)) return value;
  if (!patterns.task.pattern.test(value)) {
    throw usageError(`${label} must be a task id like TASK-000123 (or TASK-L… for one created offline), got "${value}".`);
  }
  return value;
}

/** A username: 1–64 letters, digits, dots, underscores or hyphens. */
export function checkUsername(value: string, label: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) {
    throw usageError(`${label} must be a username (1–64 letters, digits, ".", "_" or "-"), got "${value}".`);
  }
  return value;
}

/** A tag: 1–40 characters without commas or white space. */
export function checkTag(value: string, label: string): string {
  if (value.length === 0 || value.length > 40 || /[,\s]/.test(value)) {
    throw usageError(`${label} must be a tag of 1–40 characters without commas or spaces, got "${value}".`);
  }
  return value;
}

/** A calendar day `YYYY-MM-DD` that exists (no 2026-02-30). */
export function checkDate(value: string, label: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) {
    throw usageError(`${label} must be a date as YYYY-MM-DD, got "${value}".`);
  }
  return value;
}

/** An RFC 3339 time with a zone, e.g. 2026-11-01T00:00:00Z. */
export function checkTimestamp(value: string, label: string): string {
  const valid =
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
  if (!valid) throw usageError(`${label} must be an RFC 3339 time such as 2026-11-01T00:00:00Z, got "${value}".`);
  return value;
}

/** Hours of work: a number from 0 to 10000 (decimals allowed). */
export function parseHours(value: string, label: string): number {
  const hours = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!(hours >= 0 && hours <= 10_000)) throw usageError(`${label} must be a number of hours from 0 to 10000, got "${value}".`);
  return hours;
}

/** Text with a length limit (titles, descriptions, notes, search text). */
export function checkText(value: string, label: string, max: number, min = 1): string {
  if (value.length < min) throw usageError(`${label} must not be empty.`);
  if (value.length > max) throw usageError(`${label} is ${value.length} characters long; the most is ${max}.`);
  return value;
}
