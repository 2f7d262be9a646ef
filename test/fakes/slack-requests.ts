import { createHmac, randomUUID } from 'node:crypto';
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
