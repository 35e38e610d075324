import type { Database } from '../db/database.js';
import { findEmployedOn, lockEmployee } from '../employees/employee.service.js';
import { recordEvent } from '../events/events.service.js';
import type { AcknowledgePolicyInput } from '../generated/graphql.js';
import type { RequestContext } from '../graphql/context.js';
import { describeLegalFailure } from '../peers/legal-client.js';
import { fail, userError, type Outcome, type UserError } from '../shared/user-errors.js';
import { abort, writeTransaction } from '../shared/write-transaction.js';
import { signerOf } from './legal.access.js';
import { audienceIncludes, requirementOf, type Requirement } from './legal.audience.js';
import { legalConnection } from './legal.compliance.js';
import { notConfiguredMessage } from './legal.integration.js';
import type { PolicyToSignModel } from './legal.model.js';
import { readOrganisationNames } from './legal.requirements.js';
import * as store from './legal.store.js';
import { enqueueSubmission } from './legal.submission.js';
import type { LegalPolicyRow } from './legal.tables.js';

// The signing flow: an employee reads a policy's current version in People and acknowledges it
// there; People records the act and proxies it to Legal (legal.submission.ts), durably.

const errors = {
  policyNotFound: () => userError('POLICY_NOT_FOUND', ['input', 'policyId'], 'Legal has no active policy with this id.'),
  versionChanged: (current: string) =>
    userError(
      'POLICY_VERSION_CHANGED',
      ['input', 'policyVersion'],
      `The policy has changed since you read it (it is now version ${current}): read it again before signing.`,
    ),
  notApplicable: () => userError('POLICY_NOT_APPLICABLE', ['input', 'policyId'], 'This policy does not apply to you today.'),
  nameRequired: () => userError('REQUIRED', ['input', 'typedName'], 'Type your full name to sign.'),
  nameTooLong: () => userError('INVALID_VALUE', ['input', 'typedName'], 'The typed name is longer than 200 characters.'),
  nameMismatch: () =>
    userError('TYPED_NAME_MISMATCH', ['input', 'typedName'], 'Type your name as People has it: your first (or preferred) name and your last name.'),
};

/** A name as typed, compared without case, accents, punctuation or extra spaces. */
function comparableName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function typedNameProblems(typedName: string): UserError[] {
  const trimmed = typedName.trim();
  if (trimmed.length === 0) return [errors.nameRequired()];
  if (trimmed.length > 200) return [errors.nameTooLong()];
  return [];
}

function matchesName(typedName: string, person: { firstName: string; lastName: string; preferredName: string | null }): boolean {
  const typed = comparableName(typedName);
  return [person.firstName, person.preferredName]
    .filter((first): first is string => first !== null)
    .some((first) => comparableName(`${first} ${person.lastName}`) === typed);
}

function contentFormat(format: string): 'HTML' | 'MARKDOWN' {
  return format === 'html' ? 'HTML' : 'MARKDOWN';
}

/** The text of a policy version: People's copy, else asked of Legal once and kept. */
async function contentOf(ctx: RequestContext, policy: LegalPolicyRow): Promise<Pick<PolicyToSignModel, 'content' | 'contentError'>> {
  const kept = await store.findContent(ctx.db, policy.id, policy.version);
  if (kept) return { content: { format: contentFormat(kept.format), body: kept.body }, contentError: null };
  const client = ctx.legal.client;
  if (!client) return { content: null, contentError: notConfiguredMessage };
  const answer = await client.policyContent(policy.id, policy.version, { attempts: 2 });
  if (!answer.ok) return { content: null, contentError: describeLegalFailure(answer.failure) };
  if (answer.value.policyId !== policy.id || answer.value.version !== policy.version) {
    return { content: null, contentError: `Legal answered with the text of another policy or version (${answer.value.version}); try again later.` };
  }
  await store.insertContent(ctx.db, { policyId: policy.id, version: policy.version, format: answer.value.format, body: answer.value.content });
  return { content: { format: contentFormat(answer.value.format), body: answer.value.content }, contentError: null };
}

