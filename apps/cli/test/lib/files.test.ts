import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../src/lib/files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dtm-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomically', () => {
  it('replaces the file whole and clears temporaries left by killed processes, not live ones', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const dead = child.pid ?? 0;
    await new Promise((resolve) => child.once('exit', resolve));
    await writeFile(join(dir, `.tasks.csv.${dead}.1.tmp`), 'half');
    await writeFile(join(dir, `.tasks.csv.${process.ppid}.2.tmp`), 'busy');
    await writeFile(join(dir, `.projects.csv.${dead}.3.tmp`), 'other file');
    writeFileAtomically(join(dir, 'tasks.csv'), 'new');
    expect(await readFile(join(dir, 'tasks.csv'), 'utf8')).toBe('new');
    expect((await readdir(dir)).sort()).toEqual([`.projects.csv.${dead}.3.tmp`, `.tasks.csv.${process.ppid}.2.tmp`, 'tasks.csv']);
  });
});
