// The store's schema, as migrations: `PRAGMA user_version` says how many a file has seen, and
// a newer dtm applies the rest on open. Never change a migration that has shipped; add one.
//
// Records keep the JSON the API returned (`data`) beside the columns the local queries filter
// and sort by. The filters are indexed; the sort orders are not (a top-N sort of 100,000 rows
// costs a few ms, while every index taxes each of the many writes). Record tables keep their
// rowid: their rows are too large for WITHOUT ROWID to pay off.
export const migrations: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

  CREATE TABLE tasks (
    id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL,
    status_rank INTEGER NOT NULL, priority_rank INTEGER NOT NULL,
    project_id TEXT, sprint_id TEXT, assignee TEXT, title TEXT NOT NULL, description TEXT,
    due_date TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, updated_ms INTEGER NOT NULL
  );
  CREATE INDEX tasks_by_status ON tasks (status_rank);
  CREATE INDEX tasks_by_project ON tasks (project_id);
  CREATE INDEX tasks_by_sprint ON tasks (sprint_id);
  CREATE INDEX tasks_by_assignee ON tasks (assignee);
  CREATE INDEX tasks_by_updated ON tasks (updated_ms);

  CREATE TABLE projects (
    id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL,
    status TEXT NOT NULL, name TEXT NOT NULL, description TEXT
  );

  CREATE TABLE sprints (
    id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL,
    status TEXT NOT NULL, project_id TEXT NOT NULL, start_date TEXT NOT NULL
  );

  -- Changes made while the API was unreachable, sent oldest first (seq order).
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    entry TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
    change TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    -- Set before the change is sent: a resend after a crash knows it may have reached the server.
    sent_at TEXT
  );
  CREATE INDEX outbox_by_target ON outbox (target);

  -- Every change the server settled (or that was imported from an older data dir): never queued again.
  CREATE TABLE settled (entry TEXT PRIMARY KEY, outcome TEXT NOT NULL, at TEXT NOT NULL) WITHOUT ROWID;

  -- Temporary ids of records created offline, once the server gave them their own.
  CREATE TABLE temporary_ids (temporary TEXT PRIMARY KEY, kind TEXT NOT NULL, server_id TEXT NOT NULL) WITHOUT ROWID;

  CREATE TABLE conflicts (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, target TEXT NOT NULL,
    entry TEXT NOT NULL, reason TEXT NOT NULL, remote TEXT, found_at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
];
