/** Exit codes of `dtm`, as documented in the README. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  partial: 3,
  authRequired: 4,
  /** Stopped by SIGINT (Ctrl-C): 128 + 2, as a shell reports it. */
  interrupted: 130,
  /** Stopped by SIGTERM: 128 + 15. */
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What the API answered, when an error goes back to one of its answers. */
export interface ApiAnswer {
  status: number;
  requestId: string;
  operation: string | undefined;
}

/**
 * An error meant for the user: one line of what went wrong, and a hint of what to do. When it
 * explains an SDK error of an API answer (its `cause`), it keeps that answer's status and
 * request id, so `--json` reports them as for any other API error.
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  /** A stable machine-readable code for `--json` output. */
  readonly code: string;
  /** The API answer behind this error, from its cause. */
  readonly answer: ApiAnswer | undefined;

  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? ExitCode.failure;
    this.hint = options.hint;
    this.code = options.code ?? 'failure';
    this.answer = apiAnswerOf(options.cause);
  }
}

/** The status and request id of an SDK error of an API answer (or of a CliError over one). */
export function apiAnswerOf(error: unknown): ApiAnswer | undefined {
  if (error instanceof CliError) return error.answer;
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, requestId, operation } = error as { status?: unknown; requestId?: unknown; operation?: unknown };
  if (typeof status !== 'number' || typeof requestId !== 'string') return undefined;
  return { status, requestId, operation: typeof operation === 'string' ? operation : undefined };
}

export const usageError = (message: string, hint?: string): CliError =>
  new CliError(message, { exitCode: ExitCode.usage, code: 'usage', ...(hint === undefined ? {} : { hint }) });
