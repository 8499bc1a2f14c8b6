// `npm run release:check` (part of `npm test`): what `npm run release` would publish, proven by
// `npm publish --dry-run` of each package, and checked: a version changesets gave it, the
// metadata npm shows, a CHANGELOG, the build, no source maps where nothing loads them, and no
// dependency on a package of this repository at a version that is not the one being published.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packages = [
  { dir: 'packages/sdk', mustShip: ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts'], maps: true },
  { dir: 'apps/cli', mustShip: ['bin/run.js', 'oclif.manifest.json', 'dist/commands/task/list.js'], maps: false },
  { dir: 'apps/mock-server', mustShip: ['dist/index.js', 'dist/cli.js', 'dist/openapi.yaml'], maps: false },
];
const manifests = new Map(packages.map(({ dir }) => [dir, JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))]));
const versions = new Map([...manifests.values()].map((manifest) => [manifest.name, manifest.version]));

const problems = [];
for (const { dir, mustShip, maps } of packages) {
  const manifest = manifests.get(dir);
  const say = (problem) => problems.push(`${manifest.name}: ${problem}`);
  if (manifest.private) say('is private');
  if (!/^\d+\.\d+\.\d+/.test(manifest.version) || manifest.version === '0.0.0') say(`version ${manifest.version} was not set by \`changeset version\``);
  for (const field of ['description', 'license', 'repository', 'homepage', 'bugs', 'keywords', 'engines']) {
    if (manifest[field] === undefined) say(`package.json has no "${field}"`);
  }
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    const own = versions.get(name);
    if (own !== undefined && !range.endsWith(own)) say(`depends on ${name}@${range}, but ${name} is published at ${own}`);
  }

  const output = execFileSync('npm', ['publish', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(root, dir), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const packed = JSON.parse(output.slice(output.indexOf('{')));
  const summary = packed[manifest.name] ?? packed;
  const paths = summary.files.map((file) => file.path);
  for (const path of [...mustShip, 'README.md', 'LICENSE', 'CHANGELOG.md']) if (!paths.includes(path)) say(`the tarball lacks ${path}`);
  if (!maps && paths.some((path) => path.endsWith('.map'))) say('the tarball ships source maps that nothing loads');
  console.log(`${summary.id}: ${summary.entryCount} files, ${(summary.size / 1024).toFixed(0)} kB packed, ${(summary.unpackedSize / 1024).toFixed(0)} kB unpacked (dry run)`);
}

if (problems.length > 0) {
  console.error(`release:check failed:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  process.exit(1);
}
