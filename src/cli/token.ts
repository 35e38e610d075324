import { parseArgs } from 'node:util';
import { parseRole } from '../auth/caller.js';
import { developmentAdmin, signHubStyleToken } from '../auth/tokens.js';
import { formatDurationSeconds, parseDurationSeconds } from '../shared/durations.js';

// `npm run token`: prints a Hub-style SSO token for local development, signed with the secret the
// server verifies with (PORTAL_SSO_SECRET, or the generated one kept in DATA_DIR/dev-secrets.json).
// Only the token goes to stdout, so `$(npm run -s token -- ...)` works; everything else to stderr.

const usage = `Usage: npm run -s token -- [options]

Prints a Hub-style SSO token (HS256) that this People server accepts, for local development.
Only the token is printed, so it can be captured:

  TOKEN=$(npm run -s token -- --role "HR Manager" --email hr@example.com)
  curl -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
       -d '{"query":"{ departments { name } }"}' http://localhost:4001/graphql

Options:
  --email <address>      The user's e-mail; People matches it to an employee ("self").
                         Without --email (and without --role): the development Admin
                         (${developmentAdmin.email}).
  --role <name>          A Hub role, e.g. "Admin", "HR Manager", "HR Staff", "Manager", "Viewer".
                         Repeat for several. None: a plain employee without a People role.
  --hub-user-id <id>     The Hub user id (the "sub" claim). Default: "local-<email>".
  --ttl <duration>       How long the token is valid: <number>[s|m|h|d], e.g. 90m, 8h, 2d.
                         A bare number is seconds. Default: 8h, or HUB_TOKEN_MAX_AGE when
                         that is shorter; longer than HUB_TOKEN_MAX_AGE is refused.
  -h, --help             Show this help.

The secret, issuer and audience come from the same configuration as the server
(PORTAL_SSO_SECRET, HUB_TOKEN_ISSUER, HUB_TOKEN_AUDIENCE, DATA_DIR). Refused in production.
`;

class UsageError extends Error {
  override name = 'UsageError';
}

const maxTtlSeconds = 30 * 86_400;
const defaultTtlSeconds = 8 * 3600;

/** "8h" → 28800; a bare number is seconds. */
function parseTtl(text: string): number {
  const seconds = parseDurationSeconds(text);
  if (seconds === null) throw new UsageError(`--ttl "${text}" is not a duration such as 90m, 8h or 2d.`);
  if (seconds <= 0) throw new UsageError('--ttl must be longer than zero.');
  if (seconds > maxTtlSeconds) throw new UsageError('--ttl may be at most 30 days.');
  return seconds;
}

interface TokenRequest {
  help: boolean;
  hubUserId: string;
  email: string;
  roles: string[];
  /** Null: the default, which depends on the configuration (HUB_TOKEN_MAX_AGE). */
  ttlSeconds: number | null;
}

function parseTokenArguments(args: readonly string[]): TokenRequest {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        email: { type: 'string' },
        role: { type: 'string', multiple: true },
        'hub-user-id': { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) return { help: true, hubUserId: '', email: '', roles: [], ttlSeconds: null };
  const ttlSeconds = values.ttl === undefined ? null : parseTtl(values.ttl);
  const roles = values.role ?? [];

  if (values.email === undefined) {
    if (roles.length > 0 || values['hub-user-id'] !== undefined) {
      throw new UsageError('--role and --hub-user-id need --email: say whose token this is.');
    }
    return { help: false, ...developmentAdmin, roles: [...developmentAdmin.roles], ttlSeconds };
  }
  const email = values.email.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new UsageError(`--email "${values.email}" is not an e-mail address.`);
  const hubUserId = (values['hub-user-id'] ?? `local-${email.toLowerCase()}`).trim();
  if (hubUserId === '') throw new UsageError('--hub-user-id must not be empty.');
  const blankRole = roles.find((role) => role.trim() === '');
  if (blankRole !== undefined) throw new UsageError('--role must not be empty.');
  return { help: false, hubUserId, email, roles, ttlSeconds };
}

async function main(args: readonly string[]): Promise<number> {
  let request: TokenRequest;
  try {
    request = parseTokenArguments(args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\nSee: npm run token -- --help\n`);
      return 2;
    }
    throw error;
  }
  if (request.help) {
    process.stdout.write(usage);
    return 0;
  }

  // Loaded only now: validating the configuration pulls in most of the dependencies, and
  // --help or a mistyped option should answer at once.
  const { ConfigError, loadConfig } = await import('../config.js');
  const { resolveSecrets } = await import('../auth/dev-secrets.js');
  let config;
  let secrets;
  try {
    config = loadConfig();
    if (config.environment === 'production') {
      process.stderr.write(
        'npm run token is for development only and refuses to run with NODE_ENV=production: ' +
          'in production, tokens come from Hub sign-in.\n',
      );
      return 1;
    }
    secrets = resolveSecrets(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  if (!secrets.ssoSecret) {
    process.stderr.write(
      'Cannot sign a token: HUB_JWKS_URL is set without PORTAL_SSO_SECRET, so this People server only ' +
        "accepts tokens signed with Hub's private keys. Set PORTAL_SSO_SECRET to sign local tokens.\n",
    );
    return 1;
  }

  // A token the server would refuse (HUB_TOKEN_MAX_AGE) is no use to anyone.
  const maxAgeSeconds = config.auth.hubTokenMaxAgeSeconds;
  if (request.ttlSeconds !== null && request.ttlSeconds > maxAgeSeconds) {
    process.stderr.write(
      `--ttl ${formatDurationSeconds(request.ttlSeconds)} is longer than HUB_TOKEN_MAX_AGE (${formatDurationSeconds(maxAgeSeconds)}): ` +
        'this People server would refuse the token.\nSee: npm run token -- --help\n',
    );
    return 2;
  }

  const unknown = request.roles.filter((role) => parseRole(role) === null);
  if (unknown.length > 0) {
    process.stderr.write(`Note: People does not know the role(s) ${unknown.map((role) => `"${role}"`).join(', ')}; they grant nothing.\n`);
  }
  const token = await signHubStyleToken(secrets.ssoSecret, {
    hubUserId: request.hubUserId,
    email: request.email,
    roles: request.roles,
    issuer: config.auth.hubIssuer,
    audience: config.auth.hubAudience,
    ttlSeconds: request.ttlSeconds ?? Math.min(defaultTtlSeconds, maxAgeSeconds),
  });
  process.stdout.write(`${token}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`npm run token failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
