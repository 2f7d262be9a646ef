import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { createHandlers } from '../../src/commands/handlers.js';
import { normalisePaper } from '../../src/domain/paper-input.js';
import type { ChatAdapter, InboundHandlers } from '../../src/domain/ports.js';
import type { ChannelRef, MessageRef, OutboundMessage } from '../../src/domain/types.js';
import { createLogger } from '../../src/log.js';
import { upsertPapers } from '../../src/search/store.js';
import { libraryResolver } from '../../src/shares/share.js';
import { emojiWeights } from '../../src/votes/emoji.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

/** How many rows each table holds. */
async function tableCounts(database: TestDatabase): Promise<Record<string, number>> {
  const tables = await queryRows<{ name: string }>(
    database.db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from ${sql.identifier(name)}`,
    );
    counts[name] = row?.n ?? 0;
  }
  return counts;
}

/** An adapter that keeps what the core answered, as a person on a platform would see it. */
class RecordingAdapter implements ChatAdapter {
  readonly platform = 'console' as const;
  readonly responses: { message: OutboundMessage; private: boolean }[] = [];
  async start(_handlers: InboundHandlers): Promise<void> {}
  async stop(): Promise<void> {}
  async post(channel: ChannelRef, _message: OutboundMessage): Promise<MessageRef> {
    return { channel, messageId: String(this.responses.length) };
  }
  async reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    return this.post(thread.channel, message);
  }
  readonly respond = async (message: OutboundMessage, opts: { private: boolean }) => {
    this.responses.push({ message, private: opts.private });
  };
}

const channel: ChannelRef = { platform: 'console', workspaceId: 'console', channelId: 'papers' };
const user = { id: 'u1', name: 'ada', isAdmin: false };

describe('/papers search through the router', () => {
  let database: TestDatabase;
  let adapter: RecordingAdapter;
  let handlers: InboundHandlers;

  const run = async (text: string) => {
    const ref = { id: text, channel, user, respond: adapter.respond };
    await handlers.command({ ref, channel, user, input: { kind: 'text', text } });
    return adapter.responses.at(-1) ?? expect.unreachable('no answer');
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await upsertPapers(
      database.db,
      Array.from({ length: 7 }, (_, i) =>
        normalisePaper({
          title: `Sparse attention for long context, part ${i + 1}`,
          abstract: `Part ${i + 1} of a study of sparse attention over long context windows.`,
          source: 'test',
        }),
      ),
    );
    adapter = new RecordingAdapter();
    handlers = createHandlers(
      {
        db: database.db,
        log: createLogger('silent'),
        clock: { now: () => new Date('2026-11-26T10:00:00Z') },
        instanceId: 'test',
        voteWeights: emojiWeights(['+1'], ['-1']),
        searchPageSize: 5,
        resolver: libraryResolver(database.db),
      },
      adapter,
    );
  });
  afterAll(() => database.destroy());

  it('shows five hits only to the searcher, with next-page and share buttons', async () => {
    const { message, private: isPrivate } = await run('search sparse attention');
    expect(isPrivate).toBe(true);
    if (message.kind !== 'search-results') return expect.unreachable(message.kind);
    expect(message.hits).toHaveLength(5);
    expect(message.total).toBe(7);
    expect(message.buttons.map((b) => b.command)).toContain('search sparse attention page:2');
    expect(message.buttons.filter((b) => b.command.startsWith('share '))).toHaveLength(5);
  });

  it('shares a paper without an arXiv id by the library id its Share button carries', async () => {
    const { message } = await run('search sparse attention part 3');
    if (message.kind !== 'search-results') return expect.unreachable(message.kind);
    const share = message.buttons.find((b) => b.command.startsWith('share '))!;
    expect(share.command).not.toMatch(/\d{4}\.\d{4,5}/);
    const answer = await run(share.command);
    expect(answer.message.kind === 'text' && answer.message.text).toBe(`Shared ${share.command.slice(6)}.`);
  });

  it('pages forward and back with the commands the buttons carry', async () => {
    const { message } = await run('search sparse attention page:2');
    if (message.kind !== 'search-results') return expect.unreachable(message.kind);
    expect(message.offset).toBe(5);
    expect(message.hits).toHaveLength(2);
    expect(message.buttons.map((b) => b.command)).toContain('search sparse attention page:1');
    expect(message.buttons.some((b) => b.command.includes('page:3'))).toBe(false);
  });

  it('explains the query language under /papers help search', async () => {
    const { message } = await run('help search');
    expect(message.kind === 'text' && message.text).toMatch(/author:.*cat:cs\.CL/s);
  });

  it('answers bad input privately with what was wrong and what would work', async () => {
    const { message, private: isPrivate } = await run('search attention since:yesterday-ish');
    expect(isPrivate).toBe(true);
    expect(message.kind === 'text' && message.text).toMatch(/not a date.*since:7d/s);
    const empty = await run('search ?!');
    expect(empty.message.kind === 'text' && empty.message.text).toMatch(/no words to search for/);
  });

  it('answers hostile input quickly and clearly, and changes nothing', async () => {
    const before = await tableCounts(database);
    const cases: [string, RegExp][] = [
      [`search ${'sparse attention '.repeat(6000).slice(0, 100_000)}`, /^Results|"sparse attention sparse/],
      [`search ${'a'.repeat(100_000)}`, /no words to search for\. I left out a word longer than 40 letters/],
      ['search spar\u0000se \u001b[31mattention\u0007', /^(?!.*\p{Cc}).*"spar se \[31mattention"/su],
      ['search \ud800sparse \udc00attention', /"\uFFFDsparse \uFFFDattention"/],
      [`search ${'"'.repeat(500)}`, /no words to search for/],
      [`search ${'('.repeat(250)}attention${')'.repeat(250)}`, /"\(\(\(/],
      [
        `search ${Array.from({ length: 1000 }, (_, i) => `author:name${i}`).join(' ')}`,
        /at most 10 `author:` filters; this one has 1000/,
      ],
      [
        `search ${Array.from({ length: 50 }, (_, i) => `cat:cs.${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`).join(' ')}`,
        /at most 10 `cat:` filters/,
      ],
      ['search aaaaaaaaaaaaaaaaaaaaaaaaa', /No paper contains “aaaaaaaaaaaaaaaaaaaaaaaaa”/],
    ];
    for (const [text, expected] of cases) {
      const started = performance.now();
      const { message, private: isPrivate } = await run(text);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(isPrivate).toBe(true);
      const shown =
        message.kind === 'text'
          ? message.text
          : message.kind === 'search-results'
            ? `Results "${message.query}"`
            : '';
      expect(shown).toMatch(expected);
      // Nothing pasted comes back whole.
      expect(shown.length).toBeLessThan(600);
    }
    expect(await tableCounts(database)).toEqual(before);
  });

  it('says when nothing matches and offers the closest titles', async () => {
    const { message } = await run('search sparseattention longcontext');
    expect(message.kind === 'text' && message.text).toMatch(
      /No papers match "sparseattention longcontext"[\s\S]*Closest titles:\n• Sparse attention for long context/,
    );
    const none = await run('search xqzvw');
    expect(none.message.kind === 'text' && none.message.text).toMatch(/No papers match "xqzvw"/);
  });
});
