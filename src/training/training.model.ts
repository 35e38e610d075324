import type { TrainingCourseRow, TrainingEnrollmentRow } from './training.tables.js';

/** An enrollment as the API shows it: the row (status, due date and validity are worked out for today). */
export type TrainingEnrollmentModel = TrainingEnrollmentRow;

export interface TrainingComplianceCountsModel {
  required: number;
  completed: number;
  due: number;
  overdue: number;
}

export interface TrainingComplianceByDepartmentModel {
  departmentId: string | null;
  counts: TrainingComplianceCountsModel;
}

export interface TrainingComplianceModel {
  course: TrainingCourseRow;
  total: TrainingComplianceCountsModel;
  departments: TrainingComplianceByDepartmentModel[];
}
