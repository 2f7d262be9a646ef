import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stderr (stdout belongs to the console adapter and to CLI output). Secrets never
 * reach a log line: known secret fields are redacted wherever they appear.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: 'papers' },
      redact: {
        paths: [
          'token',
          'botToken',
          'appToken',
          'signingSecret',
          '*.token',
          '*.password',
          'headers.authorization',
        ],
        censor: '***',
      },
    },
    pino.destination(2),
  );
}
