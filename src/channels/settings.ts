import type { Db } from '../../db/client.js';
import { type ChannelRow, updateChannel } from '../../db/repositories/channels.js';
import { UserError } from '../domain/errors.js';
import type { VoteWith } from '../domain/present.js';
import { nextOccurrence } from '../domain/time.js';
import { textWords } from '../search/query.js';

/** A change to a channel's settings: these need the platform's admin rights. */
export type SettingChange =
  | { name: 'digest-enabled'; enabled: boolean }
  | { name: 'schedule'; time?: string; timezone?: string; days?: number[] }
  | { name: 'size'; size: number }
  | { name: 'follow' | 'unfollow' | 'mute' | 'unmute'; term: string }
  | { name: 'pick-enabled'; enabled: boolean }
  | { name: 'pick-schedule'; day: number; time: string }
  | { name: 'recap-enabled'; enabled: boolean }
  | { name: 'empty-note'; enabled: boolean }
  | { name: 'taste-slots'; slots: number }
  | { name: 'alert-votes'; votes: number }
  | { name: 'vote-with'; way: VoteWith };

/** Applies a settings command to a channel and says what changed; a no-op is a UserError, not a write. */
export async function applySetting(db: Db, channel: ChannelRow, change: SettingChange): Promise<string> {
  const update = plan(channel, change);
  await updateChannel(db, channel.id, update.set);
  return update.confirmation;
}

function plan(
  channel: ChannelRow,
  change: SettingChange,
): { set: Partial<ChannelRow>; confirmation: string } {
  switch (change.name) {
    case 'digest-enabled':
      return {
        set: { digestEnabled: change.enabled },
        confirmation: change.enabled
          ? `The daily digest is on: ${describeSchedule({ ...channel, digestEnabled: true })}.`
          : 'The daily digest is off in this channel. `/papers digest on` brings it back.',
      };
    case 'schedule': {
      const next = {
        ...channel,
        digestTime: change.time ?? channel.digestTime,
        timezone: change.timezone ?? channel.timezone,
        days: change.days ?? channel.days,
      };
      return {
        set: { digestTime: next.digestTime, timezone: next.timezone, days: next.days },
        confirmation: `Digest scheduled ${describeSchedule(next)}.`,
      };
    }
    case 'size':
      return {
        set: { digestSize: change.size },
        confirmation: `Each digest will hold up to ${change.size} ${change.size === 1 ? 'paper' : 'papers'}.`,
      };
    case 'follow':
    case 'mute': {
      const key = change.name === 'follow' ? 'follows' : 'mutes';
      const list = channel[key];
      if (list.length >= MAX_TERMS) {
        throw new UserError(
          `This channel already has ${list.length} ${change.name === 'follow' ? 'follows' : 'mutes'}, the most it can: \`/papers ${change.name === 'follow' ? 'unfollow' : 'unmute'}\` some first (\`/papers settings\` lists them).`,
        );
      }
      if (list.some((t) => sameTerm(t, change.term))) {
        throw new UserError(
          `"${change.term}" is already ${change.name === 'follow' ? 'followed' : 'muted'} here.`,
        );
      }
      const other = change.name === 'follow' ? channel.mutes : channel.follows;
      if (other.some((t) => sameTerm(t, change.term))) {
        throw new UserError(
          `"${change.term}" is ${change.name === 'follow' ? 'muted' : 'followed'} here: \`/papers ${change.name === 'follow' ? 'unmute' : 'unfollow'} ${change.term}\` first.`,
        );
      }
      return {
        set: { [key]: [...list, change.term] },
        confirmation:
          change.name === 'follow'
            ? change.term.startsWith('author:')
              ? `Following "${change.term}": their new papers are pinned at the top of the digest.`
              : `Following "${change.term}": matching papers rise to the top of the digest.`
            : `Muted "${change.term}": papers matching it will not be posted here.`,
      };
    }
    case 'unfollow':
    case 'unmute': {
      const key = change.name === 'unfollow' ? 'follows' : 'mutes';
      const list = channel[key];
      const stored = list.find((t) => sameTerm(t, change.term));
      if (!stored) {
        const current = list.length ? list.map((t) => `"${t}"`).join(', ') : 'nothing';
        throw new UserError(
          `"${change.term}" is not ${key === 'follows' ? 'followed' : 'muted'} here (${key === 'follows' ? 'followed' : 'muted'}: ${current}).`,
        );
      }
      return {
        set: { [key]: list.filter((t) => t !== stored) },
        confirmation: `${key === 'follows' ? 'Unfollowed' : 'Unmuted'} "${stored}".`,
      };
    }
    case 'pick-enabled':
      return {
        set: { pickEnabled: change.enabled },
        confirmation: change.enabled
          ? `The discussion pick will be posted ${describePick(channel)}.`
          : 'The weekly discussion pick is off here. `/papers pick` still shows it.',
      };
    case 'pick-schedule':
      return {
        set: { pickDay: change.day, pickTime: change.time, pickEnabled: true },
        confirmation: `The discussion pick will be posted ${describePick({ ...channel, pickDay: change.day, pickTime: change.time })}.`,
      };
    case 'recap-enabled':
      return {
        set: { recapEnabled: change.enabled },
        confirmation: change.enabled
          ? "The weekly recap is on: Monday's digest time, last week's most-voted papers."
          : 'The weekly recap is off.',
      };
    case 'taste-slots':
      return {
        set: { tasteSlots: change.slots },
        confirmation:
          change.slots === 0
            ? "The team's taste no longer chooses papers for the digest."
            : `The team's taste may choose up to ${change.slots} of each digest's papers (never all of them), once the team has cast ${MIN_TASTE_VOTES} votes.`,
      };
    case 'alert-votes':
      return {
        set: { alertVotes: change.votes },
        confirmation:
          change.votes === 0
            ? 'No more alerts of new versions or code in this channel.'
            : `New versions and code are announced in the thread of papers with at least ${change.votes} ${change.votes === 1 ? 'vote' : 'votes'}, and of papers discussed or shared here.`,
      };
    case 'vote-with':
      if (channel.voteWith === change.way)
        throw new UserError(`This channel already votes with ${change.way}.`);
      return {
        set: { voteWith: change.way },
        confirmation:
          change.way === 'reactions'
            ? 'Papers posted from now on are voted on with reactions (👍 🔥 🚀), as before.'
            : change.way === 'buttons'
              ? 'Papers posted from now on carry a ▲ Vote button (press again to take the vote back). Reactions still count too.'
              : 'Papers posted from now on carry a ▲ Vote button beside the reactions; each person counts once, whichever they use.',
      };
    case 'empty-note':
      return {
        set: { emptyNote: change.enabled },
        confirmation: change.enabled
          ? 'On days with nothing new, the digest will post one quiet line.'
          : 'On days with nothing new, the digest will post nothing.',
      };
  }
}

