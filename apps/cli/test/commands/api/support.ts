import type { Sandbox } from '../../harness.js';

/** Runs `dtm api …` and parses stdout, which is the response body (fails unless the exit code is 0). */
export async function apiJson<T>(box: Sandbox, args: string[], stdin?: string): Promise<T> {
  const result = await box.run(['api', ...args], stdin === undefined ? {} : { stdin });
  if (result.code !== 0) throw new Error(`dtm api ${args.join(' ')} exited ${String(result.code)}: ${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
