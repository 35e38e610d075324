import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventCatalog, eventDefinition, eventTypes, isEventType, type EventData } from '../../src/events/event-catalog.js';
import { countBacklog, findEvent, recordEvent } from '../../src/events/outbox.js';
import { outboxEvents } from '../../src/events/outbox.tables.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// The event catalog is the one list of events: the README documents the same types, and
// `recordEvent` refuses anything else, at compile time (the @ts-expect-error lines below fail
// `tsc` if it stopped refusing) and when run.

const repositoryRoot = new URL('../../', import.meta.url);

/** The event names in the first column of the README's "Events to Bus" table. */
function eventsInReadme(): string[] {
  const lines = readFileSync(new URL('README.md', repositoryRoot), 'utf8').split('\n');
  const heading = lines.findIndex((line) => line.trim() === '### Events to Bus');
  if (heading < 0) throw new Error('README.md has no "### Events to Bus" section');
  const section = lines.slice(heading + 1);
  const end = section.findIndex((line) => line.startsWith('#'));
  const rows = (end < 0 ? section : section.slice(0, end)).filter((line) => line.trim().startsWith('|'));
  // Row 0 is the header, row 1 the |---| separator.
  return rows.slice(2).map((row) => (row.split('|')[1] ?? '').trim().replace(/^`|`$/g, ''));
}

describe('the event catalog', () => {
  it('lists exactly the events of the README table', () => {
    const documented = eventsInReadme();
    expect(documented.length).toBeGreaterThan(0);
    expect(new Set(documented).size).toBe(documented.length);
    expect(documented.filter((type) => !isEventType(type))).toEqual([]);
    expect(eventTypes.filter((type) => !documented.includes(type))).toEqual([]);
  });

  it('gives every event a version, a description, subject kinds and a data shape', () => {
    for (const type of eventTypes) {
      const definition = eventDefinition(type);
      expect(Number.isInteger(definition.schemaVersion) && definition.schemaVersion >= 1, type).toBe(true);
      expect(definition.when.trim().length, type).toBeGreaterThan(10);
      for (const kind of definition.subjectKinds) expect(kind, type).toMatch(/^[a-z][a-z_]*$/);
      expect(Object.keys(definition.data.shape).length, type).toBeGreaterThan(0);
    }
  });

  it('names only real fields as personal data, and only on the sign-in events', () => {
    for (const type of eventTypes) {
      const { data, personalData } = eventDefinition(type);
      for (const field of personalData?.fields ?? []) expect(Object.keys(data.shape), type).toContain(field);
    }
    // A new exception to "no personal data in events" is a decision, made visible by changing this line.
    expect(eventTypes.filter((type) => eventDefinition(type).personalData)).toEqual(['login_success', 'login_failed']);
  });

  it('is recorded through recordEvent only: no product code inserts outbox rows itself', () => {
    const sources = readdirSync(new URL('src/', repositoryRoot), { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.ts'),
    );
    const inserting = sources.filter(
      (file) =>
        !file.endsWith('events/outbox.ts') &&
        readFileSync(new URL(`src/${file}`, repositoryRoot), 'utf8').includes('insertOutboxEvent'),
    );
    expect(inserting).toEqual([]);
  });
});

describe('recordEvent', () => {
  let database: TestDatabase;
  const db = () => database.handle.db;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    if (database) await database.drop();
  });
  beforeEach(async () => {
    await db().delete(outboxEvents);
  });

  const employeeId = randomUUID();
  const hired: EventData<'employee.hired'> = {
    employeeId,
    hubUserId: 'hub-someone',
    status: 'ACTIVE',
    previousStatus: 'PRE_HIRE',
    effectiveDate: '2026-07-01',
    changedFields: ['status'],
  };

  it('records a catalog event with the version the catalog gives its type', async () => {
    const id = await recordEvent(db(), { type: 'employee.hired', subject: `employee:${employeeId}`, data: hired });
    const event = await findEvent(db(), id);
    expect(event).toMatchObject({ type: 'employee.hired', subject: `employee:${employeeId}`, data: hired });
    expect(event?.schemaVersion).toBe(eventCatalog['employee.hired'].schemaVersion);
  });

  it('refuses a type outside the catalog', async () => {
    // @ts-expect-error: the type is not in the catalog, so the call does not compile.
    const recording = recordEvent(db(), { type: 'employee.promoted', subject: `employee:${employeeId}`, data: hired });
    await expect(recording).rejects.toThrow(/not in the event catalog/);
    expect((await countBacklog(db())).pending).toBe(0);
  });

  it('refuses data with a field the catalog does not list, without echoing its value', async () => {
    const email = 'someone.private@example.com';
    // @ts-expect-error: `email` is not part of employee.hired's data.
    const recording = recordEvent(db(), { type: 'employee.hired', subject: `employee:${employeeId}`, data: { ...hired, email } });
    const error: unknown = await recording.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toMatch(/does not match the catalog/);
    expect(String(error)).toContain('email');
    expect(String(error)).not.toContain(email);
    expect((await countBacklog(db())).pending).toBe(0);
  });

  it('refuses data of the wrong kind and a subject of another kind', async () => {
    const wrongStatus = { ...hired, status: 'PROMOTED' };
    // @ts-expect-error: PROMOTED is not an employment status.
    await expect(recordEvent(db(), { type: 'employee.hired', subject: `employee:${employeeId}`, data: wrongStatus })).rejects.toThrow(TypeError);
    // @ts-expect-error: employee.hired is about an employee, not a policy.
    await expect(recordEvent(db(), { type: 'employee.hired', subject: `time_off_policy:${employeeId}`, data: hired })).rejects.toThrow(
      /employee:<id>/,
    );
    expect((await countBacklog(db())).pending).toBe(0);
  });
});
