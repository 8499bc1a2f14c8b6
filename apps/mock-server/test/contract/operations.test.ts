import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/operations.js';

// These checks hold the contract to the house rules a linter does not know about.
const operations = loadContract();
const byId = operations.map((operation) => [operation.operationId, operation] as const);

describe('openapi.yaml', () => {
  it('has the whole DTM API: at least 28 operations with unique camelCase ids', () => {
    expect(operations.length).toBeGreaterThanOrEqual(28);
    const ids = operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
  });

  it.each(byId)('%s has a tag, a summary and a description', (_, operation) => {
    expect(operation.tags).toHaveLength(1);
    expect(operation.summary).toBeTruthy();
    expect(operation.description).toBeTruthy();
  });

  it.each(byId)('%s has examples for its request and its responses', (_, operation) => {
    if (operation.requestBody) expect(operation.requestBody.example).toBeDefined();
    for (const [status, response] of Object.entries(operation.responses)) {
      for (const [mediaType, examples] of Object.entries(response.content)) {
        expect(Object.keys(examples), `${status} ${mediaType}`).not.toHaveLength(0);
      }
    }
    for (const parameter of operation.parameters) {
      expect(parameter.example, `parameter ${parameter.name}`).toBeDefined();
    }
  });

  it.each(byId)('%s declares its errors as problem+json', (_, operation) => {
    const statuses = Object.keys(operation.responses);
    expect(statuses.some((status) => /^2\d\d$/.test(status))).toBe(true);
    expect(statuses).toContain('429');
    expect(statuses).toContain('500');
    if (operation.secured) expect(statuses).toContain('401');
    if (operation.requestBody) expect(statuses).toEqual(expect.arrayContaining(['400', '413', '415', '422']));
    if (operation.path.includes('_id}')) expect(statuses).toContain('404');
    for (const status of statuses.filter((code) => Number(code) >= 400 && Number(code) !== 503)) {
      expect(Object.keys(operation.responses[status]?.content ?? {}), status).toEqual(['application/problem+json']);
    }
  });

  it.each(byId)('%s takes the concurrency and idempotency headers where they apply', (_, operation) => {
    const headers = operation.parameters.filter((p) => p.in === 'header').map((p) => p.name);
    if (operation.method === 'PATCH' || (operation.method === 'DELETE' && operation.path.split('{').length === 2)) {
      expect(headers).toContain('If-Match');
      expect(Object.keys(operation.responses)).toContain('412');
    }
    if (operation.method === 'POST' && !operation.path.startsWith('/auth/')) {
      expect(headers).toContain('Idempotency-Key');
    }
  });

  it('marks only health, login and refresh as public', () => {
    const open = operations.filter((operation) => !operation.secured).map((operation) => operation.operationId);
    expect(open.sort()).toEqual(['getHealth', 'login', 'refreshToken']);
  });
});
