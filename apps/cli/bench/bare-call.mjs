// The floor for a CLI call: a bare node:http script making the same GET as
// `dtm … --json` and printing the JSON body. `node bench/bare-call.mjs <url>`; the bearer token
// comes from DTM_BENCH_TOKEN (never argv).
import { get } from 'node:http';

get(process.argv[2], { headers: { authorization: `Bearer ${process.env.DTM_BENCH_TOKEN}`, accept: 'application/json' } }, (response) => {
  let body = '';
  response.setEncoding('utf8');
  response.on('data', (chunk) => (body += chunk));
  response.on('end', () => {
    if (response.statusCode !== 200) process.exit(1);
    process.stdout.write(`${JSON.stringify(JSON.parse(body), null, 2)}\n`);
  });
});
