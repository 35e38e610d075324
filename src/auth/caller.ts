/**
 * Who is making a request. Every domain function receives it, so permission checks
 * (and the "recorded by" of every change) have one place to look.
 */

/** People roles; Hub assigns them and People inherits them from the token. */
export const roles = ['ADMIN', 'HR_MANAGER', 'HR_STAFF', 'MANAGER', 'VIEWER'] as const;
export type Role = (typeof roles)[number];

/** Roles that administer HR data for everyone. */
export const hrRoles: readonly Role[] = ['ADMIN', 'HR_MANAGER', 'HR_STAFF'];

/** Services that call People with a key, each allowed exactly what its integration needs. */
export const serviceNames = ['PSA', 'DEFEND', 'LEGAL'] as const;
export type ServiceName = (typeof serviceNames)[number];

export interface UserCaller {
  kind: 'user';
  hubUserId: string;
  email: string;
  roles: readonly Role[];
  /**
   * The employee this user is ("self"): the one linked to their Hub user id, else the one with
   * their e-mail linked to no Hub user yet. Grants self-service; refusals of one's own record
   * use `isOwnRecord` (auth/access.ts), which also counts any record with their link or e-mail.
   */
  employeeId: string | null;
  /** The People session the request came with (`me.sessions`' `current`); absent for a Hub token or a system caller. */
  sessionId?: string;
}

/**
 * A caller who has said who they are. The request context holds only these: an anonymous request
 * is refused once, when its context is built (server/app.ts), so no domain checks for one.
 */
export type AuthenticatedCaller = UserCaller | { kind: 'service'; service: ServiceName } | { kind: 'system'; name: string };

/** Whoever sent a request, as authentication found them. */
export type Caller = { kind: 'anonymous' } | AuthenticatedCaller;

/**
 * Hub spells roles for people ("HR Manager"); accept that and the constant form ("HR_MANAGER").
 * Unknown names grant nothing.
 */
export function parseRole(name: string): Role | null {
  const normalised = name.trim().toUpperCase().replace(/[\s-]+/g, '_');
  return roles.find((role) => role === normalised) ?? null;
}

export function hasRole(caller: Caller, ...wanted: readonly Role[]): boolean {
  return caller.kind === 'user' && caller.roles.some((role) => wanted.includes(role));
}

/** How a change's author is recorded: an id, never a token or a name that could change. */
export function describeCaller(caller: Caller): string {
  switch (caller.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'user':
      return `user:${caller.hubUserId}`;
    case 'service':
      return `service:${caller.service.toLowerCase()}`;
    case 'system':
      return `system:${caller.name}`;
  }
}
