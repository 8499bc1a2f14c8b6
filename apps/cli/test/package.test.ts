// The packed CLI installs and runs on its own: it bundles the SDK, @oclif/core and the other
// pure-JS packages, so it depends on no workspace package, and every package its build still
// loads is a dependency. It ships no source maps (nothing loads them; they were 60% of the tarball).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './harness.js';

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  oclif: { plugins: string[] };
};
const builtins = new Set(builtinModules);
// oclif requires these (in a try/catch) only for a CLI run from its TypeScript sources.
const devOnly = new Set(['typescript', 'ts-node']);
// npm's rule for package names (so that text such as `from "…"` inside a help string is not taken for an import).
const packageSpecifier = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*(?:\/[\w./-]*)?$/;

/**
 * The packages a built file loads: import statements, dynamic imports, require('x') (esbuild's
 * __require too) and createRequire(…)('x') — not the same words in a comment (` * import … from`)
 * or in code a bundled package keeps as text (ajv's `'require("ajv/dist/…")'`).
 */
function packagesLoadedBy(source: string): string[] {
  const names: string[] = [];
  const forms = /(?:^import\b[^;]*?\bfrom\s*|\bimport\(\s*|(?<![`'"\w])(?:__)?require\(\s*|\bcreateRequire\([^()]*\)\(\s*)["']([^"'./][^"']*)["']/gm;
  for (const match of source.matchAll(forms)) {
    const specifier = match[1] as string;
    if (!packageSpecifier.test(specifier) || specifier.startsWith('node:') || builtins.has(specifier.split('/')[0] as string)) continue;
    const parts = specifier.split('/');
    names.push(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string));
  }
  return names;
}

const builtFiles = (directory: string): string[] =>
  readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => join(directory, file));

describe('the packed CLI', () => {
  it('installs without better-sqlite3 where it cannot be built (the store then uses node:sqlite)', () => {
    expect(Object.keys(manifest.optionalDependencies)).toEqual(['better-sqlite3']);
    expect(manifest.dependencies['better-sqlite3']).toBeUndefined();
  });

  it('depends on no workspace package: the SDK is bundled into dist', () => {
    expect(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@dtm/'))).toEqual([]);
  });

  it('declares every package that dist and bin load, and its oclif plugins', () => {
    const loaded = new Set([...builtFiles(join(root, 'dist')), ...builtFiles(join(root, 'bin'))].flatMap((file) => packagesLoadedBy(readFileSync(file, 'utf8'))));
    expect(loaded).toContain('better-sqlite3');
    // One copy of oclif, bundled: the commands extend the very classes bin/run.js runs them with.
    expect(loaded).not.toContain('@oclif/core');
    const declared = { ...manifest.dependencies, ...manifest.optionalDependencies };
    const missing = [...loaded, ...manifest.oclif.plugins].filter((name) => declared[name] === undefined && !devOnly.has(name));
    expect(missing).toEqual([]);
  });

  it('packs bin, dist and the oclif manifest, without source maps', () => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as {
      files: { path: string }[];
    }[];
    const paths = (packed?.files ?? []).map((file) => file.path);
    expect(paths).toContain('bin/run.js');
    expect(paths).toContain('oclif.manifest.json');
    expect(paths).toContain('dist/commands/task/list.js');
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
  });
});
