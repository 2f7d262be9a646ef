import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, queryRows } from '../../db/client.js';
import type { Workspace } from '../../src/domain/types.js';
import { topPapers } from '../../src/votes/leaderboard.js';
import { seedSamplePapers } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

/** One message the bot sent, as the fake platform received it. */
export interface SentMessage {
  /**
   * `update`: an earlier message changed (counts, a closed ballot); its messageId is that message's.
   * `dm`: a direct message to one person.
   */
  kind: 'post' | 'reply' | 'response' | 'update' | 'dm';
  /** The platform's id for it, as react() takes it. Absent for responses that have none. */
  messageId?: string;
  /** For replies: the id of the message they are threaded under. */
  threadId?: string;
  /** Only the person who ran the command sees it. */
  private: boolean;
  /** All of its text as a person reads it (Block Kit/embeds flattened, fallback text included). */
  text: string;
}

/** A real adapter wired to the core over `db`, driven through its platform's fake. */
export interface AdapterHarness {
  /** The workspace the harness's channel belongs to. */
  workspace: Workspace;
  /**
   * Runs `/papers <text>` as `user` in the harness channel, as one of its admins with `admin`; resolves
   * once every answer has arrived.
   */
  command(text: string, user: string, options?: { admin?: boolean }): Promise<void>;
  /** Adds or removes a reaction (given as a unicode emoji) on a message; resolves once it is handled. */
  react(messageId: string, emoji: string, user: string, action?: 'added' | 'removed'): Promise<void>;
  /** How a member of the workspace is named in typed text on this door, and how the bot shows them. */
  person(user: string): { typed: string; shown: string };
  /** Votes in a ballot the bot posted: its poll, its buttons, or the console's `:vote`. */
  ballotVote(messageId: string, choice: number, user: string): Promise<void>;
  /** Replies in the thread under a message the bot posted. */
  replyInThread(messageId: string, text: string, user: string): Promise<void>;
  /** Moves the bot's clock to `at` and runs the scheduler's tick there, as each minute does. */
  tickAt(at: Date): Promise<void>;
  /** Everything the bot sent so far, oldest first. */
  sent(): SentMessage[];
  close(): Promise<void>;
}

export type HarnessFactory = (db: Db) => Promise<AdapterHarness>;

