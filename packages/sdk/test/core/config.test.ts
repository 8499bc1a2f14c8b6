import { describe, expect, it } from 'vitest';
import { DtmClient } from '../../src/client.js';
import { isLoopbackHost, normalizeBaseUrl, parseDuration } from '../../src/core/config.js';
import { ConfigurationError } from '../../src/core/errors.js';

describe('parseDuration', () => {
  it.each([
    ['10', 10_000],
    ['10s', 10_000],
    ['1.5s', 1_500],
    ['500ms', 500],
    ['2m', 120_000],
    [' 5 ', 5_000],
  ])('%s -> %i ms', (given, want) => {
    expect(parseDuration(given, 'X')).toBe(want);
  });

  it.each(['', 'abc', '-1', '0', '10h', '1e3'])('rejects "%s" with the variable name', (given) => {
    expect(() => parseDuration(given, 'DTM_REQUEST_TIMEOUT')).toThrow(/DTM_REQUEST_TIMEOUT must be/);
  });
});

describe('base URL', () => {
  it.each([
    ['http://127.0.0.1:8000/', 'http://127.0.0.1:8000'],
    ['https://dtm.example.test/base/', 'https://dtm.example.test/base'],
  ])('%s -> %s', (given, want) => {
    expect(normalizeBaseUrl(given, 'baseUrl')).toBe(want);
  });

  it.each(['not a url', 'ftp://x.test', 'http://x.test/?a=1'])('rejects %s', (given) => {
    expect(() => normalizeBaseUrl(given, 'DTM_API_URL')).toThrow(ConfigurationError);
  });

  it.each([
    ['http://alice:s3cret-pw@127.0.0.1:8000', 'http://[REDACTED]@127.0.0.1:8000'],
    ['https://tok_live_abcdef@dtm.example.test/base', 'https://[REDACTED]@dtm.example.test/base'],
    ['http://:s3cret-pw@127.0.0.1:8000', 'http://[REDACTED]@127.0.0.1:8000'],
    ['http//alice:s3cret-pw@ not a url', 'http//[REDACTED]@ not a url'],
  ])('refuses %s with credentials, never showing them (message, hint, toJSON)', (given, shown) => {
    for (const make of [() => new DtmClient({ baseUrl: given, env: {} }), () => new DtmClient({ env: { DTM_API_URL: given } })]) {
      let error: unknown;
      try {
        make();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      const everything = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
      expect(everything).toContain(shown);
      for (const secret of ['s3cret-pw', 'alice', 'tok_live_abcdef']) expect(everything).not.toContain(secret);
    }
  });

  it('shows neither the query nor the fragment of a refused URL (they may hold a token)', () => {
    expect(() => normalizeBaseUrl('http://x.test/api?access_token=tok_secret', 'baseUrl')).toThrow(/^baseUrl must not have a query or fragment: "http:\/\/x\.test\/api\?…"$/);
  });

  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['[::1]', true],
    ['api.localhost', true],
    ['10.0.0.1', false],
    ['dtm.example.test', false],
  ])('%s is loopback: %s', (host, want) => {
    expect(isLoopbackHost(host)).toBe(want);
  });
});

describe('client defaults', () => {
  it('reads DTM_API_URL and DTM_TOKEN, with options taking precedence', async () => {
    const fromEnv = new DtmClient({ env: { DTM_API_URL: 'http://localhost:9999/', DTM_TOKEN: 'env-token' } });
    expect(fromEnv.baseUrl).toBe('http://localhost:9999');
    expect(await fromEnv.tokenStore.get()).toEqual({ accessToken: 'env-token' });
    const fromOptions = new DtmClient({ baseUrl: 'http://127.0.0.1:1', env: { DTM_API_URL: 'http://localhost:9999' } });
    expect(fromOptions.baseUrl).toBe('http://127.0.0.1:1');
    expect(new DtmClient({ env: {} }).baseUrl).toBe('http://127.0.0.1:8000');
  });

  it('names the bad environment variable', () => {
    expect(() => new DtmClient({ env: { DTM_REQUEST_TIMEOUT: 'soon' } })).toThrow(/DTM_REQUEST_TIMEOUT must be a duration/);
    expect(() => new DtmClient({ env: { DTM_API_URL: 'nope' } })).toThrow(/DTM_API_URL is not a URL/);
  });
});
