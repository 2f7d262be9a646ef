import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ConsoleAdapter, consoleHistoryFile } from '../adapters/console/index.js';
import { type Database, openDatabase, parseDatabaseUrl } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { countPapers } from '../db/repositories/papers.js';
import { PostgresRunCoordinator } from '../db/repositories/scheduler-leases.js';
import type { CoreDeps } from './commands/define.js';
import { createHandlers } from './commands/handlers.js';
import { commandTable } from './commands/table.js';
import type { Config } from './config.js';
import { UserError } from './domain/errors.js';
import type { ChatAdapter } from './domain/ports.js';
import { MovableClock, systemClock } from './domain/ports.js';
import { ingestFile } from './ingest/ingest-file.js';
import { createLogger, type Logger } from './log.js';
import { checkHealth, opsRoutes, startOpsServer } from './ops/http.js';
import { rateLimitWaits } from './ops/metrics.js';
import { StartupStatus } from './ops/startup-status.js';
import { startIngestJobs } from './schedule/ingest-jobs.js';
import { Scheduler } from './schedule/scheduler.js';
import { learnMissingAcronyms } from './search/acronyms.js';
import { indexPapers, mergePendingIndexEntries } from './search/vectors.js';
import { learnMissingVocabulary } from './search/vocabulary.js';
import { arxivResolver } from './shares/share.js';
import { createSources } from './sources/sources.js';
import { emojiWeights } from './votes/emoji.js';

/** Why a bot that must serve a chat platform serves none. */
const NO_CHAT =
  'No chat platform is configured: set SLACK_BOT_TOKEN (with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET) or DISCORD_TOKEN and DISCORD_APPLICATION_ID, then restart. (The console needs a terminal: docker run -it … with CHAT_REQUIRED=false.)';

/** Where health and metrics are served when Slack or Discord runs and PORT is not set. */
const DEFAULT_PORT = 3000;

export const SAMPLE_PAPERS_FILE = fileURLToPath(new URL('../db/seed/sample-papers.json', import.meta.url));

/**
 * Opens the configured database and brings its schema up to date, including the search vectors of any
 * paper that has none (after a migration that changed how words are indexed, they all need rebuilding).
 * On a terminal, `status` says what it is doing meanwhile; one made here is cleared before it returns.
 */
export async function openMigratedDatabase(
  config: Config,
  log?: Logger,
  status?: StartupStatus,
): Promise<Database> {
  if (status) return openAndMigrate(config, log, status);
  const own = new StartupStatus();
  try {
    return await openAndMigrate(config, log, own);
  } finally {
    own.clear();
  }
}

