import { z } from 'zod';
import { describeZodError } from '../domain/errors.js';
import { normalisePaper, type PaperInput } from '../domain/paper-input.js';
import type { SkippedItem } from '../domain/ports.js';
import { toDate } from './hf-schema.js';
import { SourceFormatError } from './http-client.js';
import { parseXml, xmlText } from './xml.js';

const entrySchema = z.object({
  id: xmlText,
  title: xmlText.refine((t) => t.trim() !== '', 'title is empty'),
  summary: xmlText.optional(),
  published: xmlText.optional(),
  updated: xmlText.optional(),
  author: z.array(z.object({ name: xmlText.optional() }).passthrough()).optional(),
  category: z.array(z.object({ '@term': z.string() }).passthrough()).optional(),
  primary_category: z.object({ '@term': z.string() }).passthrough().optional(),
  comment: xmlText.optional(),
  link: z
    .array(z.object({ '@href': z.string(), '@rel': z.string().optional(), '@title': z.string().optional() }))
    .optional(),
});

const feedSchema = z.object({
  feed: z.object({
    totalResults: xmlText.optional(),
    entry: z.array(z.unknown()).optional(),
  }),
});

/** One page of an arXiv API answer. */
export interface AtomPage {
  /** How many entries the whole query has (opensearch:totalResults), when the feed says. */
  total: number | null;
  /** How many entries this page held, readable or not: paging goes by it. */
  entries: number;
  papers: PaperInput[];
  skipped: SkippedItem[];
}

/**
 * Reads an arXiv API Atom feed. A feed that is not one, or that reports an error (the old backend
 * answered errors with HTTP 200 and a single entry titled "Error"), is a SourceFormatError: nothing of
 * it may be stored. A malformed entry is only skipped.
 */
export function parseArxivAtom(xml: string): AtomPage {
  const parsed = feedSchema.safeParse(parseXml(xml, 'the arXiv API answer'));
  if (!parsed.success) throw new SourceFormatError('the arXiv API answer is not an Atom feed');
  const raw = parsed.data.feed.entry ?? [];
  const papers: PaperInput[] = [];
  const skipped: SkippedItem[] = [];
  raw.forEach((item, index) => {
    const entry = entrySchema.safeParse(item);
    if (!entry.success) {
      skipped.push({ where: `entry ${index + 1}`, reason: describeZodError(entry.error) });
      return;
    }
    if (isErrorEntry(entry.data)) {
      throw new SourceFormatError(`arXiv reported an error: ${entry.data.summary ?? 'no details'}`);
    }
    const paper = entryToPaper(entry.data);
    if (paper) papers.push(paper);
    else skipped.push({ where: `entry ${index + 1}`, reason: `no arXiv id in ${entry.data.id}` });
  });
  const total = Number(parsed.data.feed.totalResults);
  return { total: Number.isFinite(total) ? total : null, entries: raw.length, papers, skipped };
}

type Entry = z.infer<typeof entrySchema>;

function isErrorEntry(entry: Entry): boolean {
  return entry.title.trim() === 'Error' && /\/api\/errors/.test(entry.id);
}

function entryToPaper(entry: Entry): PaperInput | null {
  const anyId = /arxiv\.org\/abs\/(.+)$/.exec(entry.id.trim())?.[1];
  if (!anyId) return null;
  const primary = entry.primary_category?.['@term'];
  const categories = (entry.category ?? []).map((c) => c['@term']);
  const paper = normalisePaper({
    anyId,
    title: entry.title,
    abstract: entry.summary ?? '',
    authors: (entry.author ?? []).map((a) => a.name ?? ''),
    categories: primary ? [primary, ...categories.filter((c) => c !== primary)] : categories,
    publishedAt: toDate(entry.published),
    arxivComment: entry.comment ?? null,
    source: 'arxiv',
  });
  return paper.arxivId ? paper : null;
}