/** Votes a team casts before its taste chooses anything (the taste's own threshold). */
const MIN_TASTE_VOTES = 5;

/** Follows, or mutes, a channel may have: enough for any team, few enough to keep a digest quick. */
const MAX_TERMS = 50;

/** Two follows of one thing: an author however it is accented or spelt out (`Møldrup`, `moldrup`). */
export function sameTerm(a: string, b: string): boolean {
  if (a === b) return true;
  const author = (t: string) => (t.startsWith('author:') ? textWords(t.slice(7)).join(' ') : null);
  const [x, y] = [author(a), author(b)];
  return x !== null && x === y;
}

const DAY_LABELS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function describeDays(days: number[]): string {
  const sorted = [...days].sort();
  if (sorted.length === 7) return 'every day';
  if (sorted.join() === '1,2,3,4,5') return 'on weekdays';
  if (sorted.join() === '0,6') return 'on weekends';
  return `on ${sorted.map((d) => DAY_LABELS[d]).join(', ')}`;
}

function describeSchedule(channel: ChannelRow): string {
  return `at ${channel.digestTime} ${channel.timezone} ${describeDays(channel.days)}`;
}

function describePick(channel: ChannelRow): string {
  return `on ${DAY_LABELS[channel.pickDay]} at ${channel.pickTime} ${channel.timezone}`;
}

/** When the channel's next digest is due, or null when it is off. */
export function nextDigestAt(channel: ChannelRow, now: Date): Date | null {
  if (!channel.digestEnabled) return null;
  return nextOccurrence(now, channel.digestTime, channel.days, channel.timezone);
}

/** Every setting of the channel, and the next digest in its own timezone. */
export function describeSettings(channel: ChannelRow, now: Date): string {
  const next = nextDigestAt(channel, now);
  const nextText = next
    ? next.toLocaleString('en-GB', {
        timeZone: channel.timezone,
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
      })
    : null;
  const list = (items: string[]) => (items.length ? items.map((t) => `"${t}"`).join(', ') : 'none');
  return [
    `Settings for ${channel.name ?? channel.channelId}:`,
    `• Digest: ${channel.digestEnabled ? `on, ${describeSchedule(channel)}` : 'off'}`,
    `• Next digest: ${nextText ? `${nextText} (${channel.timezone})` : '—'}`,
    `• Size: up to ${channel.digestSize} papers`,
    `• Following: ${list(channel.follows)}`,
    `• Muted: ${list(channel.mutes)}`,
    `• Discussion pick: ${channel.pickEnabled ? describePick(channel) : 'off'}`,
    `• Weekly recap: ${channel.recapEnabled ? 'on (Mondays)' : 'off'}`,
    `• Quiet line on empty days: ${channel.emptyNote ? 'on' : 'off'}`,
    `• Voting: ${channel.voteWith === 'reactions' ? 'reactions' : channel.voteWith === 'buttons' ? 'a ▲ Vote button' : 'reactions and a ▲ Vote button'}`,
    `• Taste: ${channel.tasteSlots > 0 ? `up to ${Math.min(channel.tasteSlots, Math.max(0, channel.digestSize - 1))} of ${channel.digestSize} papers` : 'off'}`,
    `• Alerts (new version, code): ${channel.alertVotes > 0 ? `papers with ${channel.alertVotes}+ votes, discussed or shared` : 'off'}`,
  ].join('\n');
}
