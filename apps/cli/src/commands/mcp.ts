import { Flags } from '@oclif/core';
import { DtmCommand } from '../base-command.js';
import { usageError } from '../lib/errors.js';

export default class Mcp extends DtmCommand<typeof Mcp> {
  static override canFallBack = true;
  static override summary = 'Serve the DTM API to AI agents over the Model Context Protocol (stdio, or HTTP on loopback)';
  static override description =
    'Runs an MCP server on stdin/stdout until stdin closes: one tool per operation — tasks (list_tasks, get_task, create_task, update_task, ' +
    'complete_task, delete_task, bulk_update_tasks, task_history), projects (list_projects, get_project, project_summary, create_project, ' +
    'update_project, delete_project), sprints (list_sprints, get_sprint, create_sprint, update_sprint, start_sprint, complete_sprint, ' +
    'delete_sprint, add_sprint_tasks, remove_sprint_tasks, sprint_burndown), health — with input and output schemas from the API contract, ' +
    'sync_status and sync, and the resources dtm://tasks/{task_id}, dtm://projects/{project_id}, dtm://sprints/{sprint_id}/burndown. It uses ' +
    'the settings and the session of `dtm auth login` (or DTM_TOKEN) and the same local store as every command: while the API is unreachable, ' +
    'reads answer from the store (source "local", with last_sync) and changes are queued for `dtm sync`. Only the protocol goes to stdout; ' +
    'errors are tool errors with the message and hint dtm prints. Add it to an MCP client as the command `dtm` with the argument `mcp`; ' +
    'try it with `npx @modelcontextprotocol/inspector --cli dtm mcp --method tools/list`. With --http PORT it serves the Streamable HTTP ' +
    'transport at http://127.0.0.1:PORT/mcp instead (loopback only; a session per client) until interrupted.';
  static override examples = ['<%= config.bin %> mcp', '<%= config.bin %> mcp --http 8765'];

  static override flags = {
    http: Flags.integer({ min: 0, max: 65535, description: 'Serve Streamable HTTP at http://127.0.0.1:PORT/mcp instead of stdio (0: a free port)', helpValue: 'PORT' }),
  };

  async run(): Promise<void> {
    if (this.json) this.error('`dtm mcp` speaks the Model Context Protocol on stdout; --json does not apply.', { exit: 2 });
    const { mcpServer } = await import('../lib/mcp/server.js');
    const newServer = () => mcpServer({ name: 'dtm', version: this.config.version, dataLayer: (hooks) => this.newDataLayer(hooks, { ownConnection: true }) });
    if (this.flags.http !== undefined) {
      await this.#serveHttp(this.flags.http, newServer);
      return;
    }
    const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
    const server = newServer();
    const closed = new Promise<void>((resolve) => {
      server.onclose = resolve;
    });
    await server.connect(new StdioServerTransport());
    // Until the client closes stdin (or ends the session).
    await Promise.race([closed, new Promise<void>((resolve) => process.stdin.once('end', resolve))]);
    await server.close();
  }

  /** Until SIGINT or SIGTERM. */
  async #serveHttp(port: number, newServer: Parameters<typeof import('../lib/mcp/http.js').serveHttp>[1]): Promise<void> {
    const { serveHttp } = await import('../lib/mcp/http.js');
    const http = await serveHttp(port, newServer).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      throw usageError(`Port ${port} on 127.0.0.1 is in use.`, 'Pick another with --http PORT, or --http 0 for a free one.');
    });
    this.note(`Serving MCP (Streamable HTTP) at ${http.url}, on loopback only; Ctrl-C stops it.`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await http.close();
  }
}
