// Recognises SDK errors by their literal `name` (as describe-error does), so a command can
// react to one without loading the SDK up front.

/** The SDK error's class name, e.g. `AuthenticationError`, or undefined for other values. */
export function sdkErrorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('hint' in error)) return undefined;
  const { name } = error as { name?: unknown };
  return typeof name === 'string' ? name : undefined;
}

/** The server could not be reached: connection refused or broken, timeout, open breaker. */
export function isUnreachable(error: unknown): boolean {
  const name = sdkErrorName(error);
  return name === 'ConnectionError' || name === 'TimeoutError' || name === 'CircuitOpenError';
}

export function isAuthenticationError(error: unknown): boolean {
  return sdkErrorName(error) === 'AuthenticationError';
}

/** The server answered with an error status: the error carries the problem details. */
export function isApiError(error: unknown): error is Error & { status: number; problem: unknown; requestId: string; headers: Headers } {
  return (
    sdkErrorName(error) !== undefined &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { problem?: unknown }).problem === 'object' &&
    (error as { headers?: unknown }).headers instanceof Headers
  );
}

/** The problem's `detail` (what the server said), or the error's message. */
export function serverDetail(error: unknown): string {
  const problem = (error as { problem?: { detail?: unknown; title?: unknown } }).problem;
  if (typeof problem?.detail === 'string' && problem.detail !== '') return problem.detail;
  if (typeof problem?.title === 'string' && problem.title !== '') return problem.title;
  return error instanceof Error ? error.message : String(error);
}
