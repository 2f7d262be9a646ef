import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { scheduledCore, seedSamplePapers } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { DiscordTestBot, interactionFor, sentMessages } from './discord-harness.js';

/** A session on Discord: the ballot as a poll, the pick's scheduled event, Interested as RSVP. */
describe('Discord sessions', () => {
  let database: TestDatabase;
  let bot: DiscordTestBot;
  let core: ReturnType<typeof scheduledCore>;

  beforeEach(async () => {
    database = await createTestDatabase();
    await seedSamplePapers(database.db);
    core = scheduledCore(database.db);
    bot = await DiscordTestBot.start(database.db, { core: core.deps });
  });
  afterEach(async () => {
    await bot.stop();
    await database.destroy();
  });

  // Monday 7 Dec 2026; the session on Friday 11 Dec at 15:00 UTC.
  const tick = (iso: string) => core.tickAt(bot.adapter, new Date(`${iso}Z`));
  const run = async (text: string, user = 'ada', admin = true) => {
    const { command, subcommand, options } = interactionFor(text);
    await bot.settle(() => void bot.slash(command, subcommand, options, user, { admin }));
  };
  const member = (name: string) => {
    const id = bot.userId(name);
    bot.fake.addMember(id, name);
    return id;
  };

  /** Sessions set, ada and bob presenting, three papers voted for; then the ballot and the pick. */
  const upToThePick = async () => {
    await tick('2026-12-07T10:00');
    const ada = member('ada');
    const bob = member('bob');
    await run('session fri 15:00 UTC weekly');
    await run(`presenters add <@${ada}> <@${bob}>`);
    await run('session where Room 3.14');
    await run('digest');
    const papers = sentMessages(bot.fake).filter((m) => m.kind === 'reply');
    for (const [i, user] of [
      [0, 'ada'],
      [0, 'bob'],
      [1, 'cy'],
      [2, 'dee'],
    ] as const) {
      await bot.settle(() => bot.reaction('added', papers[i]!.threadId!, papers[i]!.messageId!, '👍', user));
    }
    await tick('2026-12-09T15:01');
    const ballot = bot.fake.created.find((m) => m.poll);
    await tick('2026-12-10T09:01');
    const pick = sentMessages(bot.fake).find((m) => m.kind === 'post' && /Next session/.test(m.text));
    return { ada, bob, ballot, pick };
  };

  it('posts the ballot as a poll of three answers, and ends it when the pick is announced', async () => {
    await tick('2026-12-07T10:00');
    await run('session fri 15:00 UTC');
    await run('digest');
    const papers = sentMessages(bot.fake).filter((m) => m.kind === 'reply');
    for (const [i, user] of [
      [0, 'ada'],
      [1, 'bob'],
      [2, 'cy'],
    ] as const) {
      await bot.settle(() => bot.reaction('added', papers[i]!.threadId!, papers[i]!.messageId!, '👍', user));
    }
    await tick('2026-12-09T15:01');
    const ballot = bot.fake.created.find((m) => m.poll);
    expect(ballot.poll.answers).toHaveLength(3);
    expect(ballot.poll.allow_multiselect).toBe(false);
    expect(
      ballot.poll.answers.every((a: { poll_media: { text: string } }) => a.poll_media.text.length <= 55),
    ).toBe(true);
    // A vote, a change of mind (remove, add), and a second voter.
    await bot.settle(() => bot.fake.pollVote(ballot.id, bot.fake.textChannelId, bot.userId('ada'), 1));
    await bot.settle(() =>
      bot.fake.pollVote(ballot.id, bot.fake.textChannelId, bot.userId('ada'), 1, 'remove'),
    );
    await bot.settle(() => bot.fake.pollVote(ballot.id, bot.fake.textChannelId, bot.userId('ada'), 2));
    await bot.settle(() => bot.fake.pollVote(ballot.id, bot.fake.textChannelId, bot.userId('bob'), 2));
    expect(await queryRows(database.db, sql`select choice from ballot_votes order by user_id`)).toEqual([
      { choice: 2 },
      { choice: 2 },
    ]);
    // Votes the bot never heard of (it was away): the poll has them, so they count.
    bot.fake.pollVote(ballot.id, bot.fake.textChannelId, bot.userId('cy'), 3, 'add', false);
    bot.fake.pollVote(ballot.id, bot.fake.textChannelId, bot.userId('dee'), 3, 'add', false);
    bot.fake.pollVote(ballot.id, bot.fake.textChannelId, bot.userId('eve'), 3, 'add', false);
    await tick('2026-12-10T09:01');
    expect(bot.fake.expiredPolls.has(ballot.id)).toBe(true);
    expect(
      await queryRows(
        database.db,
        sql`select choice, count(*)::int as n from ballot_votes group by choice order by choice`,
      ),
    ).toEqual([
      { choice: 2, n: 2 },
      { choice: 3, n: 3 },
    ]);
    const [row] = await queryRows<{ paper_id: string; ballot_paper_ids: string[] }>(
      database.db,
      sql`select paper_id, ballot_paper_ids from sessions`,
    );
    expect(row?.paper_id).toBe(row?.ballot_paper_ids[2]);
  });

  it('makes the session a scheduled event with its paper and presenter, and counts Interested as going', async () => {
    const { ada, pick } = await upToThePick();
    const [event] = [...bot.fake.events.values()];
    expect(event).toMatchObject({
      entity_type: 3,
      privacy_level: 2,
      scheduled_start_time: '2026-12-11T15:00:00.000Z',
      scheduled_end_time: '2026-12-11T16:00:00.000Z',
      entity_metadata: { location: 'Room 3.14' },
    });
    expect(event.description).toMatch(/Paper: .+\nPresenter: ada/);
    const link = sentMessages(bot.fake).find((m) => m.kind === 'reply' && m.text.includes('/events/'));
    expect(link?.threadId).toBe(pick?.messageId);

    await bot.settle(() => bot.fake.interested(event.id, bot.userId('cy')));
    await bot.settle(() => bot.fake.interested(event.id, bot.userId('dee')));
    await bot.settle(() => bot.fake.interested(event.id, bot.userId('dee'), 'remove'));
    expect(await queryRows(database.db, sql`select user_id, going from rsvps`)).toEqual([
      { user_id: bot.userId('cy'), going: true },
    ]);
    expect(bot.fake.messageById(pick!.messageId!).content).toMatch(/1 going/);
    expect(pick?.text).toContain(`presented by <@${ada}>`);
  });

  it('keeps the event up to date when the presenter changes, and pings the presenter in reminders', async () => {
    const { bob } = await upToThePick();
    await run('presenters skip');
    const [event] = [...bot.fake.events.values()];
    expect(event.description).toMatch(/Presenter: bob/);
    await tick('2026-12-10T15:01');
    const reminder = bot.fake.requests.find(
      (r) =>
        r.method === 'POST' && typeof r.body?.content === 'string' && r.body.content.startsWith('Tomorrow'),
    );
    expect(reminder?.body.content).toContain(`<@${bob}> presents`);
    expect(reminder?.body.allowed_mentions).toEqual({ parse: [], users: [bob] });
  });

  it('cancels the scheduled event when the session is skipped', async () => {
    await upToThePick();
    const [event] = [...bot.fake.events.values()];
    await run('session skip');
    expect(event.status).toBe(4);
  });

  it('refuses a presenter who is not a member of the server', async () => {
    await tick('2026-12-07T10:00');
    await run('session fri 15:00 UTC');
    await run(`presenters add <@${bot.userId('stranger')}>`);
    expect(sentMessages(bot.fake).at(-1)?.text).toMatch(/is not a member of this server/);
    expect(await queryRows(database.db, sql`select 1 from presenters`)).toEqual([]);
  });
});
