import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project, Sprint, Task } from '@dtm/sdk';
import {
  artifactLine,
  claimFor,
  deserialize,
  fileOf,
  ownerOf,
  readCollection,
  remove,
  replaceAll,
  serialize,
  upsert,
} from '../../../src/lib/offline/local-copy.js';
import { makeTask } from '../../fixtures.js';

function task(id: string, changes: Partial<Task> = {}): Task {
  return makeTask(id, { updated_at: '2026-01-02T00:00:00Z', ...changes });
}

const at = new Date('2026-11-23T10:00:00.000Z');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dtm-local-copy-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the local copy', () => {
  it('starts with the three ### lines, then a header row of the fields', () => {
    const text = serialize('tasks', [task('TASK-000002'), task('TASK-000001')], at);
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      artifactLine,
      '### Last Sync: 2026-11-23T10:00:00.000Z',
      '### Source: DTM API (2 records)',
      'id,title,description,status,priority,project_id,sprint_id,assignee,tags,due_date,estimate_hours,completed_at,completion_notes,created_at,updated_at,version',
    ]);
    expect(lines[4]?.startsWith('TASK-000001,')).toBe(true);
  });

  it('round-trips commas, quotes, newlines, tags and typed numbers exactly', () => {
    const tricky = task('TASK-000007', {
      title: 'Fix "login", then\nship it,\r\n  twice  ',
      description: 'line one\nline "two", and ;semicolons;',
      tags: ['bug', 'front-end'],
      estimate_hours: 2.5,
      version: 12,
      assignee: 'alice',
      due_date: '2026-12-01',
      completion_notes: '=SUM(A1:A2)',
    });
    const plain = task('TASK-000008', { estimate_hours: 0 });
    const read = deserialize('tasks', serialize('tasks', [tricky, plain], at));
    expect(read.records).toEqual([tricky, plain]);
    expect(read.lastSync).toBe('2026-11-23T10:00:00.000Z');
  });

  it("reads null and '' back as null for nullable fields (they are not told apart)", () => {
    const read = deserialize('tasks', serialize('tasks', [task('TASK-000001', { description: '' })], at));
    expect(read.records[0]?.description).toBeNull();
  });

  it('keeps projects and sprints with their own fields', () => {
    const project: Project = {
      id: 'PRJ-001',
      name: 'Web, "new"',
      description: null,
      status: 'active',
      owner: 'demo',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      version: 3,
    };
    const sprint: Sprint = {
      id: 'SPR-001',
      name: 'One',
      project_id: 'PRJ-001',
      goal: 'Ship\nit',
      status: 'planned',
      start_date: '2026-01-05',
      end_date: '2026-01-18',
      started_at: null,
      completed_at: null,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      version: 1,
    };
    expect(deserialize('projects', serialize('projects', [project], at)).records).toEqual([project]);
    expect(deserialize('sprints', serialize('sprints', [sprint], at)).records).toEqual([sprint]);
  });

  it('upsert, remove and replaceAll keep the file sorted by id, written atomically', async () => {
    const options = { dir, now: () => at };
    expect(await readCollection('tasks', options)).toBeUndefined();
    await upsert('tasks', [task('TASK-000003'), task('TASK-000001')], options);
    await upsert('tasks', [task('TASK-000002'), task('TASK-000003', { title: 'changed', version: 2 })], options);
    let read = await readCollection('tasks', options);
    expect(read?.records.map((record) => [record.id, record.version])).toEqual([
      ['TASK-000001', 1],
      ['TASK-000002', 1],
      ['TASK-000003', 2],
    ]);
    await remove('tasks', ['TASK-000002', 'TASK-999999'], options);
    read = await readCollection('tasks', options);
    expect(read?.records.map((record) => record.id)).toEqual(['TASK-000001', 'TASK-000003']);
    await replaceAll('tasks', [task('TASK-000009')], options);
    expect((await readFile(fileOf('tasks', dir), 'utf8')).split('\n')[2]).toBe('### Source: DTM API (1 records)');
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('an upsert of records the file already holds only moves its Last Sync time', async () => {
    const first = new Date('2026-01-05T00:00:00.000Z');
    const later = new Date('2026-01-06T00:00:00.000Z');
    const records = [task('TASK-000001', { title: 'a, "b"\nc' }), task('TASK-000002', { description: '' })];
    await upsert('tasks', records, { dir, now: () => first });
    const before = await readFile(fileOf('tasks', dir), 'utf8');
    await upsert('tasks', [records[1] as Task], { dir, now: () => later });
    const after = await readFile(fileOf('tasks', dir), 'utf8');
    expect(after).toBe(before.replace('### Last Sync: 2026-01-05T00:00:00.000Z', '### Last Sync: 2026-01-06T00:00:00.000Z'));
    expect((await readCollection('tasks', { dir }))?.lastSync).toBe(later.toISOString());
    await upsert('tasks', [task('TASK-000002', { version: 2 })], { dir, now: () => later });
    expect((await readCollection('tasks', { dir }))?.records.map((record) => record.version)).toEqual([1, 2]);
  });

  it('refuses a file whose header or record count is wrong', async () => {
    await writeFile(fileOf('tasks', dir), 'id,title\nTASK-000001,x\n');
    await expect(readCollection('tasks', { dir })).rejects.toThrow(/### header lines/);
    const text = serialize('tasks', [task('TASK-000001')], at).replace('(1 records)', '(2 records)');
    expect(() => deserialize('tasks', text)).toThrow(/says 2 records but holds 1/);
  });

  it('belongs to one API: claiming it for another deletes the old copy', async () => {
    await claimFor('http://a.test', { dir });
    await upsert('tasks', [task('TASK-000001')], { dir });
    await claimFor('http://a.test', { dir });
    expect(await readCollection('tasks', { dir })).toBeDefined();
    await claimFor('http://b.test', { dir });
    expect(await ownerOf({ dir })).toBe('http://b.test');
    expect(await readCollection('tasks', { dir })).toBeUndefined();
  });
});
