import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Db } from '../../db/client.js';
import { trackedArxivIds } from '../../db/repositories/taste.js';
import type { Config } from '../config.js';
import { addDays, dayOf } from '../domain/days.js';
import type { Logger } from '../domain/log.js';
import type { Clock, IngestRequest, PaperSource } from '../domain/ports.js';
import { ingestUnitsOf } from '../ingest/run-units.js';
import { papersIngested } from '../ops/metrics.js';
import { type UpsertCounts, upsertPapers } from '../search/store.js';
import type { Sources } from '../sources/sources.js';

export type IngestScheduleConfig = Pick<
  Config,
  | 'ARXIV_CATEGORIES'
  | 'INGEST_HF_CRON'
  | 'INGEST_ARXIV_CRON'
  | 'INGEST_ARXIV_TIMEZONE'
  | 'HF_REFRESH_DAYS'
  | 'INGEST_REFRESH_CRON'
>;

export interface IngestJobsDeps {
  db: Db;
  log: Logger;
  sources: Pick<Sources, 'hf' | 'rss' | 'arxiv'>;
  clock: Clock;
  config: IngestScheduleConfig;
  /** Elects one instance per scheduled fire when several share the database. */
  coordinator?: RunCoordinator;
  /** How long after a failed run the same job tries again (default 20 minutes). */
  retryDelayMs?: number;
  /** Retries before waiting for the next scheduled run (default 3). */
  maxRetries?: number;
}

/** The running ingestion jobs. */
export interface IngestJobs {
  /** Fetches today's Hugging Face Daily Papers and refreshes the HF_REFRESH_DAYS days before (upvotes grow). */
  runHf(): Promise<boolean>;
  /** Ingests today's arXiv listing of the configured categories. */
  runArxiv(): Promise<boolean>;
  /**
   * Fetches again from arXiv the papers channels follow for news (voted for, discussed or shared in the
   * last year), by id, in batches, behind arXiv's 3 s gate: their new versions and code links.
   */
  runRefresh(): Promise<boolean>;
  stop(): Promise<void>;
}

/** Papers refreshed a day at most: 20 requests of 100 ids, a minute behind arXiv's gate. */
const REFRESHED_AT_MOST = 2000;

/**
 * Starts the node-cron jobs: Hugging Face several times a day, arXiv once a day after its announcement.
 * A job that fails is logged and tried again a little later; it never stops the bot or the other job.
 */
export function startIngestJobs(deps: IngestJobsDeps): IngestJobs {
  const { config, log } = deps;
  const retryDelayMs = deps.retryDelayMs ?? 20 * 60_000;
  const maxRetries = deps.maxRetries ?? 3;
  const retries = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<boolean>>();
  let stopped = false;
  const elected = deps.coordinator ? { distributed: true, runCoordinator: deps.coordinator } : {};

  const runHf = () =>
    track(
      run(deps.sources.hf, () => {
        const today = dayOf(deps.clock.now());
        return { from: addDays(today, -config.HF_REFRESH_DAYS), to: today, categories: [] };
      }),
    );
  const runArxiv = () =>
    track(
      run(deps.sources.rss, () => {
        const today = dayOf(deps.clock.now());
        return { from: today, to: today, categories: config.ARXIV_CATEGORIES };
      }),
    );

  const runRefresh = () =>
    track(
      (async () => {
        try {
          const since = new Date(deps.clock.now().getTime() - 365 * 86_400_000);
          const ids = await trackedArxivIds(deps.db, since, REFRESHED_AT_MOST);
          if (ids.length === 0) return true;
          const { papers, skipped } = await deps.sources.arxiv.lookup(ids);
          const counts = await upsertPapers(deps.db, papers);
          countPapers('arxiv-refresh', counts);
          log.info(
            { source: 'arxiv-refresh', asked: ids.length, ...counts, skipped: skipped.length },
            'ingest run',
          );
          return true;
        } catch (err) {
          log.warn(
            { source: 'arxiv-refresh', error: err instanceof Error ? err.message : String(err) },
            'ingest run failed',
          );
          return false;
        }
      })(),
    );

  function countPapers(run: string, counts: UpsertCounts): void {
    for (const [outcome, n] of Object.entries(counts)) papersIngested.inc({ run, outcome }, n);
  }

  function track(job: Promise<boolean>): Promise<boolean> {
    running.add(job);
    return job.finally(() => running.delete(job));
  }

  async function run(source: PaperSource, request: () => IngestRequest, attempt = 0): Promise<boolean> {
    let failure: string | undefined;
    try {
      const units = source.plan(request());
      const summary = await ingestUnitsOf(deps.db, source, units, {
        today: dayOf(deps.clock.now()),
        force: true,
      });
      const skipped = [...summary.skippedItems.values()].reduce((a, b) => a + b, 0);
      countPapers(source.name, summary.counts);
      log.info({ source: source.name, ...summary.counts, skipped, failed: summary.failed }, 'ingest run');
      if (summary.failed.length > 0) failure = summary.failed.map((f) => `${f.unit}: ${f.reason}`).join('; ');
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
    if (failure === undefined) return true;
    const retry = attempt < maxRetries && !stopped;
    log.warn(
      { source: source.name, error: failure, retryInMs: retry ? retryDelayMs : null },
      'ingest run failed',
    );
    if (retry) {
      const timer = setTimeout(() => {
        retries.delete(timer);
        void track(run(source, request, attempt + 1));
      }, retryDelayMs);
      timer.unref();
      retries.add(timer);
    }
    return false;
  }

  const tasks: ScheduledTask[] = [
    cron.schedule(config.INGEST_HF_CRON, () => runHf(), {
      name: 'ingest-hf',
      noOverlap: true,
      ...elected,
      timezone: 'UTC',
    }),
    cron.schedule(config.INGEST_ARXIV_CRON, () => runArxiv(), {
      name: 'ingest-arxiv',
      noOverlap: true,
      ...elected,
      timezone: config.INGEST_ARXIV_TIMEZONE,
    }),
    cron.schedule(config.INGEST_REFRESH_CRON, () => runRefresh(), {
      name: 'ingest-refresh',
      noOverlap: true,
      ...elected,
      timezone: 'UTC',
    }),
  ];
  log.info(
    { hf: config.INGEST_HF_CRON, arxiv: config.INGEST_ARXIV_CRON, categories: config.ARXIV_CATEGORIES },
    'scheduled ingestion on',
  );

  return {
    runHf,
    runArxiv,
    runRefresh,
    async stop() {
      stopped = true;
      for (const timer of retries) clearTimeout(timer);
      retries.clear();
      for (const task of tasks) await task.destroy();
      await Promise.allSettled([...running]);
    },
  };
}
