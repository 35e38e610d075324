import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { environmentSchema } from '../../src/config.js';

// The README's configuration table is what operators read: it must be one table (a blank line
// splits a Markdown table, and the rest renders as text) and name every variable People reads.

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function configurationTableLines(): string[] {
  const lines = readme.split('\n');
  const header = lines.findIndex((line) => line.startsWith('| Variable | Default | What it does |'));
  expect(header, 'the README has a configuration table').toBeGreaterThanOrEqual(0);
  const table: string[] = [];
  for (const line of lines.slice(header)) {
    if (!line.startsWith('|')) break;
    table.push(line);
  }
  return table;
}

describe('README configuration table', () => {
  it('is one table that names every environment variable People reads', () => {
    const table = configurationTableLines().join('\n');
    const missing = Object.keys(environmentSchema.shape).filter((name) => !table.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
