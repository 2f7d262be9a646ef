import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { CoreDeps } from '../../src/commands/define.js';
import type { PaperInput } from '../../src/domain/paper-input.js';
import type { ChatAdapter, Clock, InboundHandlers } from '../../src/domain/ports.js';
import type { ChannelRef } from '../../src/domain/types.js';
import { ingestFile } from '../../src/ingest/ingest-file.js';
import { createLogger } from '../../src/log.js';
import { SAMPLE_PAPERS_FILE } from '../../src/main.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import { libraryResolver } from '../../src/shares/share.js';
import { DEFAULT_DOWNVOTE_EMOJI, DEFAULT_UPVOTE_EMOJI, emojiWeights } from '../../src/votes/emoji.js';
import type { MemoryAdapter } from '../fakes/memory-adapter.js';

/** Core dependencies over a test database, with the default vote emoji and a silent log. */
export function testCoreDeps(db: Db, overrides: Partial<CoreDeps> = {}): CoreDeps {
  return {
    db,
    log: createLogger('silent'),
    clock: { now: () => new Date() },
    instanceId: randomUUID(),
    voteWeights: emojiWeights(DEFAULT_UPVOTE_EMOJI, DEFAULT_DOWNVOTE_EMOJI),
    searchPageSize: 5,
    resolver: libraryResolver(db),
    ...overrides,
  };
}

/** A clock that stands still until moved. */
export function fakeClock(start: Date): Clock & { set(at: Date): void; advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (at) => {
      now = at;
    },
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

/**
 * A door's core and scheduler on one clock that stands still until a test moves it: `tickAt` moves it
 * and runs the minute's tick there.
 */
export function scheduledCore(db: Db): {
  deps: CoreDeps;
  tickAt(adapter: ChatAdapter, at: Date): Promise<void>;
} {
  const clock = fakeClock(new Date());
  const deps = testCoreDeps(db, { clock });
  return {
    deps,
    async tickAt(adapter, at) {
      clock.set(at);
      const scheduler = new Scheduler({
        db,
        log: deps.log,
        clock,
        instanceId: deps.instanceId,
        adapters: [adapter],
        catchUpMs: 3 * 3_600_000,
      });
      await scheduler.tick(at);
    },
  };
}

/** Ingests the sample papers bundled with the bot (30 real Hugging Face daily papers). */
export async function seedSamplePapers(db: Db): Promise<void> {
  await ingestFile(db, SAMPLE_PAPERS_FILE);
}

/**
 * Sends `/papers <text>` through the core's handlers as `user` in `channel` of the console workspace; the
 * answer is kept by `adapter`.
 */
export async function sendCommand(
  handlers: InboundHandlers,
  adapter: MemoryAdapter,
  text: string,
  options: { user?: string; admin?: boolean; channel?: string } = {},
): Promise<void> {
  const channel: ChannelRef = {
    platform: 'console',
    workspaceId: 'console',
    channelId: options.channel ?? 'papers',
  };
  const user = { id: options.user ?? 'ada', name: options.user ?? 'ada', isAdmin: options.admin ?? true };
  const ref = { id: `c-${Math.random()}`, channel, user, respond: adapter.responder(channel) };
  await handlers.command({ ref, channel, user, input: { kind: 'text', text } });
}

/** A paper row for tests: only what the test cares about, the rest filled in. */
export function paperInput(id: string, fields: Partial<PaperInput> = {}): PaperInput {
  return {
    id,
    arxivId: /^\d{4}\.\d{4,5}$/.test(id) ? id : null,
    version: null,
    title: `Paper ${id}`,
    abstract: `An abstract about ${id}.`,
    authors: ['A. Author'],
    categories: [],
    publishedAt: null,
    url: null,
    pdfUrl: null,
    thumbnail: null,
    hfUpvotes: null,
    hfComments: null,
    hfFeaturedAt: null,
    aiSummary: null,
    keywords: [],
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    arxivComment: null,
    source: 'test',
    ...fields,
  };
}
