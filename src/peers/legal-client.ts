import { z } from 'zod';
import { callPeer, checkIdempotencyKey, discardBody, isBusyStatus, peerConnection, readCapped, refusalCode, retryAfterMs, type TransportFailure } from './http.js';
import type { EmploymentTypeValue } from '../employees/employee.service.js';

// People's client of Legal's integration API: active policies, the text to sign, acknowledgements
// (proxied for employees) and their statuses, and other documents awaiting an e-signature. The
// contract Legal implements is in the README ("Legal: policies and acknowledgements").
//
// Answers come back as typed results, never thrown: the caller decides what each failure means
// (the sync records it for the dashboards, the acknowledgement task retries or waits). Every
// answer is checked against the contract before People uses it. The integration key is never
// logged and never put in a result; bodies are never echoed (they can hold names and e-mails).

/** Why a call to Legal did not give an answer People can use. */
export type LegalFailure =
  /** 401/403: Legal does not accept People's key (LEGAL_INTEGRATION_KEY). */
  | { kind: 'keyRefused'; status: number }
  /** No answer: unreachable (the socket error's code only) or a time-out (Legal may still have acted). */
  | TransportFailure
  /** 5xx, 408, 429: Legal is there but cannot answer now; `retryAfterMs` when it said so. */
  | { kind: 'unavailable'; status: number; retryAfterMs: number | null }
  /** 404: Legal does not know what was asked for. */
  | { kind: 'notFound' }
  /** Another 4xx (or a redirect, never followed: it would carry the key elsewhere); `code` is Legal's error code when its body had one. */
  | { kind: 'rejected'; status: number; code: string | null }
  /** An answer that does not fit the contract (shape, size, content type). */
  | { kind: 'badAnswer'; detail: string };

export type LegalResult<T> = { ok: true; value: T } | { ok: false; failure: LegalFailure };

/** Failures worth trying again: Legal may answer a moment later. */
export function isTransient(failure: LegalFailure): boolean {
  return failure.kind === 'unreachable' || failure.kind === 'timeout' || failure.kind === 'unavailable';
}

/** One line naming the cause, for dashboards, task errors and logs (no key, no personal data). */
export function describeLegalFailure(failure: LegalFailure): string {
  switch (failure.kind) {
    case 'keyRefused':
      return `Legal refused People's key (HTTP ${failure.status}): LEGAL_INTEGRATION_KEY on the People API must be the key Legal issued to People.`;
    case 'unreachable':
      return `Legal could not be reached at LEGAL_API_URL (${failure.code}).`;
    case 'timeout':
      return `Legal did not answer within ${failure.timeoutMs} ms (LEGAL_TIMEOUT_MS).`;
    case 'unavailable':
      return `Legal answered HTTP ${failure.status}: it cannot answer for now.`;
    case 'notFound':
      return 'Legal does not know what People asked for (HTTP 404).';
    case 'rejected':
      return `Legal refused the request (HTTP ${failure.status}${failure.code ? `, ${failure.code}` : ''}).`;
    case 'badAnswer':
      return `Legal's answer does not fit the contract: ${failure.detail}.`;
  }
}

// ---------------------------------------------------------------- the contract's shapes

/** Legal's ids (policies, acknowledgements, vault documents): opaque, short, printable. */
const legalId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1 to 100 letters, digits or ._:-');
const version = z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, 'must be 1 to 40 letters, digits or ._-');
const calendarDate = z.iso.date();
const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));
const name = z.string().trim().min(1).max(200);

/** Employment types as the contract names them: People's own (the `satisfies` keeps them in step). */
const contractEmploymentTypes = ['FULL_TIME', 'PART_TIME', 'CONTRACTOR', 'INTERN', 'TEMPORARY'] as const satisfies readonly EmploymentTypeValue[];

const audience = z.object({
  /** Everyone employed; the lists below are then ignored. */
  all: z.boolean(),
  /** Department codes or names, as People names them (case-insensitive). */
  departments: z.array(name).max(500).default([]),
  /** Location names, as People names them (case-insensitive). */
  locations: z.array(name).max(500).default([]),
  employmentTypes: z.array(z.enum(contractEmploymentTypes)).default([]),
});

const policy = z.object({
  id: legalId,
  title: name,
  version,
  category: z.string().trim().min(1).max(100),
  effectiveDate: calendarDate,
  audience,
  /** Days after the effective date (or the hire date, if later) to acknowledge; null: no deadline. */
  daysToAcknowledge: z.number().int().min(0).max(3650).nullable(),
});

const policiesAnswer = z.object({ policies: z.array(policy).max(5_000) });

const contentAnswer = z.object({
  policyId: legalId,
  version,
  format: z.enum(['html', 'markdown']),
  content: z.string().max(2_000_000),
});

/** What Legal holds for an acknowledgement: RECEIVED while it is being processed. */
export const legalAcknowledgementStatuses = ['RECEIVED', 'ACKNOWLEDGED', 'DECLINED', 'FAILED'] as const;
export type LegalAcknowledgementStatus = (typeof legalAcknowledgementStatuses)[number];

