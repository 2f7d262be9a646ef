import { once } from 'node:events';
import { connect } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { describeInput } from '../../src/domain/commands.js';
import { topPapers } from '../../src/votes/leaderboard.js';
import { FAKE_BOT_USER } from '../fakes/slack-api.js';
import {
  CHANNEL,
  eventCallback,
  formBody,
  reactionEvent,
  SIGNING_SECRET,
  signature,
  slashCommand,
} from '../fakes/slack-requests.js';
import { seedSamplePapers } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { type SlackHarness, slackHarness } from './slack-harness.js';

let database: TestDatabase;
let slack: SlackHarness;

beforeEach(async () => {
  database = await createTestDatabase();
  await seedSamplePapers(database.db);
  slack = await slackHarness(database.db, { mode: 'http' });
});

afterEach(async () => {
  await slack.close();
  await database.destroy();
});

const count = async (table: 'votes' | 'posts') =>
  Number(
    (
      await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from ${sql.identifier(table)}`,
      )
    )[0]?.n,
  );
const score = async () =>
  (await topPapers(database.db, slack.workspace, 'all', new Date())).map((e) => e.votes);

async function firstDigestReply(): Promise<string> {
  await slack.command('digest', 'U1');
  const reply = slack.sent().find((m) => m.kind === 'reply');
  if (!reply?.messageId) throw new Error('no digest reply');
  return reply.messageId;
}

describe('Slack HTTP receiver', () => {
  it('stops within seconds while a client is still sending a body it refused', async () => {
    const socket = connect(slack.adapter.port() ?? 0, '127.0.0.1');
    await once(socket, 'connect');
    socket.on('error', () => {});
    // Headers of a 5 MB request and only the start of its body, and the connection left open.
    socket.write(
      'POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n{"a":"',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    await slack.adapter.stop();
    expect(performance.now() - started).toBeLessThan(10_000);
    socket.destroy();
  });

  it('answers url_verification with its challenge', async () => {
    const res = await slack.postRaw(
      JSON.stringify({ token: 't', challenge: 'c-3po-r2d2', type: 'url_verification' }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('c-3po-r2d2');
  });

  it('refuses forged, stale and tampered requests with 401 and writes nothing', async () => {
    const ts = await firstDigestReply();
    const body = JSON.stringify(eventCallback(reactionEvent('added', '+1', 'UALICE', ts)));
    const now = Math.floor(Date.now() / 1000);
    const forged = await slack.postRaw(body, { secret: 'ffffffffffffffffffffffffffffffff' });
    const stale = await slack.postRaw(body, { timestamp: now - 6 * 60 });
    // Dated ahead by more than five minutes: Slack's rule holds both ways, even when signed right.
    const early = await slack.postRaw(body, { timestamp: now + 6 * 60 });
    const tampered = await slack.postRaw(body, {
      signedBody: JSON.stringify(eventCallback(reactionEvent('added', '+1', 'UALICE', '1.1'))),
    });
    const unsigned = await slack.postRaw(body, { signature: '' });
    expect([forged.status, stale.status, early.status, tampered.status, unsigned.status]).toEqual([
      401, 401, 401, 401, 401,
    ]);
    expect(await count('votes')).toBe(0);

    const before = slack.api.responses.length;
    const command = formBody(slashCommand('digest', 'U1', slack.api.responseUrl()));
    const forgedCommand = await slack.postRaw(command, {
      contentType: 'application/x-www-form-urlencoded',
      signature: signature(SIGNING_SECRET, now, `${command}&text=top`),
    });
    expect(forgedCommand.status).toBe(401);
    await slack.adapter.idle();
    expect(slack.api.responses.length).toBe(before);
  });

  it('counts an event redelivered with X-Slack-Retry-Num once', async () => {
    const ts = await firstDigestReply();
    const event = eventCallback(reactionEvent('added', 'fire', 'UALICE', ts));
    expect((await slack.deliver(event)).status).toBe(200);
    expect((await slack.deliver(event, { retryNum: 1 })).status).toBe(200);
    expect((await slack.deliver(event, { retryNum: 2 })).status).toBe(200);
    expect(await score()).toEqual([1]);
    expect(await count('votes')).toBe(1);
  });

  it('answers 500 when the vote cannot be written, so Slack retries, and records it once when the database is back', async () => {
    const ts = await firstDigestReply();
    const event = eventCallback(reactionEvent('added', '+1', 'UALICE', ts));
    await database.db.execute(sql`alter table votes rename to votes_offline`);
    const failed = await slack.deliver(event);
    await database.db.execute(sql`alter table votes_offline rename to votes`);
    expect(failed.status).toBe(500);
    expect(await count('votes')).toBe(0);

    expect((await slack.deliver(event, { retryNum: 1 })).status).toBe(200);
    expect((await slack.deliver(event, { retryNum: 2 })).status).toBe(200);
    expect(await score()).toEqual([1]);
  });

  it("ignores the bot's own reaction and reactions on messages the bot did not post", async () => {
    const ts = await firstDigestReply();
    expect((await slack.deliver(eventCallback(reactionEvent('added', '+1', FAKE_BOT_USER, ts)))).ok).toBe(
      true,
    );
    expect(
      (await slack.deliver(eventCallback(reactionEvent('added', '+1', 'UALICE', '1699999999.000200')))).ok,
    ).toBe(true);
    expect(await count('votes')).toBe(0);
  });

  it('acks a slash command at once and does the slow work after', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await slack.close();
    slack = await slackHarness(database.db, {
      handlers: () => ({
        command: async (c) => {
          await gate;
          await c.ref.respond({ kind: 'text', text: 'done at last' }, { private: true });
        },
        reaction: async () => {},
      }),
    });
    const started = Date.now();
    const res = await slack.postRaw(
      formBody(slashCommand('search everything', 'U1', slack.api.responseUrl())),
      {
        contentType: 'application/x-www-form-urlencoded',
      },
    );
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(slack.api.responses).toHaveLength(0);
    release();
    await slack.adapter.idle();
    expect(slack.sent().at(-1)?.text).toContain('done at last');
  });

  it("keeps answering within Slack's 3 s while commands keep the event loop busy", async () => {
    // Like an embedded database: each command computes in long stretches joined by microtasks only.
    const hog = async () => {
      for (let stretch = 0; stretch < 8; stretch++) {
        const until = Date.now() + 120;
        while (Date.now() < until) {}
        await Promise.resolve();
      }
    };
    await slack.close();
    slack = await slackHarness(database.db, {
      handlers: () => ({
        command: async (c) => {
          await hog();
          await c.ref.respond({ kind: 'text', text: `done: ${describeInput(c.input)}` }, { private: true });
        },
        reaction: async () => {},
      }),
    });
    const send = async (i: number) => {
      const started = Date.now();
      const res = await slack.postRaw(formBody(slashCommand(`search ${i}`, 'U1', slack.api.responseUrl())), {
        contentType: 'application/x-www-form-urlencoded',
      });
      await res.text();
      return { status: res.status, ms: Date.now() - started };
    };
    const acks = [];
    for (let wave = 0; wave < 2; wave++) {
      acks.push(...(await Promise.all([1, 2, 3, 4].map((i) => send(wave * 4 + i)))));
    }
    for (const ack of acks) expect(ack.status).toBe(200);
    expect(Math.max(...acks.map((a) => a.ms))).toBeLessThan(3000);
    await slack.adapter.idle();
    expect(slack.api.responses).toHaveLength(8);
  });
});

describe('Slack posting', () => {
  it('waits out a 429 in the middle of a digest and posts every paper once, in order', async () => {
    slack.api.failCall('chat.postMessage', 3, { kind: 'rate-limited', retryAfterSeconds: 1 });
    await slack.command('digest', 'U1');
    const attempts = slack.api.callsOf('chat.postMessage');
    expect(attempts.map((c) => c.status)).toEqual([200, 200, 429, 200, 200, 200, 200]);
    expect(attempts[3]!.at - attempts[2]!.at).toBeGreaterThanOrEqual(950);
    expect(attempts[3]!.args.text).toBe(attempts[2]!.args.text);
    const replies = slack.sent().filter((m) => m.kind === 'reply');
    expect(replies).toHaveLength(5);
    expect(new Set(replies.map((r) => r.messageId)).size).toBe(5);
    expect(await count('posts')).toBe(5);
    expect(slack.sent().at(-1)?.text).toMatch(/Posted today's digest \(5 papers\)/);
  });

  it('tells the user when a digest breaks off, and finishes it in the same thread when asked again', async () => {
    slack.api.failCall('chat.postMessage', 4, { kind: 'error', error: 'fatal_error' });
    await slack.command('digest', 'U1');
    const failure = slack.sent().at(-1);
    expect(failure?.private).toBe(true);
    expect(failure?.text).toMatch(/went wrong.*reference/);
    expect(await count('posts')).toBe(2);

    await slack.command('digest', 'U1');
    const parents = slack.sent().filter((m) => m.kind === 'post');
    const replies = slack.sent().filter((m) => m.kind === 'reply');
    expect(parents).toHaveLength(1);
    expect(replies).toHaveLength(5);
    for (const reply of replies) expect(reply.threadId).toBe(parents[0]?.messageId);
    expect(await count('posts')).toBe(5);
  });

  it('paces posts to one channel, and counts each wait', async () => {
    await slack.close();
    let waits = 0;
    slack = await slackHarness(database.db, {
      adapter: { paceMs: 150, onRateLimitWait: () => waits++ },
    });
    await slack.command('digest', 'U1');
    const at = slack.api.callsOf('chat.postMessage').map((c) => c.at);
    expect(at).toHaveLength(6);
    // Sends start 150 ms apart; their arrival at the fake jitters by a few ms either way.
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(100);
    expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual(5 * 150 - 20);
    // The parent goes at once; each of the five replies waits its turn.
    expect(waits).toBe(5);
  });

  it('says how to invite the bot when it is not in the channel, and posts nothing', async () => {
    slack.api.channelsWithoutBot.add('C0ELSEWHERE');
    await slack.commandIn('C0ELSEWHERE', 'digest', 'U1');
    const answer = slack.sent().at(-1);
    expect(answer?.private).toBe(true);
    expect(answer?.text).toContain(`/invite <@${FAKE_BOT_USER}>`);
    expect(slack.sent().filter((m) => m.kind !== 'response')).toHaveLength(0);
  });

  it('says a digest needs a channel when asked in a direct message', async () => {
    slack.api.channelsWithoutBot.add('D0DIRECT');
    await slack.commandIn('D0DIRECT', 'digest', 'U1');
    expect(slack.sent().at(-1)?.text).toMatch(/can't post in a direct message.*channel/);
    await slack.commandIn('D0DIRECT', 'search sparse attention', 'U1');
    expect(slack.sent().at(-1)?.text).toContain('MiniMax Sparse Attention');
  });
});

describe('Slack buttons and roles', () => {
  it('offers "Share to channel" on each result, and a pressed button runs its command as the presser', async () => {
    await slack.command('search sparse attention', 'U1');
    const results = slack.api.responses.at(-1)?.body;
    const buttons = JSON.stringify(results?.blocks);
    expect(buttons).toContain('Share to channel');
    expect(buttons).toMatch(/"value":"share \d{4}\.\d{4,5}"/);

    await slack.press('search sparse attention page:1', 'U2');
    const pressed = slack.api.responses.at(-1)?.body;
    expect(pressed?.response_type).toBe('ephemeral');
    expect(pressed?.replace_original).toBe(true);
    expect(String(pressed?.text)).toMatch(/sparse attention/);
  });

  it('marks workspace admins and configured users as admins, and nobody else', async () => {
    const seen: Record<string, boolean> = {};
    await slack.close();
    slack = await slackHarness(database.db, {
      adapter: { adminUsers: ['U0LISTED'] },
      handlers: () => ({
        command: async (c) => {
          seen[c.user.id] = c.user.isAdmin;
        },
        reaction: async () => {},
      }),
    });
    slack.api.admins.add('U0ADMIN');
    for (const user of ['U0ADMIN', 'U0LISTED', 'U0MEMBER']) await slack.command('schedule 08:30', user);
    expect(seen).toEqual({ U0ADMIN: true, U0LISTED: true, U0MEMBER: false });
  });
});

describe('Slack messages and mentions', () => {
  it('hands people’s messages to the core, but not edits, bots or its own posts', async () => {
    const received: { text: string; thread?: string; channel: string }[] = [];
    await slack.close();
    slack = await slackHarness(database.db, {
      handlers: () => ({
        command: async () => {},
        reaction: async () => {},
        message: async (m) => {
          received.push({ text: m.text, channel: m.message.channel.channelId, thread: m.message.threadId });
        },
      }),
    });
    const link = 'have a look https://arxiv.org/abs/2606.13681';
    const message = (extra: Record<string, unknown>) =>
      eventCallback({ type: 'message', channel: CHANNEL, channel_type: 'channel', ts: '1.2', ...extra });
    await slack.deliver(message({ user: 'UALICE', text: link }));
    await slack.deliver(message({ user: 'UBOB', text: link, thread_ts: '1.0', subtype: 'thread_broadcast' }));
    await slack.deliver(message({ subtype: 'message_changed', message: { user: 'UALICE', text: link } }));
    await slack.deliver(message({ subtype: 'bot_message', bot_id: 'B0OTHER', text: link }));
    await slack.deliver(message({ user: FAKE_BOT_USER, bot_id: 'B0BOT', text: link }));
    expect(received).toEqual([
      { text: link, channel: CHANNEL, thread: undefined },
      { text: link, channel: CHANNEL, thread: '1.0' },
    ]);
  });

  it('answers a mention with short help only the mentioner sees', async () => {
    await slack.deliver(
      eventCallback({
        type: 'app_mention',
        user: 'UALICE',
        text: `<@${FAKE_BOT_USER}> hi`,
        ts: '5.5',
        channel: CHANNEL,
      }),
    );
    await slack.adapter.idle();
    const [help] = slack.api.callsOf('chat.postEphemeral');
    expect(help?.args.user).toBe('UALICE');
    expect(help?.args.channel).toBe(CHANNEL);
    expect(String(help?.args.text)).toContain('/papers search');
  });
});
