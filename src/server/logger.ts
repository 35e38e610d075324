import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Anything that could carry a credential or personal data is removed
 * here, whatever a caller passes: logs are read by more people than HR data may be.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'people' },
    timestamp: pino.stdTimeFunctions.isoTime,
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
  });
}
