import type { Db } from '../../db/client.js';
import { type ChannelRow, ensureChannel, updateChannel } from '../../db/repositories/channels.js';
import { sameTerm } from '../channels/settings.js';
import { UserError } from '../domain/errors.js';
import type { ChannelRef, SettingsForm, UserRef } from '../domain/types.js';
import { parseDays, parseSize, parseTerm, parseTime, parseTimezone } from './arguments.js';
import { ADMIN_ONLY } from './define.js';

/** Follows or mutes a channel may have, as the commands allow. */
const MAX_TERMS = 50;

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The days as the form shows them: `daily`, `weekdays`, `weekends` or `mon,wed,fri`. */
function daysText(days: number[]): string {
  const key = [...days].sort().join();
  if (key === '0,1,2,3,4,5,6') return 'daily';
  if (key === '1,2,3,4,5') return 'weekdays';
  if (key === '0,6') return 'weekends';
  return [...days]
    .sort()
    .map((d) => DAY_NAMES[d])
    .join(',');
}

/** A channel's settings as the form shows them; only its admins may open it. */
export async function settingsFormOf(db: Db, ref: ChannelRef, user: UserRef): Promise<SettingsForm> {
  if (!user.isAdmin) throw new UserError(ADMIN_ONLY);
  const channel = await ensureChannel(db, ref);
  return {
    time: channel.digestTime,
    timezone: channel.timezone,
    days: daysText(channel.days),
    size: String(channel.digestSize),
    follows: channel.follows.join('\n'),
    mutes: channel.mutes.join('\n'),
  };
}

/** What became of a submitted form: the fields that are wrong and why, or what changed. */
export type FormOutcome =
  | { status: 'invalid'; errors: Partial<Record<keyof SettingsForm, string>> }
  | { status: 'saved'; changes: string[] };

/**
 * Checks the fields the person edited (`edited`) as the matching command does (`schedule`, `size`,
 * `follow`, `mute`) and saves them only when all are right: a wrong field changes nothing, and each is
 * named with its reason. Fields left as the form showed them are not written, so a change made
 * meanwhile by a command (or another admin's form) is kept.
 */
export async function submitSettingsForm(
  db: Db,
  ref: ChannelRef,
  user: UserRef,
  form: SettingsForm,
  edited: readonly (keyof SettingsForm)[],
): Promise<FormOutcome> {
  if (!user.isAdmin) throw new UserError(ADMIN_ONLY);
  const errors: Partial<Record<keyof SettingsForm, string>> = {};
  const read = <T>(field: keyof SettingsForm, parse: (value: string) => T): T | undefined => {
    if (!edited.includes(field)) return undefined;
    try {
      return parse(form[field].trim());
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      errors[field] = err.message;
      return undefined;
    }
  };
  const time = read('time', (v) => parseTime(v || undefined));
  const timezone = read('timezone', (v) => parseTimezone(v || 'UTC'));
  const days = read('days', (v) => {
    const parsed = parseDays(v);
    if (!parsed)
      throw new UserError(`"${v}" is not a list of days: use e.g. mon,wed,fri, or daily, or weekdays.`);
    return parsed;
  });
  const size = read('size', (v) => parseSize(v || undefined));
  const terms = (field: 'follows' | 'mutes', command: string) =>
    read(field, (v) => {
      const list: string[] = [];
      for (const line of v.split('\n')) {
        if (!line.trim()) continue;
        const term = parseTerm(command)(line.trim());
        if (!list.some((t) => sameTerm(t, term))) list.push(term);
      }
      if (list.length > MAX_TERMS)
        throw new UserError(`At most ${MAX_TERMS} a channel (got ${list.length}).`);
      return list;
    });
  const follows = terms('follows', 'follow');
  const mutes = terms('mutes', 'mute');
  if (Object.keys(errors).length > 0) return { status: 'invalid', errors };

  const channel = await ensureChannel(db, ref);
  const nowFollowed = follows ?? channel.follows;
  const nowMuted = mutes ?? channel.mutes;
  const both = nowFollowed.filter((f) => nowMuted.some((m) => sameTerm(f, m)));
  if (both.length) {
    return {
      status: 'invalid',
      errors: {
        [mutes ? 'mutes' : 'follows']: `"${both[0]}" is both followed and muted: keep it in one list.`,
      },
    };
  }
  const set: Partial<ChannelRow> = {};
  const changes: string[] = [];
  const schedule = {
    digestTime: time ?? channel.digestTime,
    timezone: timezone ?? channel.timezone,
    days: days ?? channel.days,
  };
  if (
    schedule.digestTime !== channel.digestTime ||
    schedule.timezone !== channel.timezone ||
    schedule.days.join() !== channel.days.join()
  ) {
    Object.assign(set, schedule);
    changes.push(`digest at ${schedule.digestTime} ${schedule.timezone}, ${daysText(schedule.days)}`);
  }
  if (size !== undefined && size !== channel.digestSize) {
    set.digestSize = size;
    changes.push(`up to ${size} papers`);
  }
  const listed = (items: string[]) => (items.length ? items.map((t) => `"${t}"`).join(', ') : 'nothing');
  if (follows && follows.join('\n') !== channel.follows.join('\n')) {
    set.follows = follows;
    changes.push(`following ${listed(follows)}`);
  }
  if (mutes && mutes.join('\n') !== channel.mutes.join('\n')) {
    set.mutes = mutes;
    changes.push(`muting ${listed(mutes)}`);
  }
  if (changes.length) await updateChannel(db, channel.id, set);
  return { status: 'saved', changes };
}
