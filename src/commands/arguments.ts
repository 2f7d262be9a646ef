import { z } from 'zod';
import { isArxivCategory, suggestCategory } from '../domain/arxiv-categories.js';
import { findArxivIds, parseArxivId } from '../domain/arxiv-id.js';
import { UserError } from '../domain/errors.js';
import { canonicalTimezone, isTimezone, suggestTimezones } from '../domain/time.js';

/**
 * Argument types shared by commands. Each reads a value as typed text or as a platform's typed option and
 * throws a UserError that says what was wrong and what would work; `arg` makes one a zod schema.
 */
export type Raw = string | number | boolean | undefined;

/** A zod transform from a reader: its UserError becomes the issue's message, shown to the user as it is. */
export function checked<I, O>(read: (input: I) => O) {
  return (input: I, ctx: z.RefinementCtx): O => {
    try {
      return read(input);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
      return z.NEVER;
    }
  };
}

/** One argument read by `read`, from typed text or a platform's option (absent or blank: undefined). */
export function arg<T>(read: (value: string | undefined) => T) {
  return z
    .unknown()
    .optional()
    .transform(
      checked((value: unknown) =>
        read(value === undefined || value === '' ? undefined : String(value).trim()),
      ),
    );
}

export const MAX_DIGEST_SIZE = 20;

/** `on` or `off` → true or false. */
export function onOff(example: string) {
  return (value: string | undefined): boolean => {
    const v = value?.toLowerCase();
    if (v === 'on' || v === 'off') return v === 'on';
    throw new UserError(`Say on or off, e.g. \`${example}\`${value ? ` (got "${value}")` : ''}.`);
  };
}

/** Reads `09:30`, `9:30`, `9am`, `5:30pm` as `HH:MM`; a UserError otherwise, with `example` as what works. */
export function timeReader(example: string) {
  return (value: string | undefined): string => {
    const match = value ? /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(value) : null;
    if (match) {
      let hours = Number(match[1]);
      const minutes = Number(match[2] ?? 0);
      const meridiem = match[3]?.toLowerCase();
      if (meridiem && hours >= 1 && hours <= 12) hours = (hours % 12) + (meridiem === 'pm' ? 12 : 0);
      else if (meridiem) hours = 99;
      if ((match[2] !== undefined || meridiem) && hours <= 23 && minutes <= 59) {
        return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
      }
    }
    throw new UserError(
      `${value ? `"${value}" is not a time of day` : 'Give a time'}: use 24-hour HH:MM, e.g. \`${example}\`.`,
    );
  };
}

/** A digest time. */
export const parseTime = timeReader('/papers schedule 09:30 Europe/Berlin weekdays');

const TIMEZONE_ALIASES: Record<string, string> = {
  utc: 'UTC',
  gmt: 'UTC',
  z: 'UTC',
};

/** An IANA timezone (or UTC, GMT, Z) in its canonical spelling. */
export function parseTimezone(value: string): string {
  const alias = TIMEZONE_ALIASES[value.toLowerCase()];
  if (alias) return alias;
  if (value.includes('/') && isTimezone(value)) return canonicalTimezone(value);
  const suggestions = suggestTimezones(value);
  throw new UserError(
    `"${value}" is not a timezone I know. Use an IANA name${suggestions.length ? `, such as ${suggestions.join(', ')}` : ' like Europe/Berlin'}.`,
  );
}

/** `daily`, `weekdays`, `weekends` or a list like `mon,wed,fri`; null when the word is no day list. */
export function parseDays(value: string): number[] | null {
  const v = value.toLowerCase();
  if (v === 'daily' || v === 'everyday' || v === 'every-day') return [0, 1, 2, 3, 4, 5, 6];
  if (v === 'weekdays') return [1, 2, 3, 4, 5];
  if (v === 'weekends') return [0, 6];
  const parts = v.split(',').filter(Boolean);
  const days = parts.map(dayIndex);
  if (parts.length === 0 || days.some((d) => d < 0)) {
    if (parts.length > 1) {
      throw new UserError(`"${value}" is not a list of days: use e.g. mon,wed,fri, or daily, or weekdays.`);
    }
    return null;
  }
  return [...new Set(days)].sort();
}