const signer = z.object({ hubUserId: z.string().min(1).max(195), email: z.string().max(320).nullable().default(null) });

const acknowledgementRecord = z.object({
  acknowledgementId: legalId,
  policyId: legalId,
  policyVersion: version,
  signer,
  status: z.enum(legalAcknowledgementStatuses),
  /** When Legal's status last changed: what orders statuses (an older one never replaces a newer). */
  updatedAt: instant,
  vaultDocumentId: legalId.nullable().default(null),
});

const acknowledgementsAnswer = z.object({
  acknowledgements: z.array(acknowledgementRecord).max(1_000),
  nextCursor: z.string().min(1).max(500).nullable(),
});

const submittedAnswer = z.object({ acknowledgementId: legalId });

const pendingDocument = z.object({
  id: legalId,
  title: name,
  kind: z.string().trim().min(1).max(100).nullable().default(null),
  dueDate: calendarDate.nullable().default(null),
  signingUrl: z.url({ protocol: /^https?$/ }).max(2_000),
});

const documentsAnswer = z.object({ documents: z.array(pendingDocument).max(500) });

/** Legal's callback to People (`POST /integrations/legal/acknowledgements`): one acknowledgement's new status. */
export const legalCallbackBody = z.object({
  acknowledgementId: legalId,
  policyId: legalId,
  policyVersion: version,
  signer,
  status: z.enum(['ACKNOWLEDGED', 'DECLINED', 'FAILED']),
  /** When the status came about, at Legal: what orders statuses. */
  occurredAt: instant,
  vaultDocumentId: legalId.nullable().default(null),
});

export type LegalCallback = z.infer<typeof legalCallbackBody>;

export type LegalPolicy = z.infer<typeof policy>;
export type LegalPolicyAudience = z.infer<typeof audience>;
export type LegalPolicyContent = z.infer<typeof contentAnswer>;
export type LegalAcknowledgementRecord = z.infer<typeof acknowledgementRecord>;
export type LegalAcknowledgementPage = z.infer<typeof acknowledgementsAnswer>;
export type LegalPendingDocument = z.infer<typeof pendingDocument>;

/** An employee's acknowledgement, as People proxies it (`POST /acknowledgements`). */
export interface AcknowledgementSubmission {
  policyId: string;
  policyVersion: string;
  signer: { hubUserId: string; email: string; name: string };
  /** The name the employee typed as their signature. */
  typedName: string;
  signedAt: Date;
  ipAddress: string | null;
  userAgent: string | null;
  /** People's id of the acknowledgement, for Legal's records and support. */
  reference: string;
}

export interface LegalCallOptions {
  /** Aborts the request (a task's deadline); counts as a time-out. */
  signal?: AbortSignal;
  /** Reads: how many times to try when Legal is unreachable, slow or unavailable (default: the client's). */
  attempts?: number;
}

export interface LegalClient {
  /** LEGAL_API_URL without a trailing slash. */
  readonly baseUrl: string;
  /** `GET /policies?status=active`. */
  activePolicies(options?: LegalCallOptions): Promise<LegalResult<LegalPolicy[]>>;
  /** `GET /policies/{id}/versions/{version}/content`. */
  policyContent(policyId: string, policyVersion: string, options?: LegalCallOptions): Promise<LegalResult<LegalPolicyContent>>;
  /** `POST /acknowledgements` with `Idempotency-Key` (the same on every attempt, so Legal records it once). Never retried here. */
  submitAcknowledgement(
    submission: AcknowledgementSubmission,
    options: { idempotencyKey: string; signal?: AbortSignal },
  ): Promise<LegalResult<{ acknowledgementId: string }>>;
  /** `GET /acknowledgements?updatedSince=…&cursor=…`: one page. */
  acknowledgements(
    query: { updatedSince: Date | null; cursor: string | null },
    options?: LegalCallOptions,
  ): Promise<LegalResult<LegalAcknowledgementPage>>;
  /** `GET /signers/{hubUserId}/documents?status=pending`. */
  pendingDocuments(hubUserId: string, options?: LegalCallOptions): Promise<LegalResult<LegalPendingDocument[]>>;
}

export interface LegalClientOptions {
  /** LEGAL_API_URL, e.g. `https://legal.example.com/api/integration`. */
  url: string;
  /** LEGAL_INTEGRATION_KEY, sent as `X-Integration-Key`. */
  integrationKey: string;
  /** LEGAL_TIMEOUT_MS: how long one request waits for its answer. */
  timeoutMs: number;
  /** Tries per read when Legal is unreachable, slow or unavailable; default 3. */
  readAttempts?: number;
  /** Wait before the second try of a read, doubled for each later one; default 250 ms. */
  readRetryDelayMs?: number;
}

/** Largest answer read from Legal: policy texts can be long, nothing else is. */
const maxAnswerBytes = 4 * 1024 * 1024;

