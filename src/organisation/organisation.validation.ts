import type {
  ArchiveOrganisationUnitInput,
  CreateDepartmentInput,
  CreateLocationInput,
  LocationAddressInput,
  UpdateDepartmentInput,
  UpdateLocationInput,
} from '../generated/graphql.js';
import { addYears, isCalendarDate, isValidTimeZone, type CalendarDate } from '../shared/dates.js';
import { departmentNotFound, employeeNotFound, locationNotFound } from '../shared/common-errors.js';
import { isUuid, normaliseId } from '../shared/ids.js';
import { userError, type UserError } from '../shared/user-errors.js';
import type { DepartmentState } from './organisation.model.js';

// Checks of organisation input that need no database. Each parser returns the values as they
// would be stored and every problem it finds, each at the path of its field.

export const maxNameLength = 200;
const maxCityLength = 100;
const maxCostCentreLength = 50;
const maxAddressLineLength = 200;
const maxReasonLength = 1000;
const codePattern = /^[A-Z0-9][A-Z0-9_-]{0,19}$/;
const countryCodePattern = /^[A-Z]{2}$/;
/** Dates of organisation changes: as far back as HR records go, at most two years ahead (further is a typo). */
const earliestDate: CalendarDate = '1900-01-01';
const maxYearsAhead = 2;

type Path = string[];
const at = (field: string): Path => ['input', field];

class Parser {
  readonly errors: UserError[] = [];

  text(value: string, field: string, label: string, max: number): string {
    const trimmed = value.trim();
    if (trimmed === '') this.errors.push(userError('REQUIRED', at(field), `${label} is required and cannot be empty.`));
    else if (trimmed.length > max) this.errors.push(userError('INVALID_VALUE', at(field), `${label} is at most ${max} characters.`));
    return trimmed;
  }

  /** Optional text: null (or blank) clears it. */
  optionalText(value: string | null, path: Path, label: string, max: number): string | null {
    const trimmed = value?.trim() ?? '';
    if (trimmed.length > max) this.errors.push(userError('INVALID_VALUE', path, `${label} is at most ${max} characters.`));
    return trimmed === '' ? null : trimmed;
  }

  code(value: string): string {
    const code = value.trim().toUpperCase();
    if (!codePattern.test(code)) {
      this.errors.push(userError('INVALID_VALUE', at('code'), 'A code is 1 to 20 letters, digits, `-` or `_`, starting with a letter or digit.'));
    }
    return code;
  }

  countryCode(value: string): string {
    const code = value.trim().toUpperCase();
    if (!countryCodePattern.test(code)) {
      this.errors.push(userError('INVALID_VALUE', at('countryCode'), 'The country is a two-letter ISO 3166-1 code such as DE.'));
    }
    return code;
  }

  timezone(value: string): string {
    const zone = value.trim();
    if (!isValidTimeZone(zone) || zone === '') {
      this.errors.push(userError('INVALID_VALUE', at('timezone'), `"${zone}" is not an IANA time zone such as Europe/Berlin.`));
    }
    return zone;
  }

  date(value: string | null | undefined, today: CalendarDate): CalendarDate {
    if (value === null || value === undefined) return today;
    const latest = addYears(today, maxYearsAhead);
    if (!isCalendarDate(value) || value < earliestDate || value > latest) {
      this.errors.push(userError('INVALID_VALUE', at('effectiveFrom'), `effectiveFrom must be a date between ${earliestDate} and ${latest}.`));
    }
    return value;
  }

  /** An id in the input: normalised; one that cannot name a row is reported as not found. */
  id(value: string, notFound: UserError): string {
    const id = normaliseId(value);
    if (!isUuid(id)) this.errors.push(notFound);
    return id;
  }

  reason(value: string | null | undefined): string | null {
    return this.optionalText(value ?? null, at('reason'), 'The reason', maxReasonLength);
  }
}

export interface ParsedCreateDepartment {
  code: string;
  state: Partial<DepartmentState> & { name: string };
  effectiveFrom: CalendarDate;
  reason: string | null;
  errors: UserError[];
}

export function parseCreateDepartment(input: CreateDepartmentInput, today: CalendarDate): ParsedCreateDepartment {
  const parse = new Parser();
  const state: Partial<DepartmentState> & { name: string } = { name: parse.text(input.name, 'name', 'The name', maxNameLength) };
  const code = parse.code(input.code);
  if (input.parentId) state.parentId = parse.id(input.parentId, departmentNotFound(at('parentId')));
  if (input.headId) state.headId = parse.id(input.headId, employeeNotFound(at('headId')));
  const costCentre = parse.optionalText(input.costCentre ?? null, at('costCentre'), 'The cost centre', maxCostCentreLength);
  if (costCentre !== null) state.costCentre = costCentre;
  const effectiveFrom = parse.date(input.effectiveFrom, today);
  return { code, state, effectiveFrom, reason: parse.reason(input.reason), errors: parse.errors };
}

export interface ParsedUpdateDepartment {
  id: string;
  /** Only the dated fields given, as they would be stored (null clears). */
  dated: Partial<DepartmentState>;
  code: string | undefined;
  effectiveFrom: CalendarDate;
  reason: string | null;
  errors: UserError[];
}

