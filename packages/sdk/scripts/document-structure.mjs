// Doc comments for the parts of openapi-typescript's output that no `description` in
// openapi.yaml can reach: the wrappers it builds around the contract (`paths`, `operations`,
// `components`, `parameters.query`, `requestBody`, `responses`, `content`, `headers`,
// methods a path does not have), responses and headers given by `$ref`, and the root type
// aliases (`SchemaTask`, ...). TypeDoc's `notDocumented` check covers the generated types
// like the rest of the public surface; every line here is derived from the contract itself
// (operation summaries, the referenced component's description), never written per field.
// Nodes that openapi-typescript already documented keep their comment.
import ts from 'typescript';

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const locations = new Set(['query', 'header', 'path', 'cookie']);

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Follows a local `$ref` (`#/components/...`) to its target. */
function resolve(spec, node) {
  let current = node;
  while (isObject(current) && typeof current.$ref === 'string') {
    current = current.$ref
      .slice(2)
      .split('/')
      .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((parent, key) => (isObject(parent) ? parent[key] : undefined), spec);
  }
  return current;
}

const nameOf = (member) =>
  member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) || ts.isNumericLiteral(member.name))
    ? member.name.text
    : undefined;

const isNever = (member) => member.type?.kind === ts.SyntaxKind.NeverKeyword;

/** The members of a property's type literal (empty for `never` or a reference). */
const membersOf = (member) => (member.type && ts.isTypeLiteralNode(member.type) ? member.type.members : []);

/** Gives a node a one-paragraph doc comment, unless it already has one. */
function document(node, text) {
  if (!text || ts.getSyntheticLeadingComments(node)?.length) return;
  const escaped = text.trim().replaceAll('*/', '*\\/').replaceAll('\n', '\n * ');
  const body = escaped.includes('\n') ? `*\n * ${escaped}\n ` : `* ${escaped} `;
  ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, body, true);
}

/** A sentence from a description: its first paragraph, as one line. */
const firstParagraph = (text) => (typeof text === 'string' ? text.trim().split(/\n\s*\n/)[0].replace(/\s+/g, ' ') : undefined);

function mediaTypeText(mediaType, media) {
  const own = firstParagraph(isObject(media?.schema) ? media.schema.description : undefined);
  if (own) return own;
  if (mediaType === 'application/json') return 'The body as JSON.';
  if (mediaType === 'application/problem+json') return 'The body as an RFC 9457 problem (JSON).';
  return `The body as \`${mediaType}\`.`;
}

/** `content` of `owner` ("the request of createTask", "this 200 response"). */
function documentContent(member, content, owner) {
  document(member, isNever(member) ? `None: ${owner} has no body.` : `The body of ${owner}, by media type.`);
  for (const media of membersOf(member)) {
    const mediaType = nameOf(media);
    if (mediaType) document(media, mediaTypeText(mediaType, content?.[mediaType]));
  }
}

function documentResponse(members, spec, response, what) {
  for (const member of members) {
    const name = nameOf(member);
    if (name === 'headers') {
      document(member, `The headers of ${what}.`);
      for (const header of membersOf(member)) {
        const headerName = nameOf(header);
        if (headerName) document(header, firstParagraph(resolve(spec, response?.headers?.[headerName])?.description));
      }
    } else if (name === 'content') {
      documentContent(member, response?.content, what);
    }
  }
}

/** `parameters` of an operation (`operationId`) or, without one, of the path item `path`. */
function documentParameters(member, { operationId, path }) {
  document(
    member,
    operationId
      ? `The parameters of ${operationId}, by where they are sent.`
      : `The parameters that every operation on \`${path}\` takes, by where they are sent.`,
  );
  for (const location of membersOf(member)) {
    const where = nameOf(location);
    if (!locations.has(where)) continue;
    if (operationId) {
      document(location, isNever(location) ? `None: ${operationId} takes no ${where} parameters.` : `The ${where} parameters of ${operationId}.`);
    } else {
      document(
        location,
        isNever(location)
          ? `None: the operations on \`${path}\` share no ${where} parameters.`
          : `The ${where} parameters that every operation on \`${path}\` takes.`,
      );
    }
  }
}