export function createLegalClient(options: LegalClientOptions): LegalClient {
  const connection = peerConnection('Legal', options);
  const { baseUrl } = connection;
  const readAttempts = options.readAttempts ?? 3;
  const readRetryDelayMs = options.readRetryDelayMs ?? 250;

  async function request(
    method: 'GET' | 'POST',
    path: string,
    init: { body?: unknown; idempotencyKey?: string; signal?: AbortSignal },
  ): Promise<LegalResult<unknown>> {
    const sent = await callPeer(connection, { method, path, ...init });
    if (!sent.ok) return sent;
    const { response } = sent;
    const status = response.status;
    if (status >= 200 && status < 300) {
      const body = await readJson(response);
      return body.ok ? { ok: true, value: body.value } : { ok: false, failure: { kind: 'badAnswer', detail: body.detail } };
    }
    if (status === 401 || status === 403) return discard(response, { kind: 'keyRefused', status });
    if (status === 404) return discard(response, { kind: 'notFound' });
    if (isBusyStatus(status)) return discard(response, { kind: 'unavailable', status, retryAfterMs: retryAfterMs(response) });
    return { ok: false, failure: { kind: 'rejected', status, code: await refusalCode(response) } };
  }

  async function read<T>(path: string, shape: z.ZodType<T>, call: LegalCallOptions = {}): Promise<LegalResult<T>> {
    const attempts = Math.max(1, call.attempts ?? readAttempts);
    let result: LegalResult<T> = { ok: false, failure: { kind: 'unreachable', code: 'not tried' } };
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      result = parsed(await request('GET', path, { ...(call.signal ? { signal: call.signal } : {}) }), shape);
      if (result.ok || !isTransient(result.failure) || attempt === attempts || call.signal?.aborted) return result;
      const waitMs = Math.max(readRetryDelayMs * 2 ** (attempt - 1), result.failure.kind === 'unavailable' ? (result.failure.retryAfterMs ?? 0) : 0);
      // A Retry-After longer than a few seconds is Legal asking People to come back at the next sync.
      if (waitMs > 5_000) return result;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    return result;
  }

  return {
    baseUrl,
    activePolicies: async (call) => {
      const result = await read('/policies?status=active', policiesAnswer, call);
      return result.ok ? { ok: true, value: result.value.policies } : result;
    },
    policyContent: (policyId, policyVersion, call) =>
      read(`/policies/${encodeURIComponent(policyId)}/versions/${encodeURIComponent(policyVersion)}/content`, contentAnswer, call),
    submitAcknowledgement: async (submission, call) => {
      checkIdempotencyKey(call.idempotencyKey);
      const body = {
        policyId: submission.policyId,
        policyVersion: submission.policyVersion,
        signer: submission.signer,
        typedName: submission.typedName,
        signedAt: submission.signedAt.toISOString(),
        ipAddress: submission.ipAddress,
        userAgent: submission.userAgent,
        reference: submission.reference,
      };
      const answer = await request('POST', '/acknowledgements', { body, idempotencyKey: call.idempotencyKey, ...(call.signal ? { signal: call.signal } : {}) });
      return parsed(answer, submittedAnswer);
    },
    acknowledgements: (query, call) => {
      const search = new URLSearchParams();
      if (query.updatedSince) search.set('updatedSince', query.updatedSince.toISOString());
      if (query.cursor) search.set('cursor', query.cursor);
      const text = search.toString();
      return read(`/acknowledgements${text ? `?${text}` : ''}`, acknowledgementsAnswer, call);
    },
    pendingDocuments: async (hubUserId, call) => {
      const result = await read(`/signers/${encodeURIComponent(hubUserId)}/documents?status=pending`, documentsAnswer, call);
      return result.ok ? { ok: true, value: result.value.documents } : result;
    },
  };
}

function parsed<T>(result: LegalResult<unknown>, shape: z.ZodType<T>): LegalResult<T> {
  if (!result.ok) return result;
  const checked = shape.safeParse(result.value);
  if (checked.success) return { ok: true, value: checked.data };
  // Paths and zod's messages only: never the values, which can be names or e-mail addresses.
  const [issue] = checked.error.issues;
  const detail = issue ? `${issue.path.join('.') || '(answer)'}: ${issue.message}` : 'unexpected shape';
  return { ok: false, failure: { kind: 'badAnswer', detail } };
}

async function discard<T>(response: Response, failure: LegalFailure): Promise<LegalResult<T>> {
  await discardBody(response);
  return { ok: false, failure };
}

async function readJson(response: Response): Promise<{ ok: true; value: unknown } | { ok: false; detail: string }> {
  const type = response.headers.get('content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    await discardBody(response);
    return { ok: false, detail: 'the answer is not JSON' };
  }
  const text = await readCapped(response, maxAnswerBytes);
  if (text === null) return { ok: false, detail: `the answer is larger than ${maxAnswerBytes} bytes` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, detail: 'the answer is not valid JSON' };
  }
}
