// What People accepts in, and how it records, the text claims of a sign-in token. A token is
// attacker-controlled until verified, and even a verified one is only as careful as its issuer:
// PostgreSQL `text` refuses NUL, `jsonb` refuses unpaired UTF-16 surrogates, and an event subject
// (`user:<id>`) must be one word of at most 200 characters. Refusing or recording such a token
// must never fail on its content.

/** Control characters (NUL among them) and unpaired surrogates (in `u` mode a paired one is one code point, not Cs). */
const unstorableCharacter = /[\p{Cc}\p{Cs}]/u;
const everyUnstorableCharacter = new RegExp(unstorableCharacter.source, 'gu');
const unstorableOrSpace = /[\p{Cc}\p{Cs}\s]/u;

/** Hub user ids People accepts: `user:<id>` must fit the outbox's 200-character event subject. */
export const maxHubUserIdLength = 195;
/** The longest e-mail address there can be (RFC 5321 path limit), as employees' e-mails are checked. */
export const maxEmailLength = 254;

/** A Hub user id People can match, store and name in an event subject: printable, no spaces, not too long. */
export function isAcceptableHubUserId(value: string): boolean {
  return value.length > 0 && value.length <= maxHubUserIdLength && !unstorableOrSpace.test(value);
}

/** Text free of characters PostgreSQL (text or jsonb) refuses. */
export function isStorableText(value: string): boolean {
  return !unstorableCharacter.test(value);
}

/**
 * A claimed value as the audit trail keeps it: unstorable characters replaced by U+FFFD, cut to
 * `maxLength` (ending in "…" when cut). Not a string, or empty: null. Recorded, trusted for nothing.
 */
export function auditText(value: unknown, maxLength: number): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const cut = value.length > maxLength ? `${value.slice(0, maxLength - 1)}…` : value;
  // Replaced after cutting, so a surrogate pair split by the cut is replaced too.
  return cut.replace(everyUnstorableCharacter, '\uFFFD');
}
