// The floor the store benchmark compares `dtm` with: the same requests made by a bare fetch
// client (global fetch + JSON.parse, no validation, no store), in a process of its own.
//   node bare.mjs bulk URL TOKEN  [assignee]   lists every task (pages of 1000, sort=id) and sends
//                                              bulk updates of 100, 4 at a time (what `dtm task
//                                              bulk-update --filter … --assignee …` sends)
//   node bare.mjs changes URL TOKEN CURSOR     one page of 1000 changes after CURSOR
//   node bare.mjs list URL TOKEN               GET /api/v1/tasks?limit=10
import { argv } from 'node:process';

import { readFileSync } from 'node:fs';

const [mode, url, tokenArg, extraArg] = argv.slice(2);
// `@FILE` reads the value from a file (hyperfine -N runs commands without a shell).
const value = (text) => (text?.startsWith('@') ? readFileSync(text.slice(1), 'utf8').trim() : text);
const token = value(tokenArg);
const extra = value(extraArg);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

async function get(path) {
  const response = await fetch(`${url}${path}`, { headers });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

if (mode === 'list') {
  await get('/api/v1/tasks?limit=10');
} else if (mode === 'changes') {
  const page = await get(`/api/v1/changes?limit=1000&cursor=${encodeURIComponent(extra)}`);
  if (page.items.length === 0) throw new Error('no changes after the cursor');
} else if (mode === 'bulk') {
  const targets = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await get(`/api/v1/tasks?limit=1000&offset=${offset}&sort=id`);
    for (const task of page.items) targets.push(task);
    if (offset + page.items.length >= page.total || page.items.length === 0) break;
  }
  const batches = [];
  for (let start = 0; start < targets.length; start += 100) batches.push(targets.slice(start, start + 100));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      const operations = batch.map((task) => ({ op: 'update', id: task.id, if_match: `"${task.version}"`, data: { assignee: extra } }));
      const response = await fetch(`${url}/api/v1/tasks/bulk`, { method: 'POST', headers, body: JSON.stringify({ operations }) });
      if (!response.ok) throw new Error(`bulk: ${response.status}`);
      await response.json();
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
} else {
  throw new Error(`unknown mode ${mode}`);
}
