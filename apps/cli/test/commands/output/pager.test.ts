// Long output on a terminal goes through DTM_PAGER; --no-pager, a pipe and --json never do.
// The pager here is a small script that keeps what it was given in a file.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../../harness.js';
import { canRunInTerminal, runInTerminal } from '../../terminal-harness.js';

const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;
const size = { columns: 120, rows: 10 };

let box: Sandbox;
let dir: string;
let paged: string;
let pager: string;
beforeAll(async () => {
  box = await sandbox({ tasks: 1200 });
  await box.login();
  dir = await mkdtemp(join(tmpdir(), 'dtm-pager-'));
  paged = join(dir, 'paged.txt');
  const script = join(dir, 'pager.cjs');
  await writeFile(
    script,
    `let text = '';
process.stdin.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => {
  require('node:fs').writeFileSync(process.argv[2], text);
  process.stdout.write('[paged ' + text.split('\\n').length + ' lines, LESS=' + process.env.LESS + ']\\n');
});
`,
  );
  pager = `${quote(process.execPath)} ${quote(script)} ${quote(paged)}`;
});
afterEach(async () => {
  await rm(paged, { force: true });
});
afterAll(async () => {
  await box.stop();
  await rm(dir, { recursive: true, force: true });
});

it.runIf(canRunInTerminal)('a task list longer than the terminal goes through DTM_PAGER, with LESS=FRX', async () => {
  const result = await runInTerminal(box, ['task', 'list', '--limit', '20'], '', { size, env: { DTM_PAGER: pager } });
  expect(result.code, result.output).toBe(0);
  const text = stripVTControlCharacters(await readFile(paged, 'utf8'));
  expect(text).toMatch(/^ID +TITLE +STATUS/);
  expect(text.trimEnd().split('\n')).toHaveLength(21);
  // The terminal shows what the pager wrote, not the list.
  expect(result.output).toContain('[paged 22 lines, LESS=FRX]');
  expect(result.output).not.toContain('TASK-000001');
});

it.runIf(canRunInTerminal)('output that fits the terminal is printed directly', async () => {
  const result = await runInTerminal(box, ['task', 'list', '--limit', '3'], '', { size, env: { DTM_PAGER: pager } });
  expect(result.code, result.output).toBe(0);
  expect(result.output).toContain('TASK-000001');
  expect(existsSync(paged)).toBe(false);
});

it.runIf(canRunInTerminal)('--no-pager, an empty DTM_PAGER or cat print directly', async () => {
  for (const [args, env] of [
    [['--no-pager'], { DTM_PAGER: pager }],
    [[], { DTM_PAGER: '' }],
    [[], { DTM_PAGER: 'cat', PAGER: pager }],
  ] as const) {
    const result = await runInTerminal(box, ['task', 'list', '--limit', '20', ...args], '', { size, env });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('TASK-000020');
    expect(existsSync(paged)).toBe(false);
  }
});

it.runIf(canRunInTerminal)('PAGER is used when DTM_PAGER is unset', async () => {
  const result = await runInTerminal(box, ['task', 'list', '--limit', '20'], '', { size, env: { PAGER: pager } });
  expect(result.code, result.output).toBe(0);
  expect(existsSync(paged)).toBe(true);
});

it.runIf(canRunInTerminal)('--json on a terminal never pages', async () => {
  const result = await runInTerminal(box, ['task', 'list', '--limit', '20', '--json', 'id'], '', { size, env: { DTM_PAGER: pager } });
  expect(result.code, result.output).toBe(0);
  expect((JSON.parse(result.output) as { items: unknown[] }).items).toHaveLength(20);
  expect(existsSync(paged)).toBe(false);
});

it('piped output never pages', async () => {
  const result = await box.run(['task', 'list', '--limit', '20'], { env: { DTM_PAGER: pager, PAGER: pager } });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout.trimEnd().split('\n')).toHaveLength(20);
  expect(existsSync(paged)).toBe(false);
});

it.runIf(canRunInTerminal)('a pager that quits before reading everything (q) is no error', async () => {
  // Over a hundred kilobytes, more than a pipe holds: the pager reads one line and leaves.
  const quitter = `${quote(process.execPath)} -e ${quote("process.stdin.once('data', () => process.exit(0))")}`;
  const result = await runInTerminal(box, ['task', 'list', '--all'], '', { size, env: { DTM_PAGER: quitter } });
  expect(result.code, result.output).toBe(0);
  expect(result.output).not.toMatch(/Error|EPIPE/);
  expect(result.output).not.toContain('TASK-001200');
});

it.runIf(canRunInTerminal)('a pager that cannot start: the output is printed directly, with one warning', async () => {
  const result = await runInTerminal(box, ['task', 'list', '--limit', '20'], '', { size, env: { DTM_PAGER: join(dir, 'no-such-pager') } });
  expect(result.code, result.output).toBe(0);
  expect(result.output).toContain('TASK-000020');
  expect(result.output.match(/Warning: the pager .* could not start/g)).toHaveLength(1);
});
