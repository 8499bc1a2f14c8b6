import { stripVTControlCharacters } from 'node:util';
import { CliError, ExitCode } from './errors.js';
import { isUnreachable, sdkErrorName } from './sdk-errors.js';

export interface DescribedError {
  message: string;
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
  problem?: { errors?: { field: string; message: string }[] };
}

/**
 * Turns any error into what the user sees: one line, a hint, an exit code. SDK errors are
 * recognised by their literal `name`, so this module does not load the SDK.
 */
export function describeError(error: unknown): DescribedError {
  if (error instanceof CliError) {
    return {
      message: error.message,
      hint: error.hint,
      exitCode: error.exitCode,
      json: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
    };
  }
  // oclif's parse errors (missing argument, bad option value, unknown flag) are usage errors.
  const oclif = (error as { oclif?: { exit?: number } } | undefined)?.oclif;
  if (oclif?.exit === 2 || (error as { name?: string } | undefined)?.name === 'NonExistentFlagsError') {
    const message = parseErrorMessage((error as Error).message);
    const hint = 'See `--help` for the arguments and flags.';
    return { message, hint, exitCode: ExitCode.usage, json: { code: 'usage', message, hint } };
  }
  if (sdkErrorName(error) !== undefined) {
    const sdk = error as SdkErrorShape;
    const hint = sdk.hint ?? '';
    // An open breaker (kept between commands in breaker.json) is the same news as a refused
    // connection: say it in the same words.
    const message =
      sdk.name === 'CircuitOpenError' && sdk.operation !== undefined
        ? `${sdk.operation}: cannot reach the DTM API: it failed repeatedly and is treated as down`
        : stripHint(sdk.message, hint);
    const fields = sdk.problem?.errors ?? [];
    const unmentioned = fields.filter((field) => !message.includes(field.message));
    const detail = unmentioned.length > 0 ? ` (${unmentioned.map((field) => `${field.field}: ${field.message}`).join('; ')})` : '';
    let exitCode: ExitCode = ExitCode.failure;
    let code = 'api_error';
    let shownHint = hint;
    if (sdk.name === 'AuthenticationError') {
      exitCode = ExitCode.authRequired;
      code = 'auth_required';
      shownHint = 'Run `dtm auth login` (or set DTM_TOKEN), then try again.';
    } else if (isUnreachable(error)) {
      code = 'unreachable';
    } else if (sdk.name === 'ConfigurationError') {
      exitCode = ExitCode.usage;
      code = 'usage';
    } else if (sdk.name === 'NotFoundError') {
      code = 'not_found';
    } else if (sdk.name === 'ValidationError') {
      code = 'invalid';
    } else if (sdk.name === 'ResponseTooLargeError') {
      // The SDK's hint names its option; the CLI has none to raise the limit.
      code = 'too_large';
      shownHint = 'Ask for less (filters, a smaller --limit); `dtm task export` streams any number of tasks.';
    }
    return {
      message: `${message}${detail}`,
      hint: shownHint || undefined,
      exitCode,
      json: {
        code,
        message: `${message}${detail}`,
        ...(shownHint ? { hint: shownHint } : {}),
        ...(sdk.status === undefined ? {} : { status: sdk.status }),
        ...(sdk.requestId === undefined ? {} : { request_id: sdk.requestId }),
        ...(sdk.operation === undefined ? {} : { operation: sdk.operation }),
        ...(fields.length > 0 ? { errors: fields } : {}),
      },
    };
  }
  const message = error instanceof Error ? firstLine(error.message) : String(error);
  const hint = 'Run again with --debug for details.';
  return { message, hint, exitCode: ExitCode.failure, json: { code: 'failure', message, hint } };
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
