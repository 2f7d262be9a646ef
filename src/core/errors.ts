import { randomBytes } from 'node:crypto';

/** A problem the user can fix; its message is shown to them as it is. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A short id that ties what a user sees to a log line. */
export function newReferenceId(): string {
  return randomBytes(4).toString('hex');
}
