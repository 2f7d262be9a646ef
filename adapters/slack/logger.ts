import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../src/domain/log.js';

/**
 * Bolt's and the Slack clients' logs as structured lines in our log. Their debug output dumps whole
 * request bodies, so it is never passed on.
 */
export function boltLogger(log: Logger): SlackLogger {
  const child = log.child({ component: 'slack' });
  const line = (msg: unknown[]) => {
    const err = msg.find((m): m is Error => m instanceof Error);
    const text = msg
      .filter((m) => !(m instanceof Error))
      .map((m) => (typeof m === 'string' ? m : JSON.stringify(m)))
      .join(' ');
    return [err ? { err } : {}, text] as const;
  };
  return {
    debug: () => {},
    info: (...msg) => child.info(...line(msg)),
    warn: (...msg) => child.warn(...line(msg)),
    error: (...msg) => child.error(...line(msg)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
