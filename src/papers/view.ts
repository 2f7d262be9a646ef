import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { papers } from '../../db/schema.js';
import type { PaperView } from '../domain/types.js';

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
