// `dtm help formats`: how output looks, on a terminal, in a pipe, as JSON and as CSV.

export const formatsTopic = {
  name: 'formats',
  summary: 'Output formats: text, tab-separated, JSON (--json, --jq), CSV, and times',
  body: (): [string, [string, string][] | string][] => [
    [
      'TEXT',
      [
        ['on a terminal', 'Aligned tables with a header, colours and status markers, cut to the width of the terminal (the title first, with …); long output through the pager (--no-pager); notes and progress on stderr.'],
        ['in a pipe', 'Tab-separated rows without a header or colours, never cut, one record a line, for cut, awk and sort.'],
      ],
    ],
    [
      'JSON',
      [
        ['--json', 'Exactly one JSON document on stdout and nothing else, errors included ({"error": {…}}).'],
        ['--json id,title', 'Only those fields (of each item of a list); an unknown field is an error that lists the known ones; --json help lists them.'],
        ['--jq EXPR, -q', 'Filters the JSON document with jq (built in, no jq binary needed); strings print without quotes, one result a line, e.g. -q ".items[].id". Implies --json.'],
        ['source', 'An answer from the local copy has "source": "local" and "last_sync" (exit code 3).'],
      ],
    ],
    [
      'CSV',
      'dtm task export streams JSON, NDJSON or CSV. The CSV is the server\'s: a header, RFC 4180 quoting, tags joined with ";". ' +
        'A cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR; a plain negative number excepted) ' +
        "gets a leading ', so that it shows as text (CSV formula injection).",
    ],
    [
      'TIMES',
      'On a terminal, timestamps read "3 hours ago"; in a pipe and in JSON they are RFC 3339 in UTC (2026-11-02T09:30:00.000Z), as the API gives them; calendar dates (due dates, sprint days) ' +
        'are YYYY-MM-DD. Durations in flags: 10s, 500ms, 2m; sprint lengths: 10d, 2w.',
    ],
  ],
};
