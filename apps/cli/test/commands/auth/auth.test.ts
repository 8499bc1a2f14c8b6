import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Result, type Sandbox, sandbox } from '../../harness.js';

interface StoredTokens {
  accessToken: string;
  refreshToken?: string;
  expiresAt?: number;
}

async function storedTokens(box: Sandbox): Promise<StoredTokens | undefined> {
  const path = join(box.configDir, 'credentials.json');
  if (!existsSync(path)) return undefined;
  return (JSON.parse(await readFile(path, 'utf8')) as Record<string, StoredTokens>)[box.url];
}

async function me(box: Sandbox, token: string): Promise<{ status: number; username?: string }> {
  const response = await fetch(`${box.url}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, ...((await response.json()) as { username?: string }) };
}

const masked = (token: string): string => `${token.slice(0, 4)}…${token.slice(-4)}`;

describe('dtm auth: a whole session, and no secret in any output', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox({ tasks: 5 });
  });
  afterAll(async () => {
    await box.stop();
  });

  it('login → status → refresh → token → logout → status, with --debug everywhere', async () => {
    /** Every output that must not hold a secret. */
    const outputs: [string, Result][] = [];
    const secrets = new Set<string>([box.password]);
    const run = async (args: string[], options?: Parameters<Sandbox['run']>[1]): Promise<Result> => {
      const result = await box.run([...args, '--debug'], options);
      outputs.push([args.join(' '), result]);
      return result;
    };
    const remember = async (): Promise<StoredTokens> => {
      const tokens = await storedTokens(box);
      if (!tokens) throw new Error('no tokens stored');
      secrets.add(tokens.accessToken);
      if (tokens.refreshToken) secrets.add(tokens.refreshToken);
      return tokens;
    };

    const login = await run(['auth', 'login', '--username', box.username, '--password-stdin'], { stdin: `${box.password}\n` });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(/Logged in to .* as demo; the access token expires in 15 min/);
    const first = await remember();
    expect(first.refreshToken).toBeDefined();
    // The token file is 0600 in a 0700 config dir.
    expect((await stat(join(box.configDir, 'credentials.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(box.configDir)).mode & 0o777).toBe(0o700);

    // A config file exists too, so it is part of the check.
    const [config, list, status, statusJson] = await Promise.all([
      run(['config', 'set', 'auth-timeout', '4s']),
      run(['task', 'list', '--limit', '2']),
      run(['auth', 'status']),
      run(['auth', 'status', '--json']),
    ]);
    expect([config.code, list.code]).toEqual([0, 0]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^user +demo$/m);
    expect(status.stdout).toContain(masked(first.accessToken));
    expect(status.stdout).toMatch(/expires in 1[45] min/);
    expect(status.stdout).toContain('credentials.json (mode 0600)');
    expect(JSON.parse(statusJson.stdout)).toMatchObject({
      logged_in: true,
      verified: true,
      username: 'demo',
      api_url: box.url,
      expires_at: new Date(first.expiresAt ?? 0).toISOString(),
      stored_in: `file ${join(box.configDir, 'credentials.json')} (mode 0600)`,
      token: masked(first.accessToken),
    });

    const refresh = await run(['auth', 'refresh']);
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(refresh.stdout).toMatch(/new access token expires in 15 min/);
    const second = await remember();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);

    // Not a terminal: `auth token` prints the token, and the token works.
    const token = await box.run(['auth', 'token', '--debug']);
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout).toBe(`${second.accessToken}\n`);
    outputs.push(['auth token (stderr only)', { ...token, stdout: '' }]);
    expect(await me(box, token.stdout.trim())).toMatchObject({ status: 200, username: 'demo' });

    const [performance, health] = await Promise.all([run(['status', 'performance']), run(['status', 'health'])]);
    expect([performance.code, health.code]).toEqual([0, 0]);

    const logout = await run(['auth', 'logout']);
    expect(logout.code, logout.stderr).toBe(0);
    expect(logout.stdout).toContain('Logged out of');
    expect(await storedTokens(box)).toBeUndefined();
    // The session is revoked on the server: its refresh token no longer works.
    const reuse = await fetch(`${box.url}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: second.refreshToken }),
    });
    expect(reuse.status).toBe(401);

    const [after, afterJson] = await Promise.all([run(['auth', 'status']), run(['auth', 'status', '--json'])]);
    expect(after.code).toBe(4);
    expect(after.stderr).toContain(`Not logged in to ${box.url}.`);
    expect(after.stderr).toContain('dtm auth login');
    expect(afterJson.code).toBe(4);
    expect(JSON.parse(afterJson.stdout)).toMatchObject({ logged_in: false, username: null, token: null });

    // REDACTION: no password or token in any output, nor in the metrics log or the config file.
    const files = [join(box.dataDir, 'metrics.ndjson'), join(box.configDir, 'config.json')];
    const texts: [string, string][] = outputs.flatMap(([name, result]): [string, string][] => [
      [`${name} stdout`, result.stdout],
      [`${name} stderr`, result.stderr],
    ]);
    for (const file of files) texts.push([file, await readFile(file, 'utf8')]);
    expect(outputs.some(([, result]) => result.stderr.includes('debug: POST login'))).toBe(true);
    expect(texts.find(([name]) => name.endsWith('metrics.ndjson'))?.[1]).toContain('"operation":"refreshToken"');
    expect(secrets.size).toBe(5); // the password, two access tokens, two refresh tokens
    for (const secret of secrets) {
      // The whole secret, and its last 12 characters (a JWT's signature, a refresh token's tail).
      for (const needle of [secret, secret.slice(-12)]) {
        for (const [name, text] of texts) expect(text.includes(needle), `a secret is in ${name}`).toBe(false);
      }
    }
  });

  it('DTM_TOKEN overrides the stored login; it cannot be refreshed or logged out', async () => {
    await box.login();
    const stored = await storedTokens(box);
    const other = await box.run(['auth', 'token']);
    expect(other.stdout.trim()).toBe(stored?.accessToken);
    // Log in again for a second, different token to put in DTM_TOKEN.
    await box.login();
    const fromEnv = (await storedTokens(box))?.accessToken ?? '';
    expect(fromEnv).not.toBe(stored?.accessToken);
    const env = { DTM_TOKEN: fromEnv, DTM_CONFIG_DIR: `${box.configDir}-none` };

    const [status, text, printed, refused] = await Promise.all([
      box.json<Record<string, unknown>>(['auth', 'status'], { env }),
      box.run(['auth', 'status'], { env }),
      box.run(['auth', 'token'], { env }),
      box.run(['auth', 'status'], { env: { DTM_TOKEN: 'not-a-token' } }),
    ]);
    expect(status).toMatchObject({ logged_in: true, username: 'demo', stored_in: 'environment variable DTM_TOKEN', token: masked(fromEnv) });
    expect(status.expires_at).toMatch(/^\d{4}-/); // from the JWT's exp claim
    expect(text.stdout).toContain('environment variable DTM_TOKEN');
    expect(text.stdout + text.stderr).not.toContain(fromEnv);
    expect(printed.stdout).toBe(`${fromEnv}\n`);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('The token in DTM_TOKEN is refused');
    const [refresh, logout, login] = await Promise.all([
      box.run(['auth', 'refresh'], { env }),
      box.run(['auth', 'logout'], { env }),
      box.run(['auth', 'login', '--username', 'demo', '--password-stdin'], { env, stdin: box.password }),
    ]);
    expect([refresh.code, logout.code, login.code]).toEqual([1, 1, 1]);
    expect(refresh.stderr).toContain('DTM_TOKEN');
    expect(logout.stderr).toContain('DTM_TOKEN');
    expect(login.stderr).toContain('DTM_TOKEN is set');
    // The stored login is untouched.
    expect((await storedTokens(box))?.accessToken).toBe(fromEnv);
  });

  it('a wrong password exits 4 with a clear message and echoes nothing', async () => {
    const wrong = 'wrong-password-123';
    const result = await box.run(['auth', 'login', '--username', 'demo', '--password-stdin', '--debug'], { stdin: wrong });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`Error: Login to ${box.url} as demo failed: Wrong username or password.`);
    expect(result.stderr).toContain('Hint: Check the username and password');
    expect(result.stdout + result.stderr).not.toContain(wrong);
    const json = await box.run(['auth', 'login', '--username', 'demo', '--password-stdin', '--json'], { stdin: wrong });
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'login_failed' } });
  });

  it('logout deletes the tokens even when the server is unreachable, and says so', async () => {
    await box.login();
    await box.server.setFaults({ down: true });
    try {
      // In the user's words: no SDK call name (getCurrentUser, logout) in front.
      const status = await box.run(['auth', 'status']);
      expect(status.code).toBe(1);
      expect(status.stderr).toMatch(/^Error: Cannot reach the DTM API at /m);
      expect(status.stderr).not.toMatch(/getCurrentUser/);
      const result = await box.run(['auth', 'logout']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/Warning: The session was not revoked on the server: the server could not be reached \(Cannot reach the DTM API at /);
      expect(result.stdout).toContain('Logged out of');
      expect(await storedTokens(box)).toBeUndefined();
      const again = await box.run(['auth', 'logout', '--json']);
      expect(JSON.parse(again.stdout)).toMatchObject({ logged_out: true, revoked: false });
    } finally {
      await box.server.setFaults({ down: false });
    }
  });
});

