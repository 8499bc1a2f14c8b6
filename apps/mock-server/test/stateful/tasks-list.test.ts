// listTasks on a known data set: every filter, every sort key both ways, pagination edges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task, TaskCreate } from '../../src/engines/stateful/types.js';
import { type Api, Clock, type RunningMockServer, allTaskPages, apiAs, fieldsOf, start } from './harness.js';

// The seed (tasks: 0) still creates PRJ-001..PRJ-004 and three sprints in each active
// project: SPR-001..003 in PRJ-001, SPR-004..006 in PRJ-002, SPR-007..009 in PRJ-003.
const clock = new Clock('2026-03-02T09:00:00.000Z');
let server: RunningMockServer;
let api: Api;

const data: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', TaskCreate> = {
  A: {
    title: 'Alpha release notes',
    description: 'Write the NOTES',
    status: 'pending',
    priority: 'high',
    project_id: 'PRJ-001',
    sprint_id: 'SPR-002',
    assignee: 'alice',
    due_date: '2026-04-10',
  },
  B: { title: 'Beta banner', status: 'in_progress', priority: 'low', project_id: 'PRJ-001', assignee: 'bob' },
  C: {
    title: 'Gamma migration',
    description: 'Contains the word Release',
    status: 'blocked',
    priority: 'critical',
    project_id: 'PRJ-002',
    sprint_id: 'SPR-005',
    assignee: 'alice',
    due_date: '2026-03-20',
  },
  D: { title: 'Delta docs', status: 'completed', priority: 'medium', project_id: 'PRJ-002', due_date: '2026-05-01' },
  E: { title: 'Epsilon', status: 'cancelled', priority: 'low', assignee: 'carol' },
  F: {
    title: 'Zeta cleanup',
    status: 'pending',
    priority: 'critical',
    project_id: 'PRJ-003',
    sprint_id: 'SPR-008',
    assignee: 'bob',
    due_date: '2026-03-20',
  },
};
type Name = keyof typeof data;
const idOf = {} as Record<Name, string>;
const nameOf = new Map<string, Name>();
let updatedSince = '';

beforeAll(async () => {
  server = await start({ now: clock.now });
  api = await apiAs(server, 'admin');
  for (const name of Object.keys(data) as Name[]) {
    clock.advance(60);
    const task = await api.createTask(data[name]);
    idOf[name] = task.id;
    nameOf.set(task.id, name);
  }
  // B and then C change later, so updated_at orders them last.
  clock.advance(3600);
  updatedSince = clock.iso();
  expect((await api.patch(`/api/v1/tasks/${idOf.B}`, { tags: ['ux'] })).status).toBe(200);
  clock.advance(60);
  expect((await api.patch(`/api/v1/tasks/${idOf.C}`, { tags: ['ops'] })).status).toBe(200);
});

afterAll(async () => {
  await server.stop();
});

interface TaskPage {
  items: Task[];
  total: number;
  limit: number;
  offset: number;
}

async function list(query: Record<string, string | number>): Promise<TaskPage> {
  const answer = await api.get('/api/v1/tasks', { query });
  expect(answer.status, answer.text).toBe(200);
  return answer.body as TaskPage;
}

/** The data-set names of the tasks a query lists, in order, checking that total agrees. */
async function names(query: Record<string, string | number>): Promise<string> {
  const page = await list(query);
  expect(page.total).toBe(page.items.length);
  return page.items.map((task) => nameOf.get(task.id) ?? task.id).join('');
}

describe('filters', () => {
  it('lists everything by id without filters', async () => {
    expect(await names({})).toBe('ABCDEF');
    const page = await list({});
    expect(page).toMatchObject({ total: 6, limit: 50, offset: 0 });
  });

  it.each([
    [{ status: 'pending' }, 'AF'],
    [{ status: 'pending,blocked' }, 'ACF'],
    [{ status: 'completed,cancelled,in_progress' }, 'BDE'],
    [{ priority: 'critical' }, 'CF'],
    [{ priority: 'low,high' }, 'ABE'],
    [{ project_id: 'PRJ-002' }, 'CD'],
    [{ project_id: 'PRJ-004' }, ''],
    [{ sprint_id: 'SPR-002' }, 'A'],
    [{ sprint_id: 'SPR-008' }, 'F'],
    [{ assignee: 'alice' }, 'AC'],
    [{ assignee: 'nobody' }, ''],
    [{ q: 'release' }, 'AC'], // A by title, C by description
    [{ q: 'RELEASE' }, 'AC'],
    [{ q: 'notes' }, 'A'], // title and description both match: listed once
    [{ q: 'BaNnEr' }, 'B'],
    [{ q: 'no such words' }, ''],
    [{ status: 'pending', priority: 'critical' }, 'F'],
    [{ project_id: 'PRJ-001', assignee: 'bob' }, 'B'],
    [{ q: 'a', status: 'blocked,completed', project_id: 'PRJ-002' }, 'CD'],
  ])('%o lists %s', async (query, expected) => {
    expect(await names(query)).toBe(expected);
  });

  it('updated_since keeps tasks updated at or after the time', async () => {
    expect(await names({ updated_since: updatedSince })).toBe('BC');
    expect(await names({ updated_since: new Date(Date.parse(updatedSince) + 1).toISOString() })).toBe('C');
    expect(await names({ updated_since: '2020-01-01T00:00:00Z' })).toBe('ABCDEF');
    expect(await names({ updated_since: '2030-01-01T00:00:00Z' })).toBe('');
  });

  it('accepts the statuses as a repeated parameter too', async () => {
    const answer = await api.get('/api/v1/tasks?status=pending&status=blocked');
    expect(answer.status, answer.text).toBe(200);
    expect((answer.body as TaskPage).items.map((task) => nameOf.get(task.id)).join('')).toBe('ACF');
  });

  it('counts total over all matches, not the page', async () => {
    const page = await list({ status: 'pending,blocked,in_progress', limit: 2 });
    expect(page.total).toBe(4);
    expect(page.items.map((task) => nameOf.get(task.id)).join('')).toBe('AB');
  });
});

