import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { describeZodError, UserError } from '../domain/errors.js';
import { normalisePaper, type PaperInput } from '../domain/paper-input.js';
import type { SkippedItem } from '../domain/ports.js';
import { countSchema, hfDailyItemSchema, hfItemToPaper, toDate } from './hf-schema.js';

export interface ParsedFile {
  papers: PaperInput[];
  skipped: SkippedItem[];
}

/** One line of a papers JSON Lines file. */
const jsonlPaperSchema = z.object({
  title: z.string({ error: 'missing or not text' }).trim().min(1, 'empty'),
  abstract: z.string().default(''),
  id: z.string().nullish(),
  arxivId: z.string().nullish(),
  authors: z.union([z.array(z.string()), z.string()]).nullish(),
  publishedAt: z
    .string()
    .refine((v) => !Number.isNaN(new Date(v).getTime()), {
      error: (i) =>
        `"${String(i.input)}" is not a date: write 2026-06-11 or an ISO time such as 2026-06-11T09:00:00Z`,
    })
    .nullish(),
  url: z.string().nullish(),
  upvotes: countSchema.nullish(),
  categories: z.array(z.string()).nullish(),
});

/**
 * Reads a JSON Lines file of papers (or a Hugging Face daily_papers JSON array) in chunks, so a large file
 * never sits in memory whole and storing one chunk can overlap reading the next.
 */
export async function* readPapersFileInChunks(path: string, chunkSize = 5_000): AsyncGenerator<ParsedFile> {
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let chunk: ParsedFile = { papers: [], skipped: [] };
  let jsonArray: string[] | null = null;
  let lineNumber = 0;
  let seenContent = false;
  try {
    for await (const line of lines) {
      lineNumber += 1;
      if (jsonArray) {
        jsonArray.push(line);
        continue;
      }
      if (!line.trim()) continue;
      if (!seenContent && line.trimStart().startsWith('[')) {
        jsonArray = [line];
        continue;
      }
      seenContent = true;
      const parsed = parseJsonLine(line, `line ${lineNumber}`);
      if ('reason' in parsed) chunk.skipped.push(parsed);
      else chunk.papers.push(parsed);
      if (chunk.papers.length + chunk.skipped.length >= chunkSize) {
        yield chunk;
        chunk = { papers: [], skipped: [] };
      }
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(err as Error).message}`,
    );
  }
  yield jsonArray ? parseHfJson(jsonArray.join('\n')) : chunk;
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
  const result: ParsedFile = { papers: [], skipped: [] };
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const parsed = parseJsonLine(line, `line ${index + 1}`);
    if ('reason' in parsed) result.skipped.push(parsed);
    else result.papers.push(parsed);
  });
  return result;
}

function parseJsonLine(line: string, where: string): PaperInput | SkippedItem {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { where, reason: 'not valid JSON' };
  }
  const parsed = jsonlPaperSchema.safeParse(raw);
  if (!parsed.success) return { where, reason: describeZodError(parsed.error) };
  const row = parsed.data;
  return normalisePaper({
    anyId: row.arxivId ?? row.id ?? null,
    title: row.title,
    abstract: row.abstract,
    authors: typeof row.authors === 'string' ? row.authors.split(/,\s*/) : (row.authors ?? []),
    categories: row.categories ?? [],
    publishedAt: toDate(row.publishedAt),
    url: row.url ?? null,
    hfUpvotes: row.upvotes ?? null,
    source: 'file',
  });
}
