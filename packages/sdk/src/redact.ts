// `@dtm/sdk/redact`: the SDK's redaction helpers alone, without the client (no ky, no zod),
// for tools that show URLs or headers and must not load the whole SDK to do it.
export { redactUrl } from './core/redact.js';
