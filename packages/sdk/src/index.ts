// The public surface of @dtm/sdk. Everything not exported here is internal.
export { DtmClient } from './client.js';
export type { DerivedClientOptions, DtmClientOptions, RawRequest, RawResponse } from './client.js';

export { AuthResource, tokenSetFrom } from './resources/auth.js';
export { ChangesResource } from './resources/changes.js';
export type { ChangePagesParams, ListChangesParams } from './resources/changes.js';
export { ProjectsResource } from './resources/projects.js';
export type { ListProjectsParams, ProjectFilters } from './resources/projects.js';
export { SprintsResource } from './resources/sprints.js';
export type { ListSprintsParams, SprintFilters } from './resources/sprints.js';
export { TasksResource } from './resources/tasks.js';
export type { ExportTasksParams, ListTasksParams, TaskFilters, TaskHistoryParams } from './resources/tasks.js';

export { APIPromise } from './core/api-promise.js';
export type { WithResponse } from './core/api-promise.js';
export { MemoryTokenStore } from './core/auth.js';
export type { TokenSet, TokenStore } from './core/auth.js';
export { CircuitBreaker } from './core/breaker.js';
export type { BreakerOptions, BreakerState } from './core/breaker.js';
export { parseDuration } from './core/config.js';
export { redactUrl } from './core/redact.js';
export type { CallMetrics, ErrorEvent, Hooks, RequestEvent, ResponseEvent } from './core/hooks.js';
export type { LogLevel, Logger } from './core/logger.js';
export type { ConditionalReadOptions, WriteOptions } from './core/operation.js';
export type { NavigablePage, Page, PageNavigation, PageWalk } from './core/pagination.js';
export { walkPages } from './core/pagination.js';
export type { RetryOptions } from './core/retry.js';
export type { HttpMethod, QueryValue, RequestOptions } from './core/transport.js';
export {
  ApiError,
  AuthenticationError,
  BadRequestError,
  CircuitOpenError,
  ConfigurationError,
  ConflictError,
  ConnectionError,
  CursorExpiredError,
  DtmError,
  InsecureTransportError,
  NotFoundError,
  PermissionDeniedError,
  PreconditionFailedError,
  RateLimitError,
  RequestAbortedError,
  ResponseTooLargeError,
  ResponseValidationError,
  ServerError,
  TimeoutError,
  ValidationError,
  isApiError,
  isAuthenticationError,
  isBadRequestError,
  isCircuitOpenError,
  isConflictError,
  isConnectionError,
  isCursorExpiredError,
  isDtmError,
  isInsecureTransportError,
  isNotFoundError,
  isPermissionDeniedError,
  isPreconditionFailedError,
  isRateLimitError,
  isRequestAbortedError,
  isResponseTooLargeError,
  isResponseValidationError,
  isServerError,
  isTimeoutError,
  isUnreachableError,
  isValidationError,
} from './core/errors.js';
export type { ErrorContext } from './core/errors.js';

export type { components, operations, paths } from './generated/openapi.js';
export type {
  SchemaBurndown as Burndown,
  SchemaBurndownPoint as BurndownPoint,
  SchemaBulkOperation as BulkOperation,
  SchemaBulkRequest as BulkRequest,
  SchemaBulkResponse as BulkResponse,
  SchemaBulkResult as BulkResult,
  SchemaChange as Change,
  SchemaChangeOp as ChangeOp,
  SchemaChangePage as ChangePage,
  SchemaFieldError as FieldError,
  SchemaHealth as Health,
  SchemaLoginRequest as LoginRequest,
  SchemaProblem as Problem,
  SchemaProject as Project,
  SchemaProjectChange as ProjectChange,
  SchemaProjectCreate as ProjectCreate,
  SchemaProjectPage as ProjectPage,
  SchemaProjectStatus as ProjectStatus,
  SchemaProjectSummary as ProjectSummary,
  SchemaProjectUpdate as ProjectUpdate,
  SchemaSprint as Sprint,
  SchemaSprintChange as SprintChange,
  SchemaSprintCreate as SprintCreate,
  SchemaSprintPage as SprintPage,
  SchemaSprintStatus as SprintStatus,
  SchemaSprintTaskAssignmentResult as SprintTaskAssignmentResult,
  SchemaSprintUpdate as SprintUpdate,
  SchemaTask as Task,
  SchemaTaskChange as TaskChange,
  SchemaTaskComplete as TaskComplete,
  SchemaTaskCreate as TaskCreate,
  SchemaTaskHistoryEntry as TaskHistoryEntry,
  SchemaTaskHistoryPage as TaskHistoryPage,
  SchemaTaskPage as TaskPage,
  SchemaTaskPriority as TaskPriority,
  SchemaTaskStatus as TaskStatus,
  SchemaTaskUpdate as TaskUpdate,
  SchemaTokenPair as TokenPair,
  SchemaUser as User,
} from './generated/openapi.js';
