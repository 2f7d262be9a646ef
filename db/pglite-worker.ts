/**
 * The database thread: the embedded PGlite databases of this process run here, so their queries, which
 * run synchronously in WebAssembly, never hold up the bot's event loop (acks, reactions, other replies).
 * Started by pglite-thread.ts; the protocol is in pglite-protocol.ts.
 */
import { mkdirSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import {
  serializeError,
  type ThreadReply,
  type ThreadRequest,
  type ThreadResult,
} from './pglite-protocol.js';

if (!parentPort) throw new Error('pglite-worker.ts runs as a worker thread');
const port = parentPort;

const databases = new Map<number, PGlite>();
/** Open transactions: each holds its database's lock until the bot's thread ends it. */
const transactions = new Map<
  number,
  { tx: Transaction; end: (commit: boolean) => void; done: Promise<void> }
>();
let nextId = 1;

/** Values of these types are returned as their text, as drizzle asks, for the bot's thread to parse. */
const asText = (value: string) => value;

port.on('message', (request: ThreadRequest) => {
  handle(request).then(
    (value) => port.postMessage({ id: request.id, ok: true, value } satisfies ThreadReply),
    (err: unknown) =>
      port.postMessage({ id: request.id, ok: false, error: serializeError(err) } satisfies ThreadReply),
  );
});

async function handle(request: ThreadRequest): Promise<unknown> {
  switch (request.op) {
    case 'open': {
      if (request.dataDir) mkdirSync(request.dataDir, { recursive: true });
      const pglite = await PGlite.create({
        dataDir: request.dataDir,
        extensions: { pg_trgm, unaccent },
        ...(request.load ? { loadDataDir: request.load } : {}),
      });
      const id = nextId++;
      databases.set(id, pglite);
      return id;
    }
    case 'query': {
      const target = request.tx === undefined ? database(request.db) : transaction(request.tx).tx;
      const result = await target.query(request.text, request.params, {
        rowMode: request.rowMode,
        parsers: Object.fromEntries(request.rawTypes.map((type) => [type, asText])),
        ...(request.blob ? { blob: request.blob } : {}),
      });
      const { rows, fields, affectedRows } = result;
      return { rows, fields, affectedRows } satisfies ThreadResult;
    }
    case 'begin':
      return begin(database(request.db));
    case 'end': {
      const open = transaction(request.tx);
      transactions.delete(request.tx);
      open.end(request.commit);
      await open.done;
      return null;
    }
    case 'dump':
      return database(request.db).dumpDataDir('none');
    case 'close': {
      const pglite = databases.get(request.db);
      databases.delete(request.db);
      await pglite?.close();
      return null;
    }
  }
}

/** Opens a transaction and answers with its id once it holds the lock; it lasts until `end`. */
function begin(pglite: PGlite): Promise<number> {
  const id = nextId++;
  return new Promise<number>((opened, failed) => {
    let end!: (commit: boolean) => void;
    const ended = new Promise<boolean>((resolve) => {
      end = resolve;
    });
    const done = pglite.transaction(async (tx) => {
      transactions.set(id, { tx, end, done });
      opened(id);
      if (!(await ended)) await tx.rollback();
    });
    // Before the transaction opened, its failure is the answer to `begin`; after, to `end`.
    done.catch(failed);
  });
}

function database(id: number): PGlite {
  const pglite = databases.get(id);
  if (!pglite) throw Object.assign(new Error('the database is closed'), { code: 'CONNECTION_ENDED' });
  return pglite;
}

function transaction(id: number) {
  const open = transactions.get(id);
  if (!open) throw new Error('the transaction has ended');
  return open;
}
