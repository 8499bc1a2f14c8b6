// Auth: login, /auth/me, every kind of bad access token, refresh rotation with reuse
// detection, expiry by the injected clock, logout, and the viewer role.
import { SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem, TokenPair, User } from '../../src/engines/stateful/types.js';
import { Api, type Answer, Clock, type RunningMockServer, expectProblem, login, start } from './harness.js';

const accessTtl = 900;
const refreshTtl = 3600;
const clock = new Clock('2026-03-02T09:00:00.000Z');
let server: RunningMockServer;
let anonymous: Api;

beforeAll(async () => {
  server = await start({ now: clock.now, accessTokenTtlSeconds: accessTtl, refreshTokenTtlSeconds: refreshTtl, jwtSecret: 'the-real-secret' });
  anonymous = new Api(server.url);
});

afterAll(async () => {
  await server.stop();
});

const me = (token: string): Promise<Answer> => new Api(server.url, token).get('/auth/me');
const refresh = (refreshToken: string): Promise<Answer> => anonymous.post('/auth/refresh', { refresh_token: refreshToken });

/** A 401 with a problem body and a Bearer challenge. */
function expectUnauthorized(answer: Answer): Problem {
  const problem = expectProblem(answer, 401);
  expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="dtm"/);
  return problem;
}

describe('login and /auth/me', () => {
  it('issues a token pair for the right password, and /auth/me names the user', async () => {
    const answer = await anonymous.post('/auth/login', { username: 'admin', password: 'admin-password' });
    expect(answer.status, answer.text).toBe(200);
    const tokens = answer.body as TokenPair;
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: accessTtl, refresh_expires_in: refreshTtl });
    expect(tokens.access_token.split('.')).toHaveLength(3);
    expect(tokens.refresh_token).not.toBe(tokens.access_token);
    const claims = decodeJwt(tokens.access_token);
    expect(claims.sub).toBe('admin');
    expect(claims.exp).toBe(Math.floor(clock.now().getTime() / 1000) + accessTtl);

    const who = await me(tokens.access_token);
    expect(who.status, who.text).toBe(200);
    expect(who.body).toEqual({
      id: 'USR-001',
      username: 'admin',
      display_name: 'Ada Admin',
      email: 'admin@example.com',
      roles: ['admin'],
    } satisfies User);
    expect(((await me((await login(server, 'viewer', 'viewer-password')).access_token)).body as User).roles).toEqual(['viewer']);
  });

  it('answers 401 to a wrong password and to an unknown user alike, without saying which part was wrong', async () => {
    const wrongPassword = await anonymous.post('/auth/login', { username: 'admin', password: 'not-the-password' });
    const unknownUser = await anonymous.post('/auth/login', { username: 'mallory', password: 'admin-password' });
    const a = expectProblem(wrongPassword, 401);
    const b = expectProblem(unknownUser, 401);
    expect(a.detail).toBe(b.detail);
    expect(a.detail).not.toMatch(/password is|user(name)? (is|does)|unknown|not found|exist/i);
    expect(wrongPassword.headers.get('www-authenticate')).toBe(unknownUser.headers.get('www-authenticate'));
    expect(wrongPassword.text).not.toContain('mallory');
  });

  it('answers 422 to a login body that breaks the contract', async () => {
    expectProblem(await anonymous.post('/auth/login', { username: 'admin' }), 422);
  });
});

describe('bad access tokens', () => {
  it('answers 401 with WWW-Authenticate when the token is missing', async () => {
    const problem = expectUnauthorized(await anonymous.get('/auth/me'));
    expect(problem.detail).toMatch(/token/i);
    expectUnauthorized(await anonymous.get('/api/v1/tasks'));
  });

  it.each([
    ['a scheme other than Bearer', 'Basic YWRtaW46YWRtaW4tcGFzc3dvcmQ='],
    ['Bearer without a token', 'Bearer'],
    ['two tokens', 'Bearer a b'],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
  ])('answers 401 with WWW-Authenticate for %s', async (_name, header) => {
    const answer = await anonymous.get('/auth/me', { headers: { authorization: header } });
    expectUnauthorized(answer);
  });

  it('answers 401 to a token signed with another key, even with every claim right', async () => {
    const real = decodeJwt((await login(server, 'admin', 'admin-password')).access_token);
    const now = Math.floor(clock.now().getTime() / 1000);
    const forged = await new SignJWT({ sid: real.sid })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('admin')
      .setIssuer(String(real.iss))
      .setAudience(real.aud ?? '')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode('some-other-secret'));
    const problem = expectUnauthorized(await me(forged));
    expect(problem.detail).not.toMatch(/expired/i);
  });

  it('answers 401 to a token signed with the right key but another issuer', async () => {
    const now = Math.floor(clock.now().getTime() / 1000);
    const real = decodeJwt((await login(server, 'admin', 'admin-password')).access_token);
    const wrongIssuer = await new SignJWT({ sid: real.sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin')
      .setIssuer('someone-else')
      .setAudience(real.aud ?? '')
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode('the-real-secret'));
    expectUnauthorized(await me(wrongIssuer));
  });

  it('answers 401 once the access token is past its lifetime on the injected clock', async () => {
    const tokens = await login(server, 'admin', 'admin-password');
    expect((await me(tokens.access_token)).status).toBe(200);
    clock.advance(accessTtl - 5);
    expect((await me(tokens.access_token)).status).toBe(200);
    clock.advance(10);
    const answer = await me(tokens.access_token);
    expect(expectUnauthorized(answer).detail).toMatch(/expired/i);
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
    // The refresh token still works and gives a fresh access token.
    const renewed = await refresh(tokens.refresh_token);
    expect(renewed.status, renewed.text).toBe(200);
    expect((await me((renewed.body as TokenPair).access_token)).status).toBe(200);
  });
});

