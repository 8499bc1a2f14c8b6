import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AutoCredentialStore, FileCredentialStore, KeychainCredentialStore, describeExpiry, humanSpan, maskToken, notLoggedIn, tokenExpiry } from '../../src/lib/credentials.js';
import { describeError } from '../../src/lib/describe-error.js';

describe('maskToken', () => {
  it.each([
    { given: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.sig-X9k2', want: 'eyJh…X9k2' },
    { given: '0123456789abcdef', want: '0123…cdef' },
    { given: '0123456789', want: '01…89' },
    { given: 'abcdefg', want: 'a…g' },
    { given: 'abc', want: '…' },
    { given: '', want: '…' },
  ])('$given → $want', ({ given, want }) => {
    expect(maskToken(given)).toBe(want);
  });

  it('never shows more than 8 characters of a token, nor more than half of it', () => {
    for (const length of [1, 5, 8, 15, 16, 17, 64, 400]) {
      const token = 'x'.repeat(length);
      const shown = maskToken(token).replace('…', '').length;
      expect(shown).toBeLessThanOrEqual(Math.min(8, length / 2));
    }
  });
});

describe('tokenExpiry', () => {
  const jwt = (claims: object): string => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

  it('prefers the stored expiresAt', () => {
    expect(tokenExpiry({ accessToken: jwt({ exp: 1 }), expiresAt: 5000 })).toBe(5000);
  });

  it("reads a JWT's exp claim when nothing is stored (DTM_TOKEN)", () => {
    expect(tokenExpiry({ accessToken: jwt({ sub: 'demo', exp: 1_700_000_000 }) })).toBe(1_700_000_000_000);
  });

  it.each(['opaque-token', 'a.!!!.c', jwt({ exp: 'soon' }), jwt({})])('is undefined for %s', (accessToken) => {
    expect(tokenExpiry({ accessToken })).toBeUndefined();
  });
});

describe('describeExpiry', () => {
  const now = Date.parse('2025-01-10T12:00:00Z');
  it.each([
    { inMs: 12 * 60_000, want: 'expires in 12 min' },
    { inMs: 40_000, want: 'expires in 40 s' },
    { inMs: (3 * 60 + 5) * 60_000, want: 'expires in 3 h 5 min' },
    { inMs: 7 * 86_400_000, want: 'expires in 7 d' },
    { inMs: -3 * 60_000, want: 'expired 3 min ago' },
  ])('$inMs ms from now → $want', ({ inMs, want }) => {
    expect(describeExpiry(now + inMs, now)).toBe(want);
  });

  it('spells spans', () => {
    expect(humanSpan(0)).toBe('0 s');
    expect(humanSpan(2 * 3_600_000)).toBe('2 h');
    expect(humanSpan(26 * 3_600_000)).toBe('1 d 2 h');
  });
});

describe('notLoggedIn', () => {
  it('is exit code 4 with a hint to log in', () => {
    const error = notLoggedIn('http://127.0.0.1:8000');
    expect(error.exitCode).toBe(4);
    expect(error.message).toBe('Not logged in to http://127.0.0.1:8000.');
    expect(error.hint).toContain('dtm auth login');
  });
});

describe('FileCredentialStore', () => {
  it('keeps tokens per API URL in a 0600 file, in a 0700 dir of the given config dir', async () => {
    const home = await mkdtemp(join(tmpdir(), 'dtm-credentials-'));
    try {
      const env = { DTM_CONFIG_DIR: join(home, 'config') };
      const one = new FileCredentialStore('http://one', env);
      const two = new FileCredentialStore('http://two', env);
      await one.set({ accessToken: 'a1', refreshToken: 'r1' });
      await two.set({ accessToken: 'a2' });
      expect(await one.get()).toEqual({ accessToken: 'a1', refreshToken: 'r1' });
      expect((await stat(join(home, 'config', 'credentials.json'))).mode & 0o777).toBe(0o600);
      expect((await stat(join(home, 'config'))).mode & 0o777).toBe(0o700);
      await one.clear();
      expect(await one.get()).toBeUndefined();
      expect(await two.get()).toEqual({ accessToken: 'a2' });
      await two.clear();
      await expect(stat(join(home, 'config', 'credentials.json'))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('KeychainCredentialStore on a machine whose keychain refuses access', () => {
  // What @napi-rs/keyring throws on a headless Linux: the Secret Service is not on D-Bus.
  const refusing = {
    getPassword(): string {
      throw new Error("Couldn't access platform storage: AccessDenied");
    },
    setPassword(): void {
      throw new Error("Couldn't access platform storage: AccessDenied");
    },
    deletePassword(): boolean {
      throw new Error('No matching entry found in secure storage');
    },
  };

  it('fails with an error that names `dtm config set credential-store file`', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dtm-keychain-'));
    try {
      const keychain = new KeychainCredentialStore(refusing, join(dir, 'lock'));
      for (const use of [() => keychain.get(), () => { keychain.set({ accessToken: 't' }); }]) {
        const described = describeError(catching(use));
        expect(described.message).toBe("The OS keychain cannot be used (Couldn't access platform storage: AccessDenied).");
        expect(described.hint).toContain('dtm config set credential-store file');
      }
      expect(() => { keychain.clear(); }).not.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('credential-store auto falls back to the file, as before', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dtm-keychain-'));
    try {
      const env = { DTM_CONFIG_DIR: dir };
      const auto = new AutoCredentialStore(new KeychainCredentialStore(refusing, join(dir, 'lock')), new FileCredentialStore('http://x', env));
      await auto.set({ accessToken: 'kept' });
      expect(auto.kind).toBe('file');
      expect(await auto.get()).toEqual({ accessToken: 'kept' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function catching(use: () => unknown): unknown {
  try {
    use();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}
