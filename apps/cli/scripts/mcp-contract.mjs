// `npm run generate -w @dtm/cli`: the part of openapi.yaml that `dtm mcp` serves to agents,
// as src/lib/mcp/contract.json: for every operation its summary, description, path and query
// parameters, JSON request body and success response, each schema self-contained (every
// `$ref` resolved in place; examples dropped). The MCP tools' input and output schemas are made
// from it (src/lib/mcp/schemas.ts), so they follow the contract; test/mcp/contract.test.ts
// fails when this file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const specPath = fileURLToPath(new URL('../../../openapi.yaml', import.meta.url));
export const outputPath = fileURLToPath(new URL('../src/lib/mcp/contract.json', import.meta.url));

/** Keys of a schema or parameter that say nothing an input or output check needs. */
const dropped = new Set(['example', 'examples', 'xml', 'externalDocs']);

/** `node` with every `$ref` replaced by what it points to (the spec's schemas are not recursive). */
function resolved(spec, node, trail = []) {
  if (Array.isArray(node)) return node.map((item) => resolved(spec, item, trail));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    if (trail.includes(node.$ref)) throw new Error(`openapi.yaml: ${node.$ref} refers to itself (${trail.join(' → ')})`);
    const target = node.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((at, key) => at?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], spec);
    if (target === undefined) throw new Error(`openapi.yaml: ${node.$ref} does not exist`);
    return resolved(spec, target, [...trail, node.$ref]);
  }
  return Object.fromEntries(Object.entries(node).filter(([key]) => !dropped.has(key)).map(([key, value]) => [key, resolved(spec, value, trail)]));
}

const jsonSchema = (content) => content?.['application/json']?.schema;

export async function generateContract() {
  const spec = parse(await readFile(specPath, 'utf8'));
  const operations = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (typeof operation?.operationId !== 'string') continue;
      const parameters = resolved(spec, [...(item.parameters ?? []), ...(operation.parameters ?? [])])
        .filter((parameter) => parameter.in === 'path' || parameter.in === 'query')
        .map(({ name, in: where, required = false, description, schema }) => ({ name, in: where, required, ...(description === undefined ? {} : { description }), schema }));
      const body = operation.requestBody === undefined ? undefined : resolved(spec, operation.requestBody);
      const success = Object.entries(operation.responses ?? {}).find(([status]) => /^2\d\d$/.test(status));
      const response = success === undefined ? undefined : jsonSchema(resolved(spec, success[1]).content);
      operations[operation.operationId] = {
        method: method.toUpperCase(),
        path,
        summary: operation.summary,
        ...(operation.description === undefined ? {} : { description: operation.description }),
        parameters,
        ...(jsonSchema(body?.content) === undefined ? {} : { body: { required: body.required === true, schema: jsonSchema(body.content) } }),
        ...(response === undefined ? {} : { response }),
      };
    }
  }
  return `${JSON.stringify({ info: { title: spec.info.title, version: spec.info.version }, operations }, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(outputPath, await generateContract());
  console.log(`wrote ${outputPath}`);
}
