import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';
import type prettyFactory from 'pino-pretty';
import { redactErrorForLog } from './log-redaction.js';

/**
 * pino-pretty, loaded only when the readable format is asked for: a production replica logs JSON
 * and would carry it (6 MB of idle memory, issue 14) for nothing.
 */
function loadPretty(): typeof prettyFactory {
  const required: typeof prettyFactory = createRequire(import.meta.url)('pino-pretty');
  return required;
}

/** `json`: one JSON object a line, for log collectors. `pretty`: one readable line, for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

/**
 * LOG_FORMAT's `auto`: readable when a person is watching (stdout is a terminal) outside
 * production, JSON otherwise (piped, collected, or in production whatever the terminal).
 */
export function resolveLogFormat(setting: 'auto' | LogFormat, stdoutIsTerminal: boolean, production: boolean): LogFormat {
  if (setting !== 'auto') return setting;
  return stdoutIsTerminal && !production ? 'pretty' : 'json';
}

/**
 * Structured logs. Anything that could carry a credential or personal data is removed
 * here, whatever a caller passes: logs are read by more people than HR data may be. Errors go
 * through `redactErrorForLog` (child loggers inherit it): a failed statement's bound values, the
 * row PostgreSQL repeats in its detail, never reach a log line. Both formats print what pino has
 * already serialized and redacted: `pretty` only lays the same fields out for reading.
 */
export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = 'json'): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'people' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: redactErrorForLog },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-integration-key"]',
        'req.headers["x-service-key"]',
        'res.headers["set-cookie"]',
        '*.token',
        '*.password',
        '*.variables',
      ],
      censor: '[redacted]',
    },
  };
  if (format === 'pretty') {
    const readable = loadPretty()({
      // Colours for a terminal only; a stream given by a caller (tests) gets plain text.
      colorize: destination === undefined && process.stdout.isTTY === true,
      destination: destination ?? 1,
      // Synchronous, like pino's default destination: the last lines before an exit are not lost.
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service',
      singleLine: true,
    });
    return pino(options, readable);
  }
  return destination ? pino(options, destination) : pino(options);
}
