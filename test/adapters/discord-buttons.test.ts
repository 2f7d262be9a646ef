import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { savedBy } from '../../db/repositories/reading-list.js';
import { topPapers } from '../../src/votes/leaderboard.js';
import { CHANNEL, type Json } from '../fakes/discord-server.js';
import { seedSamplePapers } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { DiscordTestBot, interactionFor } from './discord-harness.js';

/** Buttons under the digest's papers, which live in a thread: they count in the channel the digest is in. */
describe('Discord buttons in a digest thread', () => {
  let database: TestDatabase;
  let bot: DiscordTestBot;

  beforeEach(async () => {
    database = await createTestDatabase();
    await seedSamplePapers(database.db);
    bot = await DiscordTestBot.start(database.db);
  });
  afterEach(async () => {
    await bot.stop();
    await database.destroy();
  });

  const slash = (text: string, user: string, admin = false) => {
    const { command, subcommand, options } = interactionFor(text);
    return bot.settle(() => void bot.slash(command, subcommand, options, user, { admin }));
  };

  it('counts a ▲ Vote press once, takes it back on the next, and saves to the presser’s list', async () => {
    await slash('vote-with both', 'ada', true);
    await slash('digest', 'ada');
    const inThread = (m: Json) => bot.fake.channels.get(m.channel_id)?.type === CHANNEL.publicThread;
    const paper = bot.fake.created.find((m) => inThread(m) && /EvoArena/.test(JSON.stringify(m.embeds)));
    if (!paper) throw new Error('no EvoArena card in a thread');
    const ids = (paper.components as Json[]).flatMap((row) =>
      (row.components as Json[]).map((c) => c.custom_id),
    );
    const vote = ids.find((id: string) => id.includes('upvote'));
    const save = ids.find((id: string) => id.includes('save'));
    expect([vote, save]).toEqual(['cmd:upvote 2606.13681', 'cmd:save 2606.13681']);

    const ws = { platform: 'discord', workspaceId: bot.fake.guildId } as const;
    const votes = async () => (await topPapers(database.db, ws, 'all', new Date())).map((e) => e.votes);
    await bot.settle(() => void bot.press(vote!, paper, 'bob', paper.channel_id));
    expect(await votes()).toEqual([1]);
    await bot.settle(() => void bot.press(vote!, paper, 'bob', paper.channel_id));
    expect(await votes()).toEqual([]);
    await bot.settle(() => void bot.press(save!, paper, 'bob', paper.channel_id));
    expect((await savedBy(database.db, ws, bot.userId('bob'))).map((s) => s.paperId)).toEqual(['2606.13681']);
  });
});
