import type { OperationId } from '../types.js';
import { getCurrentUser, login, logout, refreshToken } from './auth.js';
import { listChanges } from './changes.js';
import type { Handler } from './context.js';
import { getHealth } from './meta.js';
import { createProject, deleteProject, getProject, getProjectSummary, listProjects, updateProject } from './projects.js';
import {
  assignSprintTasks,
  completeSprint,
  createSprint,
  deleteSprint,
  getSprint,
  getSprintBurndown,
  listSprints,
  startSprint,
  unassignSprintTask,
  updateSprint,
} from './sprints.js';
import {
  bulkTasks,
  completeTask,
  createTask,
  deleteTask,
  exportTasks,
  getTask,
  getTaskHistory,
  listTasks,
  updateTask,
} from './tasks.js';

/** One handler per operation of the contract: the type fails to check when one is missing. */
export const handlers = {
  getHealth,
  login,
  refreshToken,
  logout,
  getCurrentUser,
  listTasks,
  createTask,
  bulkTasks,
  exportTasks,
  getTask,
  updateTask,
  deleteTask,
  completeTask,
  getTaskHistory,
  listProjects,
  createProject,
  getProject,
  updateProject,
  deleteProject,
  getProjectSummary,
  listSprints,
  createSprint,
  getSprint,
  updateSprint,
  deleteSprint,
  startSprint,
  completeSprint,
  getSprintBurndown,
  assignSprintTasks,
  unassignSprintTask,
  listChanges,
} satisfies Record<OperationId, Handler>;
