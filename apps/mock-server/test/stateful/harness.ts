// Shared helpers of the stateful mock's semantics tests: a hand-moved clock, a small fetch
// client, login, and checks of problem+json answers. Not a test file itself.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, expect } from 'vitest';
import type { MockUser } from '../../src/engines/stateful/auth.js';
import { type MockServerOptions, type RunningMockServer, startMockServer } from '../../src/engines/stateful/server.js';
import type { FieldError, Problem, Task, TaskCreate, TokenPair } from '../../src/engines/stateful/types.js';

export type { RunningMockServer };

export const users: MockUser[] = [
  { username: 'admin', password: 'admin-password', display_name: 'Ada Admin', email: 'admin@example.com', roles: ['admin'] },
  { username: 'member', password: 'member-password', roles: ['member'] },
  { username: 'viewer', password: 'viewer-password', roles: ['viewer'] },
];

/** A clock that only moves when the test moves it. */
export class Clock {
  #ms: number;

  constructor(iso: string) {
    this.#ms = Date.parse(iso);
  }

  readonly now = (): Date => new Date(this.#ms);

  set(iso: string): void {
    this.#ms = Date.parse(iso);
  }

  advance(seconds: number): void {
    this.#ms += seconds * 1000;
  }

  iso(): string {
    return new Date(this.#ms).toISOString();
  }
}

const tenYears = 10 * 365 * 86_400;

/**
 * Starts a stateful mock with the test users, no seeded tasks and tokens that outlive any
 * clock moves of a test, unless the options say otherwise.
 */
export function start(options: MockServerOptions = {}): Promise<RunningMockServer> {
  return startMockServer({ tasks: 0, users, accessTokenTtlSeconds: tenYears, refreshTokenTtlSeconds: tenYears, ...options });
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  body: unknown;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is, instead of `body` as JSON. */
  rawBody?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number>;
}

/** A tiny HTTP client of the mock; `token` is sent as a bearer token when set. */
export class Api {
  readonly baseUrl: string;
  token: string | undefined;

  constructor(baseUrl: string, token?: string) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
    const url = new URL(path, this.baseUrl);
    for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.append(name, String(value));
    const headers: Record<string, string> = {};
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
      headers['content-type'] = 'application/json';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, options.headers);
    const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const parsed: unknown = type.includes('json') && !type.includes('ndjson') && text !== '' ? JSON.parse(text) : undefined;
    return { status: response.status, headers: response.headers, text, body: parsed };
  }

  get(path: string, options?: RequestOptions): Promise<Answer> {
    return this.request('GET', path, options);
  }

  post(path: string, body?: unknown, options: RequestOptions = {}): Promise<Answer> {
    return this.request('POST', path, { ...options, body });
  }

  patch(path: string, body: unknown, options: RequestOptions = {}): Promise<Answer> {
    return this.request('PATCH', path, { ...options, body });
  }

  delete(path: string, options?: RequestOptions): Promise<Answer> {
    return this.request('DELETE', path, options);
  }

  /** Creates a task and checks the 201. */
  async createTask(data: TaskCreate, headers: Record<string, string> = {}): Promise<Task> {
    const answer = await this.post('/api/v1/tasks', data, { headers });
    expect(answer.status, answer.text).toBe(201);
    return answer.body as Task;
  }

  async getTask(id: string): Promise<Task> {
    const answer = await this.get(`/api/v1/tasks/${id}`);
    expect(answer.status, answer.text).toBe(200);
    return answer.body as Task;
  }
}

export async function login(server: { url: string }, username: string, password: string): Promise<TokenPair> {
  const response = await new Api(server.url).post('/auth/login', { username, password });
  expect(response.status, response.text).toBe(200);
  return response.body as TokenPair;
}

/** An Api logged in as one of the test users. */
export async function apiAs(server: { url: string }, username = 'admin'): Promise<Api> {
  const user = users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no test user ${username}`);
  const tokens = await login(server, username, user.password);
  return new Api(server.url, tokens.access_token);
}

/** A file's one server and its admin (or `username`) client: started before the file's tests, stopped after them. */
export function serverForFile(username = 'admin'): { readonly server: RunningMockServer; readonly api: Api } {
  const live = {} as { server: RunningMockServer; api: Api };
  beforeAll(async () => {
    live.server = await start();
    live.api = await apiAs(live.server, username);
  });
  afterAll(async () => {
    await live.server.stop();
  });
  return live;
}

/**
 * Checks an RFC 9457 answer: status, media type, the members every problem has, and the
 * request id in both the body and the X-Request-Id header.
 */
export function expectProblem(answer: Answer, status: number): Problem {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = answer.body as Problem;
  expect(problem).toMatchObject({
    status,
    type: expect.any(String) as unknown,
    title: expect.any(String) as unknown,
    detail: expect.any(String) as unknown,
  });
  expect(problem.title).not.toBe('');
  expect(problem.detail).not.toBe('');
  expect(typeof problem.request_id).toBe('string');
  expect(answer.headers.get('x-request-id')).toBe(problem.request_id);
  return problem;
}

/** The field names of a 422 answer's errors[]. */
export function fieldsOf(answer: Answer): string[] {
  const problem = expectProblem(answer, 422);
  expect(Array.isArray(problem.errors)).toBe(true);
  return (problem.errors ?? []).map((error: FieldError) => error.field);
}

/** Every task listTasks returns for a query, page by page. */
export async function allTaskPages(api: Api, query: Record<string, string | number>, limit: number): Promise<Task[]> {
  const items: Task[] = [];
  for (let offset = 0; ; offset += limit) {
    const answer = await api.get('/api/v1/tasks', { query: { ...query, limit, offset } });
    expect(answer.status, answer.text).toBe(200);
    const page = answer.body as { items: Task[]; total: number };
    items.push(...page.items);
    if (offset + limit >= page.total) return items;
  }
}

/**
 * POSTs a task whose Content-Length promises `contentLength` bytes but whose body stops after
 * `body`; resolves with the answer, rejects when the connection closes without one.
 */
export function postShortBody(server: { url: string }, token: string | undefined, contentLength: number, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL('/api/v1/tasks', server.url);
    const outgoing = httpRequest(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token ?? ''}`, 'content-type': 'application/json', 'content-length': contentLength },
    });
    outgoing.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
        outgoing.destroy();
        const json = (headers.get('content-type') ?? '').includes('json') && text !== '';
        resolve({ status: response.statusCode ?? 0, headers, text, body: json ? (JSON.parse(text) as unknown) : undefined });
      });
    });
    outgoing.on('error', reject);
    outgoing.write(body);
  });
}
