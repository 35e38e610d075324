import { recordEvent, type EventData } from '../../events/events.service.js';
import type { CreateHolidayCalendarInput, SetHolidaysInput } from '../../generated/graphql.js';
import type { Database } from '../../db/database.js';
import type { RequestContext } from '../../graphql/context.js';
import type { CalendarDate } from '../../shared/dates.js';
import { isUuid, normaliseId } from '../../shared/ids.js';
import { locationNotFound } from '../../shared/common-errors.js';
import { fail, userError, type Outcome } from '../../shared/user-errors.js';
import { abort, writeTransaction } from '../../shared/write-transaction.js';
import type { Holiday } from '../calendar.js';
import { assertMayAdministerTimeOff, assertMayReadHolidays } from './access.js';
import type { HolidayCalendarRow } from './model.js';
import * as adminStore from './store.js';
import { parseHolidays, parseName } from './validation.js';

// Holiday calendars, one per location. Requests store their days when submitted, so editing a
// calendar changes what new requests count, never what submitted ones took; see setHolidays.

type CalendarOutcome = Outcome<HolidayCalendarRow>;

export async function listCalendars(ctx: RequestContext, locationIds: readonly string[] | null | undefined): Promise<HolidayCalendarRow[]> {
  assertMayReadHolidays(ctx);
  const ids = locationIds ? locationIds.map(normaliseId).filter(isUuid) : null;
  return adminStore.findCalendars(ctx.db, ids);
}

export async function holidaysOf(
  ctx: RequestContext,
  calendar: HolidayCalendarRow,
  range: { from?: CalendarDate | null; to?: CalendarDate | null },
): Promise<Holiday[]> {
  const days = await ctx.loaders.timeOff.holidaysOfCalendar.load(calendar.id);
  return days.filter((day) => (!range.from || day.date >= range.from) && (!range.to || day.date <= range.to));
}

/** The calendar of a location, the link a Location shows: read by whoever reads holidays. */
export function calendarOfLocation(ctx: RequestContext, locationId: string): Promise<HolidayCalendarRow | null> {
  assertMayReadHolidays(ctx);
  return ctx.loaders.timeOff.calendarOfLocation.load(locationId);
}

/** Every calendar change answers the calendar as read after the commit (work returns its id). */
async function reloadCalendar(ctx: RequestContext, id: string): Promise<HolidayCalendarRow | undefined> {
  const [calendar] = await adminStore.findCalendarsByIds(ctx.db, [id]);
  return calendar;
}

function recordHolidayChange(
  tx: Database,
  calendar: HolidayCalendarRow,
  change: EventData<'timeoff.holidays.changed'>['change'],
  year: number | null,
) {
  return recordEvent(tx, {
    type: 'timeoff.holidays.changed',
    subject: `holiday_calendar:${calendar.id}`,
    data: { calendarId: calendar.id, locationId: calendar.locationId, change, year },
  });
}

export async function createCalendar(ctx: RequestContext, input: CreateHolidayCalendarInput): Promise<CalendarOutcome> {
  assertMayAdministerTimeOff(ctx);
  const locationId = normaliseId(input.locationId);
  const { name, errors } = parseName(input.name, ['input', 'name'], 'The name');
  const noLocation = locationNotFound(['input', 'locationId']);
  if (!isUuid(locationId)) errors.unshift(noLocation);
  if (errors.length > 0) return fail(...errors);
  const taken = userError('DUPLICATE_HOLIDAY_CALENDAR', ['input', 'locationId'], 'The location already has a holiday calendar: change that one.');

  return writeTransaction(
    ctx,
    async (tx) => {
      if (!(await adminStore.findLocationIds(tx, [locationId])).has(locationId)) abort(noLocation);
      if ((await adminStore.findCalendars(tx, [locationId])).length > 0) abort(taken);
      const calendar = await adminStore.insertCalendar(tx, { locationId, name });
      await recordHolidayChange(tx, calendar, 'CREATED', null);
      return calendar.id;
    },
    { uniqueViolations: { holiday_calendars_location_id_unique: () => taken }, reload: reloadCalendar },
  );
}

/**
 * Replaces one year of a calendar. Submitted requests keep their stored days, pending ones
 * included: a request is what the employee asked for and the approver saw, and its deducted
 * amount is frozen from those days at approval. Someone whose request now covers a new holiday
 * cancels it and asks again, which then counts the holiday.
 */
export async function setHolidays(ctx: RequestContext, input: SetHolidaysInput): Promise<CalendarOutcome> {
  assertMayAdministerTimeOff(ctx);
  const calendarId = normaliseId(input.calendarId);
  const notFound = userError('HOLIDAY_CALENDAR_NOT_FOUND', ['input', 'calendarId'], 'No holiday calendar has this id.');
  const { days, errors } = parseHolidays(input.year, input.holidays);
  if (!isUuid(calendarId)) errors.unshift(notFound);
  if (errors.length > 0) return fail(...errors);

  return writeTransaction(ctx, async (tx) => {
    const calendar = await adminStore.lockCalendar(tx, calendarId);
    if (!calendar) abort(notFound);
    await adminStore.replaceHolidaysOfYear(tx, calendar.id, input.year, days);
    await recordHolidayChange(tx, calendar, 'HOLIDAYS_SET', input.year);
    return calendar.id;
  }, { reload: reloadCalendar });
}
