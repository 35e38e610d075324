import type { ServiceName } from '../auth/auth.service.js';

// What breaks for people when an integration is misconfigured, in the words of the product's
// integration guide ("What Breaks if Misconfigured"), and where People reads each one's settings.
// Every unhealthy state People reports carries one of these and the fix.

export type IntegrationName = 'HUB_SSO' | 'HUB_API' | 'PSA' | 'DEFEND' | 'LEGAL_INBOUND' | 'LEGAL_OUTBOUND' | 'BUS';

export const integrationTitles: Readonly<Record<IntegrationName, string>> = {
  HUB_SSO: 'Hub SSO',
  HUB_API: 'Hub API (access revocation)',
  PSA: 'PSA',
  DEFEND: 'Defend',
  LEGAL_INBOUND: 'Legal (calls to People)',
  LEGAL_OUTBOUND: 'Legal (policy sync)',
  BUS: 'Bus (events)',
};

export const consequences: Readonly<Record<IntegrationName, string>> = {
  HUB_SSO: 'users cannot sign in to People, and the employee portal fails.',
  HUB_API: "offboarding cannot revoke a departing employee's access: they keep their Hub access, in every product, after they leave.",
  PSA:
    'PSA shows every technician as available even when they have approved time off, and skill-based ticket routing ignores certifications (dispatchers must check qualifications by hand).',
  DEFEND:
    'Defend cannot look up employee context for its behavioural alerts, its insider-threat signals never reach HR during offboarding, and it cannot trigger an emergency offboarding.',
  LEGAL_INBOUND: 'policy acknowledgements recorded in Legal do not show in People (they may still exist in Legal itself).',
  LEGAL_OUTBOUND: 'the policy compliance dashboard shows no policies, and employees cannot acknowledge policies from within People.',
  BUS: "no product hears of People's events: the Hub audit log and SIEM miss sign-ins, Hub does not deprovision leavers, Relay sends no welcome e-mails and Defend does not start or stop monitoring.",
};

/** Each calling service: its integration, product name, key variable and the header it must send the key in. */
export const inboundServices: Readonly<Record<ServiceName, { integration: IntegrationName; product: string; variable: string; header: string }>> = {
  PSA: { integration: 'PSA', product: 'PSA', variable: 'INTEGRATION_KEY', header: 'X-Integration-Key' },
  DEFEND: { integration: 'DEFEND', product: 'Defend', variable: 'DEFEND_SERVICE_KEY', header: 'X-Defend-Service-Key' },
  LEGAL: { integration: 'LEGAL_INBOUND', product: 'Legal', variable: 'LEGAL_INTEGRATION_KEY', header: 'X-Integration-Key' },
};

/** A header as people write it: the service headers as documented, others with each word capitalised. */
export function displayHeader(header: string): string {
  const known = Object.values(inboundServices).find((service) => service.header.toLowerCase() === header.toLowerCase());
  if (known) return known.header;
  return header.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);
}

/** Sign-in refusals that say People and Hub disagree (a setting), not that one user's token is bad, with the fix. */
export const signInConfigurationRefusals: Readonly<Record<string, { what: string; fix: string }>> = {
  bad_signature: {
    what: "Hub's tokens are not signed with a key People has",
    fix: 'Make PORTAL_SSO_SECRET the same on People and Hub (or, if Hub signs with a key pair, set HUB_JWKS_URL to its key set).',
  },
  algorithm_not_allowed: {
    what: 'Hub signs its tokens with an algorithm People is not set up for',
    fix: 'Hub signs with a key pair: set HUB_JWKS_URL to its key set (PORTAL_SSO_SECRET covers HS256 only).',
  },
  key_unavailable: {
    what: "People cannot get the key to check Hub's tokens",
    fix: "Check that HUB_JWKS_URL answers from People's network with Hub's key set, or set PORTAL_SSO_SECRET.",
  },
  wrong_issuer: {
    what: "Hub's tokens name an issuer (`iss`) People does not expect",
    fix: "Set HUB_TOKEN_ISSUER to the issuer Hub's tokens carry.",
  },
  wrong_audience: {
    what: "Hub's tokens are issued for another audience (`aud`)",
    fix: "Set HUB_TOKEN_AUDIENCE to the audience Hub's tokens carry, or have Hub issue them for People's audience.",
  },
  lifetime_too_long: {
    what: "Hub's tokens are valid for longer than People accepts",
    fix: 'Have Hub issue tokens valid for at most HUB_TOKEN_MAX_AGE, or raise HUB_TOKEN_MAX_AGE.',
  },
  not_yet_valid: {
    what: "Hub's tokens look issued in the future",
    fix: "Synchronise Hub's and People's clocks (NTP).",
  },
};
