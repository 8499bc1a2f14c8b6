import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { generateContract, outputPath } from '../../scripts/mcp-contract.mjs';

it('src/lib/mcp/contract.json matches a fresh generation from openapi.yaml', async () => {
  const [committed, fresh] = await Promise.all([readFile(outputPath, 'utf8'), generateContract()]);
  // A plain boolean keeps the failure short; the fix is always the same command.
  expect(committed === fresh, 'src/lib/mcp/contract.json is stale: run `npm run generate` and commit the result').toBe(true);
});