async function openAndMigrate(config: Config, log: Logger | undefined, status: StartupStatus) {
  const target = parseDatabaseUrl(config.DATABASE_URL);
  status.show('Opening the database…');
  const database = await openDatabase(target, {
    onCreate: () => {
      status.show('Preparing the database… (first start)');
      log?.info({ database: target.kind === 'pglite' ? target.dataDir : undefined }, 'creating the database');
    },
  });
  try {
    await migrate(database, target, {
      onPending: (count) =>
        status.show(`Updating the database (${count} migration${count === 1 ? '' : 's'})…`),
    });
    const indexed = await indexPapers(database.db);
    if (indexed > 0) {
      await mergePendingIndexEntries(database.db);
      log?.info({ papers: indexed }, 'search vectors written');
    }
    if (await learnMissingVocabulary(database.db)) log?.info('search vocabulary counted');
    if (await learnMissingAcronyms(database.db)) log?.info('acronyms the papers define counted');
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
  /** Where what a slow start is doing is shown, when it is a terminal (default: standard error). */
  status?: Writable;
}

/** A started bot: its adapters are listening. */
export interface RunningBot {
  database: Database;
  log: Logger;
  adapters: ChatAdapter[];
  /** Resolves when the console's input ends (never, when only Slack/Discord run). */
  closed: Promise<void>;
  /** Where /healthz and /metrics are served; none for a console without PORT. */
  port: number | undefined;
  stop(): Promise<void>;
}

/** The composition root: config → database → core → adapters → scheduler. */
export async function startBot(options: StartOptions): Promise<RunningBot> {
  const { config } = options;
  const noChat = !config.SLACK_BOT_TOKEN && !config.DISCORD_TOKEN;
  // Where a chat platform is required (the container), none configured is a problem to report, not a console.
  const waiting = noChat && config.CHAT_REQUIRED;
  const consoleOnly = noChat && !waiting;
  const log = createLogger(config.LOG_LEVEL ?? (consoleOnly ? 'warn' : 'info'));
  // What has been started, undone in reverse order on stop or on a failed start.
  const started: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const undo of started.reverse()) await undo();
  };
  // Log lines would land in the middle of the status line: it shows only while they are off (the console's default).
  const status = new StartupStatus(log.isLevelEnabled('info') ? null : (options.status ?? process.stderr));
  try {
    const database = await openMigratedDatabase(config, log, status);
    started.push(() => database.close());
    if (config.SAMPLE_PAPERS) await ingestSamplesIfEmpty(database, log, status);
    status.clear();
    const sources = createSources(config);
    // The console may move the bot's clock (`:clock`) to walk through a schedule; chat platforms run on real time.
    const clock = consoleOnly ? new MovableClock() : systemClock;
    let scheduler: Scheduler | undefined;
    const deps: CoreDeps = {
      db: database.db,
      log,
      clock,
      instanceId: randomUUID(),
      voteWeights: emojiWeights(config.VOTE_EMOJI, config.DOWNVOTE_EMOJI),
      searchPageSize: 5,
      resolver: arxivResolver(database.db, sources.arxiv, log),
    };
    const adapters: ChatAdapter[] = [];
    const routes = opsRoutes(() =>
      checkHealth(database.db, adapters, undefined, waiting ? NO_CHAT : undefined),
    );
    if (waiting) log.error(NO_CHAT);
    // Slack's HTTP mode owns PORT and serves /healthz and /metrics beside /slack/events.
    const slackHttp = Boolean(config.SLACK_BOT_TOKEN && !config.SLACK_APP_TOKEN);
    // The console serves health and metrics only when asked to (PORT set): a second console session
    // on the same machine must not fight over a port it does not need.
    let port: number | undefined = config.PORT ?? (consoleOnly ? undefined : DEFAULT_PORT);
    if (!slackHttp && port !== undefined) {
      const wanted = port;
      const ops = await startOpsServer(wanted, routes).catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'EADDRINUSE'
          ? new UserError(`port ${wanted} is already in use: set PORT to a free port (or 0 for any).`)
          : err;
      });
      started.push(() => new Promise<void>((resolve) => ops.close(() => resolve())));
      port = (ops.address() as AddressInfo).port;
    }

    let closed: Promise<void> = new Promise(() => {});
    if (consoleOnly) {
      const console = new ConsoleAdapter({
        input: options.input ?? process.stdin,
        output: options.output ?? process.stdout,
        interactive: options.interactive ?? Boolean(process.stdin.isTTY),
        historyFile: consoleHistoryFile(parseDatabaseUrl(config.DATABASE_URL)),
        ...(clock instanceof MovableClock
          ? { clock, onClockMoved: async () => void (await scheduler?.tickNow()) }
          : {}),
      });
      adapters.push(console);
      closed = console.closed;
    }
    // Each platform's SDK is loaded only when it runs: the console starts without them.
    if (config.SLACK_BOT_TOKEN) {
      const { createSlackAdapter } = await import('../adapters/slack/index.js');
      adapters.push(
        createSlackAdapter({
          botToken: config.SLACK_BOT_TOKEN,
          appToken: config.SLACK_APP_TOKEN,
          signingSecret: config.SLACK_SIGNING_SECRET,
          port: config.PORT ?? DEFAULT_PORT,
          routes,
          apiUrl: config.SLACK_API_URL,
          adminUsers: config.SLACK_ADMIN_USERS,
          commands: commandTable,
          onRateLimitWait: () => rateLimitWaits.inc({ target: 'slack' }),
          log,
        }),
      );
    }
    if (config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID) {
      const { createDiscordAdapter } = await import('../adapters/discord/index.js');
      adapters.push(
        createDiscordAdapter({
          token: config.DISCORD_TOKEN,
          applicationId: config.DISCORD_APPLICATION_ID,
          commands: commandTable,
          log,
          linkShares: config.DISCORD_LINK_SHARES,
          ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}),
        }),
      );
    }
    for (const adapter of adapters) {
      await adapter.start(createHandlers(deps, adapter));
      started.push(() => adapter.stop());
    }
    if (config.SCHEDULER) {
      scheduler = new Scheduler({
        db: database.db,
        log,
        clock: deps.clock,
        instanceId: deps.instanceId,
        adapters,
        catchUpMs: config.DIGEST_CATCH_UP_HOURS * 3_600_000,
        coordinator: new PostgresRunCoordinator(database.db, deps.instanceId),
      });
      scheduler.start();
      const running = scheduler;
      started.push(() => running.stop());
    }
    if (config.INGEST_SCHEDULE) {
      // Off unless configured: a laptop demo makes no network calls.
      const jobs = startIngestJobs({
        db: database.db,
        log,
        sources,
        clock: systemClock,
        config,
        coordinator: new PostgresRunCoordinator(database.db, deps.instanceId),
      });
      started.push(() => jobs.stop());
    }
    log.info(
      { database: database.location, adapters: adapters.map((a) => a.platform), port },
      'papers started',
    );
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= stopAll();
      return stopping;
    };
    return { database, log, adapters, closed, port, stop };
  } catch (err) {
    status.clear();
    await stopAll();
    throw err;
  }
}

/** A fresh install shows real papers: the bundled sample is ingested when the library is empty. */
async function ingestSamplesIfEmpty(database: Database, log: Logger, status: StartupStatus): Promise<void> {
  if ((await countPapers(database.db)) > 0) return;
  const count = await countSamplePapers();
  status.show(count ? `Loading ${count} sample papers…` : 'Loading the sample papers…');
  const report = await ingestFile(database.db, SAMPLE_PAPERS_FILE);
  log.info({ ...report.counts }, 'sample papers ingested');
}

/** How many papers the sample holds (a JSON array), for the line that says they are loading. */
async function countSamplePapers(): Promise<number | undefined> {
  try {
    const items = JSON.parse(await readFile(SAMPLE_PAPERS_FILE, 'utf8')) as unknown;
    return Array.isArray(items) ? items.length : undefined;
  } catch {
    return undefined;
  }
}
