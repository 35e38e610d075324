import { randomUUID } from 'node:crypto';
import { UTCDate } from '@date-fns/utc';
import { format } from 'date-fns/format';
import { subMonths } from 'date-fns/subMonths';
import { describeCaller } from '../auth/caller.js';
import { catalogMatchKeys, defaultExpiry, plusDays } from '../certifications/certification.service.js';
import { certificationCatalog, employeeCertifications } from '../certifications/certification.tables.js';
import type { Database } from '../db/database.js';
import type { RequestContext } from '../graphql/context.js';
import type { CalendarDate } from '../shared/dates.js';
import { SeededRandom } from '../shared/random.js';

/*
 * Demo certifications, loaded after the demo organisation and its time off: a catalog of the
 * networking, cloud, security and service-management certifications an IT managed services
 * provider's technicians hold, and who holds which. Mostly verified by HR; some still unverified
 * (added by the employee), one rejected, some expiring within the 30-day window, some expired,
 * some renewed (the replaced record stays as history). Written set-based: one statement for the
 * catalog, one for the replaced records, one for the current ones. Deterministic: a seeded PRNG
 * and dates relative to today.
 */

export interface DemoCertificationsInput {
  ctx: RequestContext;
  /** Every demo employee by key. */
  employees: readonly { key: string; id: string }[];
}

export interface DemoCertificationsSummary {
  catalogEntries: number;
  certifications: number;
  /** Records replaced by a renewal. */
  renewed: number;
}

const prngSeed = 0xce271f;

// ---------------------------------------------------------------- catalog

interface CatalogSpec {
  name: string;
  issuer: string;
  code: string | null;
  aliases: string[];
  validityMonths: number | null;
  tags: string[];
  /** How credential ids of this issuer look (a prefix; digits follow). */
  credentialPrefix: string;
}

// People say "Security+" and "Network+" for the CompTIA certifications: aliases ("+" counts when
// matching, so "Security+" does not find the entries tagged for security in general).
const catalogSpecs = {
  CCNA: {
    name: 'Cisco Certified Network Associate',
    issuer: 'Cisco',
    code: '200-301',
    aliases: ['CCNA', 'Cisco CCNA'],
    validityMonths: 36,
    tags: ['networking', 'Cisco Certified', 'cisco'],
    credentialPrefix: 'CSCO',
  },
  CCNP: {
    name: 'Cisco Certified Network Professional Enterprise',
    issuer: 'Cisco',
    code: '350-401',
    aliases: ['CCNP Enterprise', 'CCNP', 'ENCOR'],
    validityMonths: 36,
    tags: ['networking', 'Cisco Certified', 'cisco'],
    credentialPrefix: 'CSCO',
  },
  NETPLUS: {
    name: 'CompTIA Network+',
    issuer: 'CompTIA',
    code: 'N10-009',
    aliases: ['Network+', 'Network Plus'],
    validityMonths: 36,
    tags: ['networking', 'comptia'],
    credentialPrefix: 'COMP001',
  },
  JNCIA: {
    name: 'Juniper Networks Certified Associate – Junos',
    issuer: 'Juniper Networks',
    code: 'JN0-105',
    aliases: ['JNCIA-Junos', 'JNCIA'],
    validityMonths: 36,
    tags: ['networking', 'juniper'],
    credentialPrefix: 'JPR-',
  },
  AZ104: {
    name: 'Microsoft Certified: Azure Administrator Associate',
    issuer: 'Microsoft',
    code: 'AZ-104',
    aliases: ['Azure Administrator', 'Azure Admin'],
    // Microsoft's role-based certifications are renewed every year.
    validityMonths: 12,
    tags: ['cloud', 'azure', 'microsoft'],
    credentialPrefix: 'MS',
  },
  AZ900: {
    name: 'Microsoft Certified: Azure Fundamentals',
    issuer: 'Microsoft',
    code: 'AZ-900',
    aliases: ['Azure Fundamentals'],
    // Fundamentals certifications do not expire.
    validityMonths: null,
    tags: ['cloud', 'azure', 'microsoft'],
    credentialPrefix: 'MS',
  },
  SAA: {
    name: 'AWS Certified Solutions Architect – Associate',
    issuer: 'Amazon Web Services',
    code: 'SAA-C03',
    aliases: ['AWS Solutions Architect', 'AWS SAA', 'Solutions Architect Associate'],
    validityMonths: 36,
    tags: ['cloud', 'aws'],
    credentialPrefix: 'AWS',
  },
  ACE: {
    name: 'Google Cloud Certified Associate Cloud Engineer',
    issuer: 'Google Cloud',
    code: null,
    aliases: ['Associate Cloud Engineer', 'GCP ACE', 'Google ACE'],
    validityMonths: 36,
    tags: ['cloud', 'gcp', 'google cloud'],
    credentialPrefix: 'GCP',
  },
  SECPLUS: {
    name: 'CompTIA Security+',
    issuer: 'CompTIA',
    code: 'SY0-701',
    aliases: ['Security+', 'Security Plus'],
    validityMonths: 36,
    tags: ['security', 'cybersecurity', 'comptia'],
    credentialPrefix: 'COMP001',
  },
  CISSP: {
    name: 'Certified Information Systems Security Professional',
    issuer: 'ISC2',
    code: 'CISSP',
    aliases: ['ISC2 CISSP'],
    validityMonths: 36,
    tags: ['security', 'cybersecurity', 'isc2'],
    credentialPrefix: '',
  },
  CEH: {
    name: 'Certified Ethical Hacker',
    issuer: 'EC-Council',
    code: '312-50',
    aliases: ['CEH', 'Ethical Hacker'],
    validityMonths: 36,
    tags: ['security', 'cybersecurity', 'penetration testing'],
    credentialPrefix: 'ECC',
  },
  CISM: {
    name: 'Certified Information Security Manager',
    issuer: 'ISACA',
    code: 'CISM',
    aliases: ['ISACA CISM'],
    validityMonths: 36,
    tags: ['security', 'cybersecurity', 'governance', 'isaca'],
    credentialPrefix: '',
  },
  ITIL: {
    name: 'ITIL 4 Foundation',
    issuer: 'PeopleCert',
    code: null,
    aliases: ['ITIL Foundation', 'ITIL v4 Foundation', 'ITIL'],
    validityMonths: null,
    tags: ['itsm', 'service management'],
    credentialPrefix: 'GR',
  },
} as const satisfies Record<string, CatalogSpec>;
type CatalogKey = keyof typeof catalogSpecs;

