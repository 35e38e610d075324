import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// scripts/schema-check.mjs as CI runs it: in a git repository, comparing schema.graphql with the
// previous commit's. Each case builds a small throwaway repository with a federated fixture schema.

const script = fileURLToPath(new URL('../../scripts/schema-check.mjs', import.meta.url));

const schemaV1 = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

type Query {
  employee(id: ID!): Employee
}

type Employee @key(fields: "id") {
  id: ID!
  email: String!
  badgeNumber: String
}
`;

const readmeWithoutEntries = `# Fixture

## Schema changelog

Breaking changes to schema.graphql, newest first.

## Another section

Employee.badgeNumber is mentioned here, outside the changelog.
`;

let repository: string | null = null;

afterEach(() => {
  if (repository) rmSync(repository, { recursive: true, force: true });
  repository = null;
});

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=People Tests', '-c', 'user.email=tests@people.test', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repository ?? undefined,
    stdio: 'ignore',
  });
}

/** A repository whose commits hold these schemas and READMEs, in order. */
function repositoryWith(...commits: { schema: string; readme: string }[]): void {
  repository = mkdtempSync(path.join(tmpdir(), 'people-schema-check-'));
  git('init', '--quiet');
  for (const [index, { schema, readme }] of commits.entries()) {
    writeFileSync(path.join(repository, 'schema.graphql'), schema);
    writeFileSync(path.join(repository, 'README.md'), readme);
    git('add', 'schema.graphql', 'README.md');
    git('commit', '--quiet', '-m', `commit ${index + 1}`);
  }
}

function check(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: repository ?? undefined, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const withoutBadge = schemaV1.replace('  badgeNumber: String\n', '');

describe('scripts/schema-check.mjs', () => {
  it('fails on a removed field the changelog does not name, and says what to do', () => {
    repositoryWith({ schema: schemaV1, readme: readmeWithoutEntries }, { schema: withoutBadge, readme: readmeWithoutEntries });
    const { status, output } = check();
    expect(status).toBe(1);
    expect(output).toContain('Employee.badgeNumber');
    expect(output).toMatch(/was removed/);
    expect(output).toContain('Schema changelog');
  });

  it('passes once the README changelog names the removed field', () => {
    const named = readmeWithoutEntries.replace(
      'Breaking changes to schema.graphql, newest first.\n',
      'Breaking changes to schema.graphql, newest first.\n\n- Removed `Employee.badgeNumber`: badges live in the access system now.\n',
    );
    repositoryWith({ schema: schemaV1, readme: readmeWithoutEntries }, { schema: withoutBadge, readme: named });
    const { status, output } = check();
    expect(status).toBe(0);
    expect(output).toContain('named in the changelog: Employee.badgeNumber');
  });

  it('does not take a longer coordinate, or a mention outside the changelog, for the name', () => {
    const lookalike = readmeWithoutEntries.replace(
      'Breaking changes to schema.graphql, newest first.\n',
      'Breaking changes to schema.graphql, newest first.\n\n- Removed `Employee.badgeNumberLegacy`.\n',
    );
    repositoryWith({ schema: schemaV1, readme: readmeWithoutEntries }, { schema: withoutBadge, readme: lookalike });
    expect(check().status).toBe(1);
  });

  it('fails on a removed entity key, which breaks references other subgraphs hold', () => {
    repositoryWith(
      { schema: schemaV1, readme: readmeWithoutEntries },
      { schema: schemaV1.replace('type Employee @key(fields: "id") {', 'type Employee {'), readme: readmeWithoutEntries },
    );
    const { status, output } = check();
    expect(status).toBe(1);
    expect(output).toContain('Employee.@key');
  });

  it('passes additions without a changelog entry', () => {
    const added = schemaV1.replace('  badgeNumber: String\n', '  badgeNumber: String\n  pronouns: String\n');
    repositoryWith({ schema: schemaV1, readme: readmeWithoutEntries }, { schema: added, readme: readmeWithoutEntries });
    const { status, output } = check();
    expect(status).toBe(0);
    expect(output).toContain('none breaking');
  });

  it('has nothing to compare on a first commit', () => {
    repositoryWith({ schema: withoutBadge, readme: readmeWithoutEntries });
    const { status, output } = check();
    expect(status).toBe(0);
    expect(output).toContain('nothing to compare');
  });

  it('compares with a file when given one (--base-file), and fails without a changelog section', () => {
    repositoryWith({ schema: withoutBadge, readme: '# Fixture without a changelog\n' });
    const base = path.join(repository ?? '', 'old.graphql');
    writeFileSync(base, schemaV1);
    const { status, output } = check('--base-file', base);
    expect(status).toBe(1);
    expect(output).toContain('has no "## Schema changelog" section');
  });
});
