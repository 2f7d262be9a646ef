import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SETTINGS_ACTION, SETTINGS_VIEW, settingsModal } from '../../adapters/slack/home.js';
import { BOT_EVENTS, BOT_SCOPES, shortcutId, slackManifest } from '../../adapters/slack/manifest.js';
import { channels } from '../../db/schema.js';
import { commandTable } from '../../src/commands/table.js';
import { topPapers } from '../../src/votes/leaderboard.js';
import { FAKE_TEAM } from '../fakes/slack-api.js';
import {
  CHANNEL,
  eventCallback,
  homeButton,
  homeOpened,
  linkShared,
  messageShortcut,
  reactionEvent,
  viewSubmission,
} from '../fakes/slack-requests.js';
import { seedSamplePapers } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { readable, type SlackHarness, slackHarness, slackUserId } from './slack-harness.js';

const share = commandTable.specs.find((s) => s.id === 'share')!;
const EVOARENA = 'https://arxiv.org/abs/2606.13681';

for (const mode of ['http', 'socket'] as const) {
  describe(`Slack's own surfaces (${mode})`, () => {
    let database: TestDatabase;
    let slack: SlackHarness;

    beforeEach(async () => {
      database = await createTestDatabase();
      await seedSamplePapers(database.db);
      slack = await slackHarness(database.db, { mode });
    });
    afterEach(async () => {
      await slack.close();
      await database.destroy();
    });

    const event = async (body: Record<string, unknown>) => {
      const result = await slack.deliver(eventCallback(body));
      await slack.adapter.idle();
      return result;
    };
    const published = () => slack.api.callsOf('views.publish');
    const viewOf = (call: { args: Record<string, unknown> } | undefined) =>
      JSON.parse(String(call?.args.view ?? '{}')) as { blocks?: unknown[]; callback_id?: string };
    const stored = async () =>
      (await database.db.select().from(channels).where(eq(channels.channelId, CHANNEL)))[0];

    it("publishes each person's Home tab: their list and votes, the team's week, and settings for admins only", async () => {
      slack.api.admins.add(slackUserId('ada'));
      await slack.command('digest', 'ada');
      const [first] = slack.sent().filter((m) => m.kind === 'reply');
      await slack.react(first!.messageId!, '👍', 'bob');
      await slack.command('save 2606.13392', 'bob');

      await event(homeOpened(slackUserId('bob')));
      const bobs = published().at(-1);
      expect(bobs?.args.user_id).toBe(slackUserId('bob'));
      const text = readable(viewOf(bobs) as Record<string, unknown>);
      expect(text).toContain('Your reading list');
      expect(text).toContain('MiniMax Sparse Attention');
      expect(text).toContain('Your votes this week');
      expect(text).toContain('EvoArena');
      expect(text).toContain('vote on at least 5 papers');
      expect(text).not.toContain('Channel settings');

      await event(homeOpened(slackUserId('ada')));
      const adas = readable(viewOf(published().at(-1)) as Record<string, unknown>);
      expect(adas).toContain('Channel settings');
      expect(adas).toContain('Nothing saved yet');
    });

    it('opens the settings form for admins, shows wrong fields in place, and saves only a right form', async () => {
      slack.api.admins.add(slackUserId('ada'));
      await slack.command('digest', 'ada');
      await slack.interact(homeButton(SETTINGS_ACTION, CHANNEL, slackUserId('ada')));
      const opened = viewOf(slack.api.callsOf('views.open').at(-1));
      expect(opened.callback_id).toBe(SETTINGS_VIEW);
      expect(JSON.stringify(opened.blocks)).toContain('"initial_value":"09:00"');
      expect(JSON.stringify(opened.blocks)).toContain('"initial_value":"weekdays"');

      const before = await stored();
      const wrong = {
        time: '25:00',
        timezone: 'Mars/Olympus',
        days: 'weekdays',
        size: '5',
        follows: '',
        mutes: '',
      };
      const metadata = (opened as { private_metadata?: string }).private_metadata ?? '';
      const refused = await slack.interact(
        viewSubmission(SETTINGS_VIEW, metadata, wrong, slackUserId('ada')),
      );
      const answer = JSON.parse(refused.body ?? '{}') as {
        response_action?: string;
        errors?: Record<string, string>;
      };
      expect(answer.response_action).toBe('errors');
      expect(answer.errors?.time).toMatch(/"25:00" is not a time of day/);
      expect(answer.errors?.timezone).toMatch(/"Mars\/Olympus" is not a timezone I know/);
      expect(Object.keys(answer.errors ?? {})).toEqual(['time', 'timezone']);
      expect(await stored()).toEqual(before);

      const right = {
        time: '7:30',
        timezone: 'Europe/Berlin',
        days: 'mon,wed,fri',
        size: '8',
        follows: 'diffusion\ncat:cs.CL',
        mutes: 'survey',
      };
      const saved = await slack.interact(viewSubmission(SETTINGS_VIEW, metadata, right, slackUserId('ada')));
      expect(saved.ok).toBe(true);
      const row = await stored();
      expect([row?.digestTime, row?.timezone, row?.days, row?.digestSize, row?.follows, row?.mutes]).toEqual([
        '07:30',
        'Europe/Berlin',
        [1, 3, 5],
        8,
        ['diffusion', 'cat:cs.CL'],
        ['survey'],
      ]);
      expect(slack.sent().at(-1)?.text).toMatch(
        /changed this channel's settings: digest at 07:30 Europe\/Berlin, mon,wed,fri; up to 8 papers/,
      );
    });

    it('writes only the fields the admin edited, and saves even when the channel cannot be told', async () => {
      slack.api.admins.add(slackUserId('ada'));
      await slack.command('digest', 'ada');
      await slack.interact(homeButton(SETTINGS_ACTION, CHANNEL, slackUserId('ada')));
      const opened = viewOf(slack.api.callsOf('views.open').at(-1)) as { private_metadata?: string };
      // Meanwhile a command changes the size; the form still shows 5.
      await slack.command('size 10', 'ada');
      slack.api.channelsWithoutBot.add(CHANNEL);
      const form = {
        time: '09:00',
        timezone: 'Asia/Tokyo',
        days: 'weekdays',
        size: '5',
        follows: '',
        mutes: '',
      };
      const submission = viewSubmission(
        SETTINGS_VIEW,
        opened.private_metadata ?? '',
        form,
        slackUserId('ada'),
      );
      const saved = await slack.interact(submission);
      expect(saved.ok).toBe(true);
      expect(saved.body ?? '').not.toContain('errors');
      const row = await stored();
      expect([row?.timezone, row?.digestSize]).toEqual(['Asia/Tokyo', 10]);
    });

    it('refuses the settings form to someone who is not an admin, and changes nothing', async () => {
      await slack.command('digest', 'ada');
      await slack.interact(homeButton(SETTINGS_ACTION, CHANNEL, slackUserId('bob')));
      const notice = viewOf(slack.api.callsOf('views.open').at(-1));
      expect(JSON.stringify(notice.blocks)).toMatch(/Only admins can change this channel/);
      const before = await stored();
      const form = { time: '10:00', timezone: 'UTC', days: 'daily', size: '3', follows: '', mutes: '' };
      // A submission made up as the admins' form would be: refused all the same.
      const shown = { time: '09:00', timezone: 'UTC', days: 'weekdays', size: '5', follows: '', mutes: '' };
      const metadata = settingsModal(CHANNEL, shown).private_metadata ?? '';
      const refused = await slack.interact(viewSubmission(SETTINGS_VIEW, metadata, form, slackUserId('bob')));
      expect(refused.body).toMatch(/Only admins/);
      expect(await stored()).toEqual(before);
    });

    it('shares the paper a message links to from its shortcut, in its thread, or says privately why not', async () => {
      const message = {
        ts: '1760000000.000100',
        text: `worth a read <${EVOARENA}>`,
        user: slackUserId('cy'),
      };
      await slack.interact(
        messageShortcut(shortcutId(share), message, slackUserId('cy'), slack.api.responseUrl()),
      );
      const card = slack.api.callsOf('chat.postMessage').at(-1);
      expect(card?.args.thread_ts).toBe(message.ts);
      expect(readable(card!.args)).toContain('EvoArena');
      expect(slack.sent().at(-1)).toMatchObject({ kind: 'response', private: true });
      expect(slack.sent().at(-1)?.text).toMatch(/Shared 2606\.13681 in that message’s thread/);

      const posts = slack.api.callsOf('chat.postMessage').length;
      const plain = { ts: '1760000000.000200', text: 'lunch at noon?', user: slackUserId('cy') };
      await slack.interact(
        messageShortcut(shortcutId(share), plain, slackUserId('cy'), slack.api.responseUrl()),
      );
      expect(slack.sent().at(-1)).toMatchObject({ kind: 'response', private: true });
      expect(slack.sent().at(-1)?.text).toMatch(
        /That message has no arXiv, alphaXiv, Hugging Face or arXiv DOI link/,
      );
      expect(slack.api.callsOf('chat.postMessage')).toHaveLength(posts);
    });

    it('gives a pasted paper link one card: in its thread or unfolded, whichever Slack sent first', async () => {
      const pasted = (ts: string, url: string) =>
        slack.deliver(
          eventCallback({ type: 'message', channel: CHANNEL, user: slackUserId('cy'), text: `<${url}>`, ts }),
        );
      const threadCards = () => slack.api.callsOf('chat.postMessage').filter((c) => c.args.thread_ts);
      // The message first: its card in the thread, and no unfolding after it.
      await pasted('1760000000.000400', EVOARENA);
      await event(linkShared('1760000000.000400', [EVOARENA], slackUserId('cy')));
      expect(threadCards()).toHaveLength(1);
      expect(slack.api.callsOf('chat.unfurl')).toHaveLength(0);
      // The unfolding first: no thread card after it.
      const other = 'https://arxiv.org/abs/2606.13392';
      await event(linkShared('1760000000.000500', [other], slackUserId('cy')));
      await pasted('1760000000.000500', other);
      await slack.adapter.idle();
      expect(slack.api.callsOf('chat.unfurl')).toHaveLength(1);
      expect(threadCards()).toHaveLength(1);
    });

    it('unfolds nothing in a direct message or a channel the bot is not in, and records nothing', async () => {
      await event({ ...linkShared('1760000000.000600', [EVOARENA], slackUserId('cy')), channel: 'D0SOMEDM' });
      await event({
        ...linkShared('1760000000.000700', [EVOARENA], slackUserId('cy')),
        is_bot_user_member: false,
      });
      expect(slack.api.callsOf('chat.unfurl')).toHaveLength(0);
      expect(await database.db.select().from(channels)).toEqual([]);
    });

    it('unfolds a paper link into a card with a Vote button once per message, and leaves other links alone', async () => {
      const ts = '1760000000.000300';
      await event(linkShared(ts, [EVOARENA, 'https://arxiv.org/list/cs.CL/recent'], slackUserId('cy')));
      await event(linkShared(ts, [EVOARENA], slackUserId('cy')));
      const unfurls = slack.api.callsOf('chat.unfurl');
      expect(unfurls).toHaveLength(1);
      expect(unfurls[0]?.args.ts).toBe(ts);
      const cards = JSON.parse(String(unfurls[0]?.args.unfurls)) as Record<string, { blocks: unknown[] }>;
      expect(Object.keys(cards)).toEqual([EVOARENA]);
      expect(JSON.stringify(cards[EVOARENA])).toContain('EvoArena');
      expect(JSON.stringify(cards[EVOARENA])).toContain('▲ Vote');

      // Typed in the composer, before the message exists: unfolded by its unfurl id, nothing recorded.
      await event(linkShared('composer-1', [EVOARENA], slackUserId('cy'), CHANNEL, 'composer'));
      expect(slack.api.callsOf('chat.unfurl').at(-1)?.args).toMatchObject({ source: 'composer' });
      expect(slack.api.callsOf('chat.unfurl')).toHaveLength(2);

      // The message with the link is now the paper's post here: a reaction on it is a vote.
      await slack.deliver(eventCallback(reactionEvent('added', '+1', slackUserId('dee'), ts)));
      const top = await topPapers(
        database.db,
        { platform: 'slack', workspaceId: FAKE_TEAM },
        'all',
        new Date(),
      );
      expect(top.map((e) => [e.paper.id, e.votes])).toEqual([['2606.13681', 1]]);
    });

    it('asks in its manifest for the Home tab, the shortcut from the table, unfurls and their scopes', () => {
      const manifest = slackManifest({ commands: commandTable }) as {
        features: {
          app_home: { home_tab_enabled: boolean };
          shortcuts: { name: string; type: string; callback_id: string }[];
          unfurl_domains: string[];
        };
      };
      expect(manifest.features.app_home.home_tab_enabled).toBe(true);
      expect(manifest.features.shortcuts).toEqual([
        expect.objectContaining({ name: 'Share paper', type: 'message', callback_id: shortcutId(share) }),
      ]);
      expect(manifest.features.unfurl_domains).toContain('arxiv.org');
      expect(BOT_SCOPES).toEqual(expect.arrayContaining(['links:read', 'links:write', 'im:write']));
      expect(BOT_EVENTS).toEqual(expect.arrayContaining(['app_home_opened', 'link_shared']));
    });

    it('sends a direct message taken up again after a crash once, and sends it without im:history rather than never', async () => {
      const ws = { platform: 'slack', workspaceId: FAKE_TEAM } as const;
      const user = slackUserId('ada');
      const message = {
        kind: 'text',
        text: 'Your reading list: 1 paper still to read',
        tag: 'reading-list:2026-06-15',
      } as const;
      const first = await slack.adapter.dm!(ws, user, message, false);
      // Another instance takes the claim up after this one stopped before recording what it sent.
      const again = await slack.adapter.dm!(ws, user, message, true);
      expect(again).toEqual(first);
      expect(slack.api.callsOf('chat.postMessage')).toHaveLength(1);

      // An app installed before it asked for im:history cannot look, and sends.
      slack.api.fail('conversations.history', { kind: 'error', error: 'missing_scope' });
      const other = { ...message, tag: 'reading-list:2026-06-22' };
      await slack.adapter.dm!(ws, user, other, true);
      expect(slack.api.callsOf('chat.postMessage')).toHaveLength(2);
      expect(BOT_SCOPES).toContain('im:history');
    });
  });
}