// ---------------------------------------------------------------- holders

/**
 * What happened to one certification: VERIFIED (valid well beyond the expiring window),
 * EXPIRING (expires within 30 days), EXPIRED, UNVERIFIED (recently added by the employee),
 * REJECTED (HR could not confirm it), RENEWED (an earlier record replaced by a verified renewal).
 */
type Story = 'VERIFIED' | 'EXPIRING' | 'EXPIRED' | 'UNVERIFIED' | 'REJECTED' | 'RENEWED';

/** Holders by demo employee key (see demo-organisation.ts); unnamed team members are `lead.n`. */
const holdings: readonly (readonly [string, readonly (readonly [CatalogKey, Story])[]])[] = [
  ['nocLead', [['CCNP', 'VERIFIED'], ['CCNA', 'RENEWED'], ['ITIL', 'VERIFIED']]],
  ['nocSenior', [['CCNA', 'VERIFIED'], ['NETPLUS', 'EXPIRED'], ['JNCIA', 'EXPIRING']]],
  ['nocLead.2', [['CCNA', 'UNVERIFIED'], ['NETPLUS', 'VERIFIED']]],
  // Left the company: holds a valid certification but is never matched.
  ['nocResigned', [['CCNA', 'VERIFIED']]],
  ['workplaceLead', [['ITIL', 'VERIFIED'], ['AZ900', 'VERIFIED']]],
  ['workplaceLead.1', [['NETPLUS', 'VERIFIED'], ['SECPLUS', 'EXPIRING']]],
  ['workplaceLead.2', [['NETPLUS', 'VERIFIED']]],
  ['workplaceLead.3', [['AZ104', 'VERIFIED'], ['AZ900', 'VERIFIED']]],
  ['sdLeadLon', [['ITIL', 'VERIFIED'], ['AZ900', 'VERIFIED']]],
  ['sdPromoted', [['ITIL', 'VERIFIED'], ['AZ104', 'EXPIRING'], ['SECPLUS', 'VERIFIED']]],
  // On parental leave: certified, but not dispatchable.
  ['sdParental', [['ITIL', 'VERIFIED'], ['NETPLUS', 'VERIFIED']]],
  ['sdLeadLon.3', [['ITIL', 'UNVERIFIED']]],
  ['sdTemp', [['ITIL', 'VERIFIED']]],
  ['sdLeadAus.1', [['ITIL', 'VERIFIED'], ['NETPLUS', 'EXPIRED']]],
  ['sdLeadAus.2', [['AZ900', 'VERIFIED']]],
  ['intern', [['AZ900', 'UNVERIFIED']]],
  ['sdLeadSin.1', [['ITIL', 'VERIFIED'], ['CCNA', 'VERIFIED']]],
  ['sdLeadSin.2', [['SECPLUS', 'REJECTED']]],
  ['sdTransferred', [['SECPLUS', 'VERIFIED'], ['CEH', 'UNVERIFIED']]],
  ['cloudLead', [['AZ104', 'RENEWED'], ['SAA', 'VERIFIED'], ['ACE', 'VERIFIED']]],
  ['cloudPromoted', [['AZ104', 'VERIFIED'], ['SAA', 'EXPIRING']]],
  ['cloudSabbatical', [['AZ104', 'VERIFIED'], ['ACE', 'EXPIRED']]],
  ['cloudLead.3', [['AZ104', 'EXPIRED'], ['SAA', 'VERIFIED']]],
  ['cloudContractor', [['AZ104', 'VERIFIED'], ['AZ900', 'VERIFIED']]],
  ['architect', [['AZ104', 'VERIFIED'], ['SAA', 'RENEWED'], ['CISSP', 'VERIFIED'], ['ACE', 'VERIFIED']]],
  ['presales', [['AZ900', 'VERIFIED'], ['SAA', 'UNVERIFIED']]],
  ['netLead', [['CCNP', 'VERIFIED'], ['CCNA', 'RENEWED'], ['JNCIA', 'VERIFIED']]],
  ['netLead.1', [['CCNP', 'VERIFIED'], ['CCNA', 'VERIFIED'], ['NETPLUS', 'VERIFIED']]],
  ['netLeaving', [['CCNA', 'VERIFIED']]],
  ['netLead.3', [['CCNA', 'EXPIRING'], ['JNCIA', 'VERIFIED']]],
  ['netLead.4', [['AZ104', 'VERIFIED'], ['NETPLUS', 'RENEWED']]],
  ['socLead', [['CISSP', 'VERIFIED'], ['CISM', 'VERIFIED']]],
  ['socLead.1', [['SECPLUS', 'VERIFIED'], ['CEH', 'VERIFIED']]],
  ['socLead.2', [['SECPLUS', 'RENEWED']]],
  ['socLead.4', [['SECPLUS', 'VERIFIED'], ['CISSP', 'UNVERIFIED']]],
  ['secEngLead', [['CISSP', 'VERIFIED'], ['CISM', 'EXPIRING']]],
  ['secEngLead.1', [['SECPLUS', 'VERIFIED'], ['AZ104', 'VERIFIED']]],
  ['pentester', [['CEH', 'VERIFIED'], ['SECPLUS', 'EXPIRED']]],
  ['secEngLead.3', [['SECPLUS', 'VERIFIED'], ['AZ104', 'UNVERIFIED']]],
];

