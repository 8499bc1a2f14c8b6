// An SDK error in the user's words: what they asked for and what the server said, never the
// operationId the SDK leads with ("getTask failed with 404 Not Found: …"). The operation
// stays in the `--json` document for scripts.
import type { operations } from '@dtm/sdk';

type OperationId = keyof operations;

/** What each call does, in the user's words; `{id}` is the record its URL names. */
const actions = {
  getHealth: 'check the health of the API',
  login: 'log in',
  refreshToken: 'renew the session',
  logout: 'log out',
  getCurrentUser: 'read the logged-in user',
  listTasks: 'list the tasks',
  createTask: 'create the task',
  bulkTasks: 'change the tasks',
  exportTasks: 'export the tasks',
  getTask: 'read {id}',
  updateTask: 'update {id}',
  deleteTask: 'delete {id}',
  completeTask: 'complete {id}',
  getTaskHistory: 'read the history of {id}',
  listProjects: 'list the projects',
  createProject: 'create the project',
  getProject: 'read {id}',
  updateProject: 'update {id}',
  deleteProject: 'delete {id}',
  getProjectSummary: 'read the summary of {id}',
  listSprints: 'list the sprints',
  createSprint: 'create the sprint',
  getSprint: 'read {id}',
  updateSprint: 'update {id}',
  deleteSprint: 'delete {id}',
  startSprint: 'start {id}',
  completeSprint: 'complete {id}',
  getSprintBurndown: 'read the burndown of {id}',
  assignSprintTasks: 'add tasks to {id}',
  unassignSprintTask: 'remove a task from {id}',
  listChanges: 'read the change feed',
} as const satisfies Record<OperationId, string>;

/** Calls whose 404 means the record in their URL does not exist (not one named in the body). */
const aboutTheRecord = new Set<string>(
  Object.entries(actions)
    .filter(([operation, action]) => action.includes('{id}') && operation !== 'assignSprintTasks' && operation !== 'unassignSprintTask')
    .map(([operation]) => operation),
);

/** What describeError knows of an SDK error. */
export interface SdkErrorFacts {
  name: string;
  /** The SDK's message, its hint already taken off. */
  message: string;
  operation?: string | undefined;
  status?: number | undefined;
  url?: string | undefined;
  requestId?: string | undefined;
  problem?: { title?: string; detail?: string } | undefined;
}

export interface Phrased {
  message: string;
  /** A hint of its own, or undefined to keep the SDK's. */
  hint: string | undefined;
}

/**
 * The error in the user's words, or undefined when its operation is not a call of the
 * contract (`dtm api GET /x`: the user typed the request, the SDK's words name it).
 */
export function phraseSdkError(facts: SdkErrorFacts, env: NodeJS.ProcessEnv = process.env): Phrased | undefined {
  const { operation } = facts;
  if (operation === undefined || !Object.hasOwn(actions, operation)) return undefined;
  if (facts.status === undefined || facts.problem === undefined) {
    // Not an answer (unreachable, timeout, too large, …): the SDK's words without the operation.
    return { message: capitalise(facts.message.replace(`${operation}: `, '')), hint: undefined };
  }
  const record = recordOf(facts.url);
  const action = actions[operation as OperationId].replace('{id}', record?.id ?? 'it');
  const detail = facts.problem.detail ?? facts.problem.title ?? `${facts.status}`;
  const { status } = facts;
  if (status === 404 && record !== undefined && aboutTheRecord.has(operation)) {
    return {
      message: `${record.kind} ${record.id} was not found.`,
      hint: `\`dtm ${record.command} list\` shows the ${record.command}s there are; it may have been deleted.`,
    };
  }
  if (status === 401 && env.DTM_TOKEN !== undefined && env.DTM_TOKEN !== '') {
    return {
      message: `The API rejected the token in DTM_TOKEN: ${detail}`,
      hint: 'DTM_TOKEN is expired or invalid: unset it to use the login of `dtm auth login`, or set it to a valid token.',
    };
  }
  if (status === 409 && (operation === 'createProject' || operation === 'updateProject')) {
    return {
      message: `Cannot ${action}: ${detail}`,
      hint: 'Project names are unique: choose another name (`dtm project list` shows the names in use).',
    };
  }
  if (status === 412 && record !== undefined) {
    return {
      message: `${record.kind} ${record.id} has changed since it was read; nothing was changed.`,
      hint: `Read it again with \`dtm ${record.command} show ${record.id}\`, then run the command again.`,
    };
  }
  if (status >= 500) {
    const title = facts.problem.title === undefined ? '' : ` ${facts.problem.title}`;
    const request = facts.requestId === undefined ? '' : ` (request ${facts.requestId})`;
    return { message: `Cannot ${action}: the server failed (${status}${title}): ${detail}${request}`, hint: undefined };
  }
  return { message: `Cannot ${action}: ${detail}`, hint: undefined };
}

interface RecordRef {
  /** `Task`, `Project`, `Sprint`. */
  kind: string;
  /** The command topic: `task`, `project`, `sprint`. */
  command: string;
  id: string;
}

/** The record a call's URL names: `/api/v1/tasks/TASK-000001/complete` → Task TASK-000001. */
function recordOf(url: string | undefined): RecordRef | undefined {
  const match = /\/api\/v1\/(task|project|sprint)s\/([^/?#]+)/.exec(url ?? '');
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const command = match[1];
  let id = match[2];
  try {
    id = decodeURIComponent(id);
  } catch {
    // Not valid percent-encoding: show it as it is.
  }
  return { kind: capitalise(command), command, id };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
