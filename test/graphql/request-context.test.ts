import { readdirSync, readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../src/graphql/context.js';
import { createRequestContext } from '../../src/graphql/request-context.js';
import { insertDepartment } from '../../src/organisation/organisation.store.js';
import { departments } from '../../src/organisation/organisation.tables.js';
import { writeTransaction } from '../../src/shared/write-transaction.js';
import { TestClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// A request's loaders: one namespace per domain, cached for the request and started afresh after
// a write. The context's type imports no code, and shared/ reaches nothing above it, so the
// domains that import both form no cycle with the loader registry.

let database: TestDatabase;

const contextFor = (): RequestContext =>
  createRequestContext({
    requestId: 'test',
    caller: { kind: 'system', name: 'test' },
    db: database.handle.db,
    clock: new TestClock('2026-06-15'),
    logger: pino({ level: 'silent' }),
  });

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

describe('request loaders', () => {
  it('keep one namespace per domain for the request, and read afresh after a write', async () => {
    const db = database.handle.db;
    const department = await insertDepartment(db, { name: 'Engineering', code: 'ENG' });
    const ctx = contextFor();
    const before = ctx.loaders.organisation;
    expect(ctx.loaders.organisation).toBe(before);
    const today = { key: department.id, asOf: ctx.today };
    expect((await before.department.load(today))?.code).toBe('ENG');

    // Written behind the request's back: the request keeps answering what it read.
    await db.update(departments).set({ code: 'PLT' }).where(eq(departments.id, department.id));
    expect((await ctx.loaders.organisation.department.load(today))?.code).toBe('ENG');

    const outcome = await writeTransaction(ctx, (tx) =>
      tx.update(departments).set({ code: 'PLATFORM' }).where(eq(departments.id, department.id)),
    );
    expect(outcome.ok).toBe(true);
    expect(ctx.loaders.organisation).not.toBe(before);
    expect((await ctx.loaders.organisation.department.load(today))?.code).toBe('PLATFORM');

    // Another request never sees this one's cache.
    expect(contextFor().loaders.organisation).not.toBe(ctx.loaders.organisation);
  });
});

/** Import and re-export statements of a source file, with whether each is `type` only. */
function importsOf(path: string): { from: string; typeOnly: boolean }[] {
  const source = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
  return [...source.matchAll(/^(import|export)\s+(type\s+)?[^;]*?\sfrom\s+'([^']+)'/gms)].map((match) => ({
    from: match[3] ?? '',
    typeOnly: match[2] !== undefined,
  }));
}

describe('layering', () => {
  it('the request context type imports only types', () => {
    const imports = importsOf('src/graphql/context.ts');
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((statement) => !statement.typeOnly)).toEqual([]);
  });

  it('shared/ imports no code from above it', () => {
    const files = readdirSync(new URL('../../src/shared/', import.meta.url)).filter((name) => name.endsWith('.ts'));
    const reachingUp = files.flatMap((name) =>
      importsOf(`src/shared/${name}`)
        .filter((statement) => statement.from.startsWith('../') && !statement.typeOnly)
        .map((statement) => `${name} → ${statement.from}`),
    );
    expect(reachingUp).toEqual([]);
  });
});
