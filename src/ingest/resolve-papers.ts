import type { Db } from '../../db/client.js';
import { type PaperRow, paperRowsById as rowsById } from '../../db/repositories/papers.js';
import type { ArxivId } from '../domain/arxiv-id.js';
import { upsertPapers } from '../search/store.js';
import type { ArxivApi } from '../sources/arxiv-api.js';

/** The papers some ids name, in the order given; ids arXiv does not know either are listed apart. */
export interface ResolvedPapers {
  papers: PaperRow[];
  /** Base ids that are neither in the library nor on arXiv. */
  notFound: string[];
  /** Base ids not in the library that arXiv could not be asked about (it failed or could not be reached). */
  unreachable: string[];
  /** Why arXiv could not be asked, when it could not. */
  arxivError?: string;
}

/**
 * Turns arXiv ids (as `findArxivIds` finds them in a pasted message) into paper rows: papers already in the
 * library come from the database; the others are fetched from arXiv in one `id_list` lookup and stored,
 * so the next mention is free. A newer version than the one stored is fetched too, when the stored version
 * is known. When arXiv fails (network, error answer), nothing is stored: papers the library holds still
 * resolve (an older version stays), and the others are listed as unreachable.
 */
export async function resolvePapers(
  db: Db,
  ids: ArxivId[],
  arxiv: Pick<ArxivApi, 'lookup'>,
): Promise<ResolvedPapers> {
  const wanted = [...new Map(ids.map((id) => [id.id, id])).values()];
  if (wanted.length === 0) return { papers: [], notFound: [], unreachable: [] };
  const known = await rowsById(
    db,
    wanted.map((id) => id.id),
  );
  const missing = wanted.filter((id) => {
    const row = known.get(id.id);
    return !row || (id.version !== null && row.version !== null && row.version < id.version);
  });
  let arxivError: string | undefined;
  if (missing.length > 0) {
    try {
      const fetched = await arxiv.lookup(missing.map((id) => id.id));
      await upsertPapers(db, fetched.papers);
      for (const [id, row] of await rowsById(
        db,
        fetched.papers.map((p) => p.id),
      ))
        known.set(id, row);
    } catch (err) {
      arxivError = err instanceof Error ? err.message : String(err);
    }
  }
  const absent = wanted.filter((id) => !known.has(id.id)).map((id) => id.id);
  return {
    papers: wanted.flatMap((id) => known.get(id.id) ?? []),
    notFound: arxivError ? [] : absent,
    unreachable: arxivError ? absent : [],
    ...(arxivError ? { arxivError } : {}),
  };
}