/** policyToSign: an active policy's current version and its text, for the caller to sign. */
export async function policyToSign(ctx: RequestContext, policyId: string): Promise<PolicyToSignModel | null> {
  const employeeId = signerOf(ctx.caller);
  const policy = await store.findPolicy(ctx.db, policyId);
  if (!policy?.active) return null;
  const loaders = ctx.loaders.legal;
  const person = await loaders.employed.load({ key: employeeId, asOf: ctx.today });
  const names = await loaders.organisationNames(ctx.today);
  const applies = person !== null && audienceIncludes(policy.audience, person, names);
  let acknowledgement: Requirement | null = null;
  if (person && applies) {
    const rows = await loaders.acknowledgements.load(employeeId);
    const row = rows.find((candidate) => candidate.policyId === policy.id && candidate.policyVersion === policy.version) ?? null;
    acknowledgement = requirementOf(policy, person, row, ctx.today);
  }
  const { content, contentError } = await contentOf(ctx, policy);
  return { policy, version: policy.version, content, contentError, applies, acknowledgement, legal: await legalConnection(ctx) };
}

/** Signing again is refused while a signature is in hand or recorded; after a decline or failure it is a new submission. */
const inHand: readonly string[] = ['SUBMITTED', 'ACKNOWLEDGED'];

/**
 * acknowledgePolicy: records the employee's signature of the version they read and proxies it to
 * Legal (a SYSTEM task written in the same transaction, sent with an Idempotency-Key).
 */
export async function acknowledgePolicy(ctx: RequestContext, input: AcknowledgePolicyInput): Promise<Outcome<Requirement>> {
  const employeeId = signerOf(ctx.caller);
  const signerHubUserId = ctx.caller.kind === 'user' ? ctx.caller.hubUserId : null;
  const problems = typedNameProblems(input.typedName);
  if (problems.length > 0) return fail(...problems);
  const typedName = input.typedName.trim();

  return writeTransaction(
    ctx,
    async (tx: Database) => {
      // The employee's lock serialises their signatures with Legal's callbacks about them.
      if (!(await lockEmployee(tx, employeeId))) abort(errors.notApplicable());
      const policy = await store.findPolicy(tx, input.policyId);
      if (!policy?.active) abort(errors.policyNotFound());
      if (policy.version !== input.policyVersion) abort(errors.versionChanged(policy.version));
      const [person] = await findEmployedOn(tx, ctx.today, [employeeId]);
      if (!person || !audienceIncludes(policy.audience, person, await readOrganisationNames(tx, ctx.today))) abort(errors.notApplicable());
      if (!matchesName(typedName, person)) abort(errors.nameMismatch());

      const existing = await store.lockAcknowledgement(tx, { employeeId, policyId: policy.id, policyVersion: policy.version });
      // A second click, or a retry of a request that did commit: the signature already stands.
      if (existing && inHand.includes(existing.status)) return { employeeId, policyId: policy.id };

      const signature = {
        status: 'SUBMITTED' as const,
        typedName,
        signedAt: ctx.clock.now(),
        signerHubUserId,
        signerIp: ctx.origin.ip,
        signerUserAgent: ctx.origin.userAgent,
      };
      let acknowledgementId: string;
      let submission: number;
      if (existing) {
        submission = existing.submissions + 1;
        acknowledgementId = existing.id;
        await store.updateAcknowledgement(tx, existing.id, { ...signature, submissions: submission, legalAcknowledgementId: null, vaultDocumentId: null });
      } else {
        submission = 1;
        const row = await store.insertAcknowledgement(tx, {
          ...signature,
          employeeId,
          policyId: policy.id,
          policyVersion: policy.version,
          source: 'PEOPLE',
          submissions: submission,
        });
        acknowledgementId = row.id;
      }
      const taskId = await enqueueSubmission(tx, { employeeId, acknowledgementId, submission });
      await store.updateAcknowledgement(tx, acknowledgementId, { submissionTaskId: taskId });
      await recordEvent(tx, {
        type: 'legal.acknowledgement.submitted',
        subject: `employee:${employeeId}`,
        data: { employeeId, acknowledgementId, policyId: policy.id, policyVersion: policy.version, submission },
      });
      return { employeeId, policyId: policy.id };
    },
    {
      reload: async (reloadCtx, { employeeId: id, policyId }) => {
        const loaders = reloadCtx.loaders.legal;
        const [person, policies, acknowledgements] = await Promise.all([
          loaders.employed.load({ key: id, asOf: reloadCtx.today }),
          loaders.activePolicies(),
          loaders.acknowledgements.load(id),
        ]);
        const policy = policies.find((candidate) => candidate.id === policyId);
        if (!person || !policy) return null;
        const row = acknowledgements.find((candidate) => candidate.policyId === policy.id && candidate.policyVersion === policy.version) ?? null;
        return requirementOf(policy, person, row, reloadCtx.today);
      },
    },
  );
}
