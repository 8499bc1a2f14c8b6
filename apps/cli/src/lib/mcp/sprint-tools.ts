// The sprint tools of `dtm mcp`: as `dtm sprint …` does it (lib/sprint-operations.ts).
import type { Burndown, Sprint, SprintCreate, SprintTaskAssignmentResult, SprintUpdate } from '@dtm/sdk';
import { addSprintTasks, completeSprint, createSprint, getSprint, listSprintPage, removeSprintTasks, sprintBurndown, startSprint, updateSprint } from '../sprint-operations.js';
import type { DataLayer } from '../store/data-layer.js';
import { checkRange, explainDeleteStale, summariseBurndown, taskIds } from '../sprints.js';
import { inputSchema, operation } from './schemas.js';
import { type Args, type Tool, changeTool, deleteTool, fromOperation, getTool, listTool, queuedNote, read, updateTool, write } from './tool.js';

export const sprintLine = (sprint: Sprint): string => `${sprint.id} "${sprint.name}" (${sprint.status}, ${sprint.start_date} → ${sprint.end_date}, version ${sprint.version})`;
const sprint = { idKey: 'sprint_id', line: sprintLine };
const dateNames: [string, string] = ['start_date', 'end_date'];

const assigned = (verb: string) => (result: SprintTaskAssignmentResult): string => {
  const count = result.task_ids.length;
  return `${verb} ${count} task${count === 1 ? '' : 's'} ${verb === 'Added' ? 'to' : 'out of'} ${result.sprint_id}: ${result.task_ids.join(', ')}`;
};

/** The sprint id and the task ids of an add or remove, checked as `dtm sprint add-tasks` checks them. */
async function assignment(args: Args, data: DataLayer): Promise<[string, string[]]> {
  return [await data.resolveId(args.sprint_id as string), taskIds(args.task_ids as string[])];
}

export const sprintTools: readonly Tool[] = [
  listTool('list_sprints', 'listSprints', 'sprints', listSprintPage, sprintLine),
  getTool('get_sprint', 'getSprint', sprint, getSprint),
  fromOperation(
    'create_sprint',
    'createSprint',
    write(false),
    (args, data) => {
      const body = args as unknown as SprintCreate;
      checkRange(body.start_date, body.end_date, dateNames);
      return createSprint(data, body);
    },
    (created) => `Created ${sprintLine(created)}; start it with start_sprint.`,
    { also: queuedNote },
  ),
  updateTool('update_sprint', 'updateSprint', sprint, 'name or end_date', (data, id, changes) => {
    const { start_date: start, end_date: end } = changes as SprintUpdate;
    checkRange(start, end, dateNames);
    return updateSprint(data, id, changes);
  }),
  changeTool('start_sprint', 'startSprint', 'Started', sprint, (data, id) => startSprint(data, id)),
  changeTool('complete_sprint', 'completeSprint', 'Completed', sprint, (data, id) => completeSprint(data, id)),
  deleteTool('delete_sprint', 'deleteSprint', 'sprints', 'sprint_id', (client, id, ifMatch) => client.sprints.delete(id, ifMatch === undefined ? {} : { ifMatch }), explainDeleteStale),
  fromOperation(
    'add_sprint_tasks',
    'assignSprintTasks',
    write(true),
    async (args, data) => addSprintTasks(data, ...(await assignment(args, data))),
    assigned('Added'),
    { also: queuedNote },
  ),
  fromOperation(
    'remove_sprint_tasks',
    'unassignSprintTask',
    write(true),
    async (args, data) => removeSprintTasks(data, ...(await assignment(args, data))),
    assigned('Took'),
    {
      input: inputSchema('assignSprintTasks'),
      output: operation('assignSprintTasks').response,
      also: `Takes each of \`task_ids\` out of the sprint, one after the other (they keep their project); a task not in the sprint stops it there. ${queuedNote}`,
    },
  ),
  fromOperation(
    'sprint_burndown',
    'getSprintBurndown',
    read,
    async (args, data) => sprintBurndown(data, await data.resolveId(args.sprint_id as string)),
    (burndown: Burndown) => {
      const { scope, done, remaining, asOf } = summariseBurndown(burndown);
      return `${burndown.sprint_id}, ${burndown.start_date} → ${burndown.end_date}: scope ${scope}, done ${done}, remaining ${remaining}${asOf === undefined ? ' (not started yet)' : ` as of ${asOf}`}.`;
    },
    { also: 'The series is the server’s: this tool fails while the API is unreachable.' },
  ),
];
