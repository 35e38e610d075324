import { z } from 'zod';
import type {
  AddressInput,
  ChangeEmployeeStatusInput,
  CorrectHireDateInput,
  CreateEmployeeInput,
  EmergencyContactInput,
  UpdateEmployeeInput,
} from '../generated/graphql.js';
import { addYears, isCalendarDate, isValidTimeZone, type CalendarDate } from '../shared/dates.js';
import { userError, type UserError } from '../shared/user-errors.js';

// Shape and format checks that need no database. Rules that do (duplicates, managers, the
// status timeline) live in the service. Each problem names its input path and says what is wanted.

const emailFormat = z.email();
const phoneFormat = /^\+?[0-9][0-9 ().-]{3,28}[0-9]$/;
const employeeNumberFormat = /^[A-Za-z0-9][A-Za-z0-9-]{0,19}$/;
const countryCodeFormat = /^[A-Z]{2}$/;
const earliestDate: CalendarDate = '1900-01-01';
/** How far ahead a hire or change may be scheduled: further than this is a typo, not a plan. */
const maxYearsAhead = 2;

class InputChecker {
  readonly errors: UserError[] = [];

  constructor(private readonly today: CalendarDate) {}

  private fail(code: UserError['code'], path: string[], message: string): void {
    this.errors.push(userError(code, ['input', ...path], message));
  }

  /** A text field. `undefined` means "not given"; `null` clears it, which only optional fields allow. */
  text(path: string[], value: string | null | undefined, options: { required: boolean; max: number }): void {
    const label = path[path.length - 1] ?? 'value';
    if (value === undefined) return;
    if (value === null || value.trim() === '') {
      if (options.required) this.fail('REQUIRED', path, `${label} is required and cannot be empty.`);
      return;
    }
    if (value.length > options.max) {
      this.fail('INVALID_VALUE', path, `${label} must be at most ${options.max} characters.`);
    }
  }

  email(path: string[], value: string | null | undefined, required: boolean): void {
    this.text(path, value, { required, max: 254 });
    if (value && value.trim() !== '' && !emailFormat.safeParse(value.trim()).success) {
      this.fail('INVALID_EMAIL', path, `"${value}" is not a valid e-mail address.`);
    }
  }

  pattern(path: string[], value: string | null | undefined, format: RegExp, expected: string): void {
    if (value && !format.test(value)) this.fail('INVALID_VALUE', path, `${path[path.length - 1]} must be ${expected}.`);
  }

  date(
    path: string[],
    value: string | null | undefined,
    bounds: { notAfterToday?: boolean; required?: boolean } = {},
  ): void {
    const label = path[path.length - 1] ?? 'date';
    if (value === undefined) return;
    if (value === null) {
      if (bounds.required) this.fail('REQUIRED', path, `${label} is required.`);
      return;
    }
    if (!isCalendarDate(value)) {
      this.fail('INVALID_VALUE', path, `${label} must be a calendar date as YYYY-MM-DD.`);
      return;
    }
    const latest = bounds.notAfterToday ? this.today : addYears(this.today, maxYearsAhead);
    if (value < earliestDate || value > latest) {
      this.fail('INVALID_VALUE', path, `${label} must be between ${earliestDate} and ${latest}.`);
    }
  }

  timeZone(path: string[], value: string | null | undefined): void {
    if (value && !isValidTimeZone(value)) {
      this.fail('INVALID_VALUE', path, `"${value}" is not an IANA time zone such as Europe/Berlin.`);
    }
  }

  uuid(path: string[], value: string | null | undefined, required: boolean): void {
    if (value === null && required) this.fail('REQUIRED', path, `${path[path.length - 1]} is required.`);
  }

  address(path: string[], value: AddressInput | null | undefined): void {
    if (!value) return;
    this.text([...path, 'line1'], value.line1, { required: true, max: 200 });
    this.text([...path, 'line2'], value.line2, { required: false, max: 200 });
    this.text([...path, 'city'], value.city, { required: true, max: 100 });
    this.text([...path, 'region'], value.region, { required: false, max: 100 });
    this.text([...path, 'postalCode'], value.postalCode, { required: false, max: 20 });
    this.pattern([...path, 'countryCode'], value.countryCode, countryCodeFormat, 'a two-letter ISO country code such as DE');
  }

