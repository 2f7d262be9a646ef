import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type SQL, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { wellFormed } from '../src/domain/present.js';
import { type Db, queryRows } from './client.js';
import type { PGliteQueries } from './pglite-thread.js';

/**
 * Rows in PostgreSQL's binary COPY format, encoded straight into buffers. Storing papers this way spares
 * both sides a text format: the bot builds no JSON document, and the server neither parses one nor
 * parses search vectors from text (`tsvector` input is the costliest part of storing a paper).
 *
 * Everything the server could refuse is refused here instead, before a byte is sent: the encoder
 * throws on an integer or a date out of range or an oversized search vector, and drops what Postgres
 * cannot hold (NUL characters, and in jsonb halves of surrogate pairs). The server refuses a COPY as a
 * whole, so one value it cannot hold would lose every row of the batch.
 */
export class BinaryCopyWriter {
  private readonly chunks: Buffer[] = [];
  private buffer = Buffer.allocUnsafe(CHUNK_SIZE);
  private at = 0;

  constructor(private readonly columns: number) {
    this.at += SIGNATURE.copy(this.buffer, 0);
    this.at = this.buffer.writeInt32BE(0, this.at); // flags
    this.at = this.buffer.writeInt32BE(0, this.at); // length of the header extension
  }

  /** Starts a row; exactly `columns` values must follow. */
  row(): this {
    this.reserve(2);
    this.at = this.buffer.writeInt16BE(this.columns, this.at);
    return this;
  }

  text(value: string | null): this {
    if (value === null) return this.null();
    const clean = value.includes('\0') ? value.replaceAll('\0', '') : value;
    this.reserve(4 + clean.length * 3);
    const length = this.buffer.write(clean, this.at + 4, 'utf8');
    this.at = this.buffer.writeInt32BE(length, this.at);
    this.at += length;
    return this;
  }

  int4(value: number | null): this {
    if (value === null) return this.null();
    if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
      throw new RangeError(`${value} does not fit a 32-bit integer column`);
    }
    this.reserve(8);
    this.at = this.buffer.writeInt32BE(4, this.at);
    this.at = this.buffer.writeInt32BE(value, this.at);
    return this;
  }

  timestamptz(value: Date | null): this {
    if (value === null) return this.null();
    const ms = value.getTime();
    if (!(ms >= MIN_TIMESTAMP_MS)) {
      throw new RangeError(`${Number.isNaN(ms) ? 'an invalid date' : value.toISOString()} cannot be stored`);
    }
    // Microseconds since 2000-01-01 as a signed 64-bit integer, written as two 32-bit halves: any
    // JavaScript date in microseconds is below 2^63 and exact in a double.
    const micros = (ms - POSTGRES_EPOCH_MS) * 1000;
    const high = Math.floor(micros / 2 ** 32);
    this.reserve(12);
    this.at = this.buffer.writeInt32BE(8, this.at);
    this.at = this.buffer.writeInt32BE(high, this.at);
    this.at = this.buffer.writeUInt32BE(micros - high * 2 ** 32, this.at);
    return this;
  }

  /** A jsonb array of strings. */
  jsonbStrings(values: string[]): this {
    let json = JSON.stringify(values);
    // jsonb holds neither NUL nor half a surrogate pair, both of which JSON.stringify writes as \u escapes.
    if (json.includes('\\u')) json = JSON.stringify(values.map(jsonbText));
    this.reserve(5 + json.length * 3);
    const start = this.at;
    this.buffer[start + 4] = JSONB_VERSION;
    const length = this.buffer.write(json, start + 5, 'utf8');
    this.buffer.writeInt32BE(length + 1, start);
    this.at = start + 5 + length;
    return this;
  }

  /** A tsvector. Lexemes need no order: the server sorts them. */
  tsvector(vector: TsVectorData): this {
    this.reserve(8);
    let start = this.at;
    this.at = this.buffer.writeInt32BE(vector.size, start + 4);
    let lexemeBytes = 0;
    for (let i = 0; i < vector.size; i++) {
      const { bytes, count, positions } = vector.lexeme(i);
      if (bytes.length > MAX_LEXEME_BYTES) {
        const text = Buffer.from(bytes).toString('utf8', 0, 40);
        throw new RangeError(`cannot store the lexeme "${text}" in a search vector`);
      }
      start = this.reserve(bytes.length + 3 + count * 2, start);
      // Lexemes are short: a loop copies them faster than a call into the runtime would.
      const buffer = this.buffer;
      let at = this.at;
      for (let b = 0; b < bytes.length; b++) buffer[at++] = bytes[b]!;
      buffer[at++] = 0;
      buffer[at++] = count >> 8;
      buffer[at++] = count & 0xff;
      for (let p = 0; p < count; p++) {
        const position = positions[p]!;
        buffer[at++] = position >> 8;
        buffer[at++] = position & 0xff;
      }
      this.at = at;
      lexemeBytes += bytes.length;
    }
    if (lexemeBytes > MAX_VECTOR_LEXEME_BYTES) {
      throw new RangeError(`a search vector's words take ${lexemeBytes} bytes, more than Postgres allows`);
    }
    this.buffer.writeInt32BE(this.at - start - 4, start);
    return this;
  }

  null(): this {
    this.reserve(4);
    this.at = this.buffer.writeInt32BE(-1, this.at);
    return this;
  }

  /** The whole COPY data, trailer included; the writer is spent. */
  finish(): Buffer[] {
    this.reserve(2);
    this.at = this.buffer.writeInt16BE(-1, this.at);
    this.chunks.push(this.buffer.subarray(0, this.at));
    return this.chunks;
  }

  /**
   * Makes room for `bytes` more. A value being written from `keepFrom` on (its length word already
   * written) moves to the new buffer with it, so every value lies whole in one chunk. Returns where
   * `keepFrom` is now.
   */
  private reserve(bytes: number, keepFrom = this.at): number {
    if (this.at + bytes <= this.buffer.length) return keepFrom;
    const next = Buffer.allocUnsafe(Math.max(CHUNK_SIZE, this.at - keepFrom + bytes));
    this.buffer.copy(next, 0, keepFrom, this.at);
    if (keepFrom > 0) this.chunks.push(this.buffer.subarray(0, keepFrom));
    this.at -= keepFrom;
    this.buffer = next;
    return 0;
  }
}

