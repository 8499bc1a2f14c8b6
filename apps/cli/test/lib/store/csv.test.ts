// The CSV format of the mirror (tasks.csv, projects.csv, sprints.csv) and of the CSV-era
// local copy: the three ### lines, a header row, RFC 4180 rows that read back exactly, and
// cells a spreadsheet would run as formulas prefixed with '.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Project, Sprint, Task } from '@dtm/sdk';
import { artifactLine, csvHeader, csvRows, parseCsv } from '../../../src/lib/store/csv.js';
import type { Kind, RecordOf } from '../../../src/lib/store/records.js';
import { makeTask } from '../../fixtures.js';

const at = '2026-11-23T10:00:00.000Z';

function file<K extends Kind>(kind: K, records: readonly RecordOf<K>[]): string {
  return csvHeader(kind, records.length, at) + csvRows(kind, records);
}

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

describe('the mirror’s CSV', () => {
  it('starts with the three ### lines, then a header row of the fields', () => {
    const lines = file('tasks', [makeTask('TASK-000001'), makeTask('TASK-000002')]).split('\n');
    expect(lines.slice(0, 4)).toEqual([
      artifactLine,
      '### Last Sync: 2026-11-23T10:00:00.000Z',
      '### Source: DTM API (2 records)',
      'id,title,description,status,priority,project_id,sprint_id,assignee,tags,due_date,estimate_hours,completed_at,completion_notes,created_at,updated_at,version',
    ]);
    expect(lines[4]?.startsWith('TASK-000001,')).toBe(true);
    expect(csvHeader('projects', 0, at).split('\n')[3]).toBe('id,name,description,status,owner,created_at,updated_at,version');
    expect(csvHeader('sprints', 0, at).split('\n')[3]).toBe('id,name,project_id,goal,status,start_date,end_date,started_at,completed_at,created_at,updated_at,version');
  });

  it('round-trips commas, quotes, newlines, unicode, tags and typed numbers exactly', () => {
    const tricky = makeTask('TASK-000007', {
      title: 'Fix "login", then\nship it,\r\n  twice  ',
      description: 'line one\nline "two", and ;semicolons; — Grüße ✓',
      tags: ['bug', 'front-end'],
      estimate_hours: 2.5,
      version: 12,
      assignee: 'alice',
      due_date: '2026-12-01',
      completion_notes: 'a=b, not a formula',
    });
    const plain = makeTask('TASK-000008', { estimate_hours: 0 });
    const read = parseCsv('tasks', file('tasks', [tricky, plain]));
    expect(read).toEqual({ records: [tricky, plain], lastSync: at, unreadable: [] });
  });

  it("reads null and '' back as null for nullable fields (they are not told apart)", () => {
    expect(parseCsv('tasks', file('tasks', [makeTask('TASK-000001', { description: '' })])).records[0]?.description).toBeNull();
  });

  it('keeps projects and sprints with their own fields', () => {
    expect(parseCsv('projects', file('projects', [project])).records).toEqual([project]);
    expect(parseCsv('sprints', file('sprints', [sprint])).records).toEqual([sprint]);
  });

  it.each([
    { given: '=HYPERLINK("http://x","y")', want: `'=HYPERLINK("http://x","y")` },
    { given: '+cmd', want: "'+cmd" },
    { given: '-2+3', want: "'-2+3" },
    { given: '@SUM(1+1)', want: "'@SUM(1+1)" },
    { given: '\t=1', want: "'\t=1" },
    { given: '\r=1', want: "'\r=1" },
    { given: '-2', want: '-2' },
    { given: 'safe = fine', want: 'safe = fine' },
  ])('a cell $given is written as $want (formula injection)', ({ given, want }) => {
    const text = file('tasks', [makeTask('TASK-000001', { title: given, description: given, assignee: given, tags: [given], completion_notes: given })]);
    const [header, row]: string[][] = parse(text.split('\n').slice(3).join('\n'), { relax_column_count: true });
    const cell = (field: string): string | undefined => row?.[header?.indexOf(field) ?? -1];
    for (const field of ['title', 'description', 'assignee', 'tags', 'completion_notes']) expect(cell(field), field).toBe(want);
    // Numbers and the id are never quoted.
    expect(cell('id')).toBe('TASK-000001');
    expect(cell('version')).toBe('1');
  });

  it('the formula guard covers projects and sprints too', () => {
    const text = file('projects', [{ ...project, name: '=cmd|"/c calc"!A1', description: '+1' }]) + file('sprints', [{ ...sprint, goal: '@evil' }]);
    expect(text).toContain(`"'=cmd|""/c calc""!A1"`);
    expect(text).toContain(",'+1,");
    expect(text).toContain(",'@evil,");
  });

  it('a damaged row is listed by its line, the others are read', () => {
    const text = file('tasks', [makeTask('TASK-000001'), makeTask('TASK-000002'), makeTask('TASK-000003')]);
    const lines = text.split('\n');
    lines[5] = 'TASK-000002,half a row';
    const read = parseCsv('tasks', lines.join('\n'));
    expect(read.records.map((task) => task.id)).toEqual(['TASK-000001', 'TASK-000003']);
    expect(read.unreadable).toEqual([3]);
    const badNumber = text.replace(/,1\n/, ',x\n');
    expect(parseCsv('tasks', badNumber).unreadable).toEqual([2]);
  });

  it('refuses a file without the ### lines or with another kind’s columns', () => {
    expect(() => parseCsv('tasks', 'id,title\nTASK-000001,x\n', 'tasks.csv')).toThrow(/tasks\.csv does not start with the mirror's ### header lines/);
    expect(() => parseCsv('tasks', file('projects', [project]), 'tasks.csv')).toThrow(/tasks\.csv has the columns .* not those of tasks/);
  });

  it('writes an empty kind as the ### lines and the header only', () => {
    const text = file('sprints', []);
    expect(text.split('\n')[2]).toBe('### Source: DTM API (0 records)');
    expect(parseCsv('sprints', text)).toEqual({ records: [], lastSync: at, unreadable: [] });
  });
});

describe('rows of many records', () => {
  it('are one line per record, by the order given', () => {
    const tasks: Task[] = Array.from({ length: 50 }, (_, index) => makeTask(`TASK-${String(index + 1).padStart(6, '0')}`));
    const rows = csvRows('tasks', tasks).trimEnd().split('\n');
    expect(rows).toHaveLength(50);
    expect(rows.map((row) => row.split(',')[0])).toEqual(tasks.map((task) => task.id));
  });
});
