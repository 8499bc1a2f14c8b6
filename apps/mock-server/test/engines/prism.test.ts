import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startPrism } from '../../src/engines/prism.js';

const watchdog = fileURLToPath(new URL('../../src/engines/watchdog.cjs', import.meta.url));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('startPrism', () => {
  it('starts on a free port, answers, and is gone after stop()', async () => {
    const prism = await startPrism();
    const response = await fetch(`${prism.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });

    await prism.stop();
    await expect(fetch(`${prism.url}/health`)).rejects.toThrow();
    await prism.stop();
  });

  it('fails with Prism\'s own message when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(startPrism({ port, readyTimeoutMs: 20_000 })).rejects.toThrow(/did not start/);
    } finally {
      blocker.close();
    }
  });

  it('needs an upstream in proxy mode', async () => {
    await expect(startPrism({ mode: 'proxy' })).rejects.toThrow(/upstream/);
  });
});

describe('watchdog', () => {
  it('stops the command when the parent process is killed with SIGKILL', async () => {
    // The parent starts the watchdog the way startPrism does, prints the child's pid, then hangs.
    // (process.stdout.write, not console.log: under FORCE_COLOR console.log colours a number.)
    const parentScript = `
      const { spawn } = require('node:child_process');
      const watched = spawn(process.execPath, [${JSON.stringify(watchdog)}, process.execPath, '-e',
        'process.stdout.write(String(process.pid)); setInterval(() => {}, 1000)'], { stdio: ['pipe', 'pipe', 'inherit'] });
      watched.stdout.on('data', (chunk) => process.stdout.write(chunk));
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    const grandchild = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (chunk: Buffer) => {
        resolve(Number(chunk.toString().trim()));
      });
      parent.once('exit', () => {
        reject(new Error('parent exited early'));
      });
    });
    expect(isAlive(grandchild)).toBe(true);

    parent.kill('SIGKILL');
    expect(await waitFor(() => !isAlive(grandchild), 5000)).toBe(true);
  });
});