describe('sort', () => {
  it.each([
    ['id', 'ABCDEF'],
    ['-id', 'FEDCBA'],
    ['title', 'ABDECF'],
    ['-title', 'FCEDBA'],
    // Workflow order of the status enum; ties by id.
    ['status', 'AFBCDE'],
    ['-status', 'EDCBAF'],
    // low < medium < high < critical; ties by id.
    ['priority', 'BEDACF'],
    ['-priority', 'CFADBE'],
    // Tasks without a due date come last in both directions.
    ['due_date', 'CFADBE'],
    ['-due_date', 'DACFBE'],
    ['created_at', 'ABCDEF'],
    ['-created_at', 'FEDCBA'],
    ['updated_at', 'ADEFBC'],
    ['-updated_at', 'CBFEDA'],
  ])('sort=%s lists %s', async (sort, expected) => {
    expect(await names({ sort })).toBe(expected);
  });

  it('sorts after filtering and before paging', async () => {
    const page = await list({ sort: '-priority', status: 'pending,blocked,in_progress', limit: 2, offset: 1 });
    expect(page.total).toBe(4);
    // -priority over A(high) B(low) C(critical) F(critical): C F A B
    expect(page.items.map((task) => nameOf.get(task.id)).join('')).toBe('FA');
  });
});

describe('pagination', () => {
  it('pages through every task with limit=1', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 6; offset++) {
      const page = await list({ limit: 1, offset, sort: '-id' });
      expect(page).toMatchObject({ total: 6, limit: 1, offset });
      expect(page.items).toHaveLength(1);
      seen.push(nameOf.get(page.items[0]?.id ?? '') ?? '?');
    }
    expect(seen.join('')).toBe('FEDCBA');
    expect((await allTaskPages(api, { sort: 'title' }, 4)).map((task) => nameOf.get(task.id)).join('')).toBe('ABDECF');
  });

  it('answers an empty page with the right total for an offset at or past the end', async () => {
    expect(await list({ offset: 6 })).toEqual({ items: [], total: 6, limit: 50, offset: 6 });
    expect(await list({ offset: 1000, limit: 10 })).toEqual({ items: [], total: 6, limit: 10, offset: 1000 });
    expect(await list({ offset: 5, status: 'pending' })).toEqual({ items: [], total: 2, limit: 50, offset: 5 });
  });

  it('accepts limit=1000', async () => {
    const page = await list({ limit: 1000 });
    expect(page).toMatchObject({ total: 6, limit: 1000, offset: 0 });
    expect(page.items).toHaveLength(6);
  });

  it.each([
    [{ limit: 0 }, 'limit'],
    [{ limit: 1001 }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ limit: 2.5 }, 'limit'],
    [{ offset: -1 }, 'offset'],
    [{ sort: 'assignee' }, 'sort'],
    [{ updated_since: 'yesterday' }, 'updated_since'],
    [{ project_id: 'project-1' }, 'project_id'],
    [{ q: '' }, 'q'],
  ])('%o answers 422 naming %s', async (query, field) => {
    expect(fieldsOf(await api.get('/api/v1/tasks', { query }))).toEqual([field]);
  });

  it('answers 422 for a status that is not in the enum, naming the parameter and the item', async () => {
    expect(fieldsOf(await api.get('/api/v1/tasks', { query: { status: 'pending,done' } }))).toEqual(['status.1']);
    expect(fieldsOf(await api.get('/api/v1/tasks', { query: { priority: 'urgent' } }))).toEqual(['priority.0']);
  });

  it('answers 422 naming an unknown query parameter', async () => {
    expect(fieldsOf(await api.get('/api/v1/tasks', { query: { page: 2 } }))).toEqual(['page']);
    expect(fieldsOf(await api.get('/api/v1/tasks', { query: { limit: 0, colour: 'red' } })).sort()).toEqual(['colour', 'limit']);
  });
});
