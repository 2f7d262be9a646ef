import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import type { papers } from '../../db/schema.js';
import { addAcronyms } from '../search/acronyms.js';
import { type PaperWords, paperWords, searchVectors } from '../search/lexemes.js';
import { indexPapers } from '../search/vectors.js';
import { addToVocabulary } from '../search/vocabulary.js';
import type { PaperInput } from './normalise.js';

/** What one ingest did to the database. */
export interface UpsertCounts {
  new: number;
  updated: number;
  unchanged: number;
}

/** Rows per statement: one JSON parameter each, so there is no limit on bound parameters to respect. */
const BATCH_SIZE = 1000;

/**
 * Merges papers into the database in batches: a paper seen again updates its row (signals merged,
 * nothing known is forgotten), never duplicates it. Returns how many were new, updated, unchanged.
 */
export async function upsertPapers(db: Db, inputs: PaperInput[]): Promise<UpsertCounts> {
  const counts: UpsertCounts = { new: 0, updated: 0, unchanged: 0 };
  // Rows in id order: concurrent statements then lock shared rows in the same order and cannot deadlock.
  const unique = mergeDuplicates(inputs).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 0; i < unique.length; i += BATCH_SIZE) {
    const batch = unique.slice(i, i + BATCH_SIZE);
    // Words are cut once per paper, for its vectors and for the vocabulary.
    const words = new Map(batch.map((p) => [p.id, paperWords(p)]));
    const rows = await queryRows<{ id: string; inserted: boolean; indexed: boolean }>(
      db,
      upsertStatement(batch, words),
    );
    // A merge that kept stored text (an abstract the new sighting lacks) needs vectors of the merged text.
    const unindexed = rows.filter((r) => !r.indexed).map((r) => r.id);
    if (unindexed.length > 0) await indexPapers(db, { ids: unindexed });
    // What the library learns from the stored papers; only new ones add to the counts.
    const fresh = new Set(rows.filter((r) => r.inserted).map((r) => r.id));
    const stored = new Set(rows.map((r) => r.id));
    const newPapers = batch.filter((p) => fresh.has(p.id));
    const updatedPapers = batch.filter((p) => stored.has(p.id) && !fresh.has(p.id));
    const wordsOf = (list: MergedPaper[]) => list.map((p) => words.get(p.id)!);
    await addToVocabulary(db, wordsOf(newPapers), wordsOf(updatedPapers));
    await addAcronyms(db, newPapers, updatedPapers);
    counts.new += newPapers.length;
    counts.updated += updatedPapers.length;
    counts.unchanged += batch.length - rows.length;
  }
  return counts;
}

/**
 * One INSERT … ON CONFLICT for a whole batch, its rows passed as a single JSON parameter and unpacked by
 * jsonb_to_recordset: far cheaper to build and bind than thousands of placeholders.
 */
function upsertStatement(batch: MergedPaper[], words: Map<string, PaperWords>): SQL {
  const json = JSON.stringify(batch.map((p) => toRecord(p, words.get(p.id)!)));
  const columns = sql.raw(COLUMNS.map(([name]) => name).join(', '));
  const recordType = sql.raw(COLUMNS.map(([name, type]) => `${name} ${type}`).join(', '));
  const assignments = sql.join(
    [
      ...Object.entries(MERGED).map(
        ([key, value]) => sql`${sql.raw(COLUMN_NAMES[key as keyof typeof MERGED])} = ${value}`,
      ),
      // The vectors sent were cut from the text sent: right unless the merge kept some stored text.
      sql`search_vector = case when ${SAME_TEXT} then excluded.search_vector end`,
      sql`title_vector = case when ${SAME_TEXT} then excluded.title_vector end`,
      sql`updated_at = now()`,
    ],
    sql`, `,
  );
  return sql`insert into papers (${columns})
    select ${columns} from jsonb_to_recordset(${json}::jsonb) as x(${recordType})
    on conflict (id) do update set ${assignments}
    where ${CHANGED}
    returning papers.id, (xmax = 0) as inserted, papers.search_vector is not null as indexed`;
}

/** Every column a source fills, with its SQL type, in the order of the statement. */
const COLUMNS: [string, string][] = [
  ['id', 'text'],
  ['arxiv_id', 'text'],
  ['version', 'integer'],
  ['title', 'text'],
  ['abstract', 'text'],
  ['authors', 'jsonb'],
  ['categories', 'jsonb'],
  ['published_at', 'timestamptz'],
  ['url', 'text'],
  ['pdf_url', 'text'],
  ['thumbnail', 'text'],
  ['hf_upvotes', 'integer'],
  ['hf_comments', 'integer'],
  ['hf_featured_at', 'timestamptz'],
  ['ai_summary', 'text'],
  ['keywords', 'jsonb'],
  ['github_repo', 'text'],
  ['github_stars', 'integer'],
  ['project_page', 'text'],
  ['sources', 'jsonb'],
  ['search_vector', 'tsvector'],
  ['title_vector', 'tsvector'],
];

function toRecord(p: MergedPaper, words: PaperWords): Record<string, unknown> {
  const vectors = searchVectors(words);
  return {
    id: p.id,
    arxiv_id: p.arxivId,
    version: p.version,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    categories: p.categories,
    published_at: p.publishedAt,
    url: p.url,
    pdf_url: p.pdfUrl,
    thumbnail: p.thumbnail,
    hf_upvotes: p.hfUpvotes ?? 0,
    hf_comments: p.hfComments ?? 0,
    hf_featured_at: p.hfFeaturedAt,
    ai_summary: p.aiSummary,
    keywords: p.keywords,
    github_repo: p.githubRepo,
    github_stars: p.githubStars,
    project_page: p.projectPage,
    sources: p.sources,
    search_vector: vectors.searchVector,
    title_vector: vectors.titleVector,
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

/** True when the merged row keeps exactly the text that was sent, so the vectors sent describe it. */
const SAME_TEXT = sql`(excluded.title, excluded.abstract, excluded.keywords, excluded.authors)
  is not distinct from (${sql.join([MERGED.title, MERGED.abstract, MERGED.keywords, MERGED.authors], sql`, `)})`;

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

/** A paper as it goes into the statement: every source that reported it in this run. */
type MergedPaper = PaperInput & { sources: string[] };

/**
 * Two sightings of one paper in one run become one row (Postgres refuses to update a row twice in a
 * statement), merged the way the database merges: counts and version take the larger, the first
 * publication the earlier, everything else the latest non-empty value.
 */
function mergeDuplicates(inputs: PaperInput[]): MergedPaper[] {
  const byId = new Map<string, MergedPaper>();
  for (const input of inputs) {
    const prev = byId.get(input.id);
    if (!prev) {
      byId.set(input.id, { ...input, sources: [input.source] });
      continue;
    }
    const merged: MergedPaper = { ...prev };
    for (const [key, value] of Object.entries(input) as [keyof PaperInput, unknown][]) {
      const empty = value === null || value === '' || (Array.isArray(value) && value.length === 0);
      if (!empty) (merged as unknown as Record<string, unknown>)[key] = value;
    }
    merged.version = larger(prev.version, input.version);
    merged.hfUpvotes = larger(prev.hfUpvotes, input.hfUpvotes);
    merged.hfComments = larger(prev.hfComments, input.hfComments);
    merged.publishedAt =
      prev.publishedAt && input.publishedAt && prev.publishedAt < input.publishedAt
        ? prev.publishedAt
        : (input.publishedAt ?? prev.publishedAt);
    merged.sources = [...new Set([...prev.sources, input.source])].sort();
    byId.set(input.id, merged);
  }
  return [...byId.values()];
}

function larger(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
