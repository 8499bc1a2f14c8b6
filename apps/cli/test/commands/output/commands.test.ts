// `dtm commands --json`: every command with its flags, args, summary and JSON fields.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, root, sandbox } from '../../harness.js';

interface Usage {
  bin: string;
  commands: {
    name: string;
    summary: string;
    usage: string;
    args: { name: string; required: boolean }[];
    flags: { name: string; char: string | null; type: string; global: boolean; options: string[] | null; multiple: boolean }[];
    json_fields: string[];
    works_offline: boolean;
    examples: string[];
  }[];
}

interface Manifest {
  commands: Record<string, { hidden?: boolean; summary?: string; jsonFields?: string[]; flags: Record<string, unknown> }>;
}

let box: Sandbox;
let usage: Usage;
const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as Manifest;

beforeAll(async () => {
  box = await sandbox();
  usage = await box.json<Usage>(['commands', '--json']);
});
afterAll(async () => {
  await box.stop();
});

const find = (name: string): Usage['commands'][number] => {
  const command = usage.commands.find((entry) => entry.name === name);
  if (command === undefined) throw new Error(`${name} is not listed`);
  return command;
};

describe('dtm commands --json', () => {
  it('lists every visible dtm command, named as typed', () => {
    const own = Object.entries(manifest.commands)
      .filter(([, command]) => command.hidden !== true)
      .map(([id]) => id.replaceAll(':', ' '));
    expect(own.length).toBeGreaterThan(30);
    expect(usage.commands.map((command) => command.name)).toEqual(expect.arrayContaining(own));
    for (const command of usage.commands) expect(command.summary, command.name).not.toBe('');
  });

  it('describes flags (type, short form, allowed values, global), args and the --json fields', () => {
    const list = find('task list');
    expect(list.json_fields).toEqual(manifest.commands['task:list']?.jsonFields);
    expect(list.works_offline).toBe(true);
    const flag = (name: string) => list.flags.find((entry) => entry.name === name);
    expect(flag('search')).toMatchObject({ char: null, type: 'string', global: false });
    expect(flag('jq')).toMatchObject({ char: 'q', type: 'string', global: true });
    expect(flag('json')).toMatchObject({ type: 'boolean', global: true });
    expect(flag('all')).toMatchObject({ type: 'boolean', global: false });
    expect(flag('sort')?.options).toContain('-updated_at');
    expect(Object.keys(manifest.commands['task:list']?.flags ?? {}).sort()).toEqual(list.flags.map((entry) => entry.name).sort());

    const show = find('task show');
    expect(show.args).toEqual([expect.objectContaining({ name: 'id', required: true })]);
    expect(show.usage).toBe('dtm task show ID');
    expect(find('auth login').works_offline).toBe(false);
  });

  it('examples are runnable command lines (no template left)', () => {
    for (const command of usage.commands) {
      for (const example of command.examples) {
        expect(example, command.name).not.toContain('<%');
        expect(example, command.name).toMatch(/(^|[|(] ?)dtm /);
      }
    }
  });

  it('on a pipe, one command and its summary per line', async () => {
    const result = await box.run(['commands']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')).toContain(`dtm task list\t${find('task list').summary}`);
  });
});
