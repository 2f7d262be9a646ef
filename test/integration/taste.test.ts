import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channels } from '../../db/schema.js';
import { createHandlers } from '../../src/commands/handlers.js';
import type { InboundHandlers } from '../../src/domain/ports.js';
import type { ChannelRef } from '../../src/domain/types.js';
import { upsertPapers } from '../../src/search/store.js';
import { MemoryAdapter } from '../fakes/memory-adapter.js';
import { fakeClock, paperInput, sendCommand, testCoreDeps } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const NOW = new Date('2026-11-26T10:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const channel: ChannelRef = { platform: 'console', workspaceId: 'console', channelId: 'papers' };

const METHODS = ['equivariant', 'diffusion', 'language', 'contact', 'template', 'evolutionary', 'sparse'];
/** Papers about one subject, in words a folding lab would use, none of them popular on HF. */
const protein = (i: number, featured: Date) =>
  paperInput(`2611.001${i.toString().padStart(2, '0')}`, {
    title: `Protein structure prediction with ${METHODS[i % METHODS.length]} models of residues`,
    abstract: `We predict protein tertiary structure from amino acid sequences: residues, backbone torsion angles and side chains are folded by ${METHODS[(i + 3) % METHODS.length]} networks trained on crystal structures.`,
    hfUpvotes: 1 + i,
    hfFeaturedAt: featured,
  });
const OTHER = [
  'Reasoning benchmarks for chat assistants',
  'Image generation with latent flow matching',
  'Speech recognition for low-resource languages',
  'Reinforcement learning for robot grasping',
  'Retrieval augmented question answering',
  'Video captioning with multimodal transformers',
  'Federated optimisation under client drift',
  'Graph neural networks for traffic forecasting',
  'Code generation agents in repositories',
  'Tabular anomaly detection at scale',
];
/** Popular papers about everything else. */
const other = (i: number, featured: Date) =>
  paperInput(`2611.002${i.toString().padStart(2, '0')}`, {
    title: OTHER[i % OTHER.length]!,
    abstract: `${OTHER[i % OTHER.length]}: a study of ${OTHER[(i + 5) % OTHER.length]!.toLowerCase()} and its evaluation on standard benchmarks, with ablations.`,
    hfUpvotes: 100 + 10 * i,
    hfFeaturedAt: featured,
  });

describe("the team's taste, similar papers and followed authors", () => {
  let database: TestDatabase;
  let adapter: MemoryAdapter;
  let handlers: InboundHandlers;

  beforeEach(async () => {
    database = await createTestDatabase();
    adapter = new MemoryAdapter();
    handlers = createHandlers(testCoreDeps(database.db, { clock: fakeClock(NOW) }), adapter);
    await upsertPapers(database.db, [
      // Read last week: the team shared and voted on some of these.
      ...[0, 1, 2, 3, 4, 5].map((i) => protein(i, daysAgo(8))),
      ...[0, 1, 2, 3].map((i) => other(i, daysAgo(8))),
      // Today's candidates: popular papers about other things, and a few quiet ones about proteins.
      ...[6, 7, 8].map((i) => protein(10 + i, daysAgo(1))),
      ...[4, 5, 6, 7, 8, 9].map((i) => other(10 + i, daysAgo(1))),
    ]);
  });
  afterEach(() => database.destroy());

  const say = async (text: string, options: { user?: string; admin?: boolean } = {}) => {
    await sendCommand(handlers, adapter, text, options);
    return adapter.responses().at(-1) ?? '';
  };
  /** Shares a paper and has `voters` upvote its card. */
  const shareAndVote = async (id: string, voters: string[]) => {
    await say(`share ${id}`);
    const card = adapter.delivered.filter((d) => d.kind === 'post').at(-1)!;
    for (const voter of voters) {
      await handlers.reaction({
        action: 'added',
        message: { channel, messageId: card.messageId },
        user: { id: voter, isAdmin: false },
        emoji: '+1',
      });
    }
  };
  /** The papers of today's digest, with why each was chosen. */
  const digest = async () => {
    const from = adapter.delivered.length;
    await say('digest');
    return adapter.delivered
      .slice(from)
      .flatMap((d) => (d.message.kind === 'paper' && d.kind === 'reply' ? [d.message] : []))
      .map((m) => ({ title: m.paper.title, why: m.reason ?? '' }));
  };
  /** The papers of the last results the person was shown: title, why and the team's votes. */
  const shown = async (text: string, options: { user?: string } = {}) => {
    await say(text, options);
    const last = adapter.delivered.at(-1);
    expect(last?.kind === 'response' && last.private).toBe(true);
    const message = last?.message;
    if (message?.kind !== 'search-results') throw new Error(`no results: ${adapter.responses().at(-1)}`);
    return {
      query: message.query,
      hits: message.hits.map((h) => ({ title: h.paper.title, why: h.why, votes: h.teamVotes })),
    };
  };
  const stored = async () => (await database.db.select().from(channels))[0];

  it('gives the places the channel allows to what the team voted for, says why, and stays silent below 5 votes', async () => {
    for (const i of [0, 1, 2, 3]) await shareAndVote(`2611.0010${i}`, ['alice']);
    const cold = await digest();
    expect(cold.map((p) => p.why)).toEqual([
      '▲ 290 upvotes on HF',
      '▲ 280 upvotes on HF',
      '▲ 270 upvotes on HF',
      '▲ 260 upvotes on HF',
      '▲ 250 upvotes on HF',
    ]);
  });

  it('fills at most the taste places with papers like the voted ones, never all, and says which votes they are like', async () => {
    for (const i of [0, 1, 2]) await shareAndVote(`2611.0010${i}`, ['alice', 'bob']);
    for (const i of [3, 4]) await shareAndVote(`2611.0010${i}`, ['carol']);
    await shareAndVote('2611.00200', []);
    const chosen = await digest();
    expect(chosen).toHaveLength(5);
    const byTaste = chosen.filter((p) => /team voted for/.test(p.why));
    expect(byTaste).toHaveLength(2);
    for (const p of byTaste) {
      expect(p.title).toMatch(/^Protein structure prediction/);
      expect(p.why).toMatch(/like “Protein structure prediction with [^”]+” and \d+ more the team voted for/);
    }
    expect(chosen.filter((p) => !/team voted for/.test(p.why)).map((p) => p.why)).toEqual([
      '▲ 290 upvotes on HF',
      '▲ 280 upvotes on HF',
      '▲ 270 upvotes on HF',
    ]);
  });

  it('lets admins set the taste places from off to all but one, and refuses the rest without a change', async () => {
    expect(await say('taste off')).toBe("The team's taste no longer chooses papers for the digest.");
    expect((await stored())?.tasteSlots).toBe(0);
    const before = await stored();
    expect(await say('taste 20')).toMatch(/from 0 to 19, or off, e\.g\. `\/papers taste 2` \(got "20"\)/);
    expect(await say('taste 3', { admin: false })).toMatch(/^Only admins/);
    expect(await stored()).toEqual(before);

    for (const i of [0, 1, 2]) await shareAndVote(`2611.0010${i}`, ['alice', 'bob']);
    expect((await digest()).filter((p) => /team voted for/.test(p.why))).toEqual([]);
  });

  it('answers similar with the nearest papers and the words they share, in the order asked', async () => {
    await shareAndVote('2611.00104', ['alice', 'bob']);
    const nearest = await shown('similar 2611.00100');
    expect(nearest.query).toBe('papers like “Protein structure prediction with equivariant models of r…”');
    expect(nearest.hits).toHaveLength(5);
    for (const hit of nearest.hits) {
      expect(hit.title).toMatch(/^Protein structure prediction/);
      expect(hit.why).toMatch(/^shares [a-z]+, [a-z]+, [a-z]+$/);
    }
    const byVotes = await shown('similar https://arxiv.org/abs/2611.00100 sort:votes');
    expect(byVotes.hits[0]).toMatchObject({
      title: 'Protein structure prediction with template models of residues',
      votes: 2,
    });
    expect(byVotes.hits.map((h) => h.title).sort()).toEqual(nearest.hits.map((h) => h.title).sort());
  });

  it('gives a person their own matches from their votes, and tells who has too few what to do', async () => {
    expect(await say('for-me', { user: 'alice' })).toBe(
      'Your picks come from your votes: vote on at least 5 papers (you have 0) by reacting to the ones the bot posts, then ask again.',
    );
    for (const i of [0, 1, 2, 3, 4]) await shareAndVote(`2611.0010${i}`, ['alice']);
    const mine = await shown('for-me', { user: 'alice' });
    expect(mine.hits[0]?.title).toMatch(/^Protein structure prediction/);
    expect(mine.hits[0]?.why).toMatch(/^like “Protein structure prediction/);
    // Only papers she has not voted on.
    expect(mine.hits.map((h) => h.title)).not.toContain(
      'Protein structure prediction with equivariant models of residues',
    );
  });

  it('refuses a similar it cannot answer with a reason', async () => {
    await upsertPapers(database.db, [paperInput('2611.00300', { title: 'Only a title', abstract: '' })]);
    expect(await say('similar 2611.99999')).toMatch(/^I don't know the paper "2611\.99999"/);
    expect(await say('similar 2611.00300')).toMatch(
      /^“Only a title” has no abstract in the library, so there is too little to compare it by/,
    );
    expect(await say('similar')).toMatch(/^Similar to what\? Give an arXiv id or link/);
    expect(await say('similar 2611.00100 sort:size')).toMatch(/"sort:size" is not an order/);
  });

  it('pins the papers of a followed author, matching names as search does, and lists the follows', async () => {
    await upsertPapers(database.db, [
      paperInput('2611.00400', {
        title: 'A quiet paper',
        authors: ['Søren Łukasiewicz', 'B. Other'],
        hfUpvotes: 0,
        hfFeaturedAt: daysAgo(1),
      }),
    ]);
    expect(await say('follow author:"Soren Lukasiewicz"')).toBe(
      'Following "author:Soren Lukasiewicz": their new papers are pinned at the top of the digest.',
    );
    expect(await say('settings')).toContain('• Following: "author:Soren Lukasiewicz"');
    const [first] = await digest();
    expect(first).toEqual({ title: 'A quiet paper', why: 'by Søren Łukasiewicz (followed)' });
    expect(await say('unfollow author:"soren lukasiewicz"')).toBe('Unfollowed "author:Soren Lukasiewicz".');
  });

  it('refuses a follow with no name, and more than 50 follows, changing nothing', async () => {
    expect(await say('follow author:')).toBe(
      '`author:` needs a name after it, e.g. `/papers follow author:"Yann LeCun"`.',
    );
    for (let i = 0; i < 50; i += 1) await say(`follow topic${i}`);
    const before = await stored();
    expect(before?.follows).toHaveLength(50);
    expect(await say('follow author:"Yann LeCun"')).toBe(
      'This channel already has 50 follows, the most it can: `/papers unfollow` some first (`/papers settings` lists them).',
    );
    expect(await stored()).toEqual(before);
  });
});
