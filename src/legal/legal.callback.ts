import express from 'express';
import { AuthenticationError, type Authenticator } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import { legalCallbackBody } from '../peers/legal-client.js';
import type { Clock } from '../shared/dates.js';
import { verifyWebhook } from '../shared/standard-webhooks.js';
import type { LegalIntegration } from './legal.integration.js';
import * as store from './legal.store.js';
import { applyLegalStatus } from './legal.statuses.js';

// Legal's callback: `POST /integrations/legal/acknowledgements`, an acknowledgement's new status.
//
// - Legal only: its key in X-Integration-Key (the key says who calls). No other key, no person.
// - With LEGAL_WEBHOOK_SECRET, a Standard Webhooks signature over the body as received, its
//   timestamp within 5 minutes of People's clock.
// - Idempotent on `webhook-id`: a redelivery answers 200 and changes nothing. And whatever the
//   id, a status older than the one People holds from Legal never replaces it.
// Answers are JSON `{ status }` (200) or `{ error, message }`, never echoing the body.

export const legalCallbackPath = '/integrations/legal/acknowledgements';

/** Largest callback body: one acknowledgement's status is a few hundred bytes. */
const maxBodyBytes = 64 * 1024;

export interface LegalCallbackOptions {
  db: Database;
  clock: Clock;
  authenticator: Authenticator;
  legal: LegalIntegration;
}

function header(req: express.Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

export function createLegalCallbackRouter(options: LegalCallbackOptions): express.Router {
  const { db, clock, legal } = options;
  const router = express.Router();

  router.post(legalCallbackPath, express.raw({ type: () => true, limit: maxBodyBytes }), async (req, res) => {
    const refuse = (status: number, error: string, message: string): void => {
      res.status(status).json({ error, message });
    };

    try {
      const caller = await options.authenticator.authenticate(req.headers, clock.today(), { unknownKeyOwner: 'LEGAL' });
      if (caller.kind === 'anonymous') return refuse(401, 'missing_credentials', 'Send Legal\'s key as X-Integration-Key.');
      if (caller.kind !== 'service' || caller.service !== 'LEGAL') {
        return refuse(403, 'not_legal', 'This endpoint is Legal\'s: only the Legal key (LEGAL_INTEGRATION_KEY) is accepted here.');
      }
    } catch (error) {
      if (error instanceof AuthenticationError) return refuse(error.httpStatus, error.reason, error.message);
      throw error;
    }

    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const webhookId = header(req, 'webhook-id');
    if (legal.webhookSecret) {
      const verified = verifyWebhook(
        legal.webhookSecret,
        { id: webhookId, timestamp: header(req, 'webhook-timestamp'), signature: header(req, 'webhook-signature') },
        body,
        clock.now(),
      );
      if (!verified.ok) return refuse(401, verified.reason, verified.message);
    }
    if (webhookId !== undefined && !/^[\x21-\x7e]{1,200}$/.test(webhookId)) {
      return refuse(400, 'bad_webhook_id', 'webhook-id must be 1 to 200 printable ASCII characters.');
    }

    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(400, 'bad_body', 'The body must be JSON.');
    }
    const parsed = legalCallbackBody.safeParse(json);
    if (!parsed.success) {
      // Paths and zod's messages only: never the values, which name people.
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
      return refuse(400, 'bad_body', `The body does not fit the contract: ${problems.slice(0, 10).join('; ')}`);
    }
    const callback = parsed.data;

    const when = { today: clock.today(), now: clock.now() };
    const outcome = await db.transaction(async (tx) => {
      if (webhookId !== undefined && !(await store.recordWebhookDelivery(tx, webhookId))) return 'duplicate' as const;
      return applyLegalStatus(
        tx,
        {
          legalAcknowledgementId: callback.acknowledgementId,
          policyId: callback.policyId,
          policyVersion: callback.policyVersion,
          signer: callback.signer,
          status: callback.status,
          at: callback.occurredAt,
          vaultDocumentId: callback.vaultDocumentId,
        },
        'CALLBACK',
        when,
      );
    });
    if (outcome === 'duplicate') return void res.status(200).json({ status: 'duplicate' });
    if (outcome.applied) return void res.status(200).json({ status: outcome.changed ? 'applied' : 'unchanged' });
    if (outcome.reason === 'unknown_signer') {
      // Legal's id only: the signer's ids are personal data. A retry cannot help, so 200.
      req.log.warn({ legalAcknowledgementId: callback.acknowledgementId }, 'legal callback: no employee has the signer\'s Hub user id; ignored');
      return void res.status(200).json({ status: 'ignored', reason: 'unknown_signer' });
    }
    return void res.status(200).json({ status: 'stale' });
  });

  return router;
}
