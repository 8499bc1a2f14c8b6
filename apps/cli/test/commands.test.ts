// The command line is a contract with scripts: a committed snapshot of every command, its
// arguments and its flags (names, types, choices, defaults) fails this test when one changes
// by accident. After a deliberate change: `npx vitest run test/commands.test.ts -u`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './harness.js';

interface ManifestFlag {
  type: 'boolean' | 'option';
  char?: string;
  required?: boolean;
  multiple?: boolean;
  options?: string[];
  default?: unknown;
  allowNo?: boolean;
}
interface ManifestCommand {
  args: Record<string, { required?: boolean; options?: string[] }>;
  flags: Record<string, ManifestFlag>;
  strict?: boolean;
}

const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, ManifestCommand>;
};

function shape(command: ManifestCommand) {
  return {
    args: Object.fromEntries(
      Object.entries(command.args).map(([name, arg]) => [name, { required: arg.required ?? false, options: arg.options ?? null }]),
    ),
    strict: command.strict ?? true,
    flags: Object.fromEntries(
      Object.entries(command.flags)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, flag]) => [
          name,
          {
            type: flag.type,
            char: flag.char ?? null,
            required: flag.required ?? false,
            multiple: flag.multiple ?? false,
            options: flag.options ?? null,
            default: flag.default ?? null,
          },
        ]),
    ),
  };
}

describe('the command line', () => {
  const ids = Object.keys(manifest.commands).filter((id) => !id.startsWith('autocomplete')).sort();

  it('has every command of the brief', () => {
    const expected = [
      'api',
      'auth:login',
      'auth:logout',
      'auth:refresh',
      'auth:status',
      'auth:token',
      'config:get',
      'config:list',
      'config:set',
      'project:create',
      'project:delete',
      'project:list',
      'project:show',
      'project:update',
      'sprint:add-tasks',
      'sprint:burndown',
      'sprint:complete',
      'sprint:create',
      'sprint:list',
      'sprint:show',
      'sprint:start',
      'sprint:update',
      'status:health',
      'status:performance',
      'task:bulk-update',
      'task:complete',
      'task:create',
      'task:delete',
      'task:export',
      'task:list',
      'task:show',
      'task:update',
    ];
    expect(ids.filter((id) => !id.startsWith('help'))).toEqual(expect.arrayContaining(expected));
  });

  it('every command has the global flags', () => {
    for (const id of ids.filter((name) => !name.startsWith('help'))) {
      expect(Object.keys(manifest.commands[id]?.flags ?? {}), id).toEqual(
        expect.arrayContaining(['api-url', 'timeout', 'json', 'no-color', 'debug']),
      );
    }
  });

  it('matches the committed snapshot of commands, arguments and flags', async () => {
    const snapshot = Object.fromEntries(ids.map((id) => [id, shape(manifest.commands[id] as ManifestCommand)]));
    await expect(`${JSON.stringify(snapshot, null, 2)}\n`).toMatchFileSnapshot('./commands.snapshot.json');
  });
});
