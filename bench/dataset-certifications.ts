import { UTCDate } from '@date-fns/utc';
import { format, subMonths } from 'date-fns';
import { randomUUID } from 'node:crypto';
import { catalogMatchKeys, matchKey } from '../src/certifications/catalog-matching.js';
import { defaultExpiry, plusDays } from '../src/certifications/certification.status.js';
import { certificationCatalog, employeeCertifications } from '../src/certifications/certification.tables.js';
import type { Database } from '../src/db/database.js';
import type { EmploymentStatusValue } from '../src/employees/employee.tables.js';
import type { CalendarDate } from '../src/shared/dates.js';
import { SeededRandom } from '../src/shared/random.js';

/*
 * Certifications for the bench organisation, shaped like src/seed/demo-certifications.ts: a
 * catalog of 15 entries and, for about 40% of the employees, 1-4 certifications each, picked
 * mostly from what their department works with. Mostly verified; some unverified, a few
 * rejected, some expired, some renewed (the replaced record stays, superseded); expiries spread
 * over the validity period, so some fall within any expiring window. Set-based: one statement for
 * the catalog, then chunks of replaced records and of current ones.
 *
 * Also answers what the scenarios should get back, from the same rows (so a wrong answer fails
 * the run instead of looking fast). Deterministic (its own seeded PRNG) apart from the row ids.
 */

export interface BenchCertificationPerson {
  id: string;
  departmentCode: string;
  /** Employment status today (the bench has no future-dated status changes). */
  status: EmploymentStatusValue;
}

export interface BenchCertifications {
  catalogEntries: number;
  holders: number;
  /** Current records (not renewed, not removed). */
  current: number;
  /** Records replaced by a renewal. */
  renewed: number;
  /** `Employee.certifications` (defaults): current records issued by today and not expired. */
  heldToday(employeeId: string): number;
  /** `expiringCertifications(withinDays)`: current records expiring today..today+days of holders not gone. */
  expiringWithin(days: number): number;
  /**
   * `qualifiedEmployees(certifications: names, match: ANY)` with defaults: ACTIVE holders of a
   * verified, current record, issued by today and valid today, of an entry answering to a name.
   */
  qualifiedAny(names: readonly string[]): ReadonlySet<string>;
  /** `certificationCatalog(search)`: the names of the entries answering to it. */
  catalogSearch(search: string): string[];
  insert(db: Database): Promise<void>;
}

interface CatalogSpec {
  key: string;
  name: string;
  issuer: string;
  code: string | null;
  aliases: string[];
  validityMonths: number | null;
  tags: string[];
  /** Departments (codes, see dataset.ts) whose people mostly hold it. */
  departments: string[];
}

