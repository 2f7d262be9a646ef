import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/commands/handlers.js';
import { MessageGoneError } from '../../src/domain/errors.js';
import type { InboundHandlers } from '../../src/domain/ports.js';
import type { MessageRef, OutboundMessage } from '../../src/domain/types.js';
import { createLogger } from '../../src/log.js';
import { registry } from '../../src/ops/metrics.js';
import { startIngestJobs } from '../../src/schedule/ingest-jobs.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import { upsertPapers } from '../../src/search/store.js';
import { parseArxivAtom } from '../../src/sources/arxiv-atom.js';
import { createSources } from '../../src/sources/sources.js';
import { type Delivered, MemoryAdapter } from '../fakes/memory-adapter.js';
import { atomFeed, recordedAtomEntries, recordedHfItems } from '../fakes/source-payloads.js';
import { atom, FakeSourceServer, json } from '../fakes/source-server.js';
import { fakeClock, sendCommand, testCoreDeps } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

/** A platform on which the first message of a thread can be deleted. */
class DeletingAdapter extends MemoryAdapter {
  readonly deleted = new Set<string>();
  override async reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    if (this.deleted.has(thread.threadId ?? thread.messageId)) throw new MessageGoneError();
    return super.reply(thread, message);
  }
}

const entry = recordedAtomEntries().find((e) => e.includes('2606.13591'))!;
/** The same paper as arXiv lists it after its authors sent a second version, with a link to their code. */
const secondVersion = entry
  .replaceAll('2606.13591v1', '2606.13591v2')
  .replace(
    /<arxiv:comment>[^<]*<\/arxiv:comment>/,
    '<arxiv:comment>Accepted at ICML 2026; code at https://github.com/aelahi/mas-confidence.</arxiv:comment>',
  );

