// `dtm auth token` on a terminal: run in-process, with stdout posing as a TTY (a spawned
// process has pipes, not a terminal).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import AuthToken from '../../../src/commands/auth/token.js';
import { root } from '../../harness.js';

describe('dtm auth token on a terminal', () => {
  let home: string;
  let stdout: string;
  let stderr: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'dtm-token-tty-'));
    vi.stubEnv('DTM_CONFIG_DIR', home);
    vi.stubEnv('DTM_DATA_DIR', home);
    vi.stubEnv('DTM_API_URL', 'http://127.0.0.1:1');
    vi.stubEnv('DTM_TOKEN', 'tty-secret-token-1234');
    vi.stubEnv('NO_COLOR', '1');
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    stdout = '';
    stderr = '';
    // Like a real stream, the write calls its callback (the command waits for its output to be out).
    const written = (rest: unknown[]): true => {
      const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
      callback?.();
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      stdout += String(chunk);
      return written(rest);
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      stderr += String(chunk);
      return written(rest);
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    Reflect.deleteProperty(process.stdout, 'isTTY');
    await rm(home, { recursive: true, force: true });
  });

  it('refuses to print the token (exit code 2) unless --reveal', async () => {
    await expect(AuthToken.run([], root)).rejects.toMatchObject({ oclif: { exit: 2 } });
    expect(stdout).toBe('');
    expect(stderr).toContain('Not printing the access token on a terminal');
    expect(stderr).toContain('--reveal');
    expect(stderr).not.toContain('tty-secret-token-1234');

    await AuthToken.run(['--reveal'], root);
    expect(stdout).toBe('tty-secret-token-1234\n');
  });
});
