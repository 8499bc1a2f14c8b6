import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { findSpecPath } from '../../src/spec.js';
import { type Api, type RunningMockServer, apiAs, fieldsOf, start } from './harness.js';

// `watch`: the request checks follow openapi.yaml when it changes, without a restart.

// TaskCreate's title: the first maxLength after its name.
const createTitleLimit = /(\n {4}TaskCreate:\n[\s\S]*?\n {8}title:\n[\s\S]*?maxLength: )200/;
const shortTitles = (text: string): string => text.replace(createTitleLimit, (_match, head: string) => `${head}10`);

let dir: string;
let specPath: string;
let server: RunningMockServer | undefined;
let stderr: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dtm-watch-'));
  specPath = join(dir, 'openapi.yaml');
  await copyFile(findSpecPath(), specPath);
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});

afterEach(async () => {
  await server?.stop();
  server = undefined;
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

async function editSpec(change: (text: string) => string): Promise<void> {
  const text = await readFile(specPath, 'utf8');
  const next = change(text);
  expect(next).not.toBe(text);
  await writeFile(specPath, next);
}

/** Waits until the server has reloaded the contract `count` times, or stderr says a reload failed. */
async function reloaded(count: number, failure?: RegExp): Promise<void> {
  await vi.waitFor(
    () => {
      if (failure) expect(stderr.join('')).toMatch(failure);
      else expect(server?.contractReloads()).toBe(count);
    },
    { timeout: 10_000, interval: 20 },
  );
}

async function started(): Promise<Api> {
  server = await start({ specPath, watch: true });
  return apiAs(server);
}

describe('watch', () => {
  it('checks requests against the changed spec: a valid title becomes a 422, and valid again', async () => {
    const api = await started();
    const title = 'twelve chars';
    expect((await api.post('/api/v1/tasks', { title })).status).toBe(201);

    await editSpec(shortTitles);
    await reloaded(1);
    expect(fieldsOf(await api.post('/api/v1/tasks', { title }))).toEqual(['title']);
    expect((await api.post('/api/v1/tasks', { title: 'short' })).status).toBe(201);

    await copyFile(findSpecPath(), specPath);
    await reloaded(2);
    expect((await api.post('/api/v1/tasks', { title })).status).toBe(201);
    expect(stderr.join('')).toMatch(/reloaded .*openapi\.yaml/);
  });

  it('keeps the previous checks when the spec does not parse, and says why on stderr', async () => {
    const api = await started();
    await writeFile(specPath, 'openapi: 3.1.0\npaths: [unclosed\n');
    await reloaded(0, /cannot be used, keeping the previous contract/);
    expect(server?.contractReloads()).toBe(0);
    expect((await api.post('/api/v1/tasks', { title: 'still checked by the old contract' })).status).toBe(201);
    expect(fieldsOf(await api.post('/api/v1/tasks', { title: '' }))).toEqual(['title']);
  });

  it('reports a new operation the mock does not implement, and keeps serving', async () => {
    const api = await started();
    await editSpec((text) =>
      text.replace(
        /\npaths:\n/,
        '\npaths:\n  /api/v1/labels:\n    get:\n      operationId: listLabels\n      responses:\n        "200":\n          description: ok\n',
      ),
    );
    await reloaded(1);
    expect(stderr.join('')).toMatch(/listLabels \(GET \/api\/v1\/labels\) is new in the spec; the stateful mock does not implement it/);
    expect((await api.get('/api/v1/labels')).status).toBe(404);
    expect((await api.get('/health')).status).toBe(200);
  });

  it('does not watch unless asked', async () => {
    server = await start({ specPath });
    const api = await apiAs(server);
    await editSpec(shortTitles);
    // A watching server on the same file is the witness that the change was seen.
    const witness = await start({ specPath, watch: true });
    try {
      await editSpec((text) => `${text}\n`);
      await vi.waitFor(
        () => {
          expect(witness.contractReloads()).toBeGreaterThan(0);
        },
        { timeout: 10_000, interval: 20 },
      );
    } finally {
      await witness.stop();
    }
    expect(server.contractReloads()).toBe(0);
    expect((await api.post('/api/v1/tasks', { title: 'twelve chars' })).status).toBe(201);
  });
});
