import { UTCDate } from '@date-fns/utc';
import { addDays, differenceInCalendarDays, format } from 'date-fns';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/database.js';
import type { JobField } from '../src/employees/employee.model.js';
import { rebuildCurrentJobs } from '../src/employees/employment.js';
import {
  employeeChanges,
  employeeJobChanges,
  employeeNumberSequence,
  employeePersonalData,
  employees,
  type AddressValue,
  type EmergencyContactValue,
  type EmploymentStatusValue,
  type EmploymentTypeValue,
  type FieldChangeValue,
} from '../src/employees/employee.tables.js';
import { insertDepartment } from '../src/organisation/organisation.store.js';
import { locations } from '../src/organisation/organisation.tables.js';
import type { CalendarDate } from '../src/shared/dates.js';
import { SeededRandom } from '../src/shared/random.js';
import { planBenchCertifications, type BenchCertifications } from './dataset-certifications.js';
import { planBenchTimeOff, type BenchTimeOff } from './dataset-timeoff.js';

/*
 * A synthetic organisation of N employees, written straight into the tables with set-based
 * inserts in one transaction (the GraphQL mutations would take minutes for thousands of people).
 * Row shapes follow what employee.service.ts writes: createEmployee's CREATED change with every
 * non-null field and one job change naming all six job fields; updateEmployee's UPDATED changes
 * naming only the fields that moved; changeEmployeeStatus's STATUS_CHANGED rows. Not written:
 * the outbox events (employee.hired / employee.terminated) those mutations would also record;
 * the lifecycle columns are marked processed, as after those events. Time off and certifications
 * come from dataset-timeoff.ts and dataset-certifications.ts, in the same transaction.
 *
 * Deterministic (seeded PRNG) apart from the row ids.
 */

export interface BenchOrganisation {
  employeeCount: number;
  departmentCount: number;
  locationCount: number;
  managerCount: number;
  /** Levels below the CEO of the deepest employee. */
  maxLevel: number;
  changeRows: number;
  jobChangeRows: number;
  /** Employees with a later job change (title, location, manager, employment type). */
  laterChanges: number;
  /** Employees who left (TERMINATED/RESIGNED) or are on leave. */
  leavers: number;
  onLeave: number;
  ceoId: string;
  /** An employee at the deepest level, for reportingChain. */
  deepestId: string;
  ids: readonly string[];
  emails: readonly string[];
  /** Active employees other than the CEO: who the mutation scenario picks from. */
  activeIds: readonly string[];
  /** A "first last" name of someone in the middle of the directory, as a person would search. */
  searchTerm: string;
  /** Employees at levels 0..depth who are still employed, for checking org chart answers. */
  employedUpToLevel(depth: number): number;
  timeOff: Omit<BenchTimeOff, 'insert'>;
  certifications: Omit<BenchCertifications, 'insert'>;
}

const recordedBy = 'system:bench-seed';
const emailDomain = 'bench.example';
const chunkSize = 1000;

const departmentSpecs = [
  { code: 'EXE', name: 'Executive', titles: ['Executive Assistant', 'Chief of Staff'] },
  { code: 'MSV', name: 'Managed Services', titles: ['Service Delivery Manager', 'Systems Engineer', 'Technical Account Manager'] },
  { code: 'SDK', name: 'Service Desk', titles: ['Service Desk Analyst', 'Support Technician', 'Field Technician'] },
  { code: 'CIN', name: 'Cloud & Infrastructure', titles: ['Cloud Engineer', 'Network Engineer', 'Systems Administrator'] },
  { code: 'SOC', name: 'Security Operations', titles: ['SOC Analyst', 'Security Engineer', 'Incident Responder'] },
  { code: 'ENG', name: 'Engineering', titles: ['Software Engineer', 'QA Engineer', 'Site Reliability Engineer'] },
  { code: 'SAL', name: 'Sales & Account Management', titles: ['Account Executive', 'Account Manager', 'Sales Engineer'] },
  { code: 'MKT', name: 'Marketing', titles: ['Marketing Specialist', 'Content Writer', 'Product Marketing Manager'] },
  { code: 'PFN', name: 'People & Finance', titles: ['HR Business Partner', 'Recruiter', 'Accountant', 'Payroll Specialist'] },
  { code: 'PRJ', name: 'Projects & Consulting', titles: ['Project Manager', 'Solutions Consultant', 'Business Analyst'] },
  { code: 'LEG', name: 'Legal & Compliance', titles: ['Legal Counsel', 'Compliance Analyst'] },
] as const;

