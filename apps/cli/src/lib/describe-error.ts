import { stripVTControlCharacters } from 'node:util';
import { CliError, ExitCode } from './errors.js';
import { phraseSdkError } from './error-phrasing.js';
import { isUnreachable, sdkErrorName } from './sdk-errors.js';

export interface DescribedError {
  message: string;
  /** What to do next; undefined only for a CliError that needs none on a terminal (the JSON has one). */
  hint: string | undefined;
  exitCode: ExitCode;
  /** The `error` object printed under `--json`. */
  json: Record<string, unknown>;
}

interface SdkErrorShape {
  name: string;
  message: string;
  hint?: string;
  status?: number;
  requestId?: string;
  operation?: string;
  url?: string;
  context?: { operation?: string; url?: string; requestId?: string };
  problem?: { title?: string; detail?: string; errors?: { field: string; message: string }[] };
}

/** The hint when nothing more specific is known: every error says what to do next. */
const fallbackHint = 'Run again with --debug for details.';

const fallbackHints: Record<string, string> = {
  cancelled: 'Nothing was changed; run the command again to go ahead.',
  interrupted: 'Run the command again to start over.',
  usage: 'See `--help` for the arguments and flags.',
};

/**
 * Turns any error into what the user sees: one line, a hint, an exit code. SDK errors are
 * recognised by their literal `name`, so this module does not load the SDK. The `--json`
 * document always has `code`, `message` and `hint`, and `status` and `request_id` when the
 * API answered.
 */
export function describeError(error: unknown, env: NodeJS.ProcessEnv = process.env): DescribedError {
  if (error instanceof CliError) {
    const answer = error.answer;
    return {
      message: error.message,
      // On a terminal an error without a hint of its own stays one line ("Not deleted.").
      hint: error.hint,
      exitCode: error.exitCode,
      json: {
        code: error.code,
        message: error.message,
        hint: error.hint ?? fallbackHints[error.code] ?? fallbackHint,
        ...(answer === undefined ? {} : { status: answer.status, request_id: answer.requestId }),
        ...(answer?.operation === undefined ? {} : { operation: answer.operation }),
      },
    };
  }
  // oclif's parse errors (missing argument, bad option value, unknown flag) are usage errors.
  const oclif = (error as { oclif?: { exit?: number } } | undefined)?.oclif;
  if (oclif?.exit === 2 || (error as { name?: string } | undefined)?.name === 'NonExistentFlagsError') {
    const message = parseErrorMessage((error as Error).message);
    const hint = fallbackHints.usage ?? fallbackHint;
    return { message, hint, exitCode: ExitCode.usage, json: { code: 'usage', message, hint } };
  }
  if (sdkErrorName(error) !== undefined) return describeSdkError(error as SdkErrorShape, env);
  const message = error instanceof Error ? firstLine(error.message) : String(error);
  return { message, hint: fallbackHint, exitCode: ExitCode.failure, json: { code: 'failure', message, hint: fallbackHint } };
}

function describeSdkError(sdk: SdkErrorShape, env: NodeJS.ProcessEnv): DescribedError {
  const operation = sdk.operation ?? sdk.context?.operation;
  const sdkHint = sdk.hint ?? '';
  // An open breaker (kept between commands in breaker.json) is the same news as a refused
  // connection: say it in the same words.
  const sdkMessage =
    sdk.name === 'CircuitOpenError' && operation !== undefined
      ? `${operation}: cannot reach the DTM API: it failed repeatedly and is treated as down`
      : stripHint(sdk.message, sdkHint);
  const phrased = phraseSdkError(
    { name: sdk.name, message: sdkMessage, operation, status: sdk.status, url: sdk.url ?? sdk.context?.url, requestId: sdk.requestId, problem: sdk.problem },
    env,
  );
  const message = phrased?.message ?? sdkMessage;
  const fields = sdk.problem?.errors ?? [];
  const unmentioned = fields.filter((field) => !message.includes(field.message));
  const detail = unmentioned.length > 0 ? ` (${unmentioned.map((field) => `${field.field}: ${field.message}`).join('; ')})` : '';
  let exitCode: ExitCode = ExitCode.failure;
  let code = 'api_error';
  let hint = phrased?.hint ?? sdkHint;
  if (sdk.name === 'AuthenticationError') {
    exitCode = ExitCode.authRequired;
    code = 'auth_required';
    hint = phrased?.hint ?? 'Run `dtm auth login` (or set DTM_TOKEN), then try again.';
  } else if (isUnreachable(sdk)) {
    code = 'unreachable';
  } else if (sdk.name === 'ConfigurationError') {
    exitCode = ExitCode.usage;
    code = 'usage';
  } else if (sdk.name === 'NotFoundError') {
    code = 'not_found';
  } else if (sdk.name === 'ValidationError') {
    code = 'invalid';
  } else if (sdk.name === 'ConflictError') {
    code = 'conflict';
  } else if (sdk.name === 'PreconditionFailedError') {
    code = 'precondition_failed';
  } else if (sdk.name === 'ResponseTooLargeError') {
    // The SDK's hint names its option; the CLI has none to raise the limit.
    code = 'too_large';
    hint = 'Ask for less (filters, a smaller --limit); `dtm task export` streams any number of tasks.';
  }
  if (hint === '') hint = sdk.requestId === undefined ? fallbackHint : `${fallbackHint} Quote request ${sdk.requestId} when you report it.`;
  // The SDK's hints end without a full stop (they follow its message after ". ").
  if (!/[.!?]$/.test(hint)) hint = `${hint}.`;
  return {
    message: `${message}${detail}`,
    hint,
    exitCode,
    json: {
      code,
      message: `${message}${detail}`,
      hint,
      ...(sdk.status === undefined ? {} : { status: sdk.status }),
      ...(sdk.requestId === undefined ? {} : { request_id: sdk.requestId }),
      ...(operation === undefined ? {} : { operation }),
      ...(fields.length > 0 ? { errors: fields } : {}),
    },
  };
}

/** oclif's parse errors span lines ("The following error occurred:", the error, a help hint): keep the error. */
function parseErrorMessage(text: string): string {
  const lines = stripVTControlCharacters(text)
    .split('\n')
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .filter((line) => line !== '' && !/^The following errors? occurred:$/.test(line) && !line.startsWith('See more help with'));
  return lines.length > 0 ? lines.join(' ') : firstLine(text);
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}

function stripHint(message: string, hint: string): string {
  return hint !== '' && message.endsWith(`. ${hint}`) ? message.slice(0, -(hint.length + 2)) : message;
}
