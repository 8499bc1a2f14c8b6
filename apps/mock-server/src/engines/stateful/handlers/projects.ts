import { etagOf } from '../store.js';
import type { Project, ProjectCreate, ProjectStatus, ProjectUpdate } from '../types.js';
import { type Handler, notModified, windowOf } from './context.js';

const projectReply = (project: Project, status = 200): { status: number; body: Project; etag: string } => ({
  status,
  body: project,
  etag: etagOf(project),
});

export const listProjects: Handler = (context) => ({
  status: 200,
  body: context.store.listProjects(
    { status: context.query.status as ProjectStatus | undefined, q: context.query.q as string | undefined },
    windowOf(context),
  ),
});

export const createProject: Handler = ({ store, body }) => {
  const project = store.createProject(body as ProjectCreate);
  return { ...projectReply(project, 201), location: `/api/v1/projects/${project.id}` };
};

export const getProject: Handler = ({ store, params, headers }) => {
  const project = store.getProject(params.project_id as string);
  return notModified(headers['if-none-match'], project) ? { status: 304, etag: etagOf(project) } : projectReply(project);
};

export const updateProject: Handler = ({ store, params, body, headers }) =>
  projectReply(store.updateProject(params.project_id as string, body as ProjectUpdate, headers['if-match']));

export const deleteProject: Handler = ({ store, params, headers }) => {
  store.deleteProject(params.project_id as string, headers['if-match']);
  return { status: 204 };
};

export const getProjectSummary: Handler = ({ store, params }) => ({
  status: 200,
  body: store.projectSummary(params.project_id as string),
});
