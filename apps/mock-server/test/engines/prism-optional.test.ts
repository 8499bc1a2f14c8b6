// Prism is an optional peer dependency: without it the prism engine says how to add it, naming
// the version package.json declares.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prismBinPath } from '../../src/engines/prism.js';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

const notInstalled = (id: string): string => {
  throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
};

describe('the prism engine without Prism installed', () => {
  it('says that Prism is missing and how to install the version the package declares', () => {
    const version = manifest.peerDependencies['@stoplight/prism-cli'];
    expect(() => prismBinPath(notInstalled)).toThrow(`npm install --save-dev @stoplight/prism-cli@${version}`);
    expect(() => prismBinPath(notInstalled)).toThrow(/optional peer dependency/);
  });

  it('is an optional peer, not a dependency, so a plain install leaves it out', () => {
    expect(manifest.dependencies).not.toHaveProperty('@stoplight/prism-cli');
    expect(manifest.peerDependenciesMeta['@stoplight/prism-cli']?.optional).toBe(true);
  });

  it('finds the installed one', () => {
    expect(prismBinPath()).toMatch(/prism-cli/);
  });
});
