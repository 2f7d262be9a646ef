import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { papers } from '../../db/schema.js';
import { addToVocabulary } from '../search/vocabulary.js';
import type { PaperInput } from './normalise.js';

/** What one ingest did to the database. */
export interface UpsertCounts {
  new: number;
  updated: number;
  unchanged: number;
}

const BATCH_SIZE = 500;

/**
 * Merges papers into the database in batches: a paper seen again updates its row (signals merged,
 * nothing known is forgotten), never duplicates it. Returns how many were new, updated, unchanged.
 */
export async function upsertPapers(db: Db, inputs: PaperInput[]): Promise<UpsertCounts> {
  const counts: UpsertCounts = { new: 0, updated: 0, unchanged: 0 };
  const unique = mergeDuplicates(inputs);
  for (let i = 0; i < unique.length; i += BATCH_SIZE) {
    const batch = unique.slice(i, i + BATCH_SIZE);
    const rows = await db
      .insert(papers)
      .values(batch.map(toRow))
      .onConflictDoUpdate({
        target: papers.id,
        set: { ...MERGED, updatedAt: sql`now()` },
        setWhere: CHANGED,
      })
      .returning({ id: papers.id, inserted: sql<boolean>`(xmax = 0)` });
    const inserted = rows.filter((r) => r.inserted).length;
    await addToVocabulary(
      db,
      rows.filter((r) => r.inserted).map((r) => r.id),
      rows.filter((r) => !r.inserted).map((r) => r.id),
    );
    counts.new += inserted;
    counts.updated += rows.length - inserted;
    counts.unchanged += batch.length - rows.length;
  }
  return counts;
}

function toRow(p: PaperInput): typeof papers.$inferInsert {
  return {
    id: p.id,
    arxivId: p.arxivId,
    version: p.version,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    categories: p.categories,
    publishedAt: p.publishedAt,
    url: p.url,
    pdfUrl: p.pdfUrl,
    thumbnail: p.thumbnail,
    hfUpvotes: p.hfUpvotes ?? 0,
    hfComments: p.hfComments ?? 0,
    hfFeaturedAt: p.hfFeaturedAt,
    aiSummary: p.aiSummary,
    keywords: p.keywords,
    githubRepo: p.githubRepo,
    githubStars: p.githubStars,
    projectPage: p.projectPage,
    sources: [p.source],
  };
}

const keep = (column: string): SQL => sql.raw(`coalesce(excluded.${column}, papers.${column})`);
const keepNonEmpty = (column: string): SQL =>
  sql.raw(
    `case when jsonb_array_length(excluded.${column}) > 0 then excluded.${column} else papers.${column} end`,
  );

/** How each column of an existing row absorbs a new sighting of the paper. */
const MERGED = {
  arxivId: keep('arxiv_id'),
  version: sql.raw('greatest(papers.version, excluded.version)'),
  title: sql.raw('excluded.title'),
  abstract: sql.raw(`case when excluded.abstract <> '' then excluded.abstract else papers.abstract end`),
  authors: keepNonEmpty('authors'),
  categories: keepNonEmpty('categories'),
  publishedAt: sql.raw('least(papers.published_at, excluded.published_at)'),
  url: keep('url'),
  pdfUrl: keep('pdf_url'),
  thumbnail: keep('thumbnail'),
  hfUpvotes: sql.raw('greatest(papers.hf_upvotes, excluded.hf_upvotes)'),
  hfComments: sql.raw('greatest(papers.hf_comments, excluded.hf_comments)'),
  hfFeaturedAt: keep('hf_featured_at'),
  aiSummary: keep('ai_summary'),
  keywords: keepNonEmpty('keywords'),
  githubRepo: keep('github_repo'),
  githubStars: keep('github_stars'),
  projectPage: keep('project_page'),
  sources: sql.raw(
    '(select jsonb_agg(distinct s order by s) from jsonb_array_elements_text(papers.sources || excluded.sources) s)',
  ),
} satisfies Partial<Record<keyof typeof papers.$inferInsert, SQL>>;

const COLUMN_NAMES: Record<keyof typeof MERGED, string> = {
  arxivId: 'arxiv_id',
  version: 'version',
  title: 'title',
  abstract: 'abstract',
  authors: 'authors',
  categories: 'categories',
  publishedAt: 'published_at',
  url: 'url',
  pdfUrl: 'pdf_url',
  thumbnail: 'thumbnail',
  hfUpvotes: 'hf_upvotes',
  hfComments: 'hf_comments',
  hfFeaturedAt: 'hf_featured_at',
  aiSummary: 'ai_summary',
  keywords: 'keywords',
  githubRepo: 'github_repo',
  githubStars: 'github_stars',
  projectPage: 'project_page',
  sources: 'sources',
};

/** Update only when the merge changes something, so "unchanged" is counted and rows are not rewritten. */
const CHANGED = sql.join(
  [
    sql.raw(
      `(${Object.values(COLUMN_NAMES)
        .map((c) => `papers.${c}`)
        .join(', ')})`,
    ),
    sql.raw('is distinct from'),
    sql`(${sql.join(Object.values(MERGED), sql`, `)})`,
  ],
  sql` `,
);

/** Two sightings of one paper in one batch become one row (Postgres refuses to update a row twice). */
function mergeDuplicates(inputs: PaperInput[]): PaperInput[] {
  const byId = new Map<string, PaperInput>();
  for (const input of inputs) {
    const prev = byId.get(input.id);
    if (!prev) {
      byId.set(input.id, input);
      continue;
    }
    const merged: PaperInput = { ...prev };
    for (const [key, value] of Object.entries(input) as [keyof PaperInput, unknown][]) {
      const empty = value === null || value === '' || (Array.isArray(value) && value.length === 0);
      if (!empty) (merged as unknown as Record<string, unknown>)[key] = value;
    }
    merged.hfUpvotes =
      Math.max(prev.hfUpvotes ?? 0, input.hfUpvotes ?? 0) || prev.hfUpvotes || input.hfUpvotes;
    byId.set(input.id, merged);
  }
  return [...byId.values()];
}