/**
 * A tsvector to write: its lexemes, each as UTF-8 bytes with its positions stored as Postgres stores
 * them, `weight bits << 14 | position`, strictly ascending, at most 256.
 */
export interface TsVectorData {
  readonly size: number;
  lexeme(index: number): {
    readonly bytes: Uint8Array;
    readonly count: number;
    readonly positions: readonly number[];
  };
}

/**
 * Runs `COPY table FROM STDIN (FORMAT binary)` with the given data on the connection of `db`. Give it a
 * transaction when a later statement reads what was copied: a temporary table belongs to one connection,
 * and a pool may hand the next statement another one.
 *
 * On a server, postgres.js settles the COPY's query with its stream as soon as the COPY starts, so a
 * refusal that comes after the last byte only reaches the query's reject, where nobody waits, and the
 * stream never finishes (porsager/postgres#1173). That reject is passed on here, so such a COPY fails at
 * once with the server's reason. Should the driver change, a COPY not confirmed within `timeoutMs` still
 * fails: it is cancelled, the transaction is rolled back and the connection goes back to the pool. A
 * COPY into a table other transactions write may wait for their rows as long as they take: give it
 * `timeoutMs: Infinity`.
 */
export async function copyBinary(
  db: Db,
  table: string,
  data: Buffer[],
  { timeoutMs = COPY_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<void> {
  const client = driverClient(db);
  if (!('unsafe' in client)) {
    await client.query(`copy ${table} from '/dev/blob' (format binary)`, [], { blob: new Blob(data) });
    return;
  }
  const query = client.unsafe(`copy ${table} from stdin (format binary)`);
  const refused = new Promise<never>((_, reject) => {
    const settle = query as unknown as { reject?: (error: unknown) => void };
    const driverReject = settle.reject;
    if (typeof driverReject !== 'function') return;
    settle.reject = (error) => {
      reject(error);
      driverReject(error);
    };
  });
  // A refusal before the COPY starts rejects the query itself, which is awaited just below.
  refused.catch(() => {});
  const stream = await query.writable();
  let timer: NodeJS.Timeout | undefined;
  const unconfirmed = new Promise<never>((_, reject) => {
    if (timeoutMs === Number.POSITIVE_INFINITY) return;
    timer = setTimeout(() => {
      const error = new Error(
        `the database did not confirm a COPY into ${table} within ${timeoutMs / 1000} s`,
      );
      // Ends the COPY if it is still going; after the server's refusal the server ignores this.
      stream.destroy(error);
      reject(error);
    }, timeoutMs);
  });
  const copied = pipeline(Readable.from(data), stream);
  // Still pending after a refusal or a timeout, it may fail later with nobody waiting; that is reported.
  copied.catch(() => {});
  try {
    await Promise.race([copied, refused, unconfirmed]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Copies rows into a temporary staging table and runs a statement that reads them, in one transaction
 * (a savepoint in one already open): a temporary table belongs to one connection, and a pool may hand
 * the next statement another one. The table is made once per connection and emptied at the end of each
 * transaction; the statement should empty it as it reads (`with x as (delete from t returning *) …`),
 * so that several batches can pass through it in one transaction.
 */
export async function throughStaging<T>(
  db: Db,
  staging: { table: string; columns: string },
  data: Buffer[],
  statement: SQL,
): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql.raw(`create temp table if not exists ${staging.table} (${staging.columns}) on commit delete rows`),
    );
    await copyBinary(tx as unknown as Db, staging.table, data);
    return queryRows<T>(tx as unknown as Db, statement);
  });
}

/** The driver's connection under a drizzle database or transaction, which drizzle keeps on its session. */
function driverClient(db: Db): postgres.Sql | PGliteQueries {
  return (db as unknown as { session: { client: postgres.Sql | PGliteQueries } }).session.client;
}

/** Text as jsonb can hold it: no NUL, and a lone half of a surrogate pair replaced by U+FFFD. */
function jsonbText(text: string): string {
  return wellFormed(text.replaceAll('\0', ''));
}

const CHUNK_SIZE = 256 * 1024;
/** A batch is a few megabytes, which a server takes in well under a second. */
const COPY_TIMEOUT_MS = 60_000;
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
/** A Postgres timestamp starts on 24 November 4714 BC; its end lies beyond any JavaScript date. */
const MIN_TIMESTAMP_MS = Date.UTC(-4713, 10, 24);
const JSONB_VERSION = 1;
/** Postgres' limits on a lexeme (11 bits of length) and on all of a vector's lexemes (20 bits). */
const MAX_LEXEME_BYTES = 2047;
const MAX_VECTOR_LEXEME_BYTES = 2 ** 20 - 1;
