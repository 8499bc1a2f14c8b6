// The operations of the contract, for `dtm api` to check a request before it is sent. The
// table restates the paths so that checking does not load the SDK; the checks below fail the
// typecheck when it drifts from the `paths` generated from openapi.yaml (a path missing or
// extra, a method missing or extra), as in contract.ts.
import type { paths } from '@dtm/sdk';
import type { ApiMethod } from './api-fields.js';
import type { Exactly } from './contract.js';
import { distance } from './edit-distance.js';
import { usageError } from './errors.js';

type LowerMethod = Lowercase<ApiMethod>;
/** The methods `paths` declares for one path, upper case. */
type MethodsOf<P extends keyof paths> = { [M in LowerMethod]-?: undefined extends paths[P][M] ? never : Uppercase<M> }[LowerMethod];

export const apiOperations = {
  '/health': ['GET'],
  '/auth/login': ['POST'],
  '/auth/refresh': ['POST'],
  '/auth/logout': ['POST'],
  '/auth/me': ['GET'],
  '/api/v1/tasks': ['GET', 'POST'],
  '/api/v1/tasks/bulk': ['POST'],
  '/api/v1/tasks/export': ['GET'],
  '/api/v1/tasks/{task_id}': ['GET', 'PATCH', 'DELETE'],
  '/api/v1/tasks/{task_id}/complete': ['POST'],
  '/api/v1/tasks/{task_id}/history': ['GET'],
  '/api/v1/projects': ['GET', 'POST'],
  '/api/v1/projects/{project_id}': ['GET', 'PATCH', 'DELETE'],
  '/api/v1/projects/{project_id}/summary': ['GET'],
  '/api/v1/sprints': ['GET', 'POST'],
  '/api/v1/sprints/{sprint_id}': ['GET', 'PATCH', 'DELETE'],
  '/api/v1/sprints/{sprint_id}/start': ['POST'],
  '/api/v1/sprints/{sprint_id}/complete': ['POST'],
  '/api/v1/sprints/{sprint_id}/burndown': ['GET'],
  '/api/v1/sprints/{sprint_id}/tasks': ['POST'],
  '/api/v1/sprints/{sprint_id}/tasks/{task_id}': ['DELETE'],
  '/api/v1/changes': ['GET'],
} as const satisfies { readonly [P in keyof paths]: readonly MethodsOf<P>[] };

export const operationChecks: { [P in keyof paths]: Exactly<(typeof apiOperations)[P], MethodsOf<P>> } = apiOperations;

/** The JSON body of an operation's 200 answer. */
type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never;
/** True for a page body; false for none (an answer that is not JSON, such as the export's NDJSON). */
type IsPage<Body> = [Body] extends [never] ? false : [Body] extends [{ items: unknown[]; total: number; limit: number; offset: number }] ? true : false;
/** The paths whose GET answers an offset page: what --paginate walks. */
type ListPath = { [P in keyof paths]: undefined extends paths[P]['get'] ? never : IsPage<JsonOk<paths[P]['get']>> extends true ? P : never }[keyof paths];

export const listPaths = ['/api/v1/tasks', '/api/v1/tasks/{task_id}/history', '/api/v1/projects', '/api/v1/sprints'] as const;
export const listChecks: Exactly<typeof listPaths, ListPath> = listPaths;

const templates = Object.keys(apiOperations) as (keyof typeof apiOperations)[];
const segmentsOf = (path: string): string[] => path.split('/').slice(1);
const isParameter = (segment: string): boolean => segment.startsWith('{') && segment.endsWith('}');

/** Literal segments matched, or -1 when the template does not match the path (`{x}` matches any one segment). */
function matchScore(template: string, given: readonly string[]): number {
  const wanted = segmentsOf(template);
  if (wanted.length !== given.length) return -1;
  let literal = 0;
  for (const [index, segment] of wanted.entries()) {
    if (isParameter(segment)) {
      if (given[index] === '') return -1;
    } else if (segment === given[index]) {
      literal++;
    } else {
      return -1;
    }
  }
  return literal;
}

/**
 * The template of the operation `method path` (path without its query), or a usage error:
 * a path no operation has, or a method the path does not have. A literal segment wins over
 * a parameter (`/api/v1/tasks/bulk` over `/api/v1/tasks/{task_id}`).
 */
export function checkOperation(method: ApiMethod, path: string): string {
  // A trailing slash is another path to the server (`/api/v1/tasks/` is a task with an empty id).
  const given = segmentsOf(path);
  const matches = templates
    .map((template) => ({ template, score: matchScore(template, given) }))
    .filter((match) => match.score >= 0)
    .sort((a, b) => b.score - a.score);
  const hint = 'Send it anyway with --unchecked (a server newer than this dtm, the mock server’s /__admin endpoints).';
  const best = matches[0];
  if (best === undefined) {
    const closest = closestOperations(path);
    const named = closest.length > 0 ? `Closest: ${closest.join(', ')}. ` : '';
    throw usageError(`${method} ${path} is not an operation of the DTM API.`, `${named}${hint}`);
  }
  const found = matches.find((match) => (apiOperations[match.template] as readonly string[]).includes(method));
  if (found) return found.template;
  const methods = apiOperations[best.template];
  throw usageError(`${method} is not a method of ${best.template} (${methods.join(', ')}).`, hint);
}

/** The operations nearest to a path no operation has: by edit distance, parameters filled in from the path. */
export function closestOperations(path: string, most = 3): string[] {
  const given = segmentsOf(path);
  const ranked = templates.map((template) => {
    const wanted = segmentsOf(template);
    const filled = wanted.map((segment, index) => (isParameter(segment) && given[index] ? given[index] : segment));
    return { template, distance: distance(path, `/${filled.join('/')}`) };
  });
  const nearest = Math.min(...ranked.map((entry) => entry.distance));
  // Far from everything: name the collections under the longest prefix it shares with them instead.
  const limit = Math.max(3, Math.floor(path.length / 4));
  const chosen =
    nearest <= limit
      ? ranked.filter((entry) => entry.distance <= Math.min(limit, nearest + 1)).sort((a, b) => a.distance - b.distance)
      : sharingPrefix(given).map((template) => ({ template, distance: 0 }));
  return chosen.slice(0, most).map(({ template }) => `${template} (${apiOperations[template].join(', ')})`);
}

/** The shortest templates that share the most leading segments with the path. */
function sharingPrefix(given: readonly string[]): (keyof typeof apiOperations)[] {
  const shared = (template: string): number => {
    const wanted = segmentsOf(template);
    let count = 0;
    while (count < wanted.length && count < given.length && wanted[count] === given[count]) count++;
    return count;
  };
  const most = Math.max(...templates.map(shared));
  if (most === 0) return [];
  const candidates = templates.filter((template) => shared(template) === most);
  const shortest = Math.min(...candidates.map((template) => segmentsOf(template).length));
  return candidates.filter((template) => segmentsOf(template).length === shortest);
}

/** A usage error unless the operation (a template from checkOperation) answers offset pages. */
export function checkList(template: string, method: ApiMethod, path: string): void {
  if ((listPaths as readonly string[]).includes(template)) return;
  throw usageError(`--paginate: ${method} ${path} does not answer with a page of a list.`, `The lists: ${listPaths.join(', ')}.`);
}
