import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import type { SearchHit } from '../core/types.js';
import { loadPaperViews } from '../papers/view.js';
import { votesFor, type Workspace } from '../votes/leaderboard.js';

export interface SearchOptions {
  limit: number;
  offset?: number;
  /** Whose team votes to show beside each hit. */
  workspace?: Workspace;
}

export interface SearchResult {
  hits: SearchHit[];
  total: number;
}

/** Splits a query into search words: letters and digits, lower-cased. */
export function queryWords(query: string): string[] {
  return (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 32);
}

/**
 * Full-text search over titles and abstracts. Papers matching every word rank first; a paper missing one
 * unusual word still appears below them rather than the query coming back empty.
 */
export async function searchPapers(db: Db, query: string, options: SearchOptions): Promise<SearchResult> {
  const words = queryWords(query);
  if (words.length === 0) return { hits: [], total: 0 };
  const anyWord = sql.join(
    words.map((w) => sql`plainto_tsquery('english', ${w})`),
    sql` || `,
  );
  const rows = await queryRows<{ id: string; score: number; total: number }>(
    db,
    sql`
      with q as (select (${anyWord}) as any_q, plainto_tsquery('english', ${words.join(' ')}) as all_q)
      select p.id,
             (case when p.search_vector @@ q.all_q then 1 else 0 end)
               + ts_rank_cd(p.search_vector, q.any_q, 1) as score,
             count(*) over () as total
      from papers p, q
      where numnode(q.any_q) > 0 and p.search_vector @@ q.any_q
      order by score desc, p.id
      limit ${options.limit} offset ${options.offset ?? 0}`,
  );
  const ids = rows.map((r) => r.id);
  const [views, votes] = await Promise.all([
    loadPaperViews(db, ids),
    options.workspace ? votesFor(db, options.workspace, ids) : Promise.resolve(new Map<string, number>()),
  ]);
  const hits = rows.flatMap((r) => {
    const paper = views.get(r.id);
    return paper ? [{ paper, score: Number(r.score), teamVotes: votes.get(r.id) ?? 0 }] : [];
  });
  return { hits, total: Number(rows[0]?.total ?? 0) };
}