/** The behaviour every door must show the same way: console, Slack and Discord run this suite. */
export function describeAdapterContract(name: string, makeHarness: HarnessFactory): void {
  describe(`${name} adapter contract`, () => {
    let database: TestDatabase;
    let harness: AdapterHarness;

    beforeEach(async () => {
      database = await createTestDatabase();
      await seedSamplePapers(database.db);
      harness = await makeHarness(database.db);
    });

    afterEach(async () => {
      await harness.close();
      await database.destroy();
    });

    const postsInDb = async () =>
      Number((await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from posts`))[0]?.n);

    it('answers help privately with the usage', async () => {
      await harness.command('help', 'u1');
      const [answer] = harness.sent();
      expect(answer?.private).toBe(true);
      expect(answer?.text).toContain('/papers search');
    });

    it('answers an unknown subcommand with the usage and changes nothing', async () => {
      await harness.command('frobnicate now', 'u1');
      const [answer] = harness.sent();
      expect(answer?.private).toBe(true);
      expect(answer?.text).toContain('frobnicate');
      expect(answer?.text).toContain('/papers search');
      expect(await postsInDb()).toBe(0);
    });

    it('posts a digest as one parent and one threaded reply per paper, once a day', async () => {
      await harness.command('digest', 'u1');
      const parents = harness.sent().filter((m) => m.kind === 'post');
      const replies = harness.sent().filter((m) => m.kind === 'reply');
      expect(parents).toHaveLength(1);
      expect(parents[0]?.text).toMatch(/Trending papers/);
      expect(replies).toHaveLength(5);
      for (const reply of replies) expect(reply.threadId).toBe(parents[0]?.messageId);
      expect(replies[0]?.text).toContain('EvoArena');
      expect(await postsInDb()).toBe(5);

      await harness.command('digest', 'u1');
      expect(harness.sent().filter((m) => m.kind !== 'response')).toHaveLength(6);
      expect(harness.sent().at(-1)?.text).toMatch(/already/);
      expect(await postsInDb()).toBe(5);
    });

    it('counts a reaction on a paper as a vote, each person once, and takes it back on removal', async () => {
      await harness.command('digest', 'u1');
      const [first, second] = harness.sent().filter((m) => m.kind === 'reply');
      const parent = harness.sent().find((m) => m.kind === 'post');
      if (!first?.messageId || !second?.messageId || !parent?.messageId) throw new Error('digest not posted');

      await harness.react(first.messageId, '👍', 'alice');
      await harness.react(first.messageId, '🔥', 'alice');
      await harness.react(first.messageId, '🚀', 'bob');
      await harness.react(second.messageId, '🤔', 'carol');
      await harness.react(parent.messageId, '👍', 'carol');
      let top = await topPapers(database.db, harness.workspace, 'all', new Date());
      expect(top.map((e) => e.votes)).toEqual([2]);

      await harness.command('top', 'u1');
      expect(harness.sent().at(-1)?.text).toMatch(/2 votes/);

      await harness.react(first.messageId, '🚀', 'bob', 'removed');
      top = await topPapers(database.db, harness.workspace, 'all', new Date());
      expect(top.map((e) => e.votes)).toEqual([1]);
    });

    it('runs a reading-group session from its ballot to its notes, each step once', async () => {
      // The Monday after today, so votes cast now fall in the week the ballot counts.
      const monday = new Date();
      monday.setUTCDate(monday.getUTCDate() + ((8 - monday.getUTCDay()) % 7 || 7));
      monday.setUTCHours(10, 0, 0, 0);
      const at = (days: number, time: string) => {
        const [h, m] = time.split(':').map(Number);
        return new Date(monday.getTime() + days * 86_400_000 + ((h! - 10) * 60 + m!) * 60_000);
      };
      const newSince = (n: number) => harness.sent().slice(n);
      const ada = harness.person('ada');
      const bob = harness.person('bob');

      await harness.tickAt(at(0, '10:00'));
      await harness.command('session fri 15:00 UTC weekly', 'ada', { admin: true });
      expect(harness.sent().at(-1)?.text).toMatch(/weekly on Friday at 15:00 UTC/);
      await harness.command(`presenters add ${ada.typed} ${bob.typed}`, 'ada', { admin: true });
      expect(harness.sent().at(-1)?.text).toContain(ada.shown);
      await harness.command('session where Room 3.14', 'ada', { admin: true });
      await harness.command('digest', 'ada');
      const papers = harness.sent().filter((m) => m.kind === 'reply');
      await harness.react(papers[0]!.messageId!, '👍', 'ada');
      await harness.react(papers[1]!.messageId!, '👍', 'bob');
      await harness.react(papers[1]!.messageId!, '👍', 'cy');
      await harness.react(papers[2]!.messageId!, '👍', 'cy');

      // Wednesday: the ballot of the three papers with votes.
      let from = harness.sent().length;
      await harness.tickAt(at(2, '15:01'));
      const ballot = newSince(from).find((m) => m.kind === 'post');
      expect(ballot?.text).toMatch(/Which paper for the session/);
      await harness.ballotVote(ballot!.messageId!, 3, 'ada');
      await harness.ballotVote(ballot!.messageId!, 2, 'bob');
      await harness.ballotVote(ballot!.messageId!, 3, 'bob');
      await harness.ballotVote(ballot!.messageId!, 1, 'cy');
      const [third] = await queryRows<{ title: string }>(
        database.db,
        sql`select p.title from sessions s join papers p on p.id = s.ballot_paper_ids->>2`,
      );

      // Thursday morning: the pick (the ballot's winner, presented by the rotation's first), its calendar entry.
      from = harness.sent().length;
      await harness.tickAt(at(3, '09:01'));
      const pick = newSince(from).find((m) => m.kind === 'post' && /Next session/.test(m.text));
      expect(pick?.text).toContain(third?.title);
      expect(pick?.text).toContain(ada.shown);
      expect(pick?.text).toContain('Room 3.14');
      expect(
        newSince(from).some(
          (m) => m.kind === 'reply' && m.threadId === pick?.messageId && m.text.includes('📅'),
        ),
      ).toBe(true);
      await harness.command('rsvp going', 'cy');
      expect(harness.sent().at(-1)?.text).toMatch(/You're going to the session/);

      // Reminders in the pick's thread, a day and a quarter of an hour before.
      from = harness.sent().length;
      await harness.tickAt(at(3, '15:01'));
      await harness.tickAt(at(4, '14:46'));
      const reminders = newSince(from).filter((m) => m.kind === 'reply' && m.threadId === pick?.messageId);
      expect(reminders.map((r) => r.text)).toEqual([
        expect.stringMatching(/^Tomorrow at 15:00/),
        expect.stringMatching(/^Starting in 15 minutes/),
      ]);
      expect(reminders[0]?.text).toContain(ada.shown);

      // At its end the paper is discussed, notes are asked for, and a reply in the thread is one.
      from = harness.sent().length;
      await harness.tickAt(at(4, '16:01'));
      expect(newSince(from).find((m) => m.kind === 'reply')?.text).toMatch(/notes and slides/);
      await harness.replyInThread(pick!.messageId!, 'slides: https://example.org/slides.pdf', 'cy');
      const discussed = await queryRows<{ title: string }>(
        database.db,
        sql`select p.title from discussions d join papers p on p.id = d.paper_id`,
      );
      expect(discussed.map((d) => d.title)).toEqual([third?.title]);
      await harness.command('history', 'bob');
      expect(harness.sent().at(-1)?.text).toMatch(/1 going, 1 note/);

      // Every step happened once: ticking again at each moment posts nothing more.
      const posted = harness.sent().filter((m) => m.kind === 'post' || m.kind === 'reply').length;
      for (const [day, time] of [
        [2, '15:02'],
        [3, '09:02'],
        [3, '15:02'],
        [4, '14:47'],
        [4, '16:02'],
      ] as const) {
        await harness.tickAt(at(day, time));
      }
      expect(harness.sent().filter((m) => m.kind === 'post' || m.kind === 'reply')).toHaveLength(posted);
    });

    it("learns the team's taste from reactions: the next digest, for-me and similar say which votes and words", async () => {
      // A Monday in the sample papers' month, so they are recent.
      await harness.tickAt(new Date('2026-06-15T10:00:00Z'));
      await harness.command('for-me', 'ada');
      expect(harness.sent().at(-1)).toMatchObject({
        private: true,
        text: expect.stringMatching(/vote on at least 5 papers \(you have 0\)/),
      });
      await harness.command('digest', 'ada');
      for (const paper of harness.sent().filter((m) => m.kind === 'reply')) {
        await harness.react(paper.messageId!, '👍', 'ada');
      }

      await harness.command('for-me', 'ada');
      const mine = harness.sent().at(-1);
      expect(mine?.private).toBe(true);
      expect(mine?.text).toMatch(/papers for you/);
      expect(mine?.text).toMatch(/like “[^”]+”|fits your votes/);

      await harness.command('similar 2606.13392', 'bob');
      const near = harness.sent().at(-1);
      expect(near?.private).toBe(true);
      expect(near?.text).toMatch(/papers like “MiniMax Sparse Attention”/);
      expect(near?.text).toMatch(/shares \w+, \w+/);

      // Tuesday's digest gives places to what the team's taste expects, and says so.
      const from = harness.sent().length;
      await harness.tickAt(new Date('2026-06-16T09:01:00Z'));
      const tuesday = harness
        .sent()
        .slice(from)
        .filter((m) => m.kind === 'reply');
      expect(tuesday).toHaveLength(5);
      expect(tuesday.filter((m) => /the team vote/.test(m.text)).length).toBeGreaterThanOrEqual(1);
    });

    it('pins a followed author’s paper in the digest, whatever the accents, and says why', async () => {
      await harness.command('follow author:"Niccolo Biondi"', 'ada', { admin: true });
      expect(harness.sent().at(-1)?.text).toMatch(/Following "author:Niccolo Biondi"/);
      await harness.command('digest', 'ada');
      const [first] = harness.sent().filter((m) => m.kind === 'reply');
      expect(first?.text).toContain('A Stationary (and Therefore Compatible) Representation');
      expect(first?.text).toContain('by Niccolò Biondi (followed)');
    });

    it('keeps a reading list from the Save button, shows it only to its owner, and sends it on Monday in a direct message', async () => {
      await harness.tickAt(new Date('2026-06-12T10:00:00Z'));
      await harness.command('digest', 'ada');
      const [first] = harness.sent().filter((m) => m.kind === 'reply');
      expect(first?.text).toContain('EvoArena');
      expect(first?.text).toContain('Save');
      await harness.command('save 2606.13681', 'ada');
      expect(harness.sent().at(-1)).toMatchObject({
        private: true,
        text: expect.stringMatching(/Saved “EvoArena[^”]*” to your reading list \(1 paper\)/),
      });
      await harness.command('saved', 'ada');
      expect(harness.sent().at(-1)).toMatchObject({
        private: true,
        text: expect.stringContaining('EvoArena'),
      });
      await harness.command('saved', 'bob');
      expect(harness.sent().at(-1)?.text).toMatch(/Your reading list is empty/);

      // Monday 09:00 UTC: one direct message, to the one person with a list, whatever the ticks.
      await harness.tickAt(new Date('2026-06-15T09:01:00Z'));
      await harness.tickAt(new Date('2026-06-15T09:02:00Z'));
      const dms = harness.sent().filter((m) => m.kind === 'dm');
      expect(dms).toHaveLength(1);
      expect(dms[0]?.text).toMatch(/Your reading list: 1 paper still to read/);
      expect(dms[0]?.text).toContain('EvoArena');
    });

    it('lets a channel vote with a ▲ Vote button beside reactions, each person once, and says where votes count', async () => {
      await harness.command('vote-with both', 'ada', { admin: true });
      expect(harness.sent().at(-1)?.text).toMatch(/carry a ▲ Vote button beside the reactions/);
      await harness.command('digest', 'ada');
      const parent = harness.sent().find((m) => m.kind === 'post');
      expect(parent?.text).toMatch(/on a paper below/);
      const [first] = harness.sent().filter((m) => m.kind === 'reply');
      expect(first?.text).toContain('▲ Vote');

      await harness.command('upvote 2606.13681', 'bob');
      expect(harness.sent().at(-1)).toMatchObject({
        private: true,
        text: expect.stringMatching(/Voted for “EvoArena[^”]*” \(1 vote now\)/),
      });
      await harness.react(first!.messageId!, '👍', 'bob');
      await harness.command('upvote 2606.13681', 'cy');
      expect(harness.sent().at(-1)?.text).toMatch(/\(2 votes now\)/);
      await harness.command('upvote 2606.13681', 'cy');
      expect(harness.sent().at(-1)?.text).toMatch(/Took back your ▲ vote for “EvoArena[^”]*” \(1 vote now\)/);

      // A vote on the parent counts nothing; its thread is told so, once.
      await harness.react(parent!.messageId!, '👍', 'dee');
      await harness.react(parent!.messageId!, '🔥', 'eve');
      const hints = harness.sent().filter((m) => m.kind === 'reply' && /not on this message/.test(m.text));
      expect(hints).toHaveLength(1);
      expect(hints[0]?.threadId).toBe(parent?.messageId);
      const top = await topPapers(database.db, harness.workspace, 'all', new Date());
      expect(top.map((e) => [e.paper.id, e.votes])).toEqual([['2606.13681', 1]]);
    });

    it('points a second share of a paper to the message people already vote on', async () => {
      await harness.command('share 2606.13392', 'ada');
      const card = harness
        .sent()
        .find((m) => m.kind === 'post' && m.text.includes('MiniMax Sparse Attention'));
      await harness.command('share https://arxiv.org/abs/2606.13392', 'bob');
      const answer = harness.sent().at(-1);
      expect(answer?.private).toBe(true);
      expect(answer?.text).toMatch(
        /2606\.13392 is already here \(shared by [^)]+\): vote on that message \((.+)\)\./,
      );
      // The message's own id is in it (a Slack permalink writes its ts without the dot).
      expect(answer?.text).toContain((card?.messageId ?? 'no card').replace('.', ''));
    });

    it('shows search results only to the person who searched', async () => {
      await harness.command('search sparse attention', 'u1');
      const answer = harness.sent().at(-1);
      expect(answer?.private).toBe(true);
      expect(answer?.text).toContain('MiniMax Sparse Attention');
    });
  });
}
