import { Writable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { legalAcknowledgements } from '../../src/legal/legal.tables.js';
import { createSystemTaskRunner, type SystemTaskRunner } from '../../src/jobs/jobs.service.js';
import { createLegalSync, createLegalTaskHandlers, type LegalSync } from '../../src/legal/legal.service.js';
import { createLogger } from '../../src/server/logger.js';
import { createOrgBasics, hire, type CreatedEmployee, type HireInput, type OrgBasics } from '../support/fixtures.js';
import { startTestApp, testEnvironment, type TestApp } from '../support/server.js';
import { startLegalSimulator, type LegalSimulator, type SimulatedPolicy } from '../simulators/legal.js';

// A People server wired to a Legal simulator, with the sync a test drives itself.

/** Log lines a component wrote, parsed, for tests that check what (and how much) is logged. */
export interface CapturedLogs {
  lines: Record<string, unknown>[];
  destination: Writable;
}

export function captureLogs(): CapturedLogs {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, destination };
}

export interface LegalWorld {
  app: TestApp;
  legal: LegalSimulator;
  sync: LegalSync;
  /** Runs the acknowledgement proxy tasks (`runDue()`); retries and waits are due again at once. */
  runner: SystemTaskRunner;
  org: OrgBasics;
  syncLogs: CapturedLogs;
  /** Runs a sync now, whatever its schedule, and fails the test if it did not run. */
  syncNow(): Promise<Awaited<ReturnType<LegalSync['syncNow']>>>;
  close(): Promise<void>;
}

export const webhookSecret = Buffer.alloc(32, 42);
export const webhookSecretText = `whsec_${webhookSecret.toString('base64')}`;

export async function startLegalWorld(
  options: { today?: string; signed?: boolean; env?: Record<string, string>; configured?: boolean; logDestination?: Writable } = {},
): Promise<LegalWorld> {
  let app: TestApp | null = null;
  // The simulator stamps its statuses with People's clock, so callbacks fall within the signature's tolerance.
  const legal = await startLegalSimulator({ clock: () => (app ? app.clock.now() : new Date()) });
  const configured = options.configured ?? true;
  app = await startTestApp({
    today: options.today ?? '2026-06-15',
    env: {
      ...(configured ? { LEGAL_API_URL: legal.url } : {}),
      LEGAL_TIMEOUT_MS: '1000',
      ...(options.signed ? { LEGAL_WEBHOOK_SECRET: webhookSecretText } : {}),
      ...options.env,
    },
    ...(options.logDestination ? { logDestination: options.logDestination } : {}),
  });
  legal.connectPeople(app.url, { key: testEnvironment.LEGAL_INTEGRATION_KEY, ...(options.signed ? { secret: webhookSecret } : {}) });
  const org = await createOrgBasics(app);
  const syncLogs = captureLogs();
  const sync = createLegalSync({
    db: app.database.db,
    legal: app.legal,
    clock: app.clock,
    logger: createLogger('debug', syncLogs.destination),
  });
  const runner = createSystemTaskRunner({
    db: app.database.db,
    kind: app.database.kind,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    handlers: createLegalTaskHandlers({ client: app.legal.client, clock: app.clock }),
    baseDelayMs: 1,
    maxDelayMs: 5,
    waitingDelayMs: 1,
    // Jitter pinned to 0: a retried task is due again at once.
    random: () => 0,
  });
  const started = app;
  return {
    app: started,
    legal,
    sync,
    runner,
    org,
    syncLogs,
    async syncNow() {
      return sync.syncNow({ force: true });
    },
    async close() {
      await sync.stop();
      await runner.stop();
      await started.close();
      await legal.close();
    },
  };
}

/** Hires someone linked to a Hub user (so Legal can name them), with a readable name. */
export async function hireSigner(app: TestApp, name: string, input: HireInput): Promise<CreatedEmployee & { hubUserId: string; firstName: string; lastName: string }> {
  const [firstName = name, lastName = 'Tester'] = name.split(' ');
  const hubUserId = `hub-${name.toLowerCase().replace(/\s+/g, '-')}`;
  const employee = await hire(app, { firstName, lastName, email: `${hubUserId}@example.com`, hubUserId, ...input });
  return { ...employee, hubUserId, firstName, lastName };
}

export function policy(overrides: Partial<SimulatedPolicy> & Pick<SimulatedPolicy, 'id' | 'title'>): SimulatedPolicy {
  return {
    version: '1',
    category: 'General',
    effectiveDate: '2026-01-01',
    audience: { all: true },
    daysToAcknowledge: 30,
    ...overrides,
  };
}

export const complianceQuery = /* GraphQL */ `
  query Compliance($filter: PolicyComplianceFilter) {
    policyCompliance(filter: $filter) {
      syncedAt
      legal { configured reachable lastErrorCode lastError }
      policies {
        policy { id title version audience { everyone departments locations employmentTypes unmatched } }
        required acknowledged pending overdue
        byDepartment { department { name } required acknowledged pending overdue }
        pendingEmployees(first: 100) { totalCount nodes { employee { id } status dueDate overdue } }
      }
    }
  }
`;

export interface ComplianceAnswer {
  policyCompliance: {
    syncedAt: string | null;
    legal: { configured: boolean; reachable: boolean | null; lastErrorCode: string | null; lastError: string | null };
    policies: {
      policy: { id: string; title: string; version: string; audience: { everyone: boolean; departments: string[]; locations: string[]; employmentTypes: string[]; unmatched: string[] } };
      required: number;
      acknowledged: number;
      pending: number;
      overdue: number;
      byDepartment: { department: { name: string } | null; required: number; acknowledged: number; pending: number; overdue: number }[];
      pendingEmployees: { totalCount: number; nodes: { employee: { id: string }; status: string; dueDate: string | null; overdue: boolean }[] };
    }[];
  };
}

export const employeeStatusesQuery = /* GraphQL */ `
  query Statuses($id: ID!) {
    employee(id: $id) {
      policyAcknowledgements {
        syncedAt
        legal { configured reachable lastErrorCode lastError }
        acknowledgements {
          policy { id version }
          status dueDate overdue signedAt acknowledgedAt vaultDocumentId
          submission { state attempts lastError waitingReason legalAcknowledgementId }
        }
      }
    }
  }
`;

export interface StatusesAnswer {
  employee: {
    policyAcknowledgements: {
      syncedAt: string | null;
      legal: { configured: boolean; reachable: boolean | null; lastErrorCode: string | null; lastError: string | null };
      acknowledgements: {
        policy: { id: string; version: string };
        status: string;
        dueDate: string | null;
        overdue: boolean;
        signedAt: string | null;
        acknowledgedAt: string | null;
        vaultDocumentId: string | null;
        submission: { state: string; attempts: number; lastError: string | null; waitingReason: string | null; legalAcknowledgementId: string | null } | null;
      }[];
    } | null;
  } | null;
}

/** The status People holds for an employee's acknowledgement of a policy (any version), straight from the table. */
export async function readAcknowledgementStatus(app: TestApp, employeeId: string, policyId: string): Promise<string | undefined> {
  const rows = await app.database.db
    .select({ status: legalAcknowledgements.status })
    .from(legalAcknowledgements)
    .where(and(eq(legalAcknowledgements.employeeId, employeeId), eq(legalAcknowledgements.policyId, policyId)));
  return rows[0]?.status;
}
