import { copyFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'node20',
  // The published package carries the contract it serves and the Prism watchdog.
  async onSuccess() {
    await copyFile('../../openapi.yaml', 'dist/openapi.yaml');
    await copyFile('src/engines/watchdog.cjs', 'dist/watchdog.cjs');
  },
});
