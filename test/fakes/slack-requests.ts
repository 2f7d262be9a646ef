import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FAKE_BOT_USER, FAKE_TEAM } from './slack-api.js';

export const SIGNING_SECRET = '6d0c9f1a2b3e4d5f60718293a4b5c6d7';
export const CHANNEL = 'C0PAPERS';

/** Slack's v0 request signature over `v0:<timestamp>:<raw body>`. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  contentType?: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** Replaces the computed signature (forgeries). */
  signature?: string;
  /** Signs this body but sends `body` (tampering). */
  signedBody?: string;
  headers?: Record<string, string>;
  secret?: string;
}

/** POSTs a body to Bolt's /slack/events the way Slack does, signed. */
export async function postSigned(
  url: string,
  body: string,
  options: SignedPostOptions = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature':
        options.signature ??
        signature(options.secret ?? SIGNING_SECRET, timestamp, options.signedBody ?? body),
      ...options.headers,
    },
    body,
  });
}

/** The fields of a `/papers` slash command, as Slack sends them. */
export function slashCommand(text: string, user: string, responseUrl: string, channel = CHANNEL) {
  return {
    token: 'legacy-verification-token',
    team_id: FAKE_TEAM,
    team_domain: 'papers-lab',
    channel_id: channel,
    channel_name: channel.startsWith('D') ? 'directmessage' : 'papers',
    user_id: user,
    user_name: user.toLowerCase(),
    command: '/papers',
    text,
    api_app_id: 'A0PAPERS',
    response_url: responseUrl,
    trigger_id: randomUUID(),
  };
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** A block_actions payload for a button press. */
export function buttonPress(value: string, user: string, responseUrl: string, channel = CHANNEL) {
  return {
    type: 'block_actions',
    team: { id: FAKE_TEAM, domain: 'papers-lab' },
    user: { id: user, username: user.toLowerCase(), team_id: FAKE_TEAM },
    api_app_id: 'A0PAPERS',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: '1.1', channel_id: channel, is_ephemeral: true },
    trigger_id: randomUUID(),
    channel: { id: channel, name: 'papers' },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: 'papers:nav0',
        block_id: 'b1',
        text: { type: 'plain_text', text: 'Next' },
        value,
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

/** An Events API envelope around one event. */
export function eventCallback(event: Record<string, unknown>, eventId = `Ev${randomUUID().slice(0, 8)}`) {
  return {
    token: 'legacy-verification-token',
    team_id: FAKE_TEAM,
    api_app_id: 'A0PAPERS',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
  };
}

export function reactionEvent(
  action: 'added' | 'removed',
  reaction: string,
  user: string,
  ts: string,
  channel = CHANNEL,
  at = Date.now(),
) {
  return {
    type: `reaction_${action}`,
    user,
    reaction,
    item_user: FAKE_BOT_USER,
    item: { type: 'message', channel, ts },
    event_ts: (at / 1000).toFixed(6),
  };
}

/** Slack names the emoji it sends in reaction events. */
const SLACK_EMOJI_NAMES: Record<string, string> = {
  '👍': '+1',
  '👎': '-1',
  '🔥': 'fire',
  '🚀': 'rocket',
  '🤔': 'thinking_face',
  '❤️': 'heart',
  '⬆️': 'arrow_up',
};

export function slackEmojiName(emoji: string): string {
  return SLACK_EMOJI_NAMES[emoji] ?? emoji;
}

/**
 * A recorded payload from `test/fixtures/slack/`, in this workspace: its team, channel and user ids
 * replaced by the ones given.
 */
function recorded(name: string, ids: { user: string; channel?: string }): Record<string, unknown> {
  const text = readFileSync(fileURLToPath(new URL(`../fixtures/slack/${name}.json`, import.meta.url)), 'utf8')
    .replaceAll('T123ABC456', FAKE_TEAM)
    .replaceAll('C123ABC456', ids.channel ?? CHANNEL)
    .replaceAll('U123ABC456', ids.user);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A message_action payload (recorded shape): a person chose the app's shortcut on a message. */
export function messageShortcut(
  callbackId: string,
  message: { ts: string; text: string; user: string; thread_ts?: string },
  user: string,
  responseUrl: string,
  channel = CHANNEL,
) {
  const payload = recorded('message_action', { user, channel });
  const original = payload.message as Record<string, unknown>;
  return {
    ...payload,
    callback_id: callbackId,
    trigger_id: randomUUID(),
    response_url: responseUrl,
    message_ts: message.ts,
    message: {
      ...original,
      user: message.user,
      ts: message.ts,
      text: message.text,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    },
  };
}

/** An app_home_opened event (recorded shape) for a person's Home tab. */
export function homeOpened(user: string) {
  const envelope = recorded('app_home_opened', { user });
  return envelope.event as Record<string, unknown>;
}

/** A block_actions payload (recorded shape) from a button on the Home tab: no channel, a trigger. */
export function homeButton(actionId: string, value: string, user: string, triggerId = randomUUID()) {
  const payload = recorded('block_actions_home', { user });
  const [action] = payload.actions as Record<string, unknown>[];
  return { ...payload, trigger_id: triggerId, actions: [{ ...action, action_id: actionId, value }] };
}

/** A view_submission payload (recorded shape) of the settings modal with these field values. */
export function viewSubmission(
  callbackId: string,
  privateMetadata: string,
  values: Record<string, string>,
  user: string,
) {
  const payload = recorded('view_submission', { user });
  const view = payload.view as Record<string, unknown>;
  return {
    ...payload,
    trigger_id: randomUUID(),
    view: {
      ...view,
      callback_id: callbackId,
      private_metadata: privateMetadata,
      state: {
        values: Object.fromEntries(
          Object.entries(values).map(([field, value]) => [
            field,
            { [field]: { type: 'plain_text_input', value: value || null } },
          ]),
        ),
      },
    },
  };
}

/** A link_shared event (recorded shape): links to a domain the app unfurls, in a posted message. */
export function linkShared(
  ts: string,
  urls: string[],
  user: string,
  channel = CHANNEL,
  source = 'conversations_history',
) {
  const event = recorded('link_shared', { user, channel }).event as Record<string, unknown>;
  return {
    ...event,
    message_ts: ts,
    unfurl_id: `${channel}.${ts}.0abc`,
    source,
    links: urls.map((url) => ({ domain: new URL(url).hostname, url })),
  };
}
