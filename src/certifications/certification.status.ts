import { UTCDate } from '@date-fns/utc';
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import { format } from 'date-fns/format';
import type { CertificationStatus } from '../generated/graphql.js';
import type { CalendarDate } from '../shared/dates.js';
import type { EmployeeCertificationRow } from './certification.tables.js';

// Status is derived, never stored: a stored status would be stale the day after it was written.

/**
 * ACTIVE, EXPIRING or EXPIRED on `asOf`. `expiresOn` is the last valid day (null: never expires);
 * it is EXPIRING from `windowDays` days before it up to and including that day.
 */
export function certificationStatus(expiresOn: CalendarDate | null, asOf: CalendarDate, windowDays: number): CertificationStatus {
  if (expiresOn === null) return 'ACTIVE';
  if (expiresOn < asOf) return 'EXPIRED';
  return expiresOn <= plusDays(asOf, windowDays) ? 'EXPIRING' : 'ACTIVE';
}

/** The record in force: neither replaced by a renewal nor removed. */
export const isCurrent = (row: EmployeeCertificationRow): boolean => row.supersededAt === null && row.removedAt === null;

/** True when the certification is no longer valid on `day`. */
export function isExpiredOn(expiresOn: CalendarDate | null, day: CalendarDate): boolean {
  return expiresOn !== null && expiresOn < day;
}

/**
 * The expiry a catalog's validity period gives: `issuedOn` plus that many calendar months
 * (2024-02-29 + 12 months is 2025-02-28, as date-fns clamps to the month's end); null without one.
 */
export function defaultExpiry(issuedOn: CalendarDate, validityMonths: number | null): CalendarDate | null {
  if (validityMonths === null) return null;
  // UTCDate keeps the arithmetic off the process's local time zone.
  return format(addMonths(new UTCDate(issuedOn), validityMonths), 'yyyy-MM-dd');
}

export function plusDays(day: CalendarDate, days: number): CalendarDate {
  return format(addDays(new UTCDate(day), days), 'yyyy-MM-dd');
}
