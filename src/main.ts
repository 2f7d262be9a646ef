import { randomUUID } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { ConsoleAdapter } from '../adapters/console/index.js';
import { createSlackAdapter } from '../adapters/slack/index.js';
import { type Database, openDatabase, parseDatabaseUrl } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { papers } from '../db/schema.js';
import type { Config } from './config.js';
import type { ChatAdapter } from './core/ports.js';
import { systemClock } from './core/ports.js';
import { type CoreDeps, createHandlers } from './core/router.js';
import { ingestFile } from './ingest/ingest-file.js';
import { createLogger, type Logger } from './log.js';
import { emojiWeights } from './votes/emoji.js';

export const SAMPLE_PAPERS_FILE = fileURLToPath(new URL('../db/seed/sample-papers.json', import.meta.url));

/** Opens the configured database and brings its schema up to date. */
export async function openMigratedDatabase(config: Config): Promise<Database> {
  const target = parseDatabaseUrl(config.DATABASE_URL);
  const database = await openDatabase(target);
  try {
    await migrate(database, target);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

export interface StartOptions {
  config: Config;
  input?: Readable;
  output?: Writable;
  interactive?: boolean;
}

/** A started bot: its adapters are listening. */
export interface RunningBot {
  database: Database;
  log: Logger;
  adapters: ChatAdapter[];
  /** Resolves when the console's input ends (never, when only Slack/Discord run). */
  closed: Promise<void>;
  stop(): Promise<void>;
}

/** The composition root: config → database → core → adapters. */
export async function startBot(options: StartOptions): Promise<RunningBot> {
  const { config } = options;
  const consoleOnly = !config.SLACK_BOT_TOKEN && !config.DISCORD_TOKEN;
  const log = createLogger(config.LOG_LEVEL ?? (consoleOnly ? 'warn' : 'info'));
  const database = await openMigratedDatabase(config);
  try {
    if (config.SAMPLE_PAPERS) await ingestSamplesIfEmpty(database, log);
    const deps: CoreDeps = {
      db: database.db,
      log,
      clock: systemClock,
      instanceId: randomUUID(),
      voteWeights: emojiWeights(config.VOTE_EMOJI, config.DOWNVOTE_EMOJI),
      searchPageSize: 5,
    };
    const adapters: ChatAdapter[] = [];
    let closed: Promise<void> = new Promise(() => {});
    if (consoleOnly) {
      const console = new ConsoleAdapter({
        input: options.input ?? process.stdin,
        output: options.output ?? process.stdout,
        interactive: options.interactive ?? Boolean(process.stdin.isTTY),
      });
      adapters.push(console);
      closed = console.closed;
    }
    if (config.SLACK_BOT_TOKEN) {
      adapters.push(
        createSlackAdapter({
          botToken: config.SLACK_BOT_TOKEN,
          appToken: config.SLACK_APP_TOKEN,
          signingSecret: config.SLACK_SIGNING_SECRET,
          port: config.PORT,
          apiUrl: config.SLACK_API_URL,
          adminUsers: config.SLACK_ADMIN_USERS,
          log,
        }),
      );
    }
    for (const adapter of adapters) await adapter.start(createHandlers(deps, adapter));
    log.info({ database: database.location, adapters: adapters.map((a) => a.platform) }, 'papers started');
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        for (const adapter of adapters) await adapter.stop();
        await database.close();
      })();
      return stopping;
    };
    return { database, log, adapters, closed, stop };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** A fresh install shows real papers: the bundled sample is ingested when the library is empty. */
async function ingestSamplesIfEmpty(database: Database, log: Logger): Promise<void> {
  const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(papers);
  if ((row?.n ?? 0) > 0) return;
  const report = await ingestFile(database.db, SAMPLE_PAPERS_FILE);
  log.info({ ...report.counts }, 'sample papers ingested');
}
