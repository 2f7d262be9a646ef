/** A judged query: graded relevance by title (2 = the paper sought, 1 = also relevant). */
export interface Judgment {
  query: string;
  relevant: Record<string, number>;
}

export interface Scores {
  ndcg: number;
  mrr: number;
  recall: number;
}

/** Titles compare whitespace-normalised and case-insensitive, as the judgments are written. */
export function titleKey(title: string): string {
  return title.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** nDCG@k (gain 2^grade − 1), MRR@k (first result with grade > 0) and Recall@k for one ranked list. */
export function scoreRanking(titles: string[], judgment: Judgment, k = 10): Scores {
  const grades = new Map(Object.entries(judgment.relevant).map(([t, g]) => [titleKey(t), g]));
  const top = titles.slice(0, k).map((t) => grades.get(titleKey(t)) ?? 0);
  const dcg = top.reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = [...grades.values()]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  const first = top.findIndex((g) => g > 0);
  const found = top.filter((g) => g > 0).length;
  const relevantCount = [...grades.values()].filter((g) => g > 0).length;
  return {
    ndcg: ideal > 0 ? dcg / ideal : 0,
    mrr: first >= 0 ? 1 / (first + 1) : 0,
    recall: relevantCount > 0 ? found / Math.min(relevantCount, k) : 0,
  };
}

export function mean(scores: Scores[]): Scores {
  const n = Math.max(1, scores.length);
  return {
    ndcg: scores.reduce((s, x) => s + x.ndcg, 0) / n,
    mrr: scores.reduce((s, x) => s + x.mrr, 0) / n,
    recall: scores.reduce((s, x) => s + x.recall, 0) / n,
  };
}

/** The q-quantile (0..1) of a list of numbers, nearest rank. */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

export function fmt(scores: Scores): string {
  return `nDCG@10 ${scores.ndcg.toFixed(3)}  MRR@10 ${scores.mrr.toFixed(3)}  Recall@10 ${scores.recall.toFixed(3)}`;
}
