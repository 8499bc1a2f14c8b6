import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds openapi.yaml: next to the built files in a published package (`dist/openapi.yaml`),
 * or at the repository root when running from source.
 */
export function findSpecPath(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'openapi.yaml');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(`openapi.yaml not found in ${from} or any folder above it`);
    }
  }
}
