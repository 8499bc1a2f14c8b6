import type { Command } from '@oclif/core';
import { DtmCommand } from '../base-command.js';
import { table } from '../lib/render/table.js';

/** One flag of a command, as `dtm commands --json` describes it. */
interface FlagUsage {
  name: string;
  char: string | null;
  /** `boolean` flags take no value; `string` flags take one (`multiple`: may be repeated). */
  type: 'boolean' | 'string';
  value_name: string | null;
  description: string;
  required: boolean;
  multiple: boolean;
  options: string[] | null;
  default: unknown;
  /** The same flag on every command (`--json`, `--api-url`, …). */
  global: boolean;
}

interface CommandUsage {
  /** The command as typed, e.g. `task list`. */
  name: string;
  summary: string;
  description: string;
  usage: string;
  args: { name: string; description: string; required: boolean; options: string[] | null }[];
  flags: FlagUsage[];
  /** Fields `--json a,b` can select (empty: `--json` prints the whole document). */
  json_fields: string[];
  /** Answers from the local store, or queues its change, when the API is unreachable. */
  works_offline: boolean;
  examples: string[];
}

export default class Commands extends DtmCommand<typeof Commands> {
  static override summary = 'List every command; --json describes each one for scripts and agents';
  static override description =
    'On a terminal: each command and what it does. With --json: a machine-readable usage schema — every ' +
    'command with its arguments, flags (type, short form, allowed values, default, whether global), the ' +
    'fields `--json` can select, whether it works offline, and examples.';
  static override examples = [
    '<%= config.bin %> commands',
    '<%= config.bin %> commands --json',
    '<%= config.bin %> commands --jq \'.commands[] | select(.works_offline) | .name\'',
  ];

  async run(): Promise<void> {
    const commands = this.config.commands
      .filter((command) => !command.hidden)
      .map((command) => usageOf(command, this.config.bin))
      .sort((a, b) => a.name.localeCompare(b.name));
    await this.print({ bin: this.config.bin, version: this.config.version, commands }, (result) =>
      table(
        result.commands,
        [
          { header: 'command', value: (row) => `${result.bin} ${row.name}` },
          { header: 'summary', value: (row) => row.summary },
        ],
        this.colors,
        this.tty,
      ),
    );
  }
}

function usageOf(command: Command.Loadable, bin: string): CommandUsage {
  const name = command.id.replaceAll(':', ' ');
  const args = Object.values(command.args).map((arg) => ({
    name: arg.name,
    description: arg.description ?? '',
    required: arg.required ?? false,
    options: arg.options === undefined ? null : [...(arg.options as readonly string[])],
  }));
  const flags = Object.values(command.flags)
    .filter((flag) => flag.hidden !== true)
    .map((flag): FlagUsage => ({
      name: flag.name,
      char: flag.char ?? null,
      type: flag.type === 'boolean' ? 'boolean' : 'string',
      value_name: flag.type === 'option' ? (flag.helpValue?.toString() ?? 'value') : null,
      description: flag.summary ?? flag.description ?? '',
      required: flag.required ?? false,
      multiple: flag.type === 'option' ? (flag.multiple ?? false) : false,
      options: flag.type === 'option' && flag.options !== undefined ? [...flag.options] : null,
      default: typeof flag.default === 'function' ? null : (flag.default ?? null),
      global: flag.helpGroup === 'GLOBAL',
    }))
    .sort((a, b) => Number(a.global) - Number(b.global) || a.name.localeCompare(b.name));
  const required = args.map((arg) => (arg.required ? arg.name.toUpperCase() : `[${arg.name.toUpperCase()}]`));
  const examples = (command.examples ?? []).map((example) =>
    (typeof example === 'string' ? example : example.command).replaceAll('<%= config.bin %>', bin).replace(/^\$ /, ''),
  );
  const extra = command as Command.Loadable & { jsonFields?: unknown; canFallBack?: unknown };
  return {
    name,
    summary: command.summary ?? command.description?.split('\n')[0] ?? '',
    description: command.description ?? '',
    usage: [bin, name, ...required].join(' '),
    args,
    flags,
    json_fields: Array.isArray(extra.jsonFields) ? (extra.jsonFields as string[]) : [],
    works_offline: extra.canFallBack === true,
    examples,
  };
}
