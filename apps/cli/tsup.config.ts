import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'tsup';

// One file per command under dist/commands (oclif loads them from there); code they share
// goes into chunks beside dist/commands, where oclif does not look for commands.
const entry = Object.fromEntries(
  readdirSync('src/commands', { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => [join('commands', file.slice(0, -'.ts'.length)), join('src/commands', file)]),
);
// oclif's hooks, loaded only when they fire (see "hooks" in package.json).
entry['hooks/command-not-found'] = 'src/hooks/command-not-found.ts';
// The help class (see "helpClass" in package.json): help topics and the root help's examples.
entry.help = 'src/help.ts';

export default defineConfig({
  entry,
  format: ['esm'],
  splitting: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  outDir: 'dist',
  // The SDK and its ky and zod, bundled: one file to read and evaluate instead of hundreds.
  noExternal: ['@dtm/sdk', 'ky', 'zod'],
});
