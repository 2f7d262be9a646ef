import MiniSearch from 'minisearch';

export interface BaselineDoc {
  id: string;
  title: string;
  abstract: string;
}

/**
 * The baseline: minisearch, an in-memory BM25 index, with fuzzy and prefix matching and the title
 * weighted double, as a team might set it up in an afternoon.
 */
export function buildBaseline(docs: BaselineDoc[]) {
  const index = new MiniSearch<BaselineDoc>({
    fields: ['title', 'abstract'],
    storeFields: ['title'],
    searchOptions: { boost: { title: 2 }, fuzzy: 0.2, prefix: true },
  });
  index.addAll(docs);
  return {
    search(query: string, limit = 10): string[] {
      return index
        .search(query)
        .slice(0, limit)
        .map((r) => String(r.title));
    },
  };
}
