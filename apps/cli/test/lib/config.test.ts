import { describe, expect, it } from 'vitest';
import { checkSetting, checkSettingName, durationMs, resolveAll, resolveSetting } from '../../src/lib/config.js';

const usage = expect.objectContaining({ exitCode: 2 }) as Error;

describe('resolveSetting: flag > env > config file > default', () => {
  const env = { DTM_API_URL: 'http://env:1', DTM_CONFIG_DIR: '/tmp/dtm-test-config' };
  const file = { 'api-url': 'http://file:1', timeout: '3s' };

  it.each([
    { flag: 'http://flag:1', env, file, want: { value: 'http://flag:1', source: 'flag' } },
    { flag: undefined, env, file, want: { value: 'http://env:1', source: 'env' } },
    { flag: undefined, env: { DTM_API_URL: '' }, file, want: { value: 'http://file:1', source: 'config' } },
    { flag: undefined, env: {}, file: {}, want: { value: 'http://127.0.0.1:8000', source: 'default' } },
  ])('api-url from $want.source', ({ flag, env: given, file: inFile, want }) => {
    expect(resolveSetting('api-url', flag, inFile, given)).toEqual(want);
  });

  it('names where a bad value comes from', () => {
    expect(() => resolveSetting('timeout', undefined, {}, { DTM_REQUEST_TIMEOUT: 'soon' })).toThrow(/DTM_REQUEST_TIMEOUT must be a duration/);
    expect(() => resolveSetting('timeout', undefined, { timeout: '0s' }, { DTM_CONFIG_DIR: '/x' })).toThrow(/timeout in \/x\/config.json/);
  });
});

describe('resolveAll', () => {
  it('lists every setting with its value, source, env variable and default', () => {
    const reports = resolveAll({ timeout: '9s' }, { 'auth-timeout': '2s' }, { DTM_FALLBACK_ENABLED: 'false' });
    expect(reports.map(({ key, value, source }) => [key, value, source])).toEqual([
      ['api-url', 'http://127.0.0.1:8000', 'default'],
      ['timeout', '9s', 'flag'],
      ['auth-timeout', '2s', 'config'],
      ['fallback-enabled', 'false', 'env'],
      ['credential-store', 'auto', 'default'],
    ]);
    expect(reports[0]).toMatchObject({ env: 'DTM_API_URL', default: 'http://127.0.0.1:8000' });
  });
});

describe('checks', () => {
  it.each([
    ['api-url', 'ftp://x'],
    ['api-url', 'not a url'],
    ['timeout', 'abc'],
    ['timeout', '0'],
    ['fallback-enabled', 'yes'],
    ['credential-store', 'vault'],
  ])('%s=%s is a usage error', (name, value) => {
    expect(() => {
      checkSetting(name, value, name);
    }).toThrow(usage);
  });

  it('knows the setting names', () => {
    expect(checkSettingName('timeout')).toBe('timeout');
    expect(() => checkSettingName('colour')).toThrow(usage);
  });
});

describe('durationMs', () => {
  it.each([
    { given: '10', want: 10_000 },
    { given: '1.5s', want: 1500 },
    { given: '500ms', want: 500 },
    { given: '5m', want: 300_000 },
    { given: '1h', want: 3_600_000 },
    { given: ' 2 h ', want: 7_200_000 },
  ])('$given → $want ms', ({ given, want }) => {
    expect(durationMs(given)).toBe(want);
  });

  it.each(['soon', '', '1d', '-5s', '1h30m'])('"%s" is none (NaN)', (given) => {
    expect(durationMs(given)).toBeNaN();
  });
});
