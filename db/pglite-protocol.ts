/**
 * What the bot's thread and the database thread say to each other (see pglite-thread.ts). Every request
 * carries an id, and exactly one reply answers it.
 */

export type ThreadRequest = { id: number } & (
  | { op: 'open'; dataDir: string | undefined; load: Blob | undefined }
  | {
      op: 'query';
      db: number;
      /** The open transaction to run it in, if any. */
      tx: number | undefined;
      text: string;
      params: unknown[];
      rowMode: 'array' | 'object';
      /** Types whose values come back as text, for the bot's thread to parse (drizzle's own parsers). */
      rawTypes: number[];
      blob: Blob | undefined;
    }
  | { op: 'begin'; db: number }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'dump'; db: number }
  | { op: 'close'; db: number }
);

export type ThreadReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError };

/** An error as it crosses threads: its message and the fields Postgres fills in (code, detail, …). */
export type SerializedError = { message: string; name: string; stack?: string } & Record<string, unknown>;

/** A query's result as PGlite gives it. */
export interface ThreadResult {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { message: String(err), name: 'Error' };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return { ...fields, message: err.message, name: err.name, stack: err.stack };
}

export function deserializeError(serialized: SerializedError): Error {
  const { message, name, stack, ...fields } = serialized;
  const err = Object.assign(new Error(message), fields);
  err.name = name;
  if (stack) err.stack = stack;
  return err;
}
