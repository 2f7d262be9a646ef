import { type SQL, sql } from 'drizzle-orm';
import { BinaryCopyWriter, copyBinary, throughStaging } from '../../db/binary-copy.js';
import { type Db, queryRows } from '../../db/client.js';
import type { papers } from '../../db/schema.js';
import type { PaperInput } from '../domain/paper-input.js';
import { addAcronyms } from './acronyms.js';
import {
  type PaperWords,
  paperWords,
  searchVector,
  titleVector,
  type VectorLayout,
  wordCounts,
} from './lexemes.js';
import { indexPapers } from './vectors.js';
import { addToVocabulary } from './vocabulary.js';

/** What one ingest did to the database. */
export interface UpsertCounts {
  new: number;
  updated: number;
  unchanged: number;
}

/** Papers per COPY and statement. */
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
    const { data, vocabulary } = encodeBatch(batch);
    const rows = await storeBatch(db, batch, data);
    // A merge that kept stored text (an abstract the new sighting lacks) needs vectors of the merged text.
    const unindexed = rows.filter((r) => !r.indexed).map((r) => r.id);
    if (unindexed.length > 0) await indexPapers(db, { ids: unindexed });
    // What the library learns from the stored papers; only new ones add to the counts.
    const fresh = new Set(rows.filter((r) => r.inserted).map((r) => r.id));
    const stored = new Set(rows.map((r) => r.id));
    const newPapers = batch.filter((p) => fresh.has(p.id));
    const updatedPapers = batch.filter((p) => stored.has(p.id) && !fresh.has(p.id));
    // The batch's counts assumed every paper new; with papers seen before, the words are cut again.
    await addToVocabulary(
      db,
      newPapers.length === batch.length
        ? vocabulary
        : wordCounts(newPapers.map(paperWords), updatedPapers.map(paperWords)),
    );
    await addAcronyms(db, newPapers, updatedPapers);
    counts.new += newPapers.length;
    counts.updated += updatedPapers.length;
    counts.unchanged += batch.length - rows.length;
  }
  return counts;
}

/** A paper the statement stored: whether it was new, and whether its vectors describe its text. */
interface StoredRow {
  id: string;
  inserted: boolean;
  indexed: boolean;
}

/**
 * Stores one encoded batch; papers it left unchanged are not in the rows returned. A batch of papers none
 * of which is stored yet, as in a backfill, is copied straight into papers, which costs the server about
 * a tenth less than staging it and merging. Should another writer store one of them meanwhile, that COPY
 * fails as a whole, and the batch is merged instead.
 */
async function storeBatch(db: Db, batch: MergedPaper[], data: Buffer[]): Promise<StoredRow[]> {
  const ids = JSON.stringify(batch.map((p) => p.id));
  const known = await queryRows(
    db,
    sql`select 1 from papers where id = any(array(select jsonb_array_elements_text(${ids}::jsonb))) limit 1`,
  );
  if (known.length === 0) {
    try {
      // In a savepoint when the caller holds a transaction, which a failed COPY would otherwise end. A
      // writer that has stored one of these papers and not yet committed holds the COPY as long as it
      // takes, as it would hold the merge.
      await db.transaction((tx) =>
        copyBinary(tx as unknown as Db, `papers (${COLUMN_LIST})`, data, {
          timeoutMs: Number.POSITIVE_INFINITY,
        }),
      );
      return batch.map((p) => ({ id: p.id, inserted: true, indexed: true }));
    } catch (err) {
      if ((err as { code?: unknown }).code !== UNIQUE_VIOLATION) throw err;
    }
  }
  return throughStaging<StoredRow>(db, STAGING, data, UPSERT);
}

const UNIQUE_VIOLATION = '23505';

/**
 * Every column a source fills, in the order of the staging table, with how a paper gives its value.
 * The vectors sent are cut from the text sent.
 */
