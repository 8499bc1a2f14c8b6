// The help topics that are not commands (`dtm help environment`), as gh has them, and the
// examples of the root help. Each topic is a list of sections: a header and either lines of
// `name  description` or a paragraph.
import { environmentTopic } from './environment.js';
import { exitCodesTopic } from './exit-codes.js';
import { formatsTopic } from './formats.js';

export type Section = [header: string, body: [string, string][] | string];

export interface HelpTopic {
  name: string;
  summary: string;
  body: () => Section[];
}

export const helpTopics: readonly HelpTopic[] = [environmentTopic, exitCodesTopic, formatsTopic];

export function findHelpTopic(name: string): HelpTopic | undefined {
  return helpTopics.find((topic) => topic.name === name);
}

/** The EXAMPLES of `dtm --help`. */
export const rootExamples: readonly string[] = [
  'dtm auth login --username demo',
  'dtm task list --status pending,in_progress --sort -priority',
  'dtm task create --title "Write the release notes" --project PRJ-001 --priority high',
  'dtm sprint create --name "Sprint 1" --project PRJ-001',
  'dtm task list --project PRJ-001 --json id,title | jq -r ".items[].id"',
];