function given<T extends object, K extends keyof T>(input: T, key: K): boolean {
  return Object.hasOwn(input, key) && input[key] !== undefined;
}

export function parseUpdateDepartment(input: UpdateDepartmentInput, today: CalendarDate): ParsedUpdateDepartment {
  const parse = new Parser();
  const id = parse.id(input.id, departmentNotFound(at('id')));
  const dated: Partial<DepartmentState> = {};
  if (given(input, 'name')) {
    if (input.name === null) parse.errors.push(userError('REQUIRED', at('name'), 'A department always has a name.'));
    else dated.name = parse.text(input.name ?? '', 'name', 'The name', maxNameLength);
  }
  if (given(input, 'parentId')) dated.parentId = input.parentId ? parse.id(input.parentId, departmentNotFound(at('parentId'))) : null;
  if (given(input, 'headId')) dated.headId = input.headId ? parse.id(input.headId, employeeNotFound(at('headId'))) : null;
  if (given(input, 'costCentre')) {
    dated.costCentre = parse.optionalText(input.costCentre ?? null, at('costCentre'), 'The cost centre', maxCostCentreLength);
  }
  let code: string | undefined;
  if (given(input, 'code')) {
    if (input.code === null) parse.errors.push(userError('REQUIRED', at('code'), 'A department always has a code.'));
    else code = parse.code(input.code ?? '');
  }
  const effectiveFrom = parse.date(input.effectiveFrom, today);
  return { id, dated, code, effectiveFrom, reason: parse.reason(input.reason), errors: parse.errors };
}

export interface ParsedArchive {
  id: string;
  effectiveFrom: CalendarDate;
  reason: string | null;
  errors: UserError[];
}

export function parseArchive(input: ArchiveOrganisationUnitInput, today: CalendarDate, unit: 'department' | 'location'): ParsedArchive {
  const parse = new Parser();
  const id = parse.id(input.id, unit === 'department' ? departmentNotFound(at('id')) : locationNotFound(at('id')));
  const effectiveFrom = parse.date(input.effectiveFrom, today);
  return { id, effectiveFrom, reason: parse.reason(input.reason), errors: parse.errors };
}

/** A location's own fields, as stored. */
export interface LocationValues {
  name: string;
  city: string;
  countryCode: string;
  timezone: string;
  addressLine1: string | null;
  addressLine2: string | null;
  region: string | null;
  postalCode: string | null;
}

type AddressValues = Pick<LocationValues, 'addressLine1' | 'addressLine2' | 'region' | 'postalCode'>;

function parseAddress(parse: Parser, address: LocationAddressInput | null): AddressValues {
  if (!address) return { addressLine1: null, addressLine2: null, region: null, postalCode: null };
  const path = (field: string): Path => ['input', 'address', field];
  const addressLine1 = parse.optionalText(address.line1, path('line1'), 'The first address line', maxAddressLineLength);
  if (addressLine1 === null) parse.errors.push(userError('REQUIRED', path('line1'), 'An address has a first line.'));
  return {
    addressLine1,
    addressLine2: parse.optionalText(address.line2 ?? null, path('line2'), 'The second address line', maxAddressLineLength),
    region: parse.optionalText(address.region ?? null, path('region'), 'The region', 100),
    postalCode: parse.optionalText(address.postalCode ?? null, path('postalCode'), 'The postal code', 20),
  };
}

export function parseCreateLocation(input: CreateLocationInput): { values: LocationValues; reason: string | null; errors: UserError[] } {
  const parse = new Parser();
  const values: LocationValues = {
    name: parse.text(input.name, 'name', 'The name', maxNameLength),
    city: parse.text(input.city, 'city', 'The city', maxCityLength),
    countryCode: parse.countryCode(input.countryCode),
    timezone: parse.timezone(input.timezone),
    ...parseAddress(parse, input.address ?? null),
  };
  return { values, reason: parse.reason(input.reason), errors: parse.errors };
}

export function parseUpdateLocation(input: UpdateLocationInput): {
  id: string;
  values: Partial<LocationValues>;
  reason: string | null;
  errors: UserError[];
} {
  const parse = new Parser();
  const id = parse.id(input.id, locationNotFound(at('id')));
  const values: Partial<LocationValues> = {};
  const required = (field: 'name' | 'city' | 'countryCode' | 'timezone', label: string): string | null => {
    if (!given(input, field)) return null;
    const value = input[field];
    if (value === null || value === undefined) {
      parse.errors.push(userError('REQUIRED', at(field), `A location always has ${label}.`));
      return null;
    }
    return value;
  };
  const name = required('name', 'a name');
  if (name !== null) values.name = parse.text(name, 'name', 'The name', maxNameLength);
  const city = required('city', 'a city');
  if (city !== null) values.city = parse.text(city, 'city', 'The city', maxCityLength);
  const countryCode = required('countryCode', 'a country');
  if (countryCode !== null) values.countryCode = parse.countryCode(countryCode);
  const timezone = required('timezone', 'a time zone');
  if (timezone !== null) values.timezone = parse.timezone(timezone);
  if (given(input, 'address')) Object.assign(values, parseAddress(parse, input.address ?? null));
  return { id, values, reason: parse.reason(input.reason), errors: parse.errors };
}