describe('refresh token rotation', () => {
  it('rotates: each refresh token works once; reusing an old one revokes the whole session', async () => {
    const first = await login(server, 'admin', 'admin-password');
    const second = await refresh(first.refresh_token);
    expect(second.status, second.text).toBe(200);
    const secondPair = second.body as TokenPair;
    expect(secondPair.refresh_token).not.toBe(first.refresh_token);
    expect((await me(secondPair.access_token)).status).toBe(200);

    const third = await refresh(secondPair.refresh_token);
    expect(third.status, third.text).toBe(200);
    const thirdPair = third.body as TokenPair;
    expect((await me(thirdPair.access_token)).status).toBe(200);

    // The first refresh token comes back: someone replayed it.
    const replay = await refresh(first.refresh_token);
    expectProblem(replay, 401);

    // The session can no longer be refreshed, not even with its newest refresh token. Its
    // access tokens are stateless and, as the contract says, valid until they expire.
    expectProblem(await refresh(thirdPair.refresh_token), 401);
    expect((await me(thirdPair.access_token)).status).toBe(200);

    // Other sessions of the same user are untouched.
    const other = await login(server, 'admin', 'admin-password');
    expect((await me(other.access_token)).status).toBe(200);
  });

  it('answers 401 to a refresh token that was never issued', async () => {
    expectProblem(await refresh('made-up-refresh-token'), 401);
  });

  it('answers 401 to a refresh token past its lifetime', async () => {
    const tokens = await login(server, 'admin', 'admin-password');
    clock.advance(refreshTtl + 1);
    const answer = await refresh(tokens.refresh_token);
    expect(expectProblem(answer, 401).detail).toMatch(/expired/i);
  });
});

describe('logout', () => {
  it('revokes the refresh token; the access token stays valid until it expires (the contract)', async () => {
    const tokens = await login(server, 'member', 'member-password');
    const api = new Api(server.url, tokens.access_token);
    const other = await login(server, 'member', 'member-password');
    expect((await api.get('/auth/me')).status).toBe(200);

    const answer = await api.post('/auth/logout', { refresh_token: tokens.refresh_token });
    expect(answer.status, answer.text).toBe(204);

    expectProblem(await refresh(tokens.refresh_token), 401);
    expect((await api.get('/auth/me')).status).toBe(200);
    // Another session of the same user stays.
    expect((await me(other.access_token)).status).toBe(200);
  });

  it('cannot revoke another user’s session', async () => {
    const victim = await login(server, 'admin', 'admin-password');
    const attacker = new Api(server.url, (await login(server, 'member', 'member-password')).access_token);
    expect((await attacker.post('/auth/logout', { refresh_token: victim.refresh_token })).status).toBe(204);
    expect((await me(victim.access_token)).status).toBe(200);
    expect((await refresh(victim.refresh_token)).status).toBe(200);
  });

  it('needs an access token', async () => {
    const tokens = await login(server, 'member', 'member-password');
    expectUnauthorized(await anonymous.post('/auth/logout', { refresh_token: tokens.refresh_token }));
    expect((await refresh(tokens.refresh_token)).status).toBe(200);
  });
});

describe('roles', () => {
  it('lets a viewer read but not write', async () => {
    const admin = new Api(server.url, (await login(server, 'admin', 'admin-password')).access_token);
    const task = await admin.createTask({ title: 'Read only for viewers' });
    const viewerTokens = await login(server, 'viewer', 'viewer-password');
    const viewer = new Api(server.url, viewerTokens.access_token);

    for (const path of ['/api/v1/tasks', `/api/v1/tasks/${task.id}`, `/api/v1/tasks/${task.id}/history`, '/api/v1/projects', '/api/v1/sprints']) {
      expect((await viewer.get(path)).status, path).toBe(200);
    }
    const exported = await viewer.get('/api/v1/tasks/export');
    expect(exported.status).toBe(200);

    const before = server.taskCount();
    const writes: [string, string, unknown][] = [
      ['POST', '/api/v1/tasks', { title: 'Viewer task' }],
      ['PATCH', `/api/v1/tasks/${task.id}`, { title: 'Viewer edit' }],
      ['DELETE', `/api/v1/tasks/${task.id}`, undefined],
      ['POST', `/api/v1/tasks/${task.id}/complete`, {}],
      ['POST', '/api/v1/tasks/bulk', { operations: [{ op: 'delete', id: task.id }] }],
      ['POST', '/api/v1/projects', { name: 'Viewer project' }],
      ['POST', '/api/v1/sprints/SPR-001/start', undefined],
    ];
    for (const [method, path, body] of writes) {
      const answer = await viewer.request(method, path, body === undefined ? {} : { body });
      expect(expectProblem(answer, 403).detail, `${method} ${path}`).toContain('viewer');
    }
    expect(server.taskCount()).toBe(before);
    expect(await admin.getTask(task.id)).toEqual(task);

    // Logging out is not a change of data: a viewer may.
    expect((await viewer.post('/auth/logout', { refresh_token: viewerTokens.refresh_token })).status).toBe(204);
  });

  it('lets a member write', async () => {
    const member = new Api(server.url, (await login(server, 'member', 'member-password')).access_token);
    expect((await member.post('/api/v1/tasks', { title: 'Member task' })).status).toBe(201);
  });
});
