// The project tools of `dtm mcp`: as `dtm project …` does it (lib/projects.ts).
import type { Project, ProjectCreate, ProjectUpdate } from '@dtm/sdk';
import { createProject, explainDeleteConflict, updateProject } from '../projects.js';
import { type Tool, deleteTool, fromOperation, getTool, listTool, queuedNote, read, updateTool, write } from './tool.js';

export const projectLine = (project: Project): string => `${project.id} "${project.name}" (${project.status}, version ${project.version})`;
const project = { idKey: 'project_id', line: projectLine };

export const projectTools: readonly Tool[] = [
  listTool('list_projects', 'listProjects', 'projects', (data, filters, window) => data.page('projects', filters, window, (client) => client.projects.list({ ...filters, ...window })), projectLine),
  getTool('get_project', 'getProject', project, (data, id) => data.record('projects', id, (client, ifNoneMatch) => client.projects.get(id, { ifNoneMatch }))),
  fromOperation(
    'project_summary',
    'getProjectSummary',
    read,
    async (args, data) => (await data.client()).projects.summary(await data.resolveId(args.project_id as string)),
    (summary) => `${summary.project_id}: ${summary.total} tasks, ${Math.round(summary.completion_rate * 100)}% completed`,
    { also: 'The counts are the server’s: this tool fails while the API is unreachable.' },
  ),
  fromOperation('create_project', 'createProject', write(false), (args, data) => createProject(data, args as ProjectCreate), (created) => `Created ${projectLine(created)}`, { also: queuedNote }),
  updateTool('update_project', 'updateProject', project, 'name or status', (data, id, changes) => updateProject(data, id, changes as ProjectUpdate)),
  deleteTool(
    'delete_project',
    'deleteProject',
    'projects',
    'project_id',
    (client, id, ifMatch) => client.projects.delete(id, ifMatch === undefined ? undefined : { ifMatch }),
    explainDeleteConflict,
    'A project with tasks or sprints is not deleted (409). ',
  ),
];