const COLUMNS: Column[] = [
  ['id', 'text', (p) => p.id],
  ['arxiv_id', 'text', (p) => p.arxivId],
  ['version', 'integer', (p) => p.version],
  ['title', 'text', (p) => p.title],
  ['abstract', 'text', (p) => p.abstract],
  ['authors', 'jsonb', (p) => p.authors],
  ['categories', 'jsonb', (p) => p.categories],
  ['published_at', 'timestamptz', (p) => p.publishedAt],
  ['url', 'text', (p) => p.url],
  ['pdf_url', 'text', (p) => p.pdfUrl],
  ['thumbnail', 'text', (p) => p.thumbnail],
  ['hf_upvotes', 'integer', (p) => p.hfUpvotes ?? 0],
  ['hf_comments', 'integer', (p) => p.hfComments ?? 0],
  ['hf_featured_at', 'timestamptz', (p) => p.hfFeaturedAt],
  ['ai_summary', 'text', (p) => p.aiSummary],
  ['keywords', 'jsonb', (p) => p.keywords],
  ['github_repo', 'text', (p) => p.githubRepo],
  ['github_stars', 'integer', (p) => p.githubStars],
  ['project_page', 'text', (p) => p.projectPage],
  ['arxiv_comment', 'text', (p) => p.arxivComment],
  ['sources', 'jsonb', (p) => p.sources],
  ['search_vector', 'tsvector', (_, words) => searchVector(words)],
  ['title_vector', 'tsvector', (_, words) => titleVector(words)],
];

type ColumnValue = {
  text: string | null;
  integer: number | null;
  timestamptz: Date | null;
  jsonb: string[];
  tsvector: VectorLayout;
};
type Column = {
  [T in keyof ColumnValue]: [name: string, type: T, value: (p: MergedPaper, w: PaperWords) => ColumnValue[T]];
}[keyof ColumnValue];

/**
 * The batch as binary COPY rows of the staging table, and the words it would add to the vocabulary if
 * every paper were new. Words are cut once per paper, for its vectors and the vocabulary, and are not
 * kept while the database works: the vocabulary needs only the counts.
 */
function encodeBatch(batch: MergedPaper[]): { data: Buffer[]; vocabulary: Map<string, number> } {
  const out = new BinaryCopyWriter(COLUMNS.length);
  const words = batch.map(paperWords);
  batch.forEach((paper, i) => {
    out.row();
    for (const [, type, value] of COLUMNS) {
      // The tuple's type and value function vary together; TypeScript cannot follow that through a switch.
      const v = value(paper, words[i]!) as never;
      if (type === 'text') out.text(v);
      else if (type === 'integer') out.int4(v);
      else if (type === 'timestamptz') out.timestamptz(v);
      else if (type === 'jsonb') out.jsonbStrings(v);
      // A vector is laid out just before it is written, as a layout must be.
      else out.tsvector(v);
    }
  });
  return { data: out.finish(), vocabulary: wordCounts(words) };
}

const COLUMN_LIST = COLUMNS.map(([name]) => name).join(', ');

/** Where a batch waits between its COPY and the statement that merges it. */
const STAGING = {
  table: 'incoming_papers',
  columns: COLUMNS.map(([name, type]) => `${name} ${type}`).join(', '),
};
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
  arxivComment: keep('arxiv_comment'),
  // A version above the one stored, or code where there was none: when they arrived, for the alerts.
  versionSeenAt: sql.raw(
    'case when excluded.version > papers.version then now() else papers.version_seen_at end',
  ),
  codeSeenAt: sql.raw(
    'case when papers.github_repo is null and excluded.github_repo is not null then now() else papers.code_seen_at end',
  ),
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
  arxivComment: 'arxiv_comment',
  versionSeenAt: 'version_seen_at',
  codeSeenAt: 'code_seen_at',
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

/**
 * Moves the staged batch into papers: new papers inserted, known ones merged, in id order so that
 * concurrent batches lock shared rows alike and cannot deadlock.
 */
const UPSERT = sql`with incoming as (delete from incoming_papers returning *)
  insert into papers (${sql.raw(COLUMN_LIST)})
  select ${sql.raw(COLUMN_LIST)} from incoming order by id
  on conflict (id) do update set ${sql.join(
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
  )}
  where ${CHANGED}
  returning papers.id, (xmax = 0) as inserted, papers.search_vector is not null as indexed`;

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
