import { eq, inArray, sql } from 'drizzle-orm';
import type { PaperView } from '../../src/domain/types.js';
import type { Db } from '../client.js';
import { papers } from '../schema.js';

export type PaperRow = typeof papers.$inferSelect;

/** The columns a paper view is made of: not the search vectors, which are large and unused here. */
export const VIEW_COLUMNS = {
  id: papers.id,
  arxivId: papers.arxivId,
  title: papers.title,
  authors: papers.authors,
  abstract: papers.abstract,
  aiSummary: papers.aiSummary,
  publishedAt: papers.publishedAt,
  url: papers.url,
  pdfUrl: papers.pdfUrl,
  githubRepo: papers.githubRepo,
  thumbnail: papers.thumbnail,
  hfUpvotes: papers.hfUpvotes,
  categories: papers.categories,
  keywords: papers.keywords,
};

export type ViewRow = Pick<PaperRow, keyof typeof VIEW_COLUMNS>;

/** What chat messages show of a paper row. */
export function toPaperView(row: ViewRow): PaperView {
  return {
    id: row.id,
    arxivId: row.arxivId,
    title: row.title,
    authors: row.authors,
    abstract: row.abstract,
    summary: row.aiSummary ?? (firstSentences(row.abstract, 2) || null),
    publishedAt: row.publishedAt,
    url: row.url,
    pdfUrl: row.pdfUrl,
    hfUrl: row.arxivId ? `https://huggingface.co/papers/${row.arxivId}` : null,
    codeUrl: row.githubRepo,
    thumbnail: row.thumbnail,
    hfUpvotes: row.hfUpvotes,
    categories: row.categories,
    keywords: row.keywords,
  };
}

/** The first sentences of a text, for a summary that fits two lines. */
export function firstSentences(text: string, count: number): string {
  const sentences: string[] = [];
  // Matched lazily: only as far into the text as the sentences wanted.
  for (const match of text.matchAll(/[^.!?]+[.!?]+(?=\s|$)|[^.!?]+$/g)) {
    if (sentences.push(match[0]) >= count) break;
  }
  return sentences.join('').trim();
}

/** Loads papers by id, in the order of the ids given. */
export async function loadPaperViews(db: Db, ids: string[]): Promise<Map<string, PaperView>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select(VIEW_COLUMNS).from(papers).where(inArray(papers.id, ids));
  return new Map(rows.map((r) => [r.id, toPaperView(r)]));
}

/** Whole rows by id (any order); absent ids are left out. */
export async function paperRowsById(db: Db, ids: string[]): Promise<Map<string, PaperRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(papers).where(inArray(papers.id, ids));
  return new Map(rows.map((row) => [row.id, row]));
}

/** Which of these ids the library holds. */
export async function knownPaperIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: papers.id }).from(papers).where(inArray(papers.id, ids));
  return new Set(rows.map((r) => r.id));
}

/** Whether the library holds a paper with this id. */
export async function paperExists(db: Db, id: string): Promise<boolean> {
  const [row] = await db.select({ id: papers.id }).from(papers).where(eq(papers.id, id)).limit(1);
  return row !== undefined;
}

/** How many papers the library holds. */
export async function countPapers(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(papers);
  return row?.n ?? 0;
}
