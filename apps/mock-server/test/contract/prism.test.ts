import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExampleRequest } from '../../src/contract/example-request.js';
import { type ContractOperation, loadContract } from '../../src/contract/operations.js';
import { type RunningPrism, startPrism } from '../../src/engines/prism.js';

interface Violation {
  location: string[];
  code: string | number;
  message: string;
}

const operations = loadContract();
const byId = operations.map((operation) => [operation.operationId, operation] as const);
const withBody = byId.filter(([, operation]) => operation.requestBody !== undefined);
const secured = byId.filter(([, operation]) => operation.secured);

let prism: RunningPrism;
beforeAll(async () => {
  prism = await startPrism();
});
afterAll(async () => {
  await prism.stop();
});

async function send(operation: ContractOperation, options: Parameters<typeof buildExampleRequest>[2]) {
  const { url, init } = buildExampleRequest(operation, prism.url, options);
  const response = await fetch(url, init);
  await response.arrayBuffer();
  const header = response.headers.get('sl-violations');
  const violations = header ? (JSON.parse(header) as Violation[]) : [];
  return { status: response.status, violations };
}

/** Gives the first property of an object example a value of the wrong type. */
function breakBody(example: unknown): unknown {
  if (typeof example !== 'object' || example === null || Array.isArray(example)) return [example];
  const [key, value] = Object.entries(example)[0] ?? [];
  if (key === undefined) return { unexpected_property: true };
  return { ...example, [key]: typeof value === 'number' ? 'not-a-number' : 12345 };
}

describe('Prism on openapi.yaml', () => {
  it.each(byId)('%s: the example request conforms and gets a declared success', async (_, operation) => {
    const { status, violations } = await send(operation, { token: 'contract-test-token' });
    expect(violations).toEqual([]);
    expect(status).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThan(300);
    expect(Object.keys(operation.responses)).toContain(String(status));
  });

  it.each(withBody)('%s: a body of the wrong shape is reported as a violation', async (_, operation) => {
    const body = breakBody(operation.requestBody?.example);
    const { status, violations } = await send(operation, { token: 'contract-test-token', body });
    expect(status).toBe(422);
    expect(violations.map((violation) => violation.location.slice(0, 2).join('.'))).toContain('request.body');
  });

  it.each(secured)('%s: a request without a token is refused with 401', async (_, operation) => {
    const { status } = await send(operation, {});
    expect(status).toBe(401);
  });

  it('rejects a query parameter outside its bounds', async () => {
    const listTasks = operations.find((operation) => operation.operationId === 'listTasks');
    if (!listTasks) throw new Error('listTasks is missing from openapi.yaml');
    const { url, init } = buildExampleRequest(listTasks, prism.url, { token: 'contract-test-token' });
    const response = await fetch(url.replace('limit=50', 'limit=1001'), init);
    await response.arrayBuffer();
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});
