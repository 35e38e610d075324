import { and, asc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { employeeNames } from '../employees/employee.service.js';
import type { CalendarDate } from '../shared/dates.js';
import {
  employeeCertifications,
  type CertificationVerificationStateValue,
  type EmployeeCertificationRow,
} from './certification.tables.js';

// SQL of skill matching (names resolve through certification.store's catalog search): one
// statement for every holder, so the count does not grow with the number of people who qualify.

export interface HolderCriteria {
  catalogEntryIds: readonly string[];
  activeOn: CalendarDate;
  /** The last day the certification must still be valid on. */
  activeThrough: CalendarDate;
  verificationStates: readonly CertificationVerificationStateValue[];
  /** Null: anyone. */
  employeeIds: readonly string[] | null;
}

export interface HeldCertificationRow {
  certification: EmployeeCertificationRow;
  lastName: string;
  firstName: string;
}

/**
 * Current certifications of the given catalog entries that count on `activeOn` through
 * `activeThrough`, with their holder's name for ordering. Ordered by holder name, then id.
 */
export async function findCountingCertifications(db: Database, criteria: HolderCriteria): Promise<HeldCertificationRow[]> {
  if (criteria.catalogEntryIds.length === 0 || criteria.verificationStates.length === 0) return [];
  if (criteria.employeeIds !== null && criteria.employeeIds.length === 0) return [];
  const ec = employeeCertifications;
  const holder = employeeNames(db);
  return db
    .select({ certification: ec, lastName: holder.lastName, firstName: holder.firstName })
    .from(ec)
    .innerJoin(holder, eq(holder.id, ec.employeeId))
    .where(
      and(
        inArray(ec.catalogEntryId, [...criteria.catalogEntryIds]),
        isNull(ec.supersededAt),
        isNull(ec.removedAt),
        inArray(ec.verificationState, [...criteria.verificationStates]),
        lte(ec.issuedOn, criteria.activeOn),
        or(isNull(ec.expiresOn), gte(ec.expiresOn, criteria.activeThrough)),
        criteria.employeeIds === null ? undefined : inArray(ec.employeeId, [...criteria.employeeIds]),
      ),
    )
    .orderBy(asc(holder.lastName), asc(holder.firstName), asc(holder.id));
}
