import type { CalendarDate } from '../shared/dates.js';
import type { EmployeeCertificationRow } from './certification.tables.js';

/** A certification as the API shows it: the row, and the day its derived status is computed for. */
export interface CertificationModel extends EmployeeCertificationRow {
  statusAsOf: CalendarDate;
}

/** One requested name matched to the certification that satisfied it. */
export interface CertificationMatchModel {
  requested: string;
  certification: CertificationModel;
}

export interface QualifiedEmployeeModel {
  employeeId: string;
  matches: CertificationMatchModel[];
}

export interface QualifiedEmployeesResultModel {
  employees: QualifiedEmployeeModel[];
  unknownCertifications: string[];
}

export interface ExpiringCertificationGroupModel {
  departmentId: string | null;
  /** The report's day: the department is shown as it stood then. */
  asOf: CalendarDate;
  certifications: CertificationModel[];
}

export interface CertificationVerificationModel {
  state: EmployeeCertificationRow['verificationState'];
  decidedByEmployeeId: string | null;
  decidedAt: Date | null;
  /** Null when there is none or the caller may not read it. */
  comment: string | null;
}
