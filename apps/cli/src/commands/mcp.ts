import { DtmCommand } from '../base-command.js';

export default class Mcp extends DtmCommand<typeof Mcp> {
  static override canFallBack = true;
  static override summary = 'Serve the DTM API to AI agents over the Model Context Protocol (stdio)';
  static override description =
    'Runs an MCP server on stdin/stdout until stdin closes: one tool per operation — tasks (list_tasks, get_task, create_task, update_task, ' +
    'complete_task, delete_task, bulk_update_tasks, task_history), projects (list_projects, get_project, project_summary, create_project, ' +
    'update_project, delete_project), sprints (list_sprints, get_sprint, create_sprint, update_sprint, start_sprint, complete_sprint, ' +
    'delete_sprint, add_sprint_tasks, remove_sprint_tasks, sprint_burndown), health — with input and output schemas from the API contract, ' +
    'sync_status and sync, and the resources dtm://tasks/{task_id}, dtm://projects/{project_id}, dtm://sprints/{sprint_id}/burndown. It uses ' +
    'the settings and the session of `dtm auth login` (or DTM_TOKEN) and the same local store as every command: while the API is unreachable, ' +
    'reads answer from the store (source "local", with last_sync) and changes are queued for `dtm sync`. Only the protocol goes to stdout; ' +
    'errors are tool errors with the message and hint dtm prints. Add it to an MCP client as the command `dtm` with the argument `mcp`; ' +
    'try it with `npx @modelcontextprotocol/inspector --cli dtm mcp --method tools/list`.';
  static override examples = ['<%= config.bin %> mcp'];

  async run(): Promise<void> {
    if (this.json) this.error('`dtm mcp` speaks the Model Context Protocol on stdout; --json does not apply.', { exit: 2 });
    const [{ mcpServer }, { StdioServerTransport }] = await Promise.all([import('../lib/mcp/server.js'), import('@modelcontextprotocol/sdk/server/stdio.js')]);
    const server = mcpServer({
      name: 'dtm',
      version: this.config.version,
      dataLayer: (hooks) => this.newDataLayer(hooks, { ownConnection: true }),
    });
    const closed = new Promise<void>((resolve) => {
      server.onclose = resolve;
    });
    await server.connect(new StdioServerTransport());
    // Until the client closes stdin (or ends the session).
    await Promise.race([closed, new Promise<void>((resolve) => process.stdin.once('end', resolve))]);
    await server.close();
  }
}
