import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  deserializeError,
  type ThreadReply,
  type ThreadRequest,
  type ThreadResult,
} from './pglite-protocol.js';

/** The part of a request the caller gives; the id is added here. */
type Request = ThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The query options drizzle passes to PGlite: its parsers return text for the types it maps itself. */
interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, (value: string, type: number) => unknown>;
  blob?: Blob;
}

/** What drizzle's PGlite driver and the COPY helper call on a PGlite database or transaction. */
export interface PGliteQueries {
  query(text: string, params?: unknown[], options?: QueryOptions): Promise<ThreadResult>;
}

/**
 * An embedded PGlite database that runs on the database thread. It offers what drizzle's PGlite driver
 * uses (`query` and `transaction`), so the same drizzle code runs on it, and each query costs the bot's
 * thread only a message each way.
 */
export class ThreadedPGlite implements PGliteQueries {
  private constructor(
    private readonly thread: DatabaseThread,
    private readonly id: number,
  ) {}

  /** Starts the database thread, if it is not running, so that it loads while the caller prepares. */
  static warmUp(): void {
    DatabaseThread.shared();
  }

  static async open(options: { dataDir: string | undefined; load?: Blob }): Promise<ThreadedPGlite> {
    const thread = DatabaseThread.shared();
    const id = (await thread.call({ op: 'open', dataDir: options.dataDir, load: options.load })) as number;
    return new ThreadedPGlite(thread, id);
  }

  query(text: string, params: unknown[] = [], options: QueryOptions = {}): Promise<ThreadResult> {
    return this.thread.query(this.id, undefined, text, params, options);
  }

  /**
   * Runs `fn` in a transaction, which holds the database until it ends, as PGlite's own does: other
   * queries wait for it. It commits when `fn` resolves and rolls back when it throws.
   */
  async transaction<T>(fn: (tx: PGliteQueries) => Promise<T>): Promise<T> {
    const tx = (await this.thread.call({ op: 'begin', db: this.id })) as number;
    let result: T;
    try {
      result = await fn({
        query: (text, params = [], options = {}) => this.thread.query(this.id, tx, text, params, options),
      });
    } catch (err) {
      await this.thread.call({ op: 'end', tx, commit: false }).catch(() => {});
      throw err;
    }
    await this.thread.call({ op: 'end', tx, commit: true });
    return result;
  }

  /** The data folder as a tar file, for `loadDataDir`. */
  async dumpDataDir(): Promise<Blob> {
    return (await this.thread.call({ op: 'dump', db: this.id })) as Blob;
  }

  async close(): Promise<void> {
    await this.thread.call({ op: 'close', db: this.id });
  }
}

/**
 * The worker thread every embedded database of this process runs on (pglite-worker.ts), started with
 * the first. It keeps the process alive only while a request is waiting for it, as a database in this
 * thread would.
 */
class DatabaseThread {
  private static current: DatabaseThread | undefined;
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  private nextId = 1;
  private stopped: Error | undefined;

  static shared(): DatabaseThread {
    if (!DatabaseThread.current || DatabaseThread.current.stopped)
      DatabaseThread.current = new DatabaseThread();
    return DatabaseThread.current;
  }

  private constructor() {
    this.worker = startWorker();
    this.worker.unref();
    this.worker.on('message', (reply: ThreadReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.settle(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(deserializeError(reply.error));
    });
    this.worker.on('error', (err) => this.stop(err));
    this.worker.on('exit', (code) => this.stop(new Error(`the database thread stopped (exit code ${code})`)));
  }

  call(request: Request): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    // Where the caller was, for the stack of an error the thread sends back.
    const caller = new Error('called from');
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, {
        resolve,
        reject: (err) => {
          err.stack = `${err.stack ?? err.message}\n${caller.stack?.split('\n').slice(1).join('\n') ?? ''}`;
          reject(err);
        },
      });
      try {
        this.worker.postMessage({ ...request, id } as ThreadRequest);
      } catch (err) {
        // A value that cannot cross to the thread (a function among the parameters): nothing was sent.
        this.settle(id);
        reject(err);
      }
    });
  }

  /** Forgets a request; with none left waiting, the thread no longer keeps the process alive. */
  private settle(id: number): void {
    this.waiting.delete(id);
    if (this.waiting.size === 0) this.worker.unref();
  }

  async query(
    db: number,
    tx: number | undefined,
    text: string,
    params: unknown[],
    { rowMode = 'object', parsers, blob }: QueryOptions,
  ): Promise<ThreadResult> {
    const rawTypes = parsers ? Object.keys(parsers).map(Number) : [];
    const result = (await this.call({
      op: 'query',
      db,
      tx,
      text,
      params,
      rowMode,
      rawTypes,
      blob,
    })) as ThreadResult;
    if (parsers && rawTypes.length > 0) parseColumns(result, parsers, rowMode);
    return result;
  }

  /**
   * Fails every waiting request, and every later one of the databases it held: they are gone with it
   * (the bot's health check then fails). Opening a database afterwards starts a new thread.
   */
  private stop(err: Error): void {
    this.stopped ??= Object.assign(new Error(`the database thread failed: ${err.message}`, { cause: err }), {
      code: 'CONNECTION_CLOSED',
    });
    for (const waiter of this.waiting.values()) waiter.reject(this.stopped);
    this.waiting.clear();
  }
}

/**
 * Starts pglite-worker: the built JavaScript, or run from source (tsx, vitest) the TypeScript, through
 * tsx's loader, which Node 20 does not apply to a worker's own entry given `--import`.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./pglite-worker.js', import.meta.url));
  // tsx's ESM entry, which `require.resolve` would give as its CommonJS twin.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(
    /\.cjs$/,
    '.mjs',
  );
  const entry = new URL('./pglite-worker.ts', import.meta.url).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true },
  );
}

/** Applies the caller's parsers to the columns of the types it asked to parse itself. */
function parseColumns(
  result: ThreadResult,
  parsers: NonNullable<QueryOptions['parsers']>,
  rowMode: 'array' | 'object',
): void {
  result.fields.forEach((field, index) => {
    const parse = parsers[field.dataTypeID];
    if (!parse) return;
    const key = rowMode === 'array' ? index : field.name;
    for (const row of result.rows as Record<string | number, unknown>[]) {
      const value = row[key];
      if (typeof value === 'string') row[key] = parse(value, field.dataTypeID);
    }
  });
}
