import type { LegalPendingDocument } from '../peers/legal-client.js';
import type { Requirement } from './legal.audience.js';
import type { LegalConnectionModel } from './legal.integration.js';
import type { LegalPolicyRow } from './legal.tables.js';

// What the Legal resolvers are given: answers built by the domain, each carrying how fresh
// People's copy of Legal's data is (`syncedAt`) and how Legal is doing (`legal`).

/** Counts of one group of requirements. */
export interface ComplianceCounts {
  required: number;
  acknowledged: number;
  pending: number;
  overdue: number;
}

export interface DepartmentComplianceModel extends ComplianceCounts {
  departmentId: string | null;
}

export interface PolicyComplianceModel extends ComplianceCounts {
  policy: LegalPolicyRow;
  byDepartment: DepartmentComplianceModel[];
  /** Not acknowledged yet: late first, then by due date and name. */
  pendingRequirements: Requirement[];
}

export interface PolicyComplianceReportModel {
  policies: PolicyComplianceModel[];
  syncedAt: Date | null;
  legal: LegalConnectionModel;
}

export interface EmployeePolicyAcknowledgementsModel {
  acknowledgements: Requirement[];
  syncedAt: Date | null;
  legal: LegalConnectionModel;
}

export interface PendingSignaturesModel {
  policies: Requirement[];
  documents: LegalPendingDocument[];
  documentsError: string | null;
  syncedAt: Date | null;
  legal: LegalConnectionModel;
}

export interface PolicyToSignModel {
  policy: LegalPolicyRow;
  version: string;
  content: { format: 'HTML' | 'MARKDOWN'; body: string } | null;
  contentError: string | null;
  applies: boolean;
  acknowledgement: Requirement | null;
  legal: LegalConnectionModel;
}

export interface PolicyAcknowledgementConnectionModel {
  edges: { cursor: string; node: Requirement }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

export interface AcknowledgementSubmissionModel {
  state: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  attempts: number;
  lastError: string | null;
  waitingReason: string | null;
  nextAttemptAt: Date | null;
  legalAcknowledgementId: string | null;
}