describe('alerts in a paper’s own thread', () => {
  let database: TestDatabase;
  let server: FakeSourceServer;
  let adapter: DeletingAdapter;
  let handlers: InboundHandlers;
  const clock = fakeClock(new Date('2026-06-15T10:00:00Z'));

  beforeEach(async () => {
    database = await createTestDatabase();
    server = await FakeSourceServer.start();
    server.script('/api/query', [atom(atomFeed([secondVersion]))]);
    adapter = new DeletingAdapter();
    clock.set(new Date('2026-06-15T10:00:00Z'));
    handlers = createHandlers(testCoreDeps(database.db, { clock }), adapter);
    await upsertPapers(database.db, parseArxivAtom(atomFeed([entry])).papers);
  });
  afterEach(async () => {
    await server.close();
    await database.destroy();
  });

  /** Runs one of the ingest jobs once, as its cron would. */
  const runJob = (job: 'runRefresh' | 'runHf') => {
    const sources = createSources(
      {
        HF_API_URL: `${server.url}/hf`,
        ARXIV_API_URL: `${server.url}/api/query`,
        ARXIV_RSS_URL: `${server.url}/rss`,
      },
      { http: { retries: 0, timeoutMs: 2_000 }, arxivSpacingMs: 0, hfSpacingMs: 0 },
    );
    const jobs = startIngestJobs({
      db: database.db,
      log: createLogger('silent'),
      sources,
      clock,
      config: {
        ARXIV_CATEGORIES: ['cs.AI'],
        INGEST_HF_CRON: '0 0 1 1 *',
        INGEST_ARXIV_CRON: '0 0 1 1 *',
        INGEST_ARXIV_TIMEZONE: 'UTC',
        HF_REFRESH_DAYS: 0,
        INGEST_REFRESH_CRON: '0 0 1 1 *',
      },
    });
    return jobs[job]().finally(() => jobs.stop());
  };
  const refresh = () => runJob('runRefresh');
  /** One process of the bot ticking its scheduler (a new one after a restart). */
  const tick = () =>
    new Scheduler({
      db: database.db,
      log: createLogger('silent'),
      clock,
      instanceId: `instance-${Math.random()}`,
      adapters: [adapter],
      catchUpMs: 3_600_000,
    }).tick();
  const alerts = (from = 0) =>
    adapter.delivered
      .slice(from)
      .filter((d) => d.kind !== 'response')
      .map((d: Delivered) => ({
        kind: d.kind,
        threadId: d.threadId,
        text: d.message.kind === 'text' ? d.message.text : d.message.kind,
      }));

  it('announces a new version and code once each, in the share’s thread, across a restart', async () => {
    await sendCommand(handlers, adapter, 'share 2606.13591');
    const card = adapter.delivered.find((d) => d.kind === 'post');
    expect(card?.message.kind).toBe('paper');
    const from = adapter.delivered.length;
    clock.set(new Date('2026-06-16T06:00:00Z'));
    await refresh();
    expect(server.requestsTo('/api/query').at(-1)?.query.get('id_list')).toBe('2606.13591');
    await tick();
    expect(alerts(from)).toEqual([
      {
        kind: 'reply',
        threadId: card?.messageId,
        text: 'v2 is out — comments: Accepted at ICML 2026; code at https://github.com/aelahi/mas-confidence.',
      },
      {
        kind: 'reply',
        threadId: card?.messageId,
        text: 'code released: https://github.com/aelahi/mas-confidence',
      },
    ]);
    // The next tick, a restart, and a refresh that brings nothing new: no second announcement.
    await tick();
    await refresh();
    await tick();
    expect(alerts(from)).toHaveLength(2);
  });

  it('announces a version when it appears and code when Hugging Face later links it, each once across a restart', async () => {
    const plainSecond = secondVersion.replace(
      /<arxiv:comment>[^<]*<\/arxiv:comment>/,
      '<arxiv:comment>Accepted at ICML 2026</arxiv:comment>',
    );
    server.script('/api/query', [atom(atomFeed([plainSecond]))]);
    const [hfItem] = recordedHfItems();
    const paper = { ...(hfItem?.paper as Record<string, unknown>), id: '2606.13591' };
    server.script('/hf/daily_papers', [
      json([{ ...hfItem, paper: { ...paper, githubRepo: 'https://github.com/aelahi/mac' } }]),
    ]);
    const counted = async (name: string, labels: string) =>
      Number(new RegExp(`^${name}\\{${labels}\\} (\\d+)`, 'm').exec(await registry.metrics())?.[1] ?? 0);
    const refreshedBefore = await counted('papers_ingested_total', 'run="arxiv-refresh",outcome="updated"');
    const asksBefore = await counted('papers_source_fetches_total', 'source="arxiv",outcome="ok"');

    await sendCommand(handlers, adapter, 'share 2606.13591');
    const card = adapter.delivered.find((d) => d.kind === 'post');
    const from = adapter.delivered.length;
    clock.set(new Date('2026-06-16T06:00:00Z'));
    await refresh();
    await tick();
    expect(alerts(from)).toEqual([
      { kind: 'reply', threadId: card?.messageId, text: 'v2 is out — comments: Accepted at ICML 2026' },
    ]);
    expect(await counted('papers_ingested_total', 'run="arxiv-refresh",outcome="updated"')).toBe(
      refreshedBefore + 1,
    );
    expect(await counted('papers_source_fetches_total', 'source="arxiv",outcome="ok"')).toBe(asksBefore + 1);

    clock.set(new Date('2026-06-17T06:00:00Z'));
    await runJob('runHf');
    await tick();
    expect(alerts(from).slice(1)).toEqual([
      { kind: 'reply', threadId: card?.messageId, text: 'code released: https://github.com/aelahi/mac' },
    ]);

    // Restarted, with both upstreams saying the same again: nothing is announced twice.
    await refresh();
    await runJob('runHf');
    await tick();
    await tick();
    expect(alerts(from)).toHaveLength(2);
  });

  it('leaves alone papers nobody cares about, and says it in the channel when the first message is gone', async () => {
    // Posted in a digest, and nobody voted: the refresh does not even ask arXiv about it.
    await sendCommand(handlers, adapter, 'digest');
    clock.set(new Date('2026-06-16T06:00:00Z'));
    await refresh();
    await tick();
    expect(server.requestsTo('/api/query')).toEqual([]);
    expect(alerts().filter((a) => /is out|code released/.test(a.text))).toEqual([]);

    // Shared: now it counts. Its first message here (the digest's) is deleted meanwhile.
    await sendCommand(handlers, adapter, 'share 2606.13591');
    const digest = adapter.delivered.find((d) => d.message.kind === 'digest-header')!;
    adapter.deleted.add(digest.messageId);
    clock.set(new Date('2026-06-17T06:00:00Z'));
    await refresh();
    const from = adapter.delivered.length;
    await tick();
    expect(alerts(from).map((a) => [a.kind, a.text])).toEqual([
      [
        'post',
        expect.stringMatching(
          /^“Multiagent Protocols with Aggregated Confidence Signals” \(https:\/\/arxiv\.org\/abs\/2606\.13591\): v2 is out/,
        ),
      ],
      ['post', expect.stringMatching(/: code released: https:\/\/github\.com\/aelahi\/mas-confidence$/)],
    ]);
  });
});
