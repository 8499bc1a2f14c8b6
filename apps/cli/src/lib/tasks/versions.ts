import { CliError, usageError } from '../errors.js';

/** The If-Match of `--expect-version N` or `--if-match ETAG`; a bare `3` (the shell ate the quotes) is the ETag "3". */
export function ifMatchOf(flags: { 'if-match'?: string | undefined; 'expect-version'?: number | undefined }): string | number | undefined {
  if (flags['expect-version'] !== undefined && flags['if-match'] !== undefined) {
    throw usageError('--expect-version and --if-match both name a version; pass one.');
  }
  if (flags['expect-version'] !== undefined) return flags['expect-version'];
  const etag = flags['if-match']?.trim();
  if (etag === undefined) return undefined;
  if (etag === '') throw usageError('--if-match needs an ETag, e.g. \'"3"\'.', 'Or pass --expect-version 3.');
  return etag === '*' || /^(W\/)?".*"$/.test(etag) ? etag : `"${etag}"`;
}

/** The version number an If-Match names (3 or '"3"'), when it names one. */
export function versionOf(ifMatch: string | number | undefined): number | undefined {
  if (typeof ifMatch === 'number') return ifMatch;
  const match = /^"(\d+)"$/.exec(ifMatch ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

interface StaleShape {
  name?: string;
  headers?: { get(name: string): string | null };
}

/**
 * A stale If-Match (412) as the user should see it: the task changed since they read it,
 * nothing was changed, and how to go on. Any other error is returned as it is.
 */
export function staleVersionError(error: unknown, id: string): unknown {
  const stale = error as StaleShape | undefined;
  if (stale?.name !== 'PreconditionFailedError') return error;
  const version = stale.headers?.get('etag')?.replace(/^W\//, '').replace(/"/g, '');
  const now = version ? ` (it is now at version ${version})` : '';
  return new CliError(`${id} has changed since you read it${now}; nothing was changed.`, {
    hint: `Re-read it with \`dtm task show ${id}\`, check that your change still makes sense, then run the command again${
      version ? ` with --expect-version ${version}` : ''
    }.`,
    code: 'precondition_failed',
    cause: error,
  });
}
