import { userError } from '../shared/user-errors.js';
import type { EmployeeCertificationRow } from './certification.tables.js';

// The user errors of changes to employees' certifications (the employee's own: shared/common-errors).

export const errors = {
  entryNotFound: () => userError('CATALOG_ENTRY_NOT_FOUND', ['input', 'catalogEntryId'], 'No catalog entry has this id.'),
  notFound: () => userError('CERTIFICATION_NOT_FOUND', ['input', 'id'], 'No certification has this id.'),
  notCurrent: (row: EmployeeCertificationRow) =>
    userError(
      'CONFLICT',
      ['input', 'id'],
      row.removedAt ? 'This certification was removed.' : 'This certification was renewed: change its renewal instead.',
    ),
  held: () =>
    userError(
      'DUPLICATE_CERTIFICATION',
      ['input', 'catalogEntryId'],
      'The employee already holds this certification and it has not expired: renew it instead.',
    ),
  credentialTaken: () =>
    userError('DUPLICATE_CERTIFICATION', ['input', 'credentialId'], 'This credential id is already recorded for someone else.'),
  notAfter: (previous: EmployeeCertificationRow) =>
    userError('INVALID_VALUE', ['input', 'issuedOn'], `A renewal is issued after the record it renews (issued ${previous.issuedOn}).`),
};
