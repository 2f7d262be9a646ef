import { randomBytes } from 'node:crypto';
import type { z } from 'zod';

/** A problem the user can fix; its message is shown to them as it is. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** The message a reply was for is gone from the platform (deleted), and with it its thread. */
export class MessageGoneError extends Error {
  constructor(message = 'the message to reply to is gone') {
    super(message);
    this.name = 'MessageGoneError';
  }
}

/** A short id that ties what a user sees to a log line. */
export function newReferenceId(): string {
  return randomBytes(4).toString('hex');
}

/** The first problem zod found, as `field: message`, for a line or item that is skipped. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
