// dtm task export against a server that sends a few tasks and then nothing more (issue 10,
// defect 2): SIGINT and SIGTERM end it at once (exit 130, 143), a stall ends it with the
// timeout error, and either way what arrived is kept in FILE.partial.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '@dtm/sdk';
import { type Result, type Running, type Sandbox, killChildren, sandbox } from '../../harness.js';
import { makeTask } from '../../fixtures.js';

const sent: Task[] = [1, 2, 3].map((n) => makeTask(`TASK-00000${n}`, { title: `Task ${n}` }));
const csvHeader = 'id,title';

let box: Sandbox;
let stalling: Server;
let stallingUrl: string;
let dir: string;

beforeAll(async () => {
  box = await sandbox();
  dir = await mkdtemp(join(tmpdir(), 'dtm-export-stalled-'));
  // Answers the export with its headers and three tasks in one write, then stalls.
  stalling = createServer((request, response) => {
    const csv = request.url?.includes('format=csv') === true;
    response.writeHead(200, { 'content-type': csv ? 'text/csv' : 'application/x-ndjson' });
    response.write(
      csv
        ? `${csvHeader}\n${sent.map((task) => `${task.id},${task.title}\n`).join('')}`
        : sent.map((task) => `${JSON.stringify(task)}\n`).join(''),
    );
  });
  await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
  stallingUrl = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}`;
});
afterEach(() => {
  killChildren();
  stalling.closeAllConnections();
});
afterAll(async () => {
  await new Promise((resolve) => stalling.close(resolve));
  await box.stop();
  await rm(dir, { recursive: true, force: true });
});

/** `dtm task export` against the stalling server, with a long timeout unless `timeout` is given. */
function exportStalled(args: string[], timeout = '60'): Running {
  return box.start(['task', 'export', ...args], {
    env: { DTM_API_URL: stallingUrl, DTM_TOKEN: 'test-token', DTM_REQUEST_TIMEOUT: timeout },
    timeoutMs: 30_000,
  });
}

/** Resolves once `check` holds, polling; fails after `ms`. */
async function until(check: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The process's result, or a failure when it has not exited within `ms` of the signal. */
function exitWithin(running: Running, ms = 10_000): Promise<Result> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`dtm did not exit within ${ms} ms; stderr: ${running.output.stderr}`));
    }, ms);
  });
  return Promise.race([running.result, late]).finally(() => {
    clearTimeout(timer);
  });
}

/** How many export calls the performance log holds (a line is written as a call's headers arrive). */
async function exportCalls(): Promise<number> {
  const log = await readFile(join(box.dataDir, 'metrics.ndjson'), 'utf8').catch(() => '');
  return log.split('\n').filter((line) => line.includes('"exportTasks"')).length;
}

/**
 * Starts an export, waits until its answer has come (its call is in the performance log; the
 * tasks came in the same packet as the headers), then sends `signal`.
 */
async function interruptOnceStreaming(args: string[], signal: NodeJS.Signals): Promise<Result> {
  const before = await exportCalls();
  const running = exportStalled(args);
  await until(async () => (await exportCalls()) > before, 'the export to start');
  running.child.kill(signal);
  return exitWithin(running);
}

/** The ids in an export file, whatever its format. */
function idsIn(text: string): string[] {
  return [...text.matchAll(/TASK-\d{6}/g)].map((match) => match[0]);
}

describe('dtm task export from a server that stops sending', () => {
  it('SIGINT: exits 130 at once, with one line saying where what arrived is; FILE.partial holds it', async () => {
    const file = join(dir, 'interrupted.ndjson');
    const result = await interruptOnceStreaming(['--output', file], 'SIGINT');
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toBe(`Error: Export interrupted (SIGINT) after 3 tasks; what arrived is in ${file}.partial.\n`);
    expect(existsSync(file)).toBe(false);
    const lines = (await readFile(`${file}.partial`, 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as Task)).toEqual(sent);
  });

  it('SIGTERM: exits 143, the CSV received kept in FILE.partial', async () => {
    const file = join(dir, 'terminated.csv');
    const result = await interruptOnceStreaming(['--output', file], 'SIGTERM');
    expect(result.code, result.stderr).toBe(143);
    expect(result.stderr).toBe(`Error: Export interrupted (SIGTERM) after 3 tasks; what arrived is in ${file}.partial.\n`);
    expect(existsSync(file)).toBe(false);
    const partial = await readFile(`${file}.partial`, 'utf8');
    expect(partial.startsWith(`${csvHeader}\n`)).toBe(true);
    expect(idsIn(partial)).toEqual(sent.map((task) => task.id));
  });

  it('SIGINT on an export to stdout: exits 130', async () => {
    const result = await interruptOnceStreaming(['--format', 'ndjson'], 'SIGINT');
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/^Error: Export interrupted \(SIGINT\) after \d tasks?\.\n$/);
  });

  it('a stall longer than the request timeout: the timeout error, exit 1, FILE.partial kept', async () => {
    const file = join(dir, 'stalled.json');
    const result = await exitWithin(exportStalled(['--output', file], '1'), 30_000);
    expect(result.code, result.stderr).toBe(1);
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe(`The 3 tasks received before the failure are in ${file}.partial.`);
    expect(lines[1]).toMatch(/^Error: The stream from http:\/\/127\.0\.0\.1:\d+ went idle: no data for 1000 ms \(request req_\w+\)$/);
    expect(existsSync(file)).toBe(false);
    expect(idsIn(await readFile(`${file}.partial`, 'utf8'))).toEqual(sent.map((task) => task.id));
  });
});