const locationSpecs = [
  { name: 'Berlin Headquarters', city: 'Berlin', countryCode: 'DE', timezone: 'Europe/Berlin', region: 'Berlin', phone: '+49 30 5558', postal: '10115', weight: 4 },
  { name: 'London Office', city: 'London', countryCode: 'GB', timezone: 'Europe/London', region: null, phone: '+44 20 7946', postal: 'N1 9GU', weight: 3 },
  { name: 'Austin Office', city: 'Austin', countryCode: 'US', timezone: 'America/Chicago', region: 'TX', phone: '+1 512 555', postal: '78701', weight: 3 },
  { name: 'Singapore Office', city: 'Singapore', countryCode: 'SG', timezone: 'Asia/Singapore', region: null, phone: '+65 6555', postal: '018956', weight: 2 },
  { name: 'Warsaw Office', city: 'Warsaw', countryCode: 'PL', timezone: 'Europe/Warsaw', region: null, phone: '+48 22 555', postal: '00-001', weight: 2 },
  { name: 'Remote (Americas)', city: 'Remote', countryCode: 'US', timezone: 'America/New_York', region: null, phone: '+1 212 555', postal: '10001', weight: 1 },
] as const;

const firstNames = [
  'Anna', 'Lena', 'Julia', 'Sophie', 'Miriam', 'Jonas', 'Lukas', 'Felix', 'Tobias', 'Stefan', 'Oliver', 'Harry',
  'George', 'James', 'Charlotte', 'Amelia', 'Emily', 'Olivia', 'Hannah', 'Daniel', 'Michael', 'Jennifer', 'Christopher',
  'Jessica', 'Ashley', 'Sarah', 'David', 'Tyler', 'Megan', 'Carlos', 'Maria', 'Sofia', 'Diego', 'Luis', 'Minh', 'Linh',
  'Priya', 'Rohan', 'Aisha', 'Imran', 'Chidi', 'Ngozi', 'Wei Ming', 'Jia Hui', 'Farah', 'Arjun', 'Katarzyna', 'Piotr',
  'Olena', 'Dmytro', 'Emre', 'Elif',
] as const;
const preferredNames: Record<string, string> = {
  James: 'Jamie', Christopher: 'Chris', Jennifer: 'Jen', Jessica: 'Jess', Michael: 'Mike', Daniel: 'Dan',
  Charlotte: 'Charlie', Oliver: 'Ollie', 'Wei Ming': 'Marcus', 'Jia Hui': 'Rachel', Katarzyna: 'Kasia',
};
const lastNames = [
  'Mueller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Wagner', 'Becker', 'Hoffmann', 'Smith', 'Jones', 'Taylor',
  'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Miller', 'Davis', 'Anderson', 'Thompson', 'Moore', 'Clark',
  'Garcia', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Nguyen', 'Tran', 'Pham', 'Patel', 'Shah', 'Khan', 'Okafor',
  'Mensah', 'Tan', 'Lim', 'Ng', 'Wong', 'Rahman', 'Kumar', 'Nowak', 'Kowalczyk', 'Shevchenko', 'Melnyk', 'Yilmaz',
  'Demir', 'Kaya',
] as const;
const streets = ['Main Street', 'Station Road', 'Park Avenue', 'High Street', 'Lindenstrasse', 'Market Square', 'River Road', 'Hill Crescent'];
const relationships = ['Spouse', 'Partner', 'Mother', 'Father', 'Sister', 'Brother'];


