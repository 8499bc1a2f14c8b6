import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../../harness.js';

interface Row {
  key: string;
  value: string;
  source: string;
}

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 0 });
});
afterAll(async () => {
  await box.stop();
});

const configFile = (): string => join(box.configDir, 'config.json');
const sources = (rows: Row[]): Record<string, string> => Object.fromEntries(rows.map((row) => [row.key, `${row.value} (${row.source})`]));

describe('dtm config', () => {
  it('set writes a 0600 file in a 0700 dir; get and list read it back', async () => {
    const set = await box.run(['config', 'set', 'timeout', '7s']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(`Set timeout to 7s in ${configFile()}`);
    expect(JSON.parse(await readFile(configFile(), 'utf8'))).toEqual({ timeout: '7s' });
    expect((await stat(configFile())).mode & 0o777).toBe(0o600);
    expect((await stat(box.configDir)).mode & 0o777).toBe(0o700);

    const [get, getJson, list, listText] = await Promise.all([
      box.run(['config', 'get', 'timeout']),
      box.json<Row>(['config', 'get', 'timeout']),
      box.json<Row[]>(['config', 'list']),
      box.run(['config', 'list']),
    ]);
    expect(get.stdout).toBe('7s\n');
    expect(getJson).toEqual({ key: 'timeout', value: '7s', source: 'config' });
    expect(sources(list)).toEqual({
      'api-url': `${box.url} (env)`,
      timeout: '7s (config)',
      'auth-timeout': '5s (default)',
      'fallback-enabled': 'true (default)',
      'credential-store': 'file (env)',
    });
    expect(list[0]).toMatchObject({ env: 'DTM_API_URL', default: 'http://127.0.0.1:8000' });
    // Piped: KEY<tab>VALUE<tab>SOURCE, one line per setting.
    expect(listText.stdout.split('\n')).toContain('timeout\t7s\tconfig');
  });

  it('precedence is flag > env > config file > default, for api-url and timeout', async () => {
    await writeFile(configFile(), JSON.stringify({ 'api-url': box.url, timeout: '7s' }));
    const noEnv = { DTM_API_URL: undefined };
    const badEnv = { DTM_API_URL: 'http://127.0.0.1:1', DTM_REQUEST_TIMEOUT: '8s' };
    const [fromFile, fromEnv, fromFlags, health, healthEnv, healthFlag] = await Promise.all([
      box.json<Row[]>(['config', 'list'], { env: noEnv }),
      box.json<Row[]>(['config', 'list'], { env: badEnv }),
      box.json<Row[]>(['config', 'list', '--api-url', box.url, '--timeout', '9s'], { env: badEnv }),
      // The values are the ones used: the config file's URL works, the env's beats it, the flag beats the env.
      box.run(['status', 'health'], { env: noEnv }),
      box.run(['status', 'health'], { env: badEnv }),
      box.run(['status', 'health', '--api-url', box.url], { env: badEnv }),
    ]);
    expect(sources(fromFile)).toMatchObject({ 'api-url': `${box.url} (config)`, timeout: '7s (config)' });
    expect(sources(fromEnv)).toMatchObject({ 'api-url': 'http://127.0.0.1:1 (env)', timeout: '8s (env)' });
    expect(sources(fromFlags)).toMatchObject({ 'api-url': `${box.url} (flag)`, timeout: '9s (flag)' });
    expect([health.code, healthEnv.code, healthFlag.code]).toEqual([0, 1, 0]);
    expect(healthEnv.stdout).toContain('http://127.0.0.1:1 is unreachable');

    await writeFile(configFile(), '{}');
    const defaults = await box.json<Row[]>(['config', 'list'], { env: noEnv });
    expect(sources(defaults)).toMatchObject({ 'api-url': 'http://127.0.0.1:8000 (default)', timeout: '10s (default)' });
  });

  it('rejects a bad value or an unknown setting with exit code 2, leaving the file alone', async () => {
    await writeFile(configFile(), JSON.stringify({ timeout: '7s' }));
    const [badTimeout, badUrl, unknown, unknownGet, missing] = await Promise.all([
      box.run(['config', 'set', 'timeout', 'soon']),
      box.run(['config', 'set', 'api-url', 'ftp://example.com']),
      box.run(['config', 'set', 'colour', 'blue']),
      box.run(['config', 'get', 'colour']),
      box.run(['config', 'set', 'timeout']),
    ]);
    expect([badTimeout.code, badUrl.code, unknown.code, unknownGet.code, missing.code]).toEqual([2, 2, 2, 2, 2]);
    expect(badTimeout.stderr).toContain('Error: timeout must be a duration greater than zero, like 10, 10s or 500ms, got "soon".');
    expect(badUrl.stderr).toContain('api-url must be an http:// or https:// URL');
    expect(unknown.stderr).toContain('Unknown setting "colour".');
    expect(unknown.stderr).toContain('Known settings: api-url, timeout, auth-timeout, fallback-enabled, credential-store.');
    expect(JSON.parse(await readFile(configFile(), 'utf8'))).toEqual({ timeout: '7s' });
  });

  it('set says when an environment variable overrides the file', async () => {
    const result = await box.run(['config', 'set', 'api-url', box.url]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('DTM_API_URL is set and takes precedence');
  });

  it('unset removes a setting from the file (the rest stays); unsetting one that is not there is fine; an unknown one is 2', async () => {
    await writeFile(configFile(), JSON.stringify({ timeout: '7s', 'credential-store': 'file' }));
    const removed = await box.run(['config', 'unset', 'timeout'], { env: { DTM_REQUEST_TIMEOUT: undefined } });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe(`✓ Removed timeout from ${configFile()}; timeout is now the default, 10s.\n`);
    expect(JSON.parse(await readFile(configFile(), 'utf8'))).toEqual({ 'credential-store': 'file' });

    const again = await box.run(['config', 'unset', 'timeout', '--json'], { env: { DTM_REQUEST_TIMEOUT: '3s' } });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ key: 'timeout', removed: false, value: '3s', path: configFile() });
    const got = await box.run(['config', 'get', 'timeout'], { env: { DTM_REQUEST_TIMEOUT: undefined } });
    expect(got.stdout.trim()).toBe('10s');

    const unknown = await box.run(['config', 'unset', 'colour']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown setting "colour"');
  });
});
