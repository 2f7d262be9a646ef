import { z } from 'zod';
import { isArxivCategory, suggestCategory } from '../domain/arxiv-categories.js';
import { type ArxivId, findArxivIds } from '../domain/arxiv-id.js';
import { addDays, isDay } from '../domain/days.js';
import { UserError } from '../domain/errors.js';
import type { IngestRequest, SourceName } from '../domain/ports.js';

/** The options of `papers ingest`, as commander hands them over. */
export interface IngestOptions {
  file?: string;
  source?: string;
  category?: string;
  from?: string;
  to?: string;
  by?: string;
  link?: string[];
}

/** One validated thing to ingest. */
export type IngestPlan =
  | { kind: 'file'; path: string }
  /** `notPapers`: the links that name no paper, reported while the others are read. */
  | { kind: 'links'; ids: ArxivId[]; notPapers: string[] }
  | { kind: 'source'; source: SourceName; request: IngestRequest };

/** Submissions are announced a day or two after they arrive: today alone would usually be empty. */
const ARXIV_DEFAULT_DAYS = 3;

const LINK_HELP =
  'give an arXiv id such as 2401.12345 or a link to arxiv.org, huggingface.co/papers, alphaxiv.org or doi.org/10.48550';

const day = (option: string) =>
  z.string().refine(isDay, { error: (i) => `${option} ${String(i.input)} is not a date: write YYYY-MM-DD` });

const optionsSchema = z
  .object({
    file: z.string().min(1, '--file needs a path').optional(),
    source: z
      .enum(['hf', 'arxiv', 'rss'], { error: (i) => `unknown source "${i.input}": use hf, arxiv or rss` })
      .optional(),
    category: z.string().optional(),
    from: day('--from').optional(),
    to: day('--to').optional(),
    by: z
      .enum(['day', 'week', 'month'], { error: (i) => `--by ${i.input} is not day, week or month` })
      .optional(),
    link: z.array(z.string()).optional(),
  })
  .strict();

/**
 * Checks `papers ingest` options before anything is opened or fetched: bad input is a UserError naming
 * what was wrong and what would work, and nothing is written.
 */
export function planIngest(raw: IngestOptions, context: { today: string; categories: string[] }): IngestPlan {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(parsed.error.issues[0]?.message ?? 'invalid options');
  const o = parsed.data;
  const chosen = [o.file && '--file', o.source && '--source', o.link && '--link'].filter(Boolean);
  if (chosen.length !== 1) {
    throw new UserError(
      chosen.length === 0
        ? 'say what to ingest: --file <path>, --source hf|arxiv|rss, or --link <url>'
        : `use one of ${chosen.join(', ')} at a time`,
    );
  }
  if (!o.source && (o.category || o.from || o.to || o.by)) {
    throw new UserError('--category, --from, --to and --by go with --source');
  }
  if (o.file) return { kind: 'file', path: o.file };
  if (o.link) return { kind: 'links', ...linkIds(o.link) };

  const source = o.source as SourceName;
  if (o.from && !o.to)
    throw new UserError(`--from needs --to as well, e.g. --from ${o.from} --to ${context.today}`);
  if (o.to && !o.from) throw new UserError(`--to needs --from as well, e.g. --from ${o.to} --to ${o.to}`);
  if (o.from && o.to && o.from > o.to) {
    throw new UserError(`the date range is backwards: --from ${o.from} is after --to ${o.to}`);
  }
  if (o.to && o.to > context.today) {
    throw new UserError(`--to ${o.to} is in the future (today is ${context.today} UTC)`);
  }
  if (source === 'rss' && o.from) {
    throw new UserError(
      "the arXiv RSS feed only has today's listing: drop --from/--to, or use --source arxiv",
    );
  }
  if (source === 'hf' && o.category) {
    throw new UserError(
      'Hugging Face Daily Papers has no categories: drop --category, or use --source arxiv',
    );
  }
  if (source !== 'hf' && o.by) throw new UserError('--by goes with --source hf');
  return {
    kind: 'source',
    source,
    request: {
      from:
        o.from ?? (source === 'arxiv' ? addDays(context.today, -(ARXIV_DEFAULT_DAYS - 1)) : context.today),
      to: o.to ?? context.today,
      categories: o.category ? categories(o.category) : context.categories,
      period: o.by ?? 'day',
    },
  };
}

function categories(text: string): string[] {
  const names = text.split(/[+,\s]+/).filter(Boolean);
  if (names.length === 0) throw new UserError('--category needs a category such as cs.CL, or cs.LG+cs.CL');
  for (const name of names) {
    if (isArxivCategory(name)) continue;
    const suggestion = suggestCategory(name);
    throw new UserError(
      `unknown arXiv category "${name}"${suggestion ? `: did you mean ${suggestion}?` : ': use one such as cs.CL, cs.LG or stat.ML'}`,
    );
  }
  return [...new Set(names)];
}

function linkIds(links: string[]): { ids: ArxivId[]; notPapers: string[] } {
  const ids: ArxivId[] = [];
  const notPapers: string[] = [];
  for (const link of links) {
    const found = findArxivIds(link);
    if (found.length === 0) notPapers.push(link);
    ids.push(...found);
  }
  if (ids.length === 0) {
    const named = notPapers.map((link) => `"${link}"`).join(', ');
    throw new UserError(
      `${named} ${notPapers.length === 1 ? 'is not a paper' : 'are not papers'}: ${LINK_HELP}`,
    );
  }
  return { ids, notPapers };
}