const FULL_DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** `mon`, `tues`, `friday` → 1, 2, 5; -1 when it is no day. */
export function dayIndex(word: string): number {
  const w = word.toLowerCase();
  return w.length >= 3 ? FULL_DAY_NAMES.findIndex((d) => d.startsWith(w)) : -1;
}

/** Papers per digest, 1 to MAX_DIGEST_SIZE. */
export function parseSize(value: string | undefined): number {
  const size = Number(value);
  if (!value || !Number.isInteger(size) || size < 1 || size > MAX_DIGEST_SIZE) {
    throw new UserError(
      `The digest size must be a whole number from 1 to ${MAX_DIGEST_SIZE}${value ? ` (got "${value}")` : ''}, e.g. \`/papers size 8\`.`,
    );
  }
  return size;
}

/** A followed or muted term: a word or phrase (lower-cased) or an arXiv category `cat:cs.CL`. */
export function parseTerm(command: string) {
  return (value: string | undefined): string => {
    if (!value) {
      const example = command.endsWith('mute') ? 'survey' : 'diffusion';
      throw new UserError(
        `${command[0]!.toUpperCase()}${command.slice(1)} what? Give a word or a category, e.g. \`/papers ${command} ${example}\` or \`/papers ${command} cat:cs.CL\`.`,
      );
    }
    const author = /^author:\s*(.*)$/i.exec(value);
    if (author) {
      const name = author[1]!
        .replace(/^["“”']+|["“”']+$/g, '')
        .trim()
        .replace(/\s+/g, ' ');
      if (!/[\p{L}]/u.test(name)) {
        throw new UserError(
          `\`author:\` needs a name after it, e.g. \`/papers ${command} author:"Yann LeCun"\`.`,
        );
      }
      if (name.length > 80) throw new UserError('That is a long name: keep it under 80 characters.');
      return `author:${name}`;
    }
    const category = /^cat:\s*([a-z-]+(?:\.[a-z-]+)?)$/i.exec(value);
    if (category) {
      const [archive = '', sub] = category[1]!.split('.');
      const name = `${archive.toLowerCase()}${sub ? `.${sub.length <= 2 ? sub.toUpperCase() : sub}` : ''}`;
      if (!isArxivCategory(name)) {
        const near = suggestCategory(name);
        throw new UserError(
          `"${category[1]}" is not an arXiv category${near ? `: did you mean cat:${near}?` : '. See https://arxiv.org/category_taxonomy, e.g. cat:cs.CL.'}`,
        );
      }
      return `cat:${name}`;
    }
    if (/^cat:/i.test(value)) {
      throw new UserError(`"${value}" is not an arXiv category: write it like cat:cs.CL or cat:stat.ML.`);
    }
    const term = value.toLowerCase().replace(/\s+/g, ' ');
    if (term.length > 60) throw new UserError('That is a long topic: keep it under 60 characters.');
    if (!/[\p{L}\p{N}]/u.test(term))
      throw new UserError(`"${value}" has no letters or digits to match papers with.`);
    return term;
  };
}

/** Text that must be there, with what to say when it is not. */
export function required(missing: string) {
  return (value: string | undefined): string => {
    if (!value) throw new UserError(missing);
    return value;
  };
}

/** Text that may be left out. */
export function optional(value: string | undefined): string | undefined {
  return value || undefined;
}

/** A paper as typed: an arXiv id or link, or the library's own id (`paper-…`); a UserError otherwise. */
export function paperReader(example: string) {
  return (value: string | undefined): string | undefined => {
    if (!value) return undefined;
    if (findArxivIds(value).length > 0 || parseArxivId(value) || /^paper-[0-9a-f]{6,}$/i.test(value))
      return value;
    throw new UserError(`"${value}" is not an arXiv id or paper link: e.g. \`${example}\`.`);
  };
}
