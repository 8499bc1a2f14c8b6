// Helpers of the `dtm task` command tests: direct HTTP calls to the sandbox's mock server
// (no SDK, no CLI spawn) to set up and check state, and checks of failed runs.
import { expect } from 'vitest';
import type { Task } from '@dtm/sdk';
import type { Result, Sandbox } from '../../harness.js';

export type Api = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

export async function apiFor(box: Sandbox): Promise<Api> {
  const login = await fetch(`${box.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: box.username, password: box.password }),
  });
  if (!login.ok) throw new Error(`login failed with ${login.status}`);
  const { access_token: token } = (await login.json()) as { access_token: string };
  return async (method, path, body) => {
    const response = await fetch(`${box.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
}

export async function getTask(api: Api, id: string): Promise<Task> {
  const { status, body } = await api('GET', `/api/v1/tasks/${id}`);
  expect(status).toBe(200);
  return body as Task;
}

export async function createTask(api: Api, fields: Record<string, unknown>): Promise<Task> {
  const { status, body } = await api('POST', '/api/v1/tasks', fields);
  expect(status).toBe(201);
  return body as Task;
}

/** Flags that point a command at a port where nothing listens. */
export const down = ['--api-url', 'http://127.0.0.1:1'];

const stackTrace = /\n\s+at /;

/** Exit code 2, nothing on stdout, one "Error:" line (plus a hint), no stack trace. */
export function expectUsage(result: Result, message: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^Error: /);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(stackTrace);
}

/** Exit code 1, nothing on stdout, the message on stderr, no stack trace. */
export function expectFailure(result: Result, message: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(stackTrace);
}
