import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { normalisePaper, type PaperInput } from '../ingest/normalise.js';
import { hfDailyItemSchema, hfItemToPaper, toDate } from './hf-schema.js';

/** A line or item that could not be read, with where and why. */
export interface SkippedItem {
  where: string;
  reason: string;
}

export interface ParsedFile {
  papers: PaperInput[];
  skipped: SkippedItem[];
}

/** One line of a papers JSON Lines file. */
const jsonlPaperSchema = z.object({
  title: z.string({ error: 'title is missing or not text' }).trim().min(1, 'title is empty'),
  abstract: z.string().default(''),
  id: z.string().nullish(),
  arxivId: z.string().nullish(),
  authors: z.union([z.array(z.string()), z.string()]).nullish(),
  publishedAt: z.string().nullish(),
  url: z.string().nullish(),
  upvotes: z.number().int().nonnegative().nullish(),
  categories: z.array(z.string()).nullish(),
});

/** Reads a JSON Lines file of papers or a Hugging Face daily_papers JSON array. */
export async function readPapersFile(path: string): Promise<ParsedFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(err as Error).message}`,
    );
  }
  return parsePapersText(text);
}

export function parsePapersText(text: string): ParsedFile {
  return text.trimStart().startsWith('[') ? parseHfJson(text) : parseJsonLines(text);
}

function parseHfJson(text: string): ParsedFile {
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch (err) {
    throw new UserError(`the file looks like a JSON array but is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(items)) throw new UserError('the file is JSON but not an array of Hugging Face papers');
  const papers: PaperInput[] = [];
  const skipped: SkippedItem[] = [];
  items.forEach((raw: unknown, index) => {
    const where = `item ${index + 1}`;
    const parsed = hfDailyItemSchema.safeParse(raw);
    const paper = parsed.success ? hfItemToPaper(parsed.data) : null;
    if (paper) papers.push(paper);
    else skipped.push({ where, reason: parsed.success ? 'no title' : describeZodError(parsed.error) });
  });
  return { papers, skipped };
}

function parseJsonLines(text: string): ParsedFile {
  const papers: PaperInput[] = [];
  const skipped: SkippedItem[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const where = `line ${index + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      skipped.push({ where, reason: 'not valid JSON' });
      return;
    }
    const parsed = jsonlPaperSchema.safeParse(raw);
    if (!parsed.success) {
      skipped.push({ where, reason: describeZodError(parsed.error) });
      return;
    }
    const row = parsed.data;
    papers.push(
      normalisePaper({
        anyId: row.arxivId ?? row.id ?? null,
        title: row.title,
        abstract: row.abstract,
        authors: typeof row.authors === 'string' ? row.authors.split(/,\s*/) : (row.authors ?? []),
        categories: row.categories ?? [],
        publishedAt: toDate(row.publishedAt),
        url: row.url ?? null,
        hfUpvotes: row.upvotes ?? null,
        source: 'file',
      }),
    );
  });
  return { papers, skipped };
}

export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
