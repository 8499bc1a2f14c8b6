// `dtm help environment`: every variable the CLI and the SDK read, one line each. The
// settings' variables come from their definitions in config.ts; a test greps the sources
// for DTM_ and fails when one is missing here.
import { settings } from '../config.js';

/** Variables that are not settings of `dtm config`. */
const others: readonly (readonly [string, string])[] = [
  ['DTM_TOKEN', 'An access token to use instead of the stored login (CI); never stored, never refreshed'],
  ['DTM_CONFIG_DIR', 'Where config.json and credentials.json live (default: the OS config dir, e.g. ~/.config/dtm)'],
  ['DTM_DATA_DIR', 'Where the local store, the CSV mirror and the performance log live (default: the OS data dir)'],
  ['DTM_CACHE_DIR', 'Where `dtm api --cache` keeps answers (default: the OS cache dir, e.g. ~/.cache/dtm)'],
  ['DTM_PROMPT_DISABLED', 'Any value but empty, 0 or false: never ask; what would be asked fails with exit code 2 naming the flag'],
  ['DTM_LOG', 'How much the SDK logs on stderr: debug, info, warn (default), error or off'],
  ['DTM_MIRROR', 'The CSV mirror of the local store: off, or inline (written in the command, not in the background)'],
  ['DTM_PAGER', 'The pager for long output on a terminal (default: less with LESS=FRX); wins over PAGER; empty or cat: none'],
  ['DTM_TEST_CRASH_AT', 'For the crash tests only: the failpoint at which the process kills itself'],
  ['NO_COLOR', 'Set and not empty: no colours (as --no-color); wins over forcing them'],
  ['CLICOLOR', '0: no colours on a terminal'],
  ['CLICOLOR_FORCE', 'Set and not 0: colours also into a pipe (e.g. for less -R)'],
  ['FORCE_COLOR', 'Set and not 0: colours also into a pipe, as CLICOLOR_FORCE'],
  ['PAGER', 'The pager when DTM_PAGER is not set'],
];

/** Every variable and its line, the settings' first. */
export function environmentVariables(): [string, string][] {
  const fromSettings = Object.entries(settings).map(([name, setting]): [string, string] => [
    setting.env,
    `${setting.description} (setting ${name}, default ${setting.default})`,
  ]);
  return [...fromSettings, ...others.map(([name, line]): [string, string] => [name, line])];
}

export const environmentTopic = {
  name: 'environment',
  summary: 'Environment variables that change what dtm does',
  body: (): [string, [string, string][] | string][] => [
    ['ENVIRONMENT VARIABLES', environmentVariables()],
    ['PRECEDENCE', 'A flag wins over its variable, a variable over the config file (`dtm config list` shows where each value came from).'],
  ],
};