function documentOperation(members, spec, operation, operationId) {
  for (const member of members) {
    const name = nameOf(member);
    if (name === 'parameters') documentParameters(member, { operationId });
    else if (name === 'requestBody') {
      const body = resolve(spec, operation.requestBody);
      document(member, isNever(member) ? `None: ${operationId} takes no request body.` : firstParagraph(body?.description));
      for (const part of membersOf(member)) {
        if (nameOf(part) === 'content') documentContent(part, body?.content, `the request of ${operationId}`);
      }
    } else if (name === 'responses') {
      document(member, `The responses of ${operationId}, by HTTP status.`);
      for (const status of membersOf(member)) {
        const code = nameOf(status);
        const response = resolve(spec, operation.responses?.[code]);
        document(status, firstParagraph(response?.description));
        documentResponse(membersOf(status), spec, response, `this ${code} response`);
      }
    }
  }
}

function operationsOf(spec) {
  const found = new Map();
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of methods) {
      const operation = item?.[method];
      if (!isObject(operation) || typeof operation.operationId !== 'string') continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
      found.set(operation.operationId, { ...operation, parameters, method, path });
    }
  }
  return found;
}

function documentPaths(declaration, spec) {
  document(declaration, 'Every path of the DTM API, with its operations by HTTP method.');
  for (const member of declaration.members) {
    const path = nameOf(member);
    const item = spec.paths?.[path] ?? {};
    const present = methods.filter((method) => isObject(item[method]));
    document(member, `The operations on \`${path}\`: ${present.map((method) => `${method.toUpperCase()} (${item[method].operationId})`).join(', ')}.`);
    for (const part of membersOf(member)) {
      const name = nameOf(part);
      if (name === 'parameters') documentParameters(part, { path });
      else if (methods.includes(name) && isNever(part)) document(part, `None: \`${path}\` has no ${name.toUpperCase()} operation.`);
    }
  }
}

function documentOperations(declaration, spec) {
  document(declaration, 'Every operation of the DTM API by operationId: its parameters, request body and responses.');
  const operations = operationsOf(spec);
  for (const member of declaration.members) {
    const operationId = nameOf(member);
    const operation = operations.get(operationId);
    if (!operation) continue;
    document(member, `${operation.method.toUpperCase()} ${operation.path}: ${operation.summary ?? operationId}.`);
    documentOperation(membersOf(member), spec, operation, operationId);
  }
}

const componentTexts = {
  schemas: 'The data types of the DTM API, by schema name.',
  responses: 'Responses that several operations share, by name.',
  parameters: 'Parameters that several operations share, by name.',
  requestBodies: 'None: the DTM API shares no request bodies between operations.',
  headers: 'Response headers that several responses share, by name.',
  pathItems: 'None: the DTM API shares no path items.',
};

function documentComponents(declaration, spec) {
  document(declaration, 'The reusable parts of the DTM API: schemas, responses, parameters and headers.');
  for (const member of declaration.members) {
    const kind = nameOf(member);
    if (isNever(member)) document(member, componentTexts[kind] ?? `None: the DTM API has no shared ${kind}.`);
    else document(member, componentTexts[kind]);
    if (kind !== 'responses') continue;
    for (const entry of membersOf(member)) {
      const name = nameOf(entry);
      documentResponse(membersOf(entry), spec, spec.components?.responses?.[name], `the ${name} response`);
    }
  }
}

/** `SchemaTask = components['schemas']['Task']`: the referenced component's description. */
function documentRootType(declaration, spec) {
  const target = declaration.type && ts.isTypeReferenceNode(declaration.type) ? declaration.type.typeName : undefined;
  const match = target && ts.isIdentifier(target) ? /^components\['(\w+)'\]\['([^']+)'\]$/.exec(target.text) : null;
  if (!match) return;
  const [, kind, name] = match;
  document(declaration, firstParagraph(spec.components?.[kind]?.[name]?.description));
}

/**
 * Adds doc comments, in place, to the nodes of openapi-typescript's output (`nodes`, for
 * `spec`) that have none.
 */
export function documentStructure(nodes, spec) {
  for (const node of nodes) {
    if (ts.isInterfaceDeclaration(node) && node.name.text === 'paths') documentPaths(node, spec);
    else if (ts.isInterfaceDeclaration(node) && node.name.text === 'operations') documentOperations(node, spec);
    else if (ts.isInterfaceDeclaration(node) && node.name.text === 'components') documentComponents(node, spec);
    else if (ts.isTypeAliasDeclaration(node) && node.name.text === 'webhooks') document(node, 'None: the DTM API has no webhooks.');
    else if (ts.isTypeAliasDeclaration(node) && node.name.text === '$defs') document(node, 'None: the DTM API has no `$defs`.');
    else if (ts.isTypeAliasDeclaration(node)) documentRootType(node, spec);
  }
  return nodes;
}
