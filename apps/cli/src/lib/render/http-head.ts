import { STATUS_CODES } from 'node:http';
import type { ApiAnswer } from '../api-answer.js';
import { safeText } from './safe-text.js';

/**
 * `dtm api -i`: the status line and the response headers, then a blank line, as `gh api -i`
 * prints them. The CLI talks HTTP/1.1 (lib/node-fetch.ts). On a terminal the server's text
 * has its control characters shown, not obeyed.
 */
export function formatHead(answer: Pick<ApiAnswer, 'status' | 'headers'>, tty: boolean): string {
  const status = `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}`.trimEnd();
  const text = `${[status, ...answer.headers.map(([name, value]) => `${name}: ${value}`)].join('\n')}\n\n`;
  return tty ? safeText(text) : text;
}
