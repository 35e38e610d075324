import pino, { type DestinationStream, type Logger } from 'pino';
import { redactErrorForLog } from './log-redaction.js';

/**
 * Structured JSON logs. Anything that could carry a credential or personal data is removed
 * here, whatever a caller passes: logs are read by more people than HR data may be. Errors go
 * through `redactErrorForLog` (child loggers inherit it): a failed statement's bound values, the
 * row PostgreSQL repeats in its detail, never reach a log line.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
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
  return destination ? pino(options, destination) : pino(options);
}
