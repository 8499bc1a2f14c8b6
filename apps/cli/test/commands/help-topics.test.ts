// `dtm help environment | exit-codes | formats`, and the root help's HELP TOPICS and EXAMPLES.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, exitCodeMeanings } from '../../src/lib/errors.js';
import { type Sandbox, root, sandbox } from '../harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox();
});
afterAll(async () => {
  await box.stop();
});

/** Every DTM_ variable named in the sources of the CLI and the SDK. */
function variablesInSources(): string[] {
  const names = new Set<string>();
  for (const dir of [join(root, 'src'), join(root, '..', '..', 'packages', 'sdk', 'src')]) {
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      for (const match of readFileSync(join(dir, file), 'utf8').matchAll(/\bDTM_[A-Z][A-Z_]*[A-Z]\b/g)) names.add(match[0]);
    }
  }
  return [...names].sort();
}

describe('dtm help environment', () => {
  it('lists every DTM_ variable the CLI and the SDK read, and the colour and pager ones, one line each', async () => {
    const result = await box.run(['help', 'environment'], { env: { OCLIF_COLUMNS: '300' } });
    expect(result.code, result.stderr).toBe(0);
    const variables = variablesInSources();
    // Not vacuous: the grep finds the variables everyone knows.
    expect(variables).toEqual(expect.arrayContaining(['DTM_API_URL', 'DTM_TOKEN', 'DTM_LOG', 'DTM_PROMPT_DISABLED']));
    for (const name of [...variables, 'NO_COLOR', 'CLICOLOR', 'CLICOLOR_FORCE', 'FORCE_COLOR', 'PAGER', 'DTM_PAGER']) {
      expect(result.stdout, `${name} is missing from \`dtm help environment\``).toMatch(new RegExp(`^ {2}${name} +\\S.*$`, 'm'));
    }
  });
});

describe('dtm help exit-codes', () => {
  it('lists each exit code with its meaning from errors.ts', async () => {
    const result = await box.run(['help', 'exit-codes'], { env: { OCLIF_COLUMNS: '300' } });
    expect(result.code, result.stderr).toBe(0);
    const codes = Object.values(ExitCode);
    expect(codes).toEqual([0, 1, 2, 3, 4, 130, 143]);
    for (const code of codes) expect(result.stdout).toMatch(new RegExp(`^ {2}${code} +${exitCodeMeanings[code].replace(/[.*+?^${}()|[\]\\`]/g, '\\$&')}$`, 'm'));
  });
});

describe('dtm help formats', () => {
  it('explains text on a terminal and in a pipe, --json with fields, --jq, CSV and its formula safety, and times', async () => {
    const result = await box.run(['help', 'formats'], { env: { OCLIF_COLUMNS: '300' } });
    expect(result.code, result.stderr).toBe(0);
    const text = result.stdout.replace(/\s+/g, ' ');
    for (const words of ['on a terminal', 'in a pipe', 'Tab-separated', '--json id,title', '--jq EXPR', 'CSV formula injection', 'leading \'', 'RFC 3339 in UTC']) {
      expect(text).toContain(words);
    }
  });
});

describe('dtm help / dtm --help', () => {
  it('lists the help topics and shows examples; help for commands and topics still works; an unknown subject fails', async () => {
    const [help, flag, task, unknown] = await Promise.all([
      box.run(['help']),
      box.run(['--help']),
      box.run(['help', 'task']),
      box.run(['help', 'nosuch']),
    ]);
    for (const result of [help, flag]) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^COMMANDS$/m);
      expect(result.stdout).toMatch(/\nHELP TOPICS\n {2}environment +\S.*\n {2}exit-codes +\S.*\n {2}formats +\S/);
      expect(result.stdout).toMatch(/\nEXAMPLES\n {2}\$ dtm auth login/);
      expect(result.stdout).toContain('$ dtm sprint create --name "Sprint 1" --project PRJ-001');
    }
    expect(task.code).toBe(0);
    expect(task.stdout).toMatch(/^USAGE\n {2}\$ dtm task COMMAND/m);
    expect(task.stdout).not.toContain('HELP TOPICS');
    expect(unknown.code).toBe(2);
  });
});
