import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Every metric the bot exposes on /metrics, in one registry. */
export const registry = new Registry();
// The process's own (papers_process_cpu_seconds_total, papers_nodejs_heap_size_used_bytes, …).
collectDefaultMetrics({ register: registry, prefix: 'papers_' });

export const digestsPosted = new Counter({
  name: 'papers_digests_posted_total',
  help: 'Digest threads completed (parent and every reply posted).',
  registers: [registry],
});

export const repliesPosted = new Counter({
  name: 'papers_replies_posted_total',
  help: 'Paper replies posted into digest threads.',
  registers: [registry],
});

export const votesRecorded = new Counter({
  name: 'papers_votes_recorded_total',
  help: 'Reactions recorded as votes or vote withdrawals, and reactions ignored.',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const searchSeconds = new Histogram({
  name: 'papers_search_duration_seconds',
  help: 'Time to answer a search, database included.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const sourceFetches = new Counter({
  name: 'papers_source_fetches_total',
  help: 'Requests to paper sources (retries included in one), by source and outcome.',
  labelNames: ['source', 'outcome'] as const,
  registers: [registry],
});

export const papersIngested = new Counter({
  name: 'papers_ingested_total',
  help: 'Papers read from a source by the scheduled ingest runs, by run and outcome (new, updated, unchanged).',
  labelNames: ['run', 'outcome'] as const,
  registers: [registry],
});

export const rateLimitWaits = new Counter({
  name: 'papers_rate_limit_waits_total',
  help: 'Times a message or request waited for a rate limit (pacing or a 429).',
  labelNames: ['target'] as const,
  registers: [registry],
});