/** The HR Generalist who checks credentials with the issuers. */
const verifierKey = 'hrBer';

// ---------------------------------------------------------------- dates

function minusMonths(day: CalendarDate, months: number): CalendarDate {
  // UTCDate keeps the arithmetic off the process's local time zone.
  return format(subMonths(new UTCDate(day), months), 'yyyy-MM-dd');
}

/** Midday UTC of a day, not after `now`: when HR got to it. */
function instantOn(day: CalendarDate, now: Date): Date {
  const instant = new Date(`${day}T10:00:00.000Z`);
  return instant > now ? now : instant;
}

type CertificationInsert = typeof employeeCertifications.$inferInsert;

export async function seedDemoCertifications(db: Database, input: DemoCertificationsInput): Promise<DemoCertificationsSummary> {
  const { ctx } = input;
  const today = ctx.today;
  const now = ctx.clock.now();
  const author = describeCaller(ctx.caller);
  const random = new SeededRandom(prngSeed);
  const ids = new Map(input.employees.map((employee) => [employee.key, employee.id]));
  const idOf = (key: string): string => {
    const id = ids.get(key);
    if (!id) throw new Error(`Demo certifications: no demo employee ${key}`);
    return id;
  };
  const verifierId = idOf(verifierKey);

  // Entries someone already added (by name) are kept; the rest are inserted in one statement.
  const existing = new Map((await db.select({ id: certificationCatalog.id, name: certificationCatalog.name }).from(certificationCatalog)).map((row) => [row.name, row.id]));
  const missing = (Object.entries(catalogSpecs) as [CatalogKey, CatalogSpec][]).filter(([, spec]) => !existing.has(spec.name));
  if (missing.length > 0) {
    const inserted = await db
      .insert(certificationCatalog)
      .values(
        missing.map(([, { credentialPrefix: _prefix, ...spec }]) => ({
          ...spec,
          aliases: [...spec.aliases],
          tags: [...spec.tags],
          matchKeys: catalogMatchKeys(spec),
        })),
      )
      .returning({ id: certificationCatalog.id, name: certificationCatalog.name });
    for (const row of inserted) existing.set(row.name, row.id);
  }
  const entryIdOf = (key: CatalogKey): string => {
    const id = existing.get(catalogSpecs[key].name);
    if (!id) throw new Error(`Demo certifications: catalog entry ${key} is missing`);
    return id;
  };

  const credentials = new Set<string>();
  const credentialFor = (key: CatalogKey): string => {
    for (;;) {
      const credential = `${catalogSpecs[key].credentialPrefix}${random.digits(8)}`;
      if (!credentials.has(credential)) {
        credentials.add(credential);
        return credential;
      }
    }
  };
  const verified = (issuedOn: CalendarDate) => {
    const decidedOn = plusDays(issuedOn, random.int(1, 12));
    return {
      verificationState: 'VERIFIED' as const,
      verifiedByEmployeeId: verifierId,
      verifiedBy: author,
      verifiedAt: instantOn(decidedOn < today ? decidedOn : today, now),
    };
  };

  const replaced: CertificationInsert[] = [];
  const current: CertificationInsert[] = [];
  for (const [employeeKey, held] of holdings) {
    const employeeId = idOf(employeeKey);
    for (const [catalogKey, story] of held) {
      const months: number | null = catalogSpecs[catalogKey].validityMonths;
      const base = {
        employeeId,
        catalogEntryId: entryIdOf(catalogKey),
        credentialId: credentialFor(catalogKey),
        evidenceUrl: random.chance(0.6) ? `https://credentials.example/${catalogKey.toLowerCase()}/${random.digits(10)}` : null,
        createdBy: author,
      };
      // Issued so that its expiry lands `offset` days from today (somewhere back, without one).
      const issuedFor = (offset: number): CalendarDate =>
        months === null ? plusDays(today, -random.int(60, 2400)) : minusMonths(plusDays(today, offset), months);
      const record = (issuedOn: CalendarDate) => ({ ...base, issuedOn, expiresOn: defaultExpiry(issuedOn, months) });

      switch (story) {
        case 'VERIFIED': {
          // At least two months of validity left, so it is ACTIVE and not EXPIRING.
          const issuedOn = months === null ? issuedFor(0) : issuedFor(random.int(60, months * 30 - 30));
          current.push({ ...record(issuedOn), ...verified(issuedOn) });
          break;
        }
        case 'EXPIRING': {
          const issuedOn = issuedFor(random.int(3, 26));
          current.push({ ...record(issuedOn), ...verified(issuedOn) });
          break;
        }
        case 'EXPIRED': {
          const issuedOn = issuedFor(-random.int(10, 240));
          current.push({ ...record(issuedOn), ...verified(issuedOn) });
          break;
        }
        case 'UNVERIFIED': {
          const issuedOn = plusDays(today, -random.int(5, 50));
          current.push({ ...record(issuedOn), verificationState: 'UNVERIFIED' });
          break;
        }
        case 'REJECTED': {
          const issuedOn = plusDays(today, -random.int(30, 90));
          current.push({
            ...record(issuedOn),
            verificationState: 'REJECTED',
            verifiedByEmployeeId: verifierId,
            verifiedBy: author,
            verifiedAt: instantOn(plusDays(issuedOn, random.int(5, 20)), now),
            verificationComment: 'The issuer has no record of this credential id; please upload the certificate.',
          });
          break;
        }
        case 'RENEWED': {
          // Renewed a few weeks before the old one ran out; the old one keeps its dates.
          const renewedOn = plusDays(today, -random.int(20, 200));
          const oldIssuedOn = minusMonths(plusDays(renewedOn, random.int(5, 30)), months ?? 36);
          const oldId = randomUUID();
          replaced.push({
            ...record(oldIssuedOn),
            id: oldId,
            credentialId: credentialFor(catalogKey),
            ...verified(oldIssuedOn),
            supersededAt: instantOn(renewedOn, now),
          });
          current.push({ ...record(renewedOn), renewedFromId: oldId, ...verified(renewedOn) });
          break;
        }
      }
    }
  }

  // The replaced records first: the renewals point back at them.
  if (replaced.length > 0) await db.insert(employeeCertifications).values(replaced);
  if (current.length > 0) await db.insert(employeeCertifications).values(current);
  return { catalogEntries: existing.size, certifications: current.length, renewed: replaced.length };
}
