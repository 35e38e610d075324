// `npm run build [-- --out-dir <folder>]`: the production build, everything `node <out>/src/main.js`
// needs besides package.json and node_modules. The server reads some files beside its code at run
// time (the migrations, the GraphQL contract, the explorer's assets), so they are copied in the
// same layout as the repository's: <out>/src/…, <out>/drizzle, <out>/schema.graphql.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } });
const outDir = path.resolve(root, values['out-dir']);

const runtimeFiles = [
  ['drizzle', 'drizzle'],
  ['schema.graphql', 'schema.graphql'],
  ['src/server/explorer-assets', 'src/server/explorer-assets'],
];

// Only what this build writes is removed first, so files of a deleted module cannot linger.
for (const part of ['src', ...runtimeFiles.map(([, target]) => target)]) {
  rmSync(path.join(outDir, part), { recursive: true, force: true });
}
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: root, stdio: 'inherit' });
for (const [source, target] of runtimeFiles) {
  cpSync(path.join(root, source), path.join(outDir, target), { recursive: true });
}
const shown = (file) => (path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file));
process.stdout.write(`Built into ${shown(outDir)}. Start it with: NODE_ENV=production node ${shown(path.join(outDir, 'src', 'main.js'))}\n`);
