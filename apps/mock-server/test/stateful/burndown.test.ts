// The burndown of a five-day sprint, with tasks completed at times the test controls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Burndown, Project, Sprint, Task } from '../../src/engines/stateful/types.js';
import { type Api, Clock, type RunningMockServer, apiAs, expectProblem, start } from './harness.js';

const clock = new Clock('2026-03-01T12:00:00.000Z');
let server: RunningMockServer;
let api: Api;
let sprint: Sprint;
const tasks: Task[] = [];

beforeAll(async () => {
  server = await start({ now: clock.now });
  api = await apiAs(server, 'admin');
  const project = (await api.post('/api/v1/projects', { name: 'Burndown project' })).body as Project;
  sprint = (await api.post('/api/v1/sprints', { name: 'Week 10', project_id: project.id, start_date: '2026-03-02', end_date: '2026-03-06' }))
    .body as Sprint;
  for (const name of ['one', 'two', 'three', 'four']) {
    tasks.push(await api.createTask({ title: `Burndown ${name}`, project_id: project.id, sprint_id: sprint.id }));
  }
  // Cancelled tasks are out of scope; tasks of no sprint or of another sprint do not count.
  await api.createTask({ title: 'Burndown cancelled', project_id: project.id, sprint_id: sprint.id, status: 'cancelled' });
  await api.createTask({ title: 'Burndown backlog', project_id: project.id, status: 'completed' });
});

afterAll(async () => {
  await server.stop();
});

async function burndown(): Promise<Burndown> {
  const answer = await api.get(`/api/v1/sprints/${sprint.id}/burndown`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body as Burndown;
}

async function completeAt(task: Task | undefined, iso: string): Promise<void> {
  clock.set(iso);
  const answer = await api.post(`/api/v1/tasks/${task?.id ?? ''}/complete`);
  expect(answer.status, answer.text).toBe(200);
  expect((answer.body as Task).completed_at).toBe(iso);
}

const ideal = [4, 3, 2, 1, 0];

describe('burndown', () => {
  it('before the sprint starts: the scope, the ideal line, and nulls for every day', async () => {
    expect(await burndown()).toEqual({
      sprint_id: sprint.id,
      unit: 'tasks',
      start_date: '2026-03-02',
      end_date: '2026-03-06',
      scope: 4,
      points: ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'].map((date, index) => ({
        date,
        remaining: null,
        ideal: ideal[index],
        completed: null,
      })),
    });
  });

  it('on day three: remaining at the end of each day, completed during each day, nulls for days to come', async () => {
    await completeAt(tasks[0], '2026-03-02T10:00:00.000Z');
    // Nothing on 03-03; two on 03-04, one of them in the day's last second.
    await completeAt(tasks[1], '2026-03-04T00:00:00.000Z');
    await completeAt(tasks[2], '2026-03-04T23:59:59.000Z');

    const result = await burndown();
    expect(result.scope).toBe(4);
    expect(result.points).toEqual([
      { date: '2026-03-02', remaining: 3, ideal: 4, completed: 1 },
      { date: '2026-03-03', remaining: 3, ideal: 3, completed: 0 },
      { date: '2026-03-04', remaining: 1, ideal: 2, completed: 2 },
      { date: '2026-03-05', remaining: null, ideal: 1, completed: null },
      { date: '2026-03-06', remaining: null, ideal: 0, completed: null },
    ]);
  });

  it('on the last day, with every task done', async () => {
    await completeAt(tasks[3], '2026-03-06T15:00:00.000Z');
    expect((await burndown()).points).toEqual([
      { date: '2026-03-02', remaining: 3, ideal: 4, completed: 1 },
      { date: '2026-03-03', remaining: 3, ideal: 3, completed: 0 },
      { date: '2026-03-04', remaining: 1, ideal: 2, completed: 2 },
      { date: '2026-03-05', remaining: 1, ideal: 1, completed: 0 },
      { date: '2026-03-06', remaining: 0, ideal: 0, completed: 1 },
    ]);
  });

  it('after the sprint: every day has values; a reopened task counts as remaining again', async () => {
    clock.set('2026-03-20T09:00:00.000Z');
    expect((await api.patch(`/api/v1/tasks/${tasks[2]?.id ?? ''}`, { status: 'in_progress' })).status).toBe(200);
    expect((await burndown()).points).toEqual([
      { date: '2026-03-02', remaining: 3, ideal: 4, completed: 1 },
      { date: '2026-03-03', remaining: 3, ideal: 3, completed: 0 },
      { date: '2026-03-04', remaining: 2, ideal: 2, completed: 1 },
      { date: '2026-03-05', remaining: 2, ideal: 1, completed: 0 },
      { date: '2026-03-06', remaining: 1, ideal: 0, completed: 1 },
    ]);
  });

  it('has a fractional ideal line when the scope does not divide evenly, and 404 for an unknown sprint', async () => {
    expect((await api.delete(`/api/v1/tasks/${tasks[0]?.id ?? ''}`)).status).toBe(204);
    const result = await burndown();
    expect(result.scope).toBe(3);
    expect(result.points.map((point) => point.ideal)).toEqual([3, 2.25, 1.5, 0.75, 0]);
    expectProblem(await api.get('/api/v1/sprints/SPR-999/burndown'), 404);
  });
});
