// The public surface of @dtm/mock-server. Everything not exported here is internal.
export { buildExampleRequest } from './contract/example-request.js';
export type { ExampleRequest, ExampleRequestOptions } from './contract/example-request.js';
export { loadContract } from './contract/operations.js';
export type {
  ContractOperation,
  ContractParameter,
  ContractRequestBody,
  ContractResponse,
} from './contract/operations.js';
export { PrismStartError, startPrism } from './engines/prism.js';
export type { PrismOptions, RunningPrism } from './engines/prism.js';
export type { MockUser } from './engines/stateful/auth.js';
export { DataFileError, isDataFileError } from './engines/stateful/persistence.js';
export { startMockServer } from './engines/stateful/server.js';
export type { MockServerOptions, RunningMockServer } from './engines/stateful/server.js';
export { noFaults } from './faults.js';
export type { Faults } from './faults.js';
export { findSpecPath } from './spec.js';
