// `dtm help exit-codes`: the codes and their meanings, from errors.ts.
import { ExitCode, exitCodeMeanings } from '../errors.js';

export const exitCodesTopic = {
  name: 'exit-codes',
  summary: 'What each exit code of dtm means',
  body: (): [string, [string, string][] | string][] => [
    ['EXIT CODES', Object.values(ExitCode).map((code): [string, string] => [String(code), exitCodeMeanings[code]])],
    ['IN SCRIPTS', 'Under --json an error is a JSON document on stdout ({"error": {"code", "message", "hint", …}}) with the same exit code.'],
  ],
};
