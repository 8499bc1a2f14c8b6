import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { findSpecPath } from '../spec.js';

/** One operation of openapi.yaml, with every `$ref` it uses resolved. */
export interface ContractOperation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly tags: readonly string[];
  readonly summary: string | undefined;
  readonly description: string | undefined;
  /** True when the operation needs a bearer token. */
  readonly secured: boolean;
  readonly parameters: readonly ContractParameter[];
  readonly requestBody: ContractRequestBody | undefined;
  /** Status code (as in the spec: "200", "4XX", "default") to its media types and examples. */
  readonly responses: Readonly<Record<string, ContractResponse>>;
}

export interface ContractParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
  readonly explode: boolean;
  readonly schema: Record<string, unknown>;
  readonly example: unknown;
}

export interface ContractRequestBody {
  readonly required: boolean;
  readonly mediaType: string;
  readonly schema: Record<string, unknown>;
  /** The first example given for the body. */
  readonly example: unknown;
}

export interface ContractResponse {
  readonly description: string;
  /** Media type to its examples, by name. */
  readonly content: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly headers: readonly string[];
}

type Node = Record<string, unknown>;
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function asNode(value: unknown, where: string): Node {
  if (!isNode(value)) throw new Error(`openapi.yaml: expected an object at ${where}`);
  return value;
}

/** Follows a local `$ref` (`#/components/...`) until it reaches a node that is not a reference. */
function deref(document: Node, value: unknown, where: string): Node {
  let node = asNode(value, where);
  for (let hops = 0; typeof node.$ref === 'string'; hops++) {
    const ref = node.$ref;
    if (!ref.startsWith('#/') || hops > 20) throw new Error(`openapi.yaml: cannot resolve ${ref} at ${where}`);
    let target: unknown = document;
    for (const segment of ref.slice(2).split('/')) {
      const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
      target = isNode(target) ? target[key] : undefined;
    }
    node = asNode(target, ref);
  }
  return node;
}

function firstExample(document: Node, media: Node, where: string): unknown {
  if ('example' in media) return media.example;
  const examples = isNode(media.examples) ? Object.values(media.examples) : [];
  return examples.length > 0 ? deref(document, examples[0], where).value : undefined;
}

function readParameter(document: Node, raw: unknown, where: string): ContractParameter {
  const node = deref(document, raw, where);
  const location = node.in;
  if (location !== 'path' && location !== 'query' && location !== 'header' && location !== 'cookie') {
    throw new Error(`openapi.yaml: parameter at ${where} has no valid "in"`);
  }
  return {
    name: String(node.name),
    in: location,
    required: node.required === true,
    // OpenAPI's default: form-style query parameters explode.
    explode: node.explode !== false,
    schema: deref(document, node.schema ?? {}, `${where}.schema`),
    example: node.example,
  };
}

function readResponse(document: Node, raw: unknown, where: string): ContractResponse {
  const node = deref(document, raw, where);
  const content: Record<string, Record<string, unknown>> = {};
  for (const [mediaType, media] of Object.entries(isNode(node.content) ? node.content : {})) {
    const mediaNode = asNode(media, `${where}.content`);
    const examples: Record<string, unknown> = {};
    if ('example' in mediaNode) examples.example = mediaNode.example;
    for (const [name, example] of Object.entries(isNode(mediaNode.examples) ? mediaNode.examples : {})) {
      examples[name] = deref(document, example, `${where}.examples.${name}`).value;
    }
    content[mediaType] = examples;
  }
  return {
    description: typeof node.description === 'string' ? node.description : '',
    content,
    headers: Object.keys(isNode(node.headers) ? node.headers : {}),
  };
}

/** Reads every operation of the contract, in document order. */
export function loadContract(specPath: string = findSpecPath()): ContractOperation[] {
  const document = asNode(parse(readFileSync(specPath, 'utf8')), 'the document root');
  const globalSecured = Array.isArray(document.security) && document.security.length > 0;
  const operations: ContractOperation[] = [];
  for (const [path, rawItem] of Object.entries(asNode(document.paths, 'paths'))) {
    const item = asNode(rawItem, path);
    const shared = asList(item.parameters);
    for (const method of methods) {
      if (!(method in item)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const operation = asNode(item[method], where);
      const own = asList(operation.parameters);
      const parameters = [...shared, ...own].map((raw, index) =>
        readParameter(document, raw, `${where} parameters[${index}]`),
      );
      let requestBody: ContractRequestBody | undefined;
      if (operation.requestBody !== undefined) {
        const body = deref(document, operation.requestBody, `${where} requestBody`);
        const [mediaType, media] = Object.entries(asNode(body.content, `${where} requestBody.content`))[0] ?? [];
        if (mediaType === undefined) throw new Error(`openapi.yaml: ${where} has an empty request body`);
        const mediaNode = asNode(media, `${where} requestBody`);
        requestBody = {
          required: body.required === true,
          mediaType,
          schema: deref(document, mediaNode.schema ?? {}, `${where} requestBody.schema`),
          example: firstExample(document, mediaNode, `${where} requestBody`),
        };
      }
      const responses: Record<string, ContractResponse> = {};
      for (const [status, response] of Object.entries(asNode(operation.responses, `${where} responses`))) {
        responses[status] = readResponse(document, response, `${where} responses.${status}`);
      }
      operations.push({
        operationId: String(operation.operationId),
        method: method.toUpperCase(),
        path,
        tags: Array.isArray(operation.tags) ? operation.tags.map(String) : [],
        summary: typeof operation.summary === 'string' ? operation.summary : undefined,
        description: typeof operation.description === 'string' ? operation.description : undefined,
        secured: Array.isArray(operation.security) ? operation.security.length > 0 : globalSecured,
        parameters,
        requestBody,
        responses,
      });
    }
  }
  return operations;
}
