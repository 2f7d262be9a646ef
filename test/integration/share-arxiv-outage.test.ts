import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/commands/handlers.js';
import type { Logger } from '../../src/domain/log.js';
import type { InboundHandlers } from '../../src/domain/ports.js';
import { createLogger } from '../../src/log.js';
import { upsertPapers } from '../../src/search/store.js';
import { arxivResolver } from '../../src/shares/share.js';
import { createSources } from '../../src/sources/sources.js';
import { MemoryAdapter } from '../fakes/memory-adapter.js';
import { FakeSourceServer } from '../fakes/source-server.js';
import { paperInput, sendCommand, testCoreDeps } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const channel = { platform: 'console', workspaceId: 'console', channelId: 'papers' } as const;

/** A logger that keeps what would reach the console (warnings and worse). */
function capturingLogger(): { log: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const log = createLogger('silent');
  const keep = (line: string) => () => warnings.push(line);
  return {
    warnings,
    log: Object.assign(Object.create(log), {
      warn: keep('warn'),
      error: keep('error'),
      fatal: keep('fatal'),
      child: () => log,
    }) as Logger,
  };
}

describe('sharing while arXiv is down', () => {
  let database: TestDatabase;
  let fake: FakeSourceServer;
  let adapter: MemoryAdapter;
  let handlers: InboundHandlers;
  let warnings: string[];

  beforeEach(async () => {
    database = await createTestDatabase();
    fake = (await FakeSourceServer.start()).script('/api/query', [{ status: 503, body: 'down' }]);
    const sources = createSources(
      {
        HF_API_URL: `${fake.url}/api`,
        ARXIV_API_URL: `${fake.url}/api/query`,
        ARXIV_RSS_URL: `${fake.url}/rss`,
      },
      { http: { retries: 1, backoffMs: 5, timeoutMs: 2_000 }, arxivSpacingMs: 0, hfSpacingMs: 0 },
    );
    const logged = capturingLogger();
    warnings = logged.warnings;
    adapter = new MemoryAdapter();
    handlers = createHandlers(
      testCoreDeps(database.db, {
        log: logged.log,
        resolver: arxivResolver(database.db, sources.arxiv, logged.log),
      }),
      adapter,
    );
  });
  afterEach(async () => {
    await fake.close();
    await database.destroy();
  });

  const lastText = () => {
    const message = adapter.delivered.at(-1)?.message;
    return message?.kind === 'text' ? message.text : undefined;
  };

  it('says in one line that arXiv could not be reached, not that the paper does not exist', async () => {
    await sendCommand(handlers, adapter, 'share 2401.12345');
    expect(fake.requestsTo('/api/query').length).toBeGreaterThan(0);
    expect(lastText()).toBe(
      "arXiv could not be reached just now, so I couldn't look up 2401.12345: try again in a few minutes.",
    );
    expect(warnings).toEqual([]);
  });

  it('still shares what the library holds, and names what it could not look up', async () => {
    await upsertPapers(database.db, [paperInput('2611.00001', { title: 'Held' })]);
    await sendCommand(handlers, adapter, 'share 2611.00001 https://arxiv.org/abs/2401.12345');
    expect(adapter.delivered.some((d) => d.message.kind === 'paper')).toBe(true);
    expect(lastText()).toBe(
      "Shared 2611.00001.\narXiv could not be reached just now, so I couldn't look up 2401.12345: try again in a few minutes.",
    );
  });

  it('answers a pasted link the same way in its thread', async () => {
    await handlers.message!({
      message: { channel, messageId: 'msg-1' },
      user: { id: 'alice', name: 'alice', isAdmin: false },
      text: 'worth a read: https://arxiv.org/abs/2401.12345',
    });
    expect(lastText()).toBe(
      "arXiv could not be reached just now, so I couldn't look up 2401.12345: share it again in a few minutes.",
    );
  });
});
