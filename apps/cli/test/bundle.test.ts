// The SDK (ky, zod) is loaded only by commands that call the API, when they call it
// (lib/client.ts imports it dynamically). A static import of '@dtm/sdk' in a module on every
// command's start path would load it for `dtm config get` and `--help` too. Marks: the SDK's
// client class, and zod's core (shared by the SDK and, in `dtm mcp`, the MCP SDK).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { root } from './harness.js';

const loadsSdk = (source: string): boolean => source.includes('var DtmClient = class') || source.includes('$constructor("$ZodObject"');

/** Every file a module loads through static imports (dynamic `import()` left out). */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"|^import\s+"(\.[^"]+)"/gm)) {
    const target = match[1] ?? match[2];
    if (target !== undefined) staticClosure(resolve(dirname(file), target), seen);
  }
  return seen;
}

it.each(['config/get', 'config/list', 'config/set', 'config/unset', 'auth/status'])('dtm %s does not load the SDK at start', (command) => {
  const files = staticClosure(join(root, 'dist', 'commands', `${command}.js`));
  expect(files.size).toBeGreaterThan(1);
  for (const file of files) expect(loadsSdk(readFileSync(file, 'utf8')), file).toBe(false);
});

it('the check is not vacuous: the SDK and zod are in dist, one file each', () => {
  const marked = (mark: string): string[] => readdirSync(join(root, 'dist')).filter((name) => name.endsWith('.js') && readFileSync(join(root, 'dist', name), 'utf8').includes(mark));
  expect(marked('var DtmClient = class')).toHaveLength(1);
  expect(marked('$constructor("$ZodObject"')).toHaveLength(1);
});

it('the help class (every --help) does not load the SDK either', () => {
  const files = staticClosure(join(root, 'dist', 'help.js'));
  for (const file of files) expect(loadsSdk(readFileSync(file, 'utf8')), file).toBe(false);
});
