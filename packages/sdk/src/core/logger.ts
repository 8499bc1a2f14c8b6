import { ConfigurationError } from './errors.js';

/** Where the SDK's log lines go: `console`, pino, winston or anything with these four methods. */
export interface Logger {
  /** A line at level `debug`: an attempt sent or an answer received. Messages start with `[dtm]`; details, when given, are one object such as `{ requestId, attempt }`. */
  debug(message: string, ...details: unknown[]): void;
  /** A line at level `info`, such as a retry and its reason. */
  info(message: string, ...details: unknown[]): void;
  /** A line at level `warn`: something went wrong beside the call, such as a hook that threw. */
  warn(message: string, ...details: unknown[]): void;
  /** A line at level `error`. */
  error(message: string, ...details: unknown[]): void;
}

/** How much is logged: `debug` every attempt and answer, `info` retries, `warn` (the default) what went wrong beside the call, `off` nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, off: 4 };

/** A log line at `level`, with details that never hold a secret (the transport redacts them). */
export type Log = (level: Exclude<LogLevel, 'off'>, message: string, details?: Record<string, unknown>) => void;

export interface ResolvedLog {
  readonly log: Log;
  /** True when debug lines are written (so their details are built only then). */
  readonly debug: boolean;
}

export function parseLogLevel(value: string, name: string): LogLevel {
  if (value in rank) return value as LogLevel;
  throw new ConfigurationError(`${name} must be one of debug, info, warn, error, off, got "${value}"`, '');
}

/** Every line is prefixed `[dtm]`; a logger that throws never fails the call. */
export function resolveLog(logger: Logger, level: LogLevel): ResolvedLog {
  const threshold = rank[level];
  const log: Log = (lineLevel, message, details) => {
    if (rank[lineLevel] < threshold) return;
    try {
      if (details === undefined) logger[lineLevel](`[dtm] ${message}`);
      else logger[lineLevel](`[dtm] ${message}`, details);
    } catch {
      // A log line must not change the outcome of the call.
    }
  };
  return { log, debug: threshold === 0 };
}
