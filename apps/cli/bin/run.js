#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+ keeps the compiled code of every module on disk (in the OS temp dir) and reuses it
// at the next start: ~15% off each command there. Older Node has no such cache.
module.enableCompileCache?.();

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // The answer oclif would give, without loading oclif (a third of the start-up time).
  const { name, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  // oclif checks its own `engines` with semver at import (~15 ms); npm checks ours.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';
  const { execute } = await import('../dist/oclif.js');
  await execute({ dir: import.meta.url });
  // fetch's idle keep-alive sockets would hold the process ~100 ms after the work is done.
  // Exit once everything written so far has reached stdout and stderr.
  await new Promise((resolve) => process.stdout.write('', resolve));
  await new Promise((resolve) => process.stderr.write('', resolve));
  process.exit();
}
