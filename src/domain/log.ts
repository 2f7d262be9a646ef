/** The structured logger every part writes to; `createLogger` in `src/log.ts` makes the process's one. */
export type { Logger } from 'pino';