const catalogSpecs: readonly CatalogSpec[] = [
  { key: 'CCNA', name: 'Cisco Certified Network Associate', issuer: 'Cisco', code: '200-301', aliases: ['CCNA', 'Cisco CCNA'], validityMonths: 36, tags: ['networking', 'cisco'], departments: ['CIN', 'MSV', 'SDK'] },
  { key: 'CCNP', name: 'Cisco Certified Network Professional Enterprise', issuer: 'Cisco', code: '350-401', aliases: ['CCNP Enterprise', 'CCNP', 'ENCOR'], validityMonths: 36, tags: ['networking', 'cisco'], departments: ['CIN'] },
  { key: 'NETPLUS', name: 'CompTIA Network+', issuer: 'CompTIA', code: 'N10-009', aliases: ['Network+', 'Network Plus'], validityMonths: 36, tags: ['networking', 'comptia'], departments: ['SDK', 'MSV'] },
  { key: 'JNCIA', name: 'Juniper Networks Certified Associate – Junos', issuer: 'Juniper Networks', code: 'JN0-105', aliases: ['JNCIA-Junos', 'JNCIA'], validityMonths: 36, tags: ['networking', 'juniper'], departments: ['CIN'] },
  { key: 'AZ104', name: 'Microsoft Certified: Azure Administrator Associate', issuer: 'Microsoft', code: 'AZ-104', aliases: ['Azure Administrator', 'Azure Admin'], validityMonths: 12, tags: ['cloud', 'azure', 'microsoft'], departments: ['CIN', 'MSV', 'ENG'] },
  { key: 'AZ900', name: 'Microsoft Certified: Azure Fundamentals', issuer: 'Microsoft', code: 'AZ-900', aliases: ['Azure Fundamentals'], validityMonths: null, tags: ['cloud', 'azure', 'microsoft'], departments: ['SDK', 'SAL', 'PRJ', 'MKT'] },
  { key: 'MS102', name: 'Microsoft 365 Certified: Administrator Expert', issuer: 'Microsoft', code: 'MS-102', aliases: ['M365 Administrator', 'Microsoft 365 Administrator'], validityMonths: 12, tags: ['microsoft', 'm365', 'modern workplace'], departments: ['MSV', 'SDK'] },
  { key: 'SAA', name: 'AWS Certified Solutions Architect – Associate', issuer: 'Amazon Web Services', code: 'SAA-C03', aliases: ['AWS Solutions Architect', 'AWS SAA'], validityMonths: 36, tags: ['cloud', 'aws'], departments: ['CIN', 'ENG', 'PRJ'] },
  { key: 'CLF', name: 'AWS Certified Cloud Practitioner', issuer: 'Amazon Web Services', code: 'CLF-C02', aliases: ['AWS Cloud Practitioner'], validityMonths: 36, tags: ['cloud', 'aws'], departments: ['SAL', 'MKT', 'PRJ', 'PFN'] },
  { key: 'ACE', name: 'Google Cloud Certified Associate Cloud Engineer', issuer: 'Google Cloud', code: null, aliases: ['Associate Cloud Engineer', 'GCP ACE'], validityMonths: 36, tags: ['cloud', 'gcp'], departments: ['ENG', 'CIN'] },
  { key: 'SECPLUS', name: 'CompTIA Security+', issuer: 'CompTIA', code: 'SY0-701', aliases: ['Security+', 'Security Plus'], validityMonths: 36, tags: ['security', 'comptia'], departments: ['SOC', 'SDK', 'LEG'] },
  { key: 'CISSP', name: 'Certified Information Systems Security Professional', issuer: 'ISC2', code: 'CISSP', aliases: ['ISC2 CISSP'], validityMonths: 36, tags: ['security', 'isc2'], departments: ['SOC', 'LEG'] },
  { key: 'CEH', name: 'Certified Ethical Hacker', issuer: 'EC-Council', code: '312-50', aliases: ['CEH', 'Ethical Hacker'], validityMonths: 36, tags: ['security', 'penetration testing'], departments: ['SOC'] },
  { key: 'APLUS', name: 'CompTIA A+', issuer: 'CompTIA', code: '220-1101', aliases: ['A+', 'A Plus'], validityMonths: 36, tags: ['hardware', 'support', 'comptia'], departments: ['SDK'] },
  { key: 'ITIL', name: 'ITIL 4 Foundation', issuer: 'PeopleCert', code: null, aliases: ['ITIL Foundation', 'ITIL'], validityMonths: null, tags: ['itsm', 'service management'], departments: ['SDK', 'MSV', 'PRJ', 'EXE'] },
];

const recordedBy = 'system:bench-seed';
const chunkSize = 1000;
/** Share of employees holding any certification. */
const holderShare = 0.4;

type Insert = typeof employeeCertifications.$inferInsert & { id: string };

function minusMonths(day: CalendarDate, months: number): CalendarDate {
  return format(subMonths(new UTCDate(day), months), 'yyyy-MM-dd');
}

