import { createHash } from 'node:crypto';
import type { types } from '@slack/bolt';
import { byline, votesText } from '../../src/domain/present.js';
import type { HomeView, PaperView, SettingsForm } from '../../src/domain/types.js';
import { withMentions } from './format.js';
import { escapeMrkdwn, mrkdwnLink, truncate } from './mrkdwn.js';

type Block = types.KnownBlock;

/** The Home tab's "Channel settings" buttons: the channel's id is the value. */
export const SETTINGS_ACTION = 'papers-home:settings';
/** The settings modal's callback id; the channel's id travels in private_metadata. */
export const SETTINGS_VIEW = 'papers-settings';

/** The form's fields: block id = action id = the field's name. */
const FIELDS: { field: keyof SettingsForm; label: string; hint: string; multiline?: boolean; max: number }[] =
  [
    { field: 'time', label: 'Digest time', hint: '24-hour HH:MM, or 9am', max: 8 },
    { field: 'timezone', label: 'Timezone', hint: 'An IANA name such as Europe/Berlin, or UTC', max: 64 },
    { field: 'days', label: 'Days', hint: 'daily, weekdays, weekends, or mon,wed,fri', max: 27 },
    { field: 'size', label: 'Papers per digest', hint: '1 to 20', max: 2 },
    {
      field: 'follows',
      label: 'Follows',
      hint: 'One per line: a word, cat:cs.CL or author:"Yann LeCun"',
      multiline: true,
      max: 3000,
    },
    { field: 'mutes', label: 'Mutes', hint: 'One per line: a word or cat:cs.CV', multiline: true, max: 3000 },
  ];

/** A person's Home tab, as views.publish takes it. */
export function homeTab(view: HomeView): types.HomeView {
  const blocks: Block[] = [header('📚 Your reading list')];
  if (view.saved.length === 0) {
    blocks.push(
      context('Nothing saved yet: press *Save* under a paper the bot posts, or `/papers save <id>`.'),
    );
  } else {
    for (const s of view.saved) blocks.push(section(`${paperLine(s.paper)} · _${s.when}_`));
    if (view.savedTotal > view.saved.length) {
      blocks.push(
        context(`…and ${view.savedTotal - view.saved.length} more: \`/papers saved\` lists them all.`),
      );
    }
  }

  blocks.push(divider(), header('🗳 Your votes this week'));
  blocks.push(
    view.myVotes.length
      ? section(view.myVotes.map((p) => `• ${paperLine(p)}`).join('\n'))
      : context('No votes this week: react with 👍 on a paper the bot posts.'),
  );

  blocks.push(divider(), header('✨ For you'));
  if (typeof view.forMe === 'string') blocks.push(context(escapeMrkdwn(view.forMe)));
  else if (view.forMe.length === 0)
    blocks.push(context('Nothing new in the last 30 days you have not voted on.'));
  else {
    for (const hit of view.forMe) {
      blocks.push(section(`${paperLine(hit.paper)}${hit.why ? `\n_${escapeMrkdwn(hit.why)}_` : ''}`));
    }
  }

  blocks.push(divider(), header('📅 Next up'));
  for (const s of view.sessions) {
    blocks.push(section(withMentions(`*${escapeMrkdwn(s.channel)}*\n${escapeMrkdwn(s.text)}`)));
  }
  blocks.push(
    view.pick
      ? section(`Next discussion: ${paperLine(view.pick.paper)} (${votesText(view.pick.votes)})`)
      : context('No pick yet: papers become the pick once someone votes for them.'),
  );

  blocks.push(divider(), header('🏆 This week'));
  blocks.push(
    view.leaderboard.length
      ? section(
          view.leaderboard
            .map((e, i) => `${i + 1}. ${paperLine(e.paper)} · ${votesText(e.votes)}`)
            .join('\n'),
        )
      : context('No votes this week yet.'),
  );

  if (view.channels.length) {
    blocks.push(divider(), header('⚙️ Channel settings'), context('Only admins see this.'));
    for (const c of view.channels.slice(0, 20)) {
      blocks.push(
        section(`<#${c.channelId}>`, {
          type: 'button',
          action_id: SETTINGS_ACTION,
          text: { type: 'plain_text', text: 'Channel settings' },
          value: c.channelId,
        }),
      );
    }
  }
  // A Home tab holds at most 100 blocks.
  return { type: 'home', blocks: blocks.slice(0, 100) };
}

/** A field's value as the form showed it, in short: to tell on submission which fields were edited. */
function fingerprint(value: string): string {
  return createHash('sha256').update(value.trim()).digest('base64url').slice(0, 12);
}

/**
 * The channel a submitted form is for, and which of its fields the person edited (those that differ from
 * what the form showed), from the view's private metadata; null when it is not the form's.
 */
export function formShown(
  metadata: string,
): { channelId: string; edited(form: SettingsForm): (keyof SettingsForm)[] } | null {
  try {
    const { c, h } = JSON.parse(metadata) as { c?: unknown; h?: Record<string, string> };
    if (typeof c !== 'string' || !h) return null;
    return {
      channelId: c,
      edited: (form) => FIELDS.map((f) => f.field).filter((field) => h[field] !== fingerprint(form[field])),
    };
  } catch {
    return null;
  }
}

/** The settings form for one channel, filled with its settings. */
export function settingsModal(channelId: string, form: SettingsForm): types.ModalView {
  const shown = Object.fromEntries(FIELDS.map(({ field }) => [field, fingerprint(form[field])]));
  return {
    type: 'modal',
    callback_id: SETTINGS_VIEW,
    private_metadata: JSON.stringify({ c: channelId, h: shown }),
    title: { type: 'plain_text', text: 'Channel settings' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      context(`Settings of <#${channelId}>: the digest and what it favours.`),
      ...FIELDS.map(
        ({ field, label, hint, multiline, max }): types.InputBlock => ({
          type: 'input',
          block_id: field,
          optional: field === 'follows' || field === 'mutes',
          label: { type: 'plain_text', text: label },
          hint: { type: 'plain_text', text: hint },
          element: {
            type: 'plain_text_input',
            action_id: field,
            initial_value: form[field],
            max_length: max,
            ...(multiline ? { multiline: true } : {}),
          },
        }),
      ),
    ],
  };
}

/** A modal that only says something (a person who may not open the form, a failure). */
export function noticeModal(title: string, text: string): types.ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: truncate(title, 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(escapeMrkdwn(text))],
  };
}

/** The form's values as a view_submission carries them (state.values[block][action].value). */
export function formValues(state: unknown): SettingsForm {
  const values =
    (state as { values?: Record<string, Record<string, { value?: string | null }>> })?.values ?? {};
  const read = (field: keyof SettingsForm) => values[field]?.[field]?.value ?? '';
  return {
    time: read('time'),
    timezone: read('timezone'),
    days: read('days'),
    size: read('size'),
    follows: read('follows'),
    mutes: read('mutes'),
  };
}

function paperLine(paper: PaperView): string {
  return `*${mrkdwnLink(paper.url, paper.title)}* — ${escapeMrkdwn(byline(paper))}`;
}

function header(text: string): types.HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, 150), emoji: true } };
}

function section(text: string, accessory?: types.SectionBlock['accessory']): types.SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, 3000) || ' ' },
    ...(accessory ? { accessory } : {}),
  };
}

function context(text: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, 3000) || ' ' }] };
}

function divider(): types.DividerBlock {
  return { type: 'divider' };
}
