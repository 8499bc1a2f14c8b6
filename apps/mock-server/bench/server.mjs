// One server of the bench, in its own process so the load generator does not share its event
// loop: `node bench/server.mjs <dist dir> <tasks>` starts the stateful mock with that many demo
// tasks; `node bench/server.mjs --bare <file of canned answers>` starts a bare node:http server
// answering the same bytes, and `--fastify <file>` a bare Fastify app answering them (the share
// of the framework itself). Each prints one JSON line with its URL (and start-up figures).
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [mode, arg] = process.argv.slice(2);

const cannedAnswers = () => {
  const answers = JSON.parse(readFileSync(arg, 'utf8'));
  return new Map(answers.map((answer) => [`${answer.method} ${answer.path}`, { ...answer, body: Buffer.from(answer.body) }]));
};

if (mode === '--fastify') {
  // Fastify with no hooks, auth or validation: the precomputed bytes per case.
  const { default: Fastify } = await import('fastify');
  const byCase = cannedAnswers();
  const app = Fastify();
  for (const answer of byCase.values()) {
    app.route({
      method: answer.method,
      url: answer.path.split('?')[0],
      handler: (_request, reply) => reply.code(answer.status).header('content-type', 'application/json; charset=utf-8').send(answer.body),
    });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${app.server.address().port}` })}\n`);
} else if (mode === '--bare') {
  // The floor: no routing, parsing or validation, just the precomputed bytes per case.
  const byCase = cannedAnswers();
  const server = createServer((request, response) => {
    const answer = byCase.get(`${request.method} ${request.url}`);
    request.resume();
    request.on('end', () => {
      if (!answer) return void response.writeHead(404).end();
      response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': answer.body.length });
      response.end(answer.body);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
  });
} else {
  const { startMockServer } = await import(pathToFileURL(resolve(mode, 'index.js')).href);
  const started = performance.now();
  const server = await startMockServer({ tasks: Number(arg) });
  const startupMs = performance.now() - started;
  global.gc?.();
  const rssMb = process.memoryUsage().rss / 1_048_576;
  process.stdout.write(`${JSON.stringify({ url: server.url, startupMs, rssMb, tasks: server.taskCount() })}\n`);
  process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}
