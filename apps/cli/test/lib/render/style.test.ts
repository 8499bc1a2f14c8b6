import { afterEach, describe, expect, it, vi } from 'vitest';

// picocolors decides its own default at import time (on when CI is set), so import afresh under a CI-like environment.
async function loadStyle() {
  vi.resetModules();
  vi.stubEnv('CI', '1');
  vi.stubEnv('FORCE_COLOR', undefined);
  return import('../../../src/lib/render/style.js');
}

const pipe = { isTTY: undefined } as unknown as NodeJS.WriteStream;
const tty = { isTTY: true } as unknown as NodeJS.WriteStream;

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('colorsFor', () => {
  it('is plain on a pipe even where CI is set', async () => {
    const { colorsFor } = await loadStyle();
    const colors = colorsFor(pipe, false, {});
    expect(colors.isColorSupported).toBe(false);
    expect(colors.red('Error:')).toBe('Error:');
  });

  it('colours a terminal unless NO_COLOR, --no-color or TERM=dumb; FORCE_COLOR colours a pipe', async () => {
    const { colorsFor } = await loadStyle();
    expect(colorsFor(tty, false, {}).isColorSupported).toBe(true);
    expect(colorsFor(tty, false, { NO_COLOR: '1' }).isColorSupported).toBe(false);
    expect(colorsFor(tty, true, {}).isColorSupported).toBe(false);
    expect(colorsFor(tty, false, { TERM: 'dumb' }).isColorSupported).toBe(false);
    expect(colorsFor(pipe, false, { FORCE_COLOR: '1' }).isColorSupported).toBe(true);
    expect(colorsFor(pipe, false, { FORCE_COLOR: '0' }).isColorSupported).toBe(false);
  });

  it('CLICOLOR=0 turns a terminal plain; CLICOLOR_FORCE=1 colours a pipe; NO_COLOR and --no-color win over forcing', async () => {
    const { colorsFor } = await loadStyle();
    expect(colorsFor(tty, false, { CLICOLOR: '0' }).isColorSupported).toBe(false);
    expect(colorsFor(tty, false, { CLICOLOR: '1' }).isColorSupported).toBe(true);
    expect(colorsFor(pipe, false, { CLICOLOR_FORCE: '1' }).isColorSupported).toBe(true);
    expect(colorsFor(pipe, false, { CLICOLOR_FORCE: '0' }).isColorSupported).toBe(false);
    expect(colorsFor(tty, false, { CLICOLOR: '0', CLICOLOR_FORCE: '1' }).isColorSupported).toBe(true);
    expect(colorsFor(pipe, false, { NO_COLOR: '1', CLICOLOR_FORCE: '1' }).isColorSupported).toBe(false);
    expect(colorsFor(pipe, true, { FORCE_COLOR: '1' }).isColorSupported).toBe(false);
  });
});
