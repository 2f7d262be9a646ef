import { SlackAdapter, type SlackAdapterOptions } from '../../adapters/slack/index.js';
import type { Db } from '../../db/client.js';
import { createHandlers } from '../../src/commands/handlers.js';
import { commandTable } from '../../src/commands/table.js';
import type { InboundHandlers } from '../../src/domain/ports.js';
import { createLogger } from '../../src/log.js';
import { FAKE_TEAM, FakeSlackApi } from '../fakes/slack-api.js';
import {
  buttonPress,
  CHANNEL,
  eventCallback,
  formBody,
  postSigned,
  reactionEvent,
  SIGNING_SECRET,
  type SignedPostOptions,
  slackEmojiName,
  slashCommand,
} from '../fakes/slack-requests.js';
import { FakeSlackSocket } from '../fakes/slack-socket.js';
import { scheduledCore } from '../helpers/core.js';
import type { AdapterHarness, SentMessage } from './contract.js';

export interface SlackHarnessOptions {
  mode?: 'http' | 'socket';
  /** Replaces the core's handlers (to observe exactly what the adapter hands the core). */
  handlers?: (adapter: SlackAdapter) => InboundHandlers;
  adapter?: Partial<SlackAdapterOptions>;
}

/** The real Slack adapter (real Bolt) against a fake Slack, driven the way Slack drives it. */
export interface SlackHarness extends AdapterHarness {
  api: FakeSlackApi;
  adapter: SlackAdapter;
  mode: 'http' | 'socket';
  /** The HTTP receiver's URL (HTTP mode). */
  eventsUrl: string;
  /** Delivers an event envelope; HTTP: the response; Socket Mode: whether it was acknowledged. */
  deliver(
    body: Record<string, unknown>,
    options?: { retryNum?: number; ackWithinMs?: number },
  ): Promise<{ ok: boolean; status?: number }>;
  /** Runs `/papers <text>` in a given channel; resolves once it is answered. */
  commandIn(channel: string, text: string, user: string): Promise<void>;
  /** Presses a button whose value is `command`. */
  press(command: string, user: string): Promise<void>;
  /** Sends a signed request as is (HTTP mode). */
  postRaw(body: string, options?: SignedPostOptions): Promise<Response>;
  /** Sends an interactive payload (a shortcut, a Home button, a view submission); HTTP: the response. */
  interact(payload: Record<string, unknown>): Promise<{ ok: boolean; body?: string }>;
}

const silent = createLogger('silent');

