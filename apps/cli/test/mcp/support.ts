// `dtm mcp` under the official MCP client (Client + StdioClientTransport), for the tests: every
// answer and all of stderr are kept (to look for tokens), and a protocol error (a line on stdout
// that is not a protocol message) is collected.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type Sandbox, bin } from '../harness.js';

export interface Structured {
  result: Record<string, unknown> & { id?: string; items?: { id: string }[] };
  source: 'api' | 'local';
  last_sync?: string;
  queued?: number;
  note?: string;
}
export interface Called {
  isError?: boolean;
  content: { type: string; text: string }[];
  structuredContent?: Structured;
}

export interface McpSession {
  client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<Called>;
  /** Every answer as JSON, and everything on stderr. */
  answers: string[];
  stderr: string[];
  protocolErrors: Error[];
  close(): Promise<void>;
}

export async function startMcp(box: Sandbox): Promise<McpSession> {
  const answers: string[] = [];
  const stderr: string[] = [];
  const protocolErrors: Error[] = [];
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp'], env: box.env(), stderr: 'pipe' });
  transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const client = new Client({ name: 'dtm-test', version: '1.0.0' });
  client.onerror = (error) => protocolErrors.push(error);
  await client.connect(transport);
  return {
    client,
    answers,
    stderr,
    protocolErrors,
    async call(name, args = {}) {
      const result = (await client.callTool({ name, arguments: args })) as Called;
      answers.push(JSON.stringify(result));
      return result;
    },
    close: () => client.close(),
  };
}
