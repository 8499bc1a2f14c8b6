import { tokenPairSchema, userSchema } from './auth.js';
import { changePageSchema } from './changes.js';
import { healthSchema } from './health.js';
import { projectPageSchema, projectSchema, projectSummarySchema } from './projects.js';
import { burndownSchema, sprintPageSchema, sprintSchema, sprintTaskAssignmentResultSchema } from './sprints.js';
import { bulkResponseSchema, taskHistoryPageSchema, taskPageSchema, taskSchema } from './tasks.js';

export { tokenPairSchema, userSchema } from './auth.js';
export {
  changeOpSchema,
  changePageSchema,
  changeSchema,
  projectChangeSchema,
  sprintChangeSchema,
  taskChangeSchema,
} from './changes.js';
export {
  calendarDateSchema,
  fieldErrorSchema,
  pageMetaSchema,
  problemSchema,
  projectIdSchema,
  projectStatusSchema,
  sprintIdSchema,
  sprintStatusSchema,
  taskIdSchema,
  taskPrioritySchema,
  taskStatusSchema,
  timestampSchema,
  usernameSchema,
  versionSchema,
} from './common.js';
export { healthSchema } from './health.js';
export {
  priorityCountsSchema,
  projectPageSchema,
  projectSchema,
  projectSummarySchema,
  statusCountsSchema,
} from './projects.js';
export {
  burndownPointSchema,
  burndownSchema,
  sprintPageSchema,
  sprintSchema,
  sprintTaskAssignmentResultSchema,
} from './sprints.js';
export {
  bulkResponseSchema,
  bulkResultSchema,
  fieldChangeSchema,
  tagSchema,
  taskHistoryEntrySchema,
  taskHistoryPageSchema,
  taskPageSchema,
  taskSchema,
} from './tasks.js';

// The JSON body of each operation's success response, keyed by operationId. Operations
// that answer 204 or stream NDJSON/CSV have no single body to check and are absent.
export const responseSchemas = {
  getHealth: healthSchema,
  login: tokenPairSchema,
  refreshToken: tokenPairSchema,
  getCurrentUser: userSchema,
  listTasks: taskPageSchema,
  createTask: taskSchema,
  bulkTasks: bulkResponseSchema,
  getTask: taskSchema,
  updateTask: taskSchema,
  completeTask: taskSchema,
  getTaskHistory: taskHistoryPageSchema,
  listProjects: projectPageSchema,
  createProject: projectSchema,
  getProject: projectSchema,
  updateProject: projectSchema,
  getProjectSummary: projectSummarySchema,
  listSprints: sprintPageSchema,
  createSprint: sprintSchema,
  getSprint: sprintSchema,
  updateSprint: sprintSchema,
  startSprint: sprintSchema,
  completeSprint: sprintSchema,
  getSprintBurndown: burndownSchema,
  assignSprintTasks: sprintTaskAssignmentResultSchema,
  listChanges: changePageSchema,
} as const;
