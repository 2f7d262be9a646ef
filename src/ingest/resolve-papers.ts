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
}

/**
 * Turns arXiv ids (as `findArxivIds` finds them in a pasted message) into paper rows: papers already in the
 * library come from the database; the others are fetched from arXiv in one `id_list` lookup and stored,
 * so the next mention is free. A newer version than the one stored is fetched too. An arXiv failure
 * (network, error answer) is thrown as a SourceError / SourceFormatError and nothing is stored.
 */
export async function resolvePapers(
  db: Db,
  ids: ArxivId[],
  arxiv: Pick<ArxivApi, 'lookup'>,
): Promise<ResolvedPapers> {
  const wanted = [...new Map(ids.map((id) => [id.id, id])).values()];
  if (wanted.length === 0) return { papers: [], notFound: [] };
  const known = await rowsById(
    db,
    wanted.map((id) => id.id),
  );
  const missing = wanted.filter((id) => {
    const row = known.get(id.id);
    return !row || (id.version !== null && (row.version ?? 0) < id.version);
  });
  if (missing.length > 0) {
    const fetched = await arxiv.lookup(missing.map((id) => id.id));
    await upsertPapers(db, fetched.papers);
    for (const [id, row] of await rowsById(
      db,
      fetched.papers.map((p) => p.id),
    ))
      known.set(id, row);
  }
  return {
    papers: wanted.flatMap((id) => known.get(id.id) ?? []),
    notFound: wanted.filter((id) => !known.has(id.id)).map((id) => id.id),
  };
}
