// Auth.snapshot()/restore(): what a data file keeps of the logins. Refresh tokens only as
// digests; expired ones, and sessions left without a live one, are not kept.
import { describe, expect, it } from 'vitest';
import { Auth } from '../../src/engines/stateful/auth.js';
import { Clock } from './harness.js';

const secret = new TextEncoder().encode('snapshot-test-secret');
const users = [{ username: 'ada', password: 'ada-password' }];

function authAt(clock: Clock): Auth {
  return new Auth({ users, accessTtlSeconds: 60, refreshTtlSeconds: 3600, secret, now: clock.now });
}

describe('Auth snapshot', () => {
  it('a restored Auth refreshes, rotates and verifies what the first one issued', async () => {
    const clock = new Clock('2026-05-01T10:00:00Z');
    const first = authAt(clock);
    const tokens = await first.login('ada', 'ada-password');
    const snapshot = first.snapshot();
    expect(JSON.stringify(snapshot)).not.toContain(tokens.refresh_token);

    const second = authAt(clock);
    second.restore(snapshot);
    expect((await second.authenticate(`Bearer ${tokens.access_token}`)).username).toBe('ada');
    const renewed = await second.refresh(tokens.refresh_token);
    await expect(second.refresh(tokens.refresh_token)).rejects.toMatchObject({ status: 401 });
    // Reuse revoked the session: the renewed token is refused too.
    await expect(second.refresh(renewed.refresh_token)).rejects.toMatchObject({ status: 401 });
  });

  it('leaves out expired refresh tokens and the sessions they leave empty', async () => {
    const clock = new Clock('2026-05-01T10:00:00Z');
    const auth = authAt(clock);
    await auth.login('ada', 'ada-password');
    clock.advance(1800);
    const live = await auth.login('ada', 'ada-password');
    clock.advance(1801);
    const snapshot = auth.snapshot();
    expect(snapshot.sessions).toHaveLength(1);
    expect(snapshot.refreshTokens).toHaveLength(1);

    const restored = authAt(clock);
    restored.restore(snapshot);
    await expect(restored.refresh(live.refresh_token)).resolves.toMatchObject({ token_type: 'bearer' });
  });

  it('reports each change of the logins, so they are saved', async () => {
    const auth = authAt(new Clock('2026-05-01T10:00:00Z'));
    let changes = 0;
    auth.onChange = () => {
      changes++;
    };
    const tokens = await auth.login('ada', 'ada-password');
    const renewed = await auth.refresh(tokens.refresh_token);
    auth.logout(renewed.refresh_token, 'ada');
    expect(changes).toBe(3);
  });
});