export function planBenchCertifications(
  people: readonly BenchCertificationPerson[],
  today: CalendarDate,
  seed = 0xce271f,
): BenchCertifications {
  const random = new SeededRandom(seed);
  const now = new Date();
  const entries = catalogSpecs.map((spec) => ({ ...spec, id: randomUUID() as string, matchKeys: catalogMatchKeys(spec) }));

  const replaced: Insert[] = [];
  const current: Insert[] = [];
  let holders = 0;
  let credential = 0;
  for (const person of people) {
    if (!random.chance(holderShare)) continue;
    holders += 1;
    // 1-4 distinct entries; what the department works with is eight times as likely.
    const wanted = random.int(1, 4);
    const pool = entries.map((entry) => ({ entry, weight: entry.departments.includes(person.departmentCode) ? 8 : 1 }));
    for (let taken = 0; taken < wanted && pool.length > 0; taken += 1) {
      const picked = random.weighted(pool);
      pool.splice(pool.indexOf(picked), 1);
      const { entry } = picked;
      const months = entry.validityMonths;
      const base = {
        employeeId: person.id,
        catalogEntryId: entry.id,
        evidenceUrl: random.chance(0.5) ? `https://credentials.example/${entry.key.toLowerCase()}/${random.digits(10)}` : null,
        createdBy: recordedBy,
      };
      const credentialId = () => `${entry.key}-${String((credential += 1)).padStart(7, '0')}`;
      const record = (issuedOn: CalendarDate) => ({ ...base, id: randomUUID(), credentialId: credentialId(), issuedOn, expiresOn: defaultExpiry(issuedOn, months) });
      const verified = (issuedOn: CalendarDate) => {
        const decided = new Date(`${plusDays(issuedOn, random.int(1, 10))}T10:00:00.000Z`);
        return { verificationState: 'VERIFIED' as const, verifiedBy: recordedBy, verifiedAt: decided > now ? now : decided };
      };
      // Issued so that it expires `offset` days from today (somewhere back, for one that never expires).
      const issuedFor = (offset: number): CalendarDate => {
        if (months === null) return plusDays(today, -random.int(30, 2000));
        const issued = minusMonths(plusDays(today, offset), months);
        return issued > today ? today : issued;
      };

      const roll = random.next();
      if (roll < 0.06) {
        current.push({ ...record(plusDays(today, -random.int(2, 60))), verificationState: 'UNVERIFIED' });
      } else if (roll < 0.075) {
        const issuedOn = plusDays(today, -random.int(20, 120));
        current.push({
          ...record(issuedOn),
          verificationState: 'REJECTED',
          verifiedBy: recordedBy,
          verifiedAt: new Date(`${plusDays(issuedOn, random.int(3, 15))}T10:00:00.000Z`),
          verificationComment: 'The issuer has no record of this credential id.',
        });
      } else if (roll < 0.16 && months !== null) {
        const issuedOn = issuedFor(-random.int(1, 500));
        current.push({ ...record(issuedOn), ...verified(issuedOn) });
      } else if (roll < 0.23 && months !== null) {
        // Renewed a few weeks before the old one ran out; the old one keeps its dates.
        const renewedOn = plusDays(today, -random.int(5, 300));
        const old = record(minusMonths(plusDays(renewedOn, random.int(5, 40)), months));
        replaced.push({ ...old, ...verified(old.issuedOn), supersededAt: new Date(`${renewedOn}T10:00:00.000Z`) });
        current.push({ ...record(renewedOn), renewedFromId: old.id, ...verified(renewedOn) });
      } else {
        const issuedOn = issuedFor(random.int(1, (months ?? 1) * 30));
        current.push({ ...record(issuedOn), ...verified(issuedOn) });
      }
    }
  }

  const statusOf = new Map(people.map((person) => [person.id, person.status]));
  const validToday = (row: Insert) => row.issuedOn <= today && (row.expiresOn == null || row.expiresOn >= today);
  const heldToday = new Map<string, number>();
  for (const row of current) if (validToday(row)) heldToday.set(row.employeeId, (heldToday.get(row.employeeId) ?? 0) + 1);
  const answering = (name: string) => {
    const key = matchKey(name);
    return new Set(entries.filter((entry) => key !== '' && entry.matchKeys.includes(key)).map((entry) => entry.id));
  };

  return {
    catalogEntries: entries.length,
    holders,
    current: current.length,
    renewed: replaced.length,
    heldToday: (employeeId) => heldToday.get(employeeId) ?? 0,
    expiringWithin: (days) => {
      const last = plusDays(today, days);
      return current.filter((row) => {
        const status = statusOf.get(row.employeeId);
        return row.expiresOn != null && row.expiresOn >= today && row.expiresOn <= last && status !== 'TERMINATED' && status !== 'RESIGNED';
      }).length;
    },
    qualifiedAny: (names) => {
      const ids = new Set(names.flatMap((name) => [...answering(name)]));
      return new Set(
        current
          .filter((row) => ids.has(row.catalogEntryId) && row.verificationState === 'VERIFIED' && validToday(row))
          .filter((row) => statusOf.get(row.employeeId) === 'ACTIVE')
          .map((row) => row.employeeId),
      );
    },
    catalogSearch: (search) => {
      const key = matchKey(search);
      return entries.filter((entry) => entry.matchKeys.includes(key)).map((entry) => entry.name);
    },
    async insert(db) {
      await db.insert(certificationCatalog).values(
        entries.map((entry) => ({
          id: entry.id,
          name: entry.name,
          issuer: entry.issuer,
          code: entry.code,
          aliases: entry.aliases,
          validityMonths: entry.validityMonths,
          tags: entry.tags,
          matchKeys: entry.matchKeys,
        })),
      );
      // The replaced records first: the renewals point back at them.
      for (const chunk of chunks(replaced)) await db.insert(employeeCertifications).values(chunk);
      for (const chunk of chunks(current)) await db.insert(employeeCertifications).values(chunk);
    },
  };
}

function* chunks<T>(rows: readonly T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += chunkSize) yield rows.slice(start, start + chunkSize);
}