function shiftDays(date: CalendarDate, days: number): CalendarDate {
  return format(addDays(new UTCDate(date), days), 'yyyy-MM-dd');
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item at ${index}`);
  return item;
}

interface Person {
  id: string;
  managerIndex: number | null;
  level: number;
  department: number;
  location: number;
  reports: number;
  hireDate: CalendarDate;
  employmentType: EmploymentTypeValue;
  jobTitle: string;
  row: typeof employees.$inferInsert & { id: string; employeeNumber: string; email: string };
  personal: { personalEmail: string; personalPhone: string; dateOfBirth: CalendarDate; homeAddress: AddressValue; emergencyContact: EmergencyContactValue };
}

type JobValues = Partial<{
  status: EmploymentStatusValue;
  jobTitle: string;
  departmentId: string;
  locationId: string;
  employmentType: EmploymentTypeValue;
  managerId: string | null;
}>;

interface PlannedChange {
  employeeId: string;
  kind: 'CREATED' | 'UPDATED' | 'STATUS_CHANGED';
  effectiveFrom: CalendarDate;
  reason: string | null;
  changes: FieldChangeValue[];
  /** The job change row of this change, if it has one. */
  job: JobValues | null;
}

export async function loadBenchOrganisation(
  db: Database,
  options: { employees: number; today: CalendarDate; seed?: number },
): Promise<BenchOrganisation> {
  const count = options.employees;
  if (!Number.isInteger(count) || count < 10) throw new Error('The bench organisation needs at least 10 employees.');
  const today = options.today;
  const random = new SeededRandom(options.seed ?? 0x5eed);

  const departmentIds = departmentSpecs.map(() => randomUUID());
  const locationIds = locationSpecs.map(() => randomUUID());
  const locationWeights = locationSpecs.flatMap((spec, index) => Array.from({ length: spec.weight }, () => index));

  // Reporting tree, breadth first: manager i takes the next 5..11 people (about 8 on average),
  // so a manager always has a lower index (and an earlier hire date) than their reports.
  const managerOf: (number | null)[] = [null];
  const levelOf: number[] = [0];
  for (let manager = 0, next = 1; next < count; manager += 1) {
    const span = random.int(5, 11);
    for (let taken = 0; taken < span && next < count; taken += 1, next += 1) {
      managerOf.push(manager);
      levelOf.push(at(levelOf, manager) + 1);
    }
  }
  const reportsOf = new Array<number>(count).fill(0);
  const childrenOf = new Map<number, number[]>();
  managerOf.forEach((manager, index) => {
    if (manager === null) return;
    reportsOf[manager] = at(reportsOf, manager) + 1;
    const children = childrenOf.get(manager) ?? [];
    children.push(index);
    childrenOf.set(manager, children);
  });

  // Hire dates: the company is 15 years old and grew top-down; index order is hiring order.
  const companyAgeDays = 15 * 365;
  const hireDaysAgo = (index: number) => Math.max(20, Math.round(companyAgeDays * Math.pow(1 - index / count, 1.6)));

  const usedEmails = new Map<string, number>();
  const people: Person[] = [];
  for (let index = 0; index < count; index += 1) {
    const managerIndex = at(managerOf, index);
    const manager = managerIndex === null ? null : at(people, managerIndex);
    const level = at(levelOf, index);
    const department =
      level === 0 ? 0 : level === 1 ? 1 + ((index - 1) % (departmentSpecs.length - 1)) : (manager?.department ?? 0);
    const location =
      level <= 1 ? 0 : level === 2 || random.chance(0.15) ? random.pick(locationWeights) : (manager?.location ?? 0);
    const reports = at(reportsOf, index);
    const departmentSpec = at(departmentSpecs, department);
    const locationSpec = at(locationSpecs, location);
    const jobTitle =
      level === 0
        ? 'Chief Executive Officer'
        : level === 1
          ? `VP, ${departmentSpec.name}`
          : reports > 0
            ? level === 2
              ? `Director, ${departmentSpec.name}`
              : `${departmentSpec.name} Team Lead`
            : `${random.chance(0.3) ? 'Senior ' : ''}${random.pick(departmentSpec.titles)}`;
    const employmentType: EmploymentTypeValue =
      reports > 0 || level <= 1
        ? 'FULL_TIME'
        : random.pick(['FULL_TIME', 'FULL_TIME', 'FULL_TIME', 'FULL_TIME', 'FULL_TIME', 'FULL_TIME', 'FULL_TIME', 'FULL_TIME', 'PART_TIME', 'CONTRACTOR', 'INTERN', 'TEMPORARY'] as const);

    const firstName = random.pick(firstNames);
    const lastName = random.pick(lastNames);
    const base = `${slug(firstName)}.${slug(lastName)}`;
    const seen = usedEmails.get(base) ?? 0;
    usedEmails.set(base, seen + 1);
    const email = `${base}${seen === 0 ? '' : String(seen + 1)}@${emailDomain}`;
    const nickname = preferredNames[firstName];
    const id = randomUUID();
    const hireDate = shiftDays(today, -hireDaysAgo(index));
    const contractorLike = employmentType === 'CONTRACTOR' || employmentType === 'INTERN';
    people.push({
      id,
      managerIndex,
      level,
      department,
      location,
      reports,
      hireDate,
      employmentType,
      jobTitle,
      row: {
        id,
        employeeNumber: `E${String(1000 + index).padStart(6, '0')}`,
        email,
        hubUserId: random.chance(0.9) ? `hub-bench-${String(index).padStart(6, '0')}` : null,
        firstName,
        lastName,
        preferredName: nickname && random.chance(0.5) ? nickname : null,
        hireDate,
        timezone: location === 5 && random.chance(0.5) ? random.pick(['America/Los_Angeles', 'America/Denver', 'America/Sao_Paulo']) : null,
        workPhone: contractorLike ? null : `${locationSpec.phone} ${random.digits(4)}`,
      },
      personal: {
        personalEmail: `${slug(firstName)}${random.pick(['.', '_', ''])}${slug(lastName)}${random.int(1, 999)}@${random.pick(['mailbox.example', 'inbox.example'])}`,
        personalPhone: `${locationSpec.phone} ${random.digits(4)}`,
        dateOfBirth: shiftDays(today, -(random.int(21, 64) * 365 + random.int(0, 364))),
        homeAddress: {
          line1: `${random.int(1, 240)} ${random.pick(streets)}`,
          line2: random.chance(0.3) ? `Apt ${random.int(1, 40)}` : null,
          city: locationSpec.city === 'Remote' ? 'New York' : locationSpec.city,
          region: locationSpec.region,
          postalCode: locationSpec.postal,
          countryCode: locationSpec.countryCode,
        },
        emergencyContact: { name: `${random.pick(firstNames)} ${lastName}`, relationship: random.pick(relationships), phone: `${locationSpec.phone} ${random.digits(4)}` },
      },
    });
  }

  // createEmployee: one CREATED change with every non-null field and a job row naming all six job fields.
  const planned: PlannedChange[] = [];
  for (const person of people) {
    const managerId = person.managerIndex === null ? null : at(people, person.managerIndex).id;
    const job = {
      status: 'ACTIVE' as EmploymentStatusValue,
      jobTitle: person.jobTitle,
      departmentId: at(departmentIds, person.department),
      locationId: at(locationIds, person.location),
      employmentType: person.employmentType,
      managerId,
    };
    const recorded: Record<string, string | null> = {
      employeeNumber: person.row.employeeNumber,
      email: person.row.email,
      hubUserId: person.row.hubUserId ?? null,
      firstName: person.row.firstName,
      lastName: person.row.lastName,
      preferredName: person.row.preferredName ?? null,
      hireDate: person.hireDate,
      timezone: person.row.timezone ?? null,
      workPhone: person.row.workPhone ?? null,
      ...job,
      personalEmail: person.personal.personalEmail,
      personalPhone: person.personal.personalPhone,
      dateOfBirth: person.personal.dateOfBirth,
      homeAddress: JSON.stringify(person.personal.homeAddress),
      emergencyContact: JSON.stringify(person.personal.emergencyContact),
    };
    planned.push({
      employeeId: person.id,
      kind: 'CREATED',
      effectiveFrom: person.hireDate,
      reason: person.managerIndex === null ? 'Company founded' : 'New hire',
      changes: Object.entries(recorded)
        .filter(([, value]) => value !== null)
        .map(([field, value]) => ({ field, before: null, after: value })),
      job,
    });
  }

  // Later history: ~20% get an updateEmployee job change, ~3% of individual contributors a
  // status change (leave, resignation, termination). The two groups do not overlap.
  let laterChanges = 0;
  let leavers = 0;
  let onLeave = 0;
  const activeIds: string[] = [];
  const leftLevels: number[] = [];
  const statusToday = new Array<EmploymentStatusValue>(count).fill('ACTIVE');
  for (let index = 1; index < count; index += 1) {
    const person = at(people, index);
    const span = differenceInCalendarDays(new UTCDate(today), new UTCDate(person.hireDate));
    const effectiveFrom = shiftDays(person.hireDate, random.int(1, Math.max(1, span - 1)));
    if (person.reports === 0 && random.chance(0.03)) {
      const status = random.pick(['TERMINATED', 'RESIGNED', 'RESIGNED', 'ON_LEAVE'] as const);
      planned.push({
        employeeId: person.id,
        kind: 'STATUS_CHANGED',
        effectiveFrom,
        reason: status === 'ON_LEAVE' ? 'Parental leave' : status === 'RESIGNED' ? 'Moved on' : 'End of contract',
        changes: [{ field: 'status', before: 'ACTIVE', after: status }],
        job: { status },
      });
      statusToday[index] = status;
      if (status === 'ON_LEAVE') onLeave += 1;
      else {
        leavers += 1;
        leftLevels.push(person.level);
      }
      continue;
    }
    activeIds.push(person.id);
    if (!random.chance(0.2)) continue;
    laterChanges += 1;
    const job: JobValues = {};
    const changes: FieldChangeValue[] = [];
    const roll = random.next();
    // A move to another manager of the same department (a sibling of the current manager).
    const managerIndex = person.managerIndex;
    const grandManager = managerIndex === null ? null : at(people, managerIndex).managerIndex;
    const siblings =
      roll < 0.15 && person.level >= 3 && grandManager !== null
        ? (childrenOf.get(grandManager) ?? []).filter((other) => other !== managerIndex && at(people, other).reports > 0)
        : [];
    if (siblings.length > 0 && managerIndex !== null) {
      const target = at(people, random.pick(siblings));
      job.managerId = target.id;
      changes.push({ field: 'managerId', before: at(people, managerIndex).id, after: target.id });
    } else if (roll < 0.35) {
      const location = random.pick(locationWeights.filter((candidate) => candidate !== person.location));
      job.locationId = at(locationIds, location);
      changes.push({ field: 'locationId', before: at(locationIds, person.location), after: job.locationId });
    } else if (roll < 0.45 && person.employmentType !== 'FULL_TIME') {
      job.employmentType = 'FULL_TIME';
      changes.push({ field: 'employmentType', before: person.employmentType, after: 'FULL_TIME' });
    } else {
      const title = person.jobTitle.startsWith('Senior ') ? person.jobTitle.replace('Senior ', 'Principal ') : `Senior ${person.jobTitle}`;
      job.jobTitle = title;
      changes.push({ field: 'jobTitle', before: person.jobTitle, after: title });
    }
    planned.push({
      employeeId: person.id,
      kind: 'UPDATED',
      effectiveFrom,
      reason: job.managerId ? 'Reorganisation' : job.locationId ? 'Relocation' : job.employmentType ? 'Conversion' : 'Promotion',
      changes,
      job,
    });
  }

  const timeOff = planBenchTimeOff(
    people.map((person, index) => {
      const status = at(statusToday, index);
      return { id: person.id, employed: status === 'ACTIVE' || status === 'ON_LEAVE' };
    }),
    locationIds,
    today,
  );
  const certifications = planBenchCertifications(
    people.map((person, index) => ({
      id: person.id,
      departmentCode: at(departmentSpecs, person.department).code,
      status: at(statusToday, index),
    })),
    today,
  );

  const changeIds = planned.map(() => randomUUID());
  const processedAt = new Date();
  await db.transaction(async (tx) => {
    // A department's name is dated (its first version, since always), so each goes in as the seed adds one.
    for (const [index, spec] of departmentSpecs.entries()) {
      await insertDepartment(tx, { id: at(departmentIds, index), code: spec.code, name: spec.name });
    }
    await tx.insert(locations).values(
      locationSpecs.map((spec, index) => ({
        id: at(locationIds, index),
        name: spec.name,
        city: spec.city,
        countryCode: spec.countryCode,
        timezone: spec.timezone,
      })),
    );
    for (const chunk of chunks(people)) await tx.insert(employees).values(chunk.map((person) => person.row));
    for (const chunk of chunks(people)) {
      await tx.insert(employeePersonalData).values(chunk.map((person) => ({ employeeId: person.id, ...person.personal })));
    }
    // Changes in planning order: every CREATED row gets a lower sequence than the same employee's later rows.
    for (const chunk of chunks(planned.map((change, index) => ({ change, id: at(changeIds, index) })))) {
      await tx.insert(employeeChanges).values(
        chunk.map(({ change, id }) => ({
          id,
          employeeId: change.employeeId,
          kind: change.kind,
          recordedBy,
          effectiveFrom: change.effectiveFrom,
          reason: change.reason,
          changes: change.changes,
        })),
      );
    }
    const jobRows = planned.flatMap((change, index) =>
      change.job
        ? [
            {
              employeeId: change.employeeId,
              changeId: at(changeIds, index),
              effectiveFrom: change.effectiveFrom,
              // insertJobChange names exactly the keys it was given, managerId included when null.
              fields: Object.keys(change.job) as JobField[],
              ...change.job,
              // Status changes in the past have had their lifecycle event; other rows never need one.
              lifecycleProcessedAt: 'status' in change.job ? processedAt : null,
            },
          ]
        : [],
    );
    for (const chunk of chunks(jobRows)) await tx.insert(employeeJobChanges).values(chunk);
    // Rows written around the store: fold the current jobs once, as the migration's backfill does.
    await rebuildCurrentJobs(tx, options.today);
    // The next employee created through the API continues the numbering.
    await tx.execute(sql`select setval(${employeeNumberSequence.seqName}, ${1000 + count - 1})`);
    await timeOff.insert(tx);
    await certifications.insert(tx);
  });
  // Fresh statistics, as autovacuum would gather after a bulk load (PGlite has no autovacuum).
  await db.execute(sql`analyze`);

  const deepest = people.reduce((best, person) => (person.level >= best.level ? person : best), at(people, 0));
  const middle = at(people, Math.floor(count / 2));
  const employedByLevel = new Map<number, number>();
  for (const person of people) employedByLevel.set(person.level, (employedByLevel.get(person.level) ?? 0) + 1);
  for (const level of leftLevels) employedByLevel.set(level, (employedByLevel.get(level) ?? 0) - 1);

  return {
    employeeCount: count,
    departmentCount: departmentSpecs.length,
    locationCount: locationSpecs.length,
    managerCount: people.filter((person) => person.reports > 0).length,
    maxLevel: deepest.level,
    changeRows: planned.length,
    jobChangeRows: planned.filter((change) => change.job).length,
    laterChanges,
    leavers,
    onLeave,
    ceoId: at(people, 0).id,
    deepestId: deepest.id,
    ids: people.map((person) => person.id),
    emails: people.map((person) => person.row.email),
    activeIds,
    searchTerm: `${middle.row.firstName} ${middle.row.lastName}`,
    employedUpToLevel: (depth) => {
      let total = 0;
      for (const [level, employed] of employedByLevel) if (level <= depth) total += employed;
      return total;
    },
    timeOff,
    certifications,
  };
}

function* chunks<T>(rows: readonly T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += chunkSize) yield rows.slice(start, start + chunkSize);
}