  emergencyContact(path: string[], value: EmergencyContactInput | null | undefined): void {
    if (!value) return;
    this.text([...path, 'name'], value.name, { required: true, max: 200 });
    this.text([...path, 'relationship'], value.relationship, { required: false, max: 100 });
    this.text([...path, 'phone'], value.phone, { required: true, max: 32 });
    this.pattern([...path, 'phone'], value.phone, phoneFormat, 'a phone number such as +49 30 1234567');
  }
}

type SharedFields = {
  [K in keyof Omit<CreateEmployeeInput, 'hireDate' | 'reason'>]?: CreateEmployeeInput[K] | null;
};

function checkSharedFields(check: InputChecker, input: SharedFields, creating: boolean): void {
  check.email(['email'], input.email, true);
  check.text(['employeeNumber'], input.employeeNumber, { required: !creating, max: 20 });
  check.pattern(['employeeNumber'], input.employeeNumber, employeeNumberFormat, 'letters, digits and dashes (at most 20)');
  check.text(['hubUserId'], input.hubUserId, { required: false, max: 200 });
  check.text(['firstName'], input.firstName, { required: true, max: 100 });
  check.text(['lastName'], input.lastName, { required: true, max: 100 });
  check.text(['preferredName'], input.preferredName, { required: false, max: 100 });
  check.text(['jobTitle'], input.jobTitle, { required: true, max: 200 });
  check.uuid(['departmentId'], input.departmentId, true);
  check.uuid(['locationId'], input.locationId, true);
  if (input.employmentType === null) check.uuid(['employmentType'], null, true);
  check.timeZone(['timezone'], input.timezone);
  check.text(['workPhone'], input.workPhone, { required: false, max: 32 });
  check.pattern(['workPhone'], input.workPhone, phoneFormat, 'a phone number such as +49 30 1234567');
  check.email(['personalEmail'], input.personalEmail, false);
  check.text(['personalPhone'], input.personalPhone, { required: false, max: 32 });
  check.pattern(['personalPhone'], input.personalPhone, phoneFormat, 'a phone number such as +49 30 1234567');
  check.date(['dateOfBirth'], input.dateOfBirth, { notAfterToday: true });
  check.address(['homeAddress'], input.homeAddress);
  check.emergencyContact(['emergencyContact'], input.emergencyContact);
}

export function validateCreateEmployee(input: CreateEmployeeInput, today: CalendarDate): UserError[] {
  const check = new InputChecker(today);
  checkSharedFields(check, input, true);
  check.date(['hireDate'], input.hireDate, { required: true });
  check.text(['reason'], input.reason, { required: false, max: 1000 });
  return check.errors;
}

export function validateUpdateEmployee(input: UpdateEmployeeInput, today: CalendarDate): UserError[] {
  const check = new InputChecker(today);
  checkSharedFields(check, input, false);
  check.date(['effectiveDate'], input.effectiveDate);
  check.text(['reason'], input.reason, { required: false, max: 1000 });
  return check.errors;
}

export function validateChangeStatus(input: ChangeEmployeeStatusInput, today: CalendarDate): UserError[] {
  const check = new InputChecker(today);
  check.date(['effectiveDate'], input.effectiveDate);
  check.text(['reason'], input.reason, { required: false, max: 1000 });
  return check.errors;
}

export function validateCorrectHireDate(input: CorrectHireDateInput, today: CalendarDate): UserError[] {
  const check = new InputChecker(today);
  check.date(['hireDate'], input.hireDate, { required: true });
  // A correction rewrites history: it always says why.
  check.text(['reason'], input.reason, { required: true, max: 1000 });
  return check.errors;
}

/** Text as stored: trimmed, and empty meaning absent. */
export function cleanText(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