describe('dtm auth token: renews a token about to expire', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox({ tasks: 0, accessTokenTtlSeconds: 10 });
    await box.login();
  });
  afterAll(async () => {
    await box.stop();
  });

  it('prints a fresh token when the stored one expires within 30 s', async () => {
    const before = await storedTokens(box);
    const status = await box.run(['auth', 'status']);
    expect(status.stdout).toMatch(/expires in \d+ s/);
    const result = await box.run(['auth', 'token']);
    expect(result.code, result.stderr).toBe(0);
    const after = await storedTokens(box);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(result.stdout).toBe(`${after?.accessToken ?? ''}\n`);
  });
});

describe('dtm auth status --verbose', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox();
    await box.login();
  });
  afterAll(async () => {
    await box.stop();
  });

  it('adds when the tokens were issued and expire (from the JWT claims), the user, roles and the credential store; never a token', async () => {
    const tokens = await storedTokens(box);
    if (tokens === undefined) throw new Error('no stored tokens after login');
    const claims = JSON.parse(Buffer.from(tokens.accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number; iat: number };
    const [text, json, plain] = await Promise.all([
      box.run(['auth', 'status', '--verbose']),
      box.json<Record<string, unknown>>(['auth', 'status', '--verbose']),
      box.json<Record<string, unknown>>(['auth', 'status']),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^user +demo/m);
    expect(text.stdout).toMatch(/^roles +\S/m);
    expect(text.stdout).toContain(`issued            ${new Date(claims.iat * 1000).toISOString()}`);
    expect(text.stdout).toContain(`token expires     ${new Date(claims.exp * 1000).toISOString()}`);
    expect(text.stdout).toMatch(/^refresh expires +\d{4}-\d{2}-\d{2}T/m);
    expect(text.stdout).toMatch(/^credential store +file \(setting credential-store: file\)$/m);
    expect(json).toMatchObject({
      username: 'demo',
      access_token: { issued_at: new Date(claims.iat * 1000).toISOString(), expires_at: new Date(claims.exp * 1000).toISOString(), subject: 'demo' },
      refresh_token: { present: true, expires_at: expect.stringMatching(/^\d{4}-/) as string },
      credential_store: { setting: 'file', in_use: 'file' },
    });
    expect(plain).not.toHaveProperty('access_token');
    for (const output of [text.stdout, text.stderr, JSON.stringify(json)]) {
      expect(output).not.toContain(tokens.accessToken);
      expect(output).not.toContain(tokens.refreshToken ?? 'no refresh token');
    }
  });
});
