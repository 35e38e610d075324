import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificationStatus, defaultExpiry } from '../../src/certifications/certification.status.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createOrgBasics, hire, type CreatedEmployee } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/server.js';
import { addCertification, certificationFields, createCatalogEntry, type CertificationResult } from './fixtures.js';

// Derived status at the edges of the expiring window, and the default expiry from the catalog.

describe('certificationStatus', () => {
  it.each([
    ['2026-06-14', 'EXPIRED'],
    ['2026-06-15', 'EXPIRING'],
    ['2026-07-15', 'EXPIRING'],
    ['2026-07-16', 'ACTIVE'],
    [null, 'ACTIVE'],
  ] as const)('expiresOn %s as of 2026-06-15 with a 30-day window is %s', (expiresOn, status) => {
    expect(certificationStatus(expiresOn, '2026-06-15', 30)).toBe(status);
  });

  it('counts the window in calendar days across a year end and a leap day', () => {
    expect(certificationStatus('2025-01-30', '2024-12-31', 30)).toBe('EXPIRING');
    expect(certificationStatus('2025-01-31', '2024-12-31', 30)).toBe('ACTIVE');
    expect(certificationStatus('2024-03-30', '2024-02-29', 30)).toBe('EXPIRING');
    expect(certificationStatus('2024-03-31', '2024-02-29', 30)).toBe('ACTIVE');
  });

  it('with a window of 0 is EXPIRING only on the last day', () => {
    expect(certificationStatus('2026-06-15', '2026-06-15', 0)).toBe('EXPIRING');
    expect(certificationStatus('2026-06-16', '2026-06-15', 0)).toBe('ACTIVE');
  });
});

describe('defaultExpiry', () => {
  it.each([
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-03-31', 36, '2029-03-31'],
    ['2026-12-15', 1, '2027-01-15'],
  ] as const)('%s plus %i months is %s', (issuedOn, months, expected) => {
    expect(defaultExpiry(issuedOn, months)).toBe(expected);
  });

  it('is none without a validity period', () => {
    expect(defaultExpiry('2026-01-01', null)).toBeNull();
  });

  it('does not drift with the process time zone', () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['Pacific/Kiritimati', 'America/Adak']) {
        process.env.TZ = tz;
        expect(defaultExpiry('2024-02-29', 12)).toBe('2025-02-28');
        expect(certificationStatus('2026-07-15', '2026-06-15', 30)).toBe('EXPIRING');
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

const listQuery = /* GraphQL */ `
  query List($id: ID!, $activeOn: Date) {
    employee(id: $id) { certifications(activeOn: $activeOn, includeExpired: true) { ${certificationFields} } }
  }
`;

async function statuses(app: TestApp, employee: CreatedEmployee, activeOn?: string): Promise<Record<string, string>> {
  const response = await app.gql<{ employee: { certifications: CertificationResult[] } }>(listQuery, { id: employee.id, activeOn });
  expect(response.errors).toBeUndefined();
  return Object.fromEntries((response.data?.employee.certifications ?? []).map((c) => [c.expiresOn ?? 'never', `${c.status}@${c.statusAsOf}`]));
}

/** One employee holding certifications that expire on each of `days` (and one that never does). */
async function holderOf(app: TestApp, days: readonly string[]): Promise<CreatedEmployee> {
  const org = await createOrgBasics(app);
  const employee = await hire(app, { departmentId: org.departments.engineering, locationId: org.locations.berlin });
  for (const [index, expiresOn] of [...days, null].entries()) {
    const entry = await createCatalogEntry(app, { name: `Certificate ${index} ${expiresOn ?? 'forever'}`, validityMonths: null });
    await addCertification(app, { employeeId: employee.id, catalogEntryId: entry.id, issuedOn: '2025-01-10', expiresOn });
  }
  return employee;
}

describe('status through the API', () => {
  let app: TestApp;
  let employee: CreatedEmployee;

  beforeAll(async () => {
    app = await startTestApp({ today: '2026-06-15' });
    employee = await holderOf(app, ['2026-06-14', '2026-06-15', '2026-07-15', '2026-07-16']);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is computed as of today by default: the window edges with the default 30 days', async () => {
    expect(await statuses(app, employee)).toEqual({
      '2026-06-14': 'EXPIRED@2026-06-15',
      '2026-06-15': 'EXPIRING@2026-06-15',
      '2026-07-15': 'EXPIRING@2026-06-15',
      '2026-07-16': 'ACTIVE@2026-06-15',
      never: 'ACTIVE@2026-06-15',
    });
  });

  it('is computed for `activeOn` when given, and moves with the clock (never stored)', async () => {
    expect(await statuses(app, employee, '2026-06-16')).toMatchObject({
      '2026-06-15': 'EXPIRED@2026-06-16',
      '2026-07-16': 'EXPIRING@2026-06-16',
    });
    app.clock.set('2026-07-16');
    try {
      expect(await statuses(app, employee)).toMatchObject({ '2026-07-15': 'EXPIRED@2026-07-16', '2026-07-16': 'EXPIRING@2026-07-16' });
    } finally {
      app.clock.set('2026-06-15');
    }
  });
});

describe('a configured window', () => {
  let app: TestApp;
  let employee: CreatedEmployee;

  beforeAll(async () => {
    app = await startTestApp({ today: '2026-06-15', env: { CERTIFICATION_EXPIRING_WINDOW_DAYS: '10' } });
    employee = await holderOf(app, ['2026-06-25', '2026-06-26', '2026-07-15']);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is honoured: CERTIFICATION_EXPIRING_WINDOW_DAYS=10 makes today+10 the last EXPIRING day', async () => {
    expect(app.config.certifications.expiringWindowDays).toBe(10);
    expect(await statuses(app, employee)).toEqual({
      '2026-06-25': 'EXPIRING@2026-06-15',
      '2026-06-26': 'ACTIVE@2026-06-15',
      '2026-07-15': 'ACTIVE@2026-06-15',
      never: 'ACTIVE@2026-06-15',
    });
  });
});

describe('CERTIFICATION_EXPIRING_WINDOW_DAYS', () => {
  it('defaults to 30 and refuses what is not a whole number of days up to 366', () => {
    expect(loadConfig({}).certifications.expiringWindowDays).toBe(30);
    expect(loadConfig({ CERTIFICATION_EXPIRING_WINDOW_DAYS: '0' }).certifications.expiringWindowDays).toBe(0);
    for (const value of ['', '-1', '7.5', 'thirty', '367']) {
      expect(() => loadConfig({ CERTIFICATION_EXPIRING_WINDOW_DAYS: value })).toThrow(ConfigError);
    }
  });
});
