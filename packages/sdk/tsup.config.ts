import { defineConfig } from 'tsup';

export default defineConfig({
  // `redact` is its own entry: `@dtm/sdk/redact` loads without the client, ky or zod.
  entry: ['src/index.ts', 'src/redact.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // ky is ESM-only: the CJS build must carry its own copy.
  noExternal: ['ky'],
});
