import { etagOf } from '../store.js';
import type { Sprint, SprintCreate, SprintStatus, SprintTaskAssignment, SprintUpdate } from '../types.js';
import { type Handler, actor, notModified, windowOf } from './context.js';

const sprintReply = (sprint: Sprint, status = 200): { status: number; body: Sprint; etag: string } => ({
  status,
  body: sprint,
  etag: etagOf(sprint),
});

export const listSprints: Handler = (context) => ({
  status: 200,
  body: context.store.listSprints(
    {
      status: context.query.status as SprintStatus | undefined,
      project_id: context.query.project_id as string | undefined,
    },
    windowOf(context),
  ),
});

export const createSprint: Handler = ({ store, body }) => {
  const sprint = store.createSprint(body as SprintCreate);
  return { ...sprintReply(sprint, 201), location: `/api/v1/sprints/${sprint.id}` };
};

export const getSprint: Handler = ({ store, params, headers }) => {
  const sprint = store.getSprint(params.sprint_id as string);
  return notModified(headers['if-none-match'], sprint) ? { status: 304, etag: etagOf(sprint) } : sprintReply(sprint);
};

export const updateSprint: Handler = ({ store, params, body, headers }) =>
  sprintReply(store.updateSprint(params.sprint_id as string, body as SprintUpdate, headers['if-match']));

export const deleteSprint: Handler = (context) => {
  context.store.deleteSprint(context.params.sprint_id as string, actor(context), context.headers['if-match']);
  return { status: 204 };
};

export const startSprint: Handler = ({ store, params }) => sprintReply(store.startSprint(params.sprint_id as string));

export const completeSprint: Handler = ({ store, params }) => sprintReply(store.completeSprint(params.sprint_id as string));

export const getSprintBurndown: Handler = ({ store, params }) => ({
  status: 200,
  body: store.burndown(params.sprint_id as string),
});

export const assignSprintTasks: Handler = (context) => {
  const sprintId = context.params.sprint_id as string;
  const { task_ids: taskIds } = context.body as SprintTaskAssignment;
  return { status: 200, body: { sprint_id: sprintId, task_ids: context.store.assignToSprint(sprintId, taskIds, actor(context)) } };
};

export const unassignSprintTask: Handler = (context) => {
  context.store.unassignFromSprint(context.params.sprint_id as string, context.params.task_id as string, actor(context));
  return { status: 204 };
};