export async function slackHarness(db: Db, options: SlackHarnessOptions = {}): Promise<SlackHarness> {
  const mode = options.mode ?? 'http';
  const api = await FakeSlackApi.start();
  const socket = mode === 'socket' ? await FakeSlackSocket.start() : undefined;
  if (socket) api.socketUrl = socket.url;
  const adapter = new SlackAdapter({
    botToken: 'xoxb-test-token',
    ...(mode === 'socket' ? { appToken: 'xapp-1-test' } : { signingSecret: SIGNING_SECRET, port: 0 }),
    apiUrl: api.apiUrl,
    log: silent,
    paceMs: 0,
    retries: 0,
    commands: commandTable,
    ...options.adapter,
  });
  const core = scheduledCore(db);
  await adapter.start(options.handlers?.(adapter) ?? createHandlers(core.deps, adapter));
  const eventsUrl = `http://127.0.0.1:${adapter.port() ?? 0}/slack/events`;

  const postRaw = (body: string, signed?: SignedPostOptions) => postSigned(eventsUrl, body, signed);

  const deliver: SlackHarness['deliver'] = async (body, opts = {}) => {
    if (socket) {
      const { acked } = await socket.send('events_api', body, {
        ...(opts.retryNum ? { retryAttempt: opts.retryNum } : {}),
        ackWithinMs: opts.ackWithinMs ?? 5000,
      });
      return { ok: acked };
    }
    const headers: Record<string, string> = opts.retryNum
      ? { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': 'http_error' }
      : {};
    const res = await postRaw(JSON.stringify(body), { headers });
    await res.text();
    return { ok: res.ok, status: res.status };
  };

  const commandIn = async (channel: string, text: string, user: string) => {
    const fields = slashCommand(text, slackUserId(user), api.responseUrl(), channel);
    if (socket) {
      const { acked } = await socket.send('slash_commands', fields);
      if (!acked) throw new Error('slash command not acknowledged');
    } else {
      const res = await postRaw(formBody(fields), { contentType: 'application/x-www-form-urlencoded' });
      if (res.status !== 200) throw new Error(`slash command answered ${res.status}`);
      await res.text();
    }
    await adapter.idle();
  };

  const press = async (command: string, user: string) => {
    const payload = buttonPress(command, slackUserId(user), api.responseUrl());
    if (socket) {
      await socket.send('interactive', payload);
    } else {
      const res = await postRaw(formBody({ payload: JSON.stringify(payload) }), {
        contentType: 'application/x-www-form-urlencoded',
      });
      if (res.status !== 200) throw new Error(`button press answered ${res.status}`);
    }
    await adapter.idle();
  };

  const interact: SlackHarness['interact'] = async (payload) => {
    if (socket) {
      const { acked, payload: answer } = await socket.send('interactive', payload);
      await adapter.idle();
      return { ok: acked, ...(answer ? { body: JSON.stringify(answer) } : {}) };
    }
    const res = await postRaw(formBody({ payload: JSON.stringify(payload) }), {
      contentType: 'application/x-www-form-urlencoded',
    });
    const body = await res.text();
    await adapter.idle();
    return { ok: res.ok, body };
  };

  return {
    api,
    adapter,
    mode,
    interact,
    eventsUrl,
    deliver,
    postRaw,
    commandIn,
    workspace: { platform: 'slack', workspaceId: FAKE_TEAM },
    command: (text, user, opts = {}) => {
      if (opts.admin) api.admins.add(slackUserId(user));
      return commandIn(CHANNEL, text, user);
    },
    press,
    async react(messageId, emoji, user, action = 'added') {
      const result = await deliver(
        eventCallback(reactionEvent(action, slackEmojiName(emoji), slackUserId(user), messageId)),
      );
      if (!result.ok) throw new Error(`reaction event failed (${result.status ?? 'not acknowledged'})`);
    },
    person: (user) => ({ typed: `<@${slackUserId(user)}|${user}>`, shown: `<@${slackUserId(user)}>` }),
    async ballotVote(messageId, choice, user) {
      // A ballot's buttons carry the vote's command: press the one for that paper.
      const posted = api.callsOf('chat.postMessage').find((c) => c.answer?.ts === messageId);
      const value = buttonValues(posted?.args.blocks).find((v) => v.startsWith(`vote ${choice} `));
      if (!value) throw new Error(`no button for ${choice} on ballot ${messageId}`);
      await press(value, user);
    },
    async replyInThread(messageId, text, user) {
      const ts = `${Date.now() / 1000}`;
      const event = {
        type: 'message',
        channel: CHANNEL,
        user: slackUserId(user),
        text,
        ts,
        thread_ts: messageId,
      };
      const result = await deliver(eventCallback(event));
      if (!result.ok) throw new Error('message event failed');
    },
    tickAt: (at) => core.tickAt(adapter, at),
    sent: () => sentMessages(api),
    async close() {
      await adapter.stop();
      await socket?.close();
      await api.close();
    },
  };
}

/** A name in a test as a Slack user id (`ada` → `UADA`); ids (`U1`) stay as they are. */
export function slackUserId(user: string): string {
  return /^[UW][A-Z0-9]+$/.test(user) ? user : `U${user.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;
}

/** The values of the buttons in a message's blocks. */
function buttonValues(blocks: unknown): string[] {
  const values: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'button' && typeof record.value === 'string') values.push(record.value);
      Object.values(record).forEach(walk);
    }
  };
  walk(blocks);
  return values;
}

/** What the bot sent, read back from the fake: posts, thread replies, ephemerals and response_url answers. */
export function sentMessages(api: FakeSlackApi): SentMessage[] {
  const out: { seq: number; message: SentMessage }[] = [];
  for (const call of api.calls) {
    if (call.answer?.ok !== true) continue;
    const { args } = call;
    if (call.method === 'chat.postEphemeral') {
      out.push({ seq: call.seq, message: { kind: 'response', private: true, text: readable(args) } });
    } else if (call.method === 'chat.update') {
      out.push({
        seq: call.seq,
        message: { kind: 'update', messageId: String(args.ts), private: false, text: readable(args) },
      });
    } else if (call.method === 'files.completeUploadExternal') {
      const files = JSON.parse(String(args.files ?? '[]')) as { title?: string }[];
      out.push({
        seq: call.seq,
        message: {
          kind: 'reply',
          ...(args.thread_ts ? { threadId: String(args.thread_ts) } : {}),
          private: false,
          text: [String(args.initial_comment ?? ''), ...files.map((f) => f.title ?? '')].join('\n'),
        },
      });
    } else if (call.method === 'chat.postMessage') {
      const direct = String(call.answer.channel ?? '').startsWith('D');
      out.push({
        seq: call.seq,
        message: {
          kind: direct ? 'dm' : args.thread_ts ? 'reply' : 'post',
          messageId: String(call.answer.ts),
          ...(args.thread_ts ? { threadId: String(args.thread_ts) } : {}),
          private: false,
          text: readable(args),
        },
      });
    }
  }
  for (const r of api.responses) {
    out.push({
      seq: r.seq,
      message: { kind: 'response', private: r.body.response_type !== 'in_channel', text: readable(r.body) },
    });
  }
  return out.sort((a, b) => a.seq - b.seq).map((o) => o.message);
}

/** A Slack message as a person reads it: fallback text, then every text in its blocks, links as labels. */
export function readable(args: Record<string, unknown>): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) walk(child);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if ((record.type === 'mrkdwn' || record.type === 'plain_text') && typeof record.text === 'string') {
      texts.push(record.text);
    }
    for (const [key, value] of Object.entries(record))
      if (key !== 'text' || typeof value !== 'string') walk(value);
  };
  walk(args.blocks);
  const body = [String(args.text ?? ''), ...texts].join('\n');
  return body
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
