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

/** What each exit code means, for `dtm help exit-codes` (the one place it is written down in code). */
export const exitCodeMeanings: Record<ExitCode, string> = {
  [ExitCode.ok]: 'done',
  [ExitCode.failure]: 'failed: the API refused, a resource does not exist, or the server cannot be reached',
  [ExitCode.usage]: 'usage error (missing argument, unknown flag, bad value, a prompt that cannot be shown): nothing was sent',
  [ExitCode.partial]: 'partial: some items failed (e.g. `task bulk-update`), a change was queued offline, or the answer came from the local copy',
  [ExitCode.authRequired]: 'authentication needed: run `dtm auth login` or set DTM_TOKEN',
  [ExitCode.interrupted]: 'interrupted by SIGINT (Ctrl-C), e.g. during `task export` (what arrived is kept)',
  [ExitCode.terminated]: 'stopped by SIGTERM, e.g. during `task export` (likewise)',
};

/** What the API answered, when an error goes back to one of its answers. */
export interface ErrorAnswer {
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
  readonly answer: ErrorAnswer | undefined;

  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? ExitCode.failure;
    this.hint = options.hint;
    this.code = options.code ?? 'failure';
    this.answer = errorAnswerOf(options.cause);
  }
}

/** The status and request id of an SDK error of an API answer (or of a CliError over one). */
export function errorAnswerOf(error: unknown): ErrorAnswer | undefined {
  if (error instanceof CliError) return error.answer;
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, requestId, operation } = error as { status?: unknown; requestId?: unknown; operation?: unknown };
  if (typeof status !== 'number' || typeof requestId !== 'string') return undefined;
  return { status, requestId, operation: typeof operation === 'string' ? operation : undefined };
}

export const usageError = (message: string, hint?: string): CliError =>
  new CliError(message, { exitCode: ExitCode.usage, code: 'usage', ...(hint === undefined ? {} : { hint }) });

/** The error for a record the local store does not hold (a read or change while the API is unreachable). */
export const notInLocalCopy = (id: string): CliError =>
  new CliError(`${id} is not in the local copy.`, {
    code: 'not_found',
    hint: 'Only what the CLI has read or written while the API was reachable (or created offline) is in the local store.',
  });
