import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateTypes, outputPath } from '../scripts/generate.mjs';

describe('generated types', () => {
  it('match a fresh generation from openapi.yaml', async () => {
    const [committed, fresh] = await Promise.all([readFile(outputPath, 'utf8'), generateTypes()]);
    // A plain boolean keeps the failure short; the fix is always the same command.
    expect(
      committed === fresh,
      'src/generated/openapi.ts is stale: run `npm run generate` and commit the result',
    ).toBe(true);
  });
});
