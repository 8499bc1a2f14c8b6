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
// The one copy of @oclif/core that bin/run.js and every command share.
entry.oclif = 'src/oclif.ts';

export default defineConfig({
  entry,
  format: ['esm'],
  splitting: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  outDir: 'dist',
  // Every package in devDependencies is bundled (tsup leaves only `dependencies` external):
  // @oclif/core, the SDK and the rest are read as a few files instead of ~600 modules, which
  // takes a fifth off each command's start. What stays a dependency cannot be bundled: native
  // addons (better-sqlite3, @napi-rs/keyring), jq-wasm (it reads its .wasm beside itself) and
  // the oclif plugins (oclif loads them from their own packages).
  // oclif requires these only for a CLI run from TypeScript sources, never from dist.
  external: ['typescript', 'ts-node'],
  // oclif reads __dirname in a few places (its engine check, defaults it never uses here).
  shims: true,
  // The bundled CommonJS packages call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
