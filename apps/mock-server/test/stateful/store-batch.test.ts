// Store.batch: many writes as one (the seed), indexes built and changes reported once at the end.
import { describe, expect, it } from 'vitest';
import { Store, type RecordChange } from '../../src/engines/stateful/store.js';

function recording(store: Store): RecordChange[] {
  const changes: RecordChange[] = [];
  store.onRecord = (change) => changes.push(change);
  return changes;
}

describe('Store.batch', () => {
  it.each([
    ['an empty store', false],
    ['a store with records', true],
  ])('on %s reports each record it wrote once, in its latest version, when it ends', (_, before) => {
    const store = new Store(() => new Date('2026-03-02T09:00:00.000Z'));
    if (before) store.createTask({ title: 'Before' }, 'demo');
    const changes = recording(store);
    let duringBatch = 0;
    store.batch(() => {
      const project = store.createProject({ name: 'One' });
      const task = store.createTask({ title: 'Write', project_id: project.id }, 'demo');
      store.completeTask(task.id, undefined, 'demo');
      duringBatch = changes.length;
    });
    expect(duringBatch).toBe(0);
    expect(changes.map(({ kind, id, version }) => `${kind} ${id} v${version}`)).toEqual(
      before ? ['project PRJ-001 v1', 'task TASK-000002 v2'] : ['project PRJ-001 v1', 'task TASK-000001 v2'],
    );
    expect(store.listTasks({ status: ['completed'] }, { offset: 0, limit: 10 }).total).toBe(1);
  });
});
