import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Every public method of the client and its resources documents itself with an example
// (each overload of one, too).
const files = ['client.ts', 'resources/auth.ts', 'resources/tasks.ts', 'resources/projects.ts', 'resources/sprints.ts', 'resources/changes.ts'];

function publicMethods(source: string): { name: string; doc: string }[] {
  const methods: { name: string; doc: string }[] = [];
  const pattern = /(\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*)?\n {2}(?:async \*?|\*)?([a-z]\w*)\((?![^)]*\)\s*;)/g;
  for (const match of source.matchAll(pattern)) {
    const name = match[2] ?? '';
    const doc = match[1] ?? '';
    // The implementation after documented overloads is not public API (TypeDoc shows the overloads).
    if (!doc && methods.at(-1)?.name === name) continue;
    if (name !== 'constructor') methods.push({ name, doc });
  }
  return methods;
}

describe.each(files)('%s', (file) => {
  const methods = publicMethods(readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8'));

  it('has public methods', () => {
    expect(methods.length).toBeGreaterThan(0);
  });

  it.each(methods.map((method) => [method.name, method.doc] as const))('%s has JSDoc with an @example', (_, doc) => {
    expect(doc).toMatch(/\/\*\*[\s\S]*@example[\s\S]*\*\//);
  });
});
