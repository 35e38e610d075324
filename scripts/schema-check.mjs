// `node scripts/schema-check.mjs`: fails on a breaking change to the GraphQL contract that the
// README's "Schema changelog" does not name. Compares schema.graphql as it is now with the previous
// commit's (HEAD~1: on a merge commit, the branch it was merged into), using GraphQL Inspector's
// diff. A breaking change is named when its schema coordinate (`Certification.credentialId`,
// `Query.employee.asOf`, `Employee.@key`…) appears in that section, so every consumer (PSA, Defend,
// the portal, the gateway) can read what changed and why. CI runs it (.ci/run).
//
// Options: --base <git revision> (default HEAD~1), --base-file <path> (compare with a file instead
// of git), --schema <path> (default schema.graphql), --readme <path> (default README.md). Paths
// and git run from the current folder.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildASTSchema, parse } from 'graphql';

const changelogHeading = /^##\s+Schema changelog\s*$/m;

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'HEAD~1' },
    'base-file': { type: 'string' },
    schema: { type: 'string', default: 'schema.graphql' },
    readme: { type: 'string', default: 'README.md' },
  },
});

/** The SDL to compare with, or null when there is none (a first commit, or a schema new in this commit). */
function baseSchema() {
  if (values['base-file']) return readFileSync(values['base-file'], 'utf8');
  const revision = values.base;
  const hasRevision = gitSucceeds(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]);
  if (!hasRevision) {
    console.log(`schema check: no commit ${revision} (a first commit, or a shallow clone): nothing to compare with.`);
    return null;
  }
  // The schema's path as git names it from the repository's root.
  const prefix = execFileSync('git', ['rev-parse', '--show-prefix'], { encoding: 'utf8' }).trim();
  const inRepository = path.posix.join(prefix, values.schema.split(path.sep).join('/'));
  try {
    return execFileSync('git', ['show', `${revision}:${inRepository}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    console.log(`schema check: ${revision} has no ${inRepository}: nothing to compare with.`);
    return null;
  }
}

function gitSucceeds(args) {
  try {
    execFileSync('git', args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The contract as a schema. Federation's directives (@key, @link…) are not defined in the file
 * (the subgraph library adds them), so SDL validation is skipped: the diff reads their usages.
 */
function buildSchema(sdl, name) {
  try {
    return buildASTSchema(parse(sdl), { assumeValid: true, assumeValidSDL: true });
  } catch (error) {
    console.error(`schema check: ${name} is not valid GraphQL SDL: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

/** Inspector rates a removed @key "dangerous"; for a subgraph it breaks every reference the other subgraphs hold. */
function isBreaking(change) {
  if (change.criticality.level === CriticalityLevel.Breaking) return true;
  return change.type === 'DIRECTIVE_USAGE_OBJECT_REMOVED' && typeof change.path === 'string' && change.path.endsWith('.@key');
}

function changelogSection(readme) {
  const heading = changelogHeading.exec(readme);
  if (!heading) return null;
  const rest = readme.slice(heading.index + heading[0].length);
  const next = /^##\s/m.exec(rest);
  return next ? rest.slice(0, next.index) : rest;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The coordinate stands on its own in the changelog: `Employee.email` does not name `Employee.emailVerified`. */
function names(section, change) {
  const coordinate = change.path ?? change.message;
  return new RegExp(`(^|[^A-Za-z0-9_.@])${escapeRegExp(coordinate)}($|[^A-Za-z0-9_])`, 'm').test(section);
}

const base = baseSchema();
if (base === null) process.exit(0);
const current = readFileSync(values.schema, 'utf8');
const changes = await diff(buildSchema(base, 'the previous schema'), buildSchema(current, values.schema));
const breaking = changes.filter(isBreaking);
const dangerous = changes.filter((change) => !isBreaking(change) && change.criticality.level === CriticalityLevel.Dangerous);

for (const change of dangerous) console.log(`schema check: dangerous (allowed): ${change.path ?? ''} ${change.message}`);
if (breaking.length === 0) {
  console.log(`schema check: ${changes.length} change(s) since ${values['base-file'] ?? values.base}, none breaking.`);
  process.exit(0);
}

const section = changelogSection(readFileSync(values.readme, 'utf8'));
const unnamed = section === null ? breaking : breaking.filter((change) => !names(section, change));
for (const change of breaking.filter((change) => !unnamed.includes(change))) {
  console.log(`schema check: breaking, named in the changelog: ${change.path} ${change.message}`);
}
if (unnamed.length === 0) {
  console.log(`schema check: ${breaking.length} breaking change(s), each named in the README's "Schema changelog".`);
  process.exit(0);
}
console.error(`schema check FAILED: ${unnamed.length} breaking change(s) to ${values.schema} that the README's "Schema changelog" does not name:`);
for (const change of unnamed) console.error(`  - ${change.path ?? '(schema)'}: ${change.message}`);
console.error(
  section === null
    ? `\n${values.readme} has no "## Schema changelog" section. Add one and name each change above in it, with what consumers should do instead, or undo the change.`
    : `\nName each one (its coordinate, e.g. \`${unnamed[0].path ?? 'Type.field'}\`) in ${values.readme}'s "Schema changelog" with what consumers should do instead, or undo the change.`,
);
process.exit(1);
