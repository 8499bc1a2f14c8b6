// The contract's types, generated from openapi.yaml into the SDK package. A type-only import:
// nothing of the SDK is loaded at run time, and the mock server does not depend on it.
import type { components, operations } from '../../../../../packages/sdk/src/generated/openapi.js';

type Schemas = components['schemas'];

export type OperationId = keyof operations;
export type Task = Schemas['Task'];
export type TaskCreate = Schemas['TaskCreate'];
export type TaskUpdate = Schemas['TaskUpdate'];
export type TaskStatus = Schemas['TaskStatus'];
export type TaskPriority = Schemas['TaskPriority'];
export type TaskSort = Schemas['TaskSort'];
export type TaskHistoryEntry = Schemas['TaskHistoryEntry'];
export type FieldChange = Schemas['FieldChange'];
export type Project = Schemas['Project'];
export type ProjectCreate = Schemas['ProjectCreate'];
export type ProjectUpdate = Schemas['ProjectUpdate'];
export type ProjectStatus = Schemas['ProjectStatus'];
export type ProjectSummary = Schemas['ProjectSummary'];
export type Sprint = Schemas['Sprint'];
export type SprintCreate = Schemas['SprintCreate'];
export type SprintUpdate = Schemas['SprintUpdate'];
export type SprintStatus = Schemas['SprintStatus'];
export type Burndown = Schemas['Burndown'];
export type Change = Schemas['Change'];
export type ChangePage = Schemas['ChangePage'];
export type BulkRequest = Schemas['BulkRequest'];
export type BulkResult = Schemas['BulkResult'];
export type BulkResponse = Schemas['BulkResponse'];
export type Health = Schemas['Health'];
export type TokenPair = Schemas['TokenPair'];
export type LoginRequest = Schemas['LoginRequest'];
export type RefreshRequest = Schemas['RefreshRequest'];
export type LogoutRequest = Schemas['LogoutRequest'];
export type TaskComplete = Schemas['TaskComplete'];
export type SprintTaskAssignment = Schemas['SprintTaskAssignment'];
export type User = Schemas['User'];
export type Problem = Schemas['Problem'];
export type FieldError = Schemas['FieldError'];
export type Role = User['roles'][number];

/** A page of any list operation. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
