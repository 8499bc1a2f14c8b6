// Field names of projects, sprints and burndowns that `--json a,b` may select. They are
// restated here so that parsing the command line does not load the SDK; the checks below
// fail the typecheck when they drift from the types generated from openapi.yaml (the same
// pattern as contract.ts).
import type { Burndown, BurndownPoint, Project, Sprint } from '@dtm/sdk';

type Exactly<List extends readonly string[], Union extends string> = [Exclude<Union, List[number]>] extends [never]
  ? [Exclude<List[number], Union>] extends [never]
    ? List
    : never
  : never;

export const projectFields = ['id', 'name', 'description', 'status', 'owner', 'created_at', 'updated_at', 'version'] as const;
export const sprintFields = [
  'id',
  'name',
  'project_id',
  'goal',
  'status',
  'start_date',
  'end_date',
  'started_at',
  'completed_at',
  'created_at',
  'updated_at',
  'version',
] as const;
export const burndownFields = ['sprint_id', 'unit', 'start_date', 'end_date', 'scope', 'points'] as const;
export const burndownPointFields = ['date', 'remaining', 'ideal', 'completed'] as const;

export const extraChecks: [
  Exactly<typeof projectFields, Extract<keyof Project, string>>,
  Exactly<typeof sprintFields, Extract<keyof Sprint, string>>,
  Exactly<typeof burndownFields, Extract<keyof Burndown, string>>,
  Exactly<typeof burndownPointFields, Extract<keyof BurndownPoint, string>>,
] = [projectFields, sprintFields, burndownFields, burndownPointFields];
