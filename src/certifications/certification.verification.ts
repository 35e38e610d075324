import { describeCaller } from '../auth/auth.service.js';
import type { RequestContext } from '../graphql/context.js';

// What a record's verification says: who decided and when, or that nobody has yet.

/** Who decided, as the verification records it. */
export function decidedBy(ctx: RequestContext) {
  const { caller } = ctx;
  return {
    verifiedByEmployeeId: caller.kind === 'user' ? caller.employeeId : null,
    verifiedBy: describeCaller(caller),
    verifiedAt: ctx.clock.now(),
  };
}

export const unverified = {
  verificationState: 'UNVERIFIED',
  verifiedByEmployeeId: null,
  verifiedBy: null,
  verifiedAt: null,
  verificationComment: null,
} as const;
