import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import { discussedAmong } from '../../db/repositories/discussions.js';
import { toPaperView } from '../../db/repositories/papers.js';
import { sharersOf } from '../../db/repositories/shares.js';
import { votesFor } from '../../db/repositories/votes.js';
import { UserError } from '../domain/errors.js';
import type { SearchHit, Workspace } from '../domain/types.js';
import { findCandidates } from './candidates.js';
import { commonNameWords, filterConditions } from './filters.js';
import { quoteLexeme, textLexemes } from './lexemes.js';
import { containsPhrase, exactTerm, type Phrase, toPhrase } from './phrase.js';
import { hasCriteria, parseSearchQuery, type SearchQuery, textWords } from './query.js';
import { averageLengths, loadCandidates, popularityBoost, relevance } from './rank.js';
import { literally, rarestWords, resolveExact, resolveTerms, type Term } from './terms.js';

export interface SearchOptions {
  pageSize: number;
  /** Whose team votes count beside each hit and in `sort:votes`. */
  workspace?: Workspace;
  /** For relative dates (`since:7d`). */
  now?: Date;
}

export interface SearchResult {
  query: SearchQuery;
  hits: SearchHit[];
  /** Position of the first hit in the whole list. */
  offset: number;
  /** How many results were ranked; with `more`, there are further, weaker ones. */
  total: number;
  more: boolean;
  /** What the user should know: corrected words, ignored words, repaired syntax. */
  notes: string[];
  /** When nothing matched: the titles closest to what was typed. */
  suggestions: string[];
}

/** Terms a search uses: a longer query (a pasted abstract) is cut to its rarest words. */
const MAX_TERMS = 12;

/** Results ranked per search; paging beyond them is rarely useful and would cost more. */
const MAX_RANKED = 100;

/**
 * Searches the library with the query language (see help.ts). Candidates come from bounded index
 * lookups (candidates.ts); at most MAX_RANKED of them are ranked, by text first and popularity last.
 */
export async function searchPapers(
  db: Db,
  input: string | SearchQuery,
  options: SearchOptions,
): Promise<SearchResult> {
  const now = options.now ?? new Date();
  const query = typeof input === 'string' ? parseSearchQuery(input, now) : input;
  if (!hasCriteria(query)) {
    throw new UserError(
      [
        'I found no words to search for.',
        ...query.notes,
        'Try words from a title or topic, e.g. `/papers search kv cache compression`, or see `/papers help search`.',
      ].join(' '),
    );
  }
  return indexedReads(db, (tx) => runSearch(tx, query, options));
}

/**
 * Runs the reads of one search with sequential scans ruled out. Every query here has an index to use,
 * but with a LIMIT and a word the statistics think common, the planner may prefer walking the table
 * and stopping early, which takes seconds when the matches are in fact rare. The trigram threshold is
 * lowered so a swap of two letters (`moedl`) still reaches its word; edit distance then decides.
 * Parallel workers and JIT compilation are off: every statement here is a few bounded lookups, which
 * starting workers or compiling would only slow down (ruling out sequential scans inflates plan costs
 * past the JIT threshold, and compiling then takes hundreds of milliseconds).
 */
async function indexedReads<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('enable_seqscan', 'off', true), set_config('pg_trgm.similarity_threshold', '0.2', true),
            set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)`,
    );
    return work(tx as unknown as Db);
  });
}

async function runSearch(db: Db, query: SearchQuery, options: SearchOptions): Promise<SearchResult> {
  const offset = (query.page - 1) * options.pageSize;
  // A long query is first narrowed to its rarest words with one cheap lookup: resolving each of 48
  // words (typos, prefixes, acronyms) costs more than the search itself.
  const words =
    query.words.length > MAX_TERMS ? await rarestWords(db, query.words, MAX_TERMS + 4) : query.words;
  const resolved = await resolveTerms(db, words, query.lastWordOpen && words.at(-1) === query.words.at(-1));
  const { stopWords, unknown } = resolved;
  const notes = [...query.notes];
  let terms = resolved.terms;
  if (terms.length > MAX_TERMS) {
    const telling = new Set([...terms].sort((a, b) => b.weight - a.weight).slice(0, MAX_TERMS));
    terms = terms.filter((t) => telling.has(t));
    notes.push(
      `That is a long query: I searched for its ${MAX_TERMS} most telling words (${terms.map((t) => t.word).join(', ')}).`,
    );
  }
  const alsoMatching = terms.filter((t) => t.correctedTo.length + t.expandedTo.length > 0);
  if (alsoMatching.length > 0) {
    const matched = (t: Term) => [...t.correctedTo, ...t.expandedTo].join('/');
    notes.push(`Also matching ${alsoMatching.map((t) => `${matched(t)} for “${t.word}”`).join(', ')}.`);
  }
  if (unknown.length > 0) notes.push(`No paper contains ${unknown.map((w) => `“${w}”`).join(', ')}.`);
  const empty = { query, hits: [], offset, total: 0, more: false, notes, suggestions: [] };
  const onlyStopWords = terms.length === 0 && stopWords.length > 0 && !hasCriteria({ ...query, words: [] });
  if (onlyStopWords) {
    notes.push(
      `“${stopWords.join(' ')}” only has words too common to search on. Add a word that says what the paper is about.`,
    );
    return empty;
  }
  // Words were given and the library has none of them: whatever the filters, nothing can match.
  if (terms.length > 0 && terms.every((t) => unknown.includes(t.word))) {
    return { ...empty, suggestions: await closestTitles(db, query.words.join(' '), []) };
  }

  const want = Math.min(MAX_RANKED, Math.max(50, offset + 2 * options.pageSize));
  const literal = new Map(terms.map((t) => [t.word, literally(t)]));
  const phrases = query.phrases
    .map((words) => toPhrase(words, (word) => literal.get(word)))
    .filter((p) => p.length > 1);
  const phraseTerms = [...new Set(phrases.flatMap((p) => p.map((part) => part.term)))];
  const exactStems = resolveExact([...new Set(query.excluded.flat())]);
  const exclusions = query.excluded
    .map((words) => toPhrase(words, (w) => exactTerm(w, exactStems.get(w) ?? [])))
    .filter((p) => p.length > 0);
  // A word no paper contains would only empty every probe it is part of.
  const probeTerms = terms.filter(
    (t) => !phraseTerms.some((p) => p.word === t.word) && !unknown.includes(t.word),
  );
  const commonNames = await commonNameWords(db, query);
  const ids = await findCandidates(db, probeTerms, {
    filters: filterConditions(query, commonNames),
    indexedConditions: filterConditions(query),
    required: phraseTerms.length > 0 ? phraseTerms.map((t) => `(${t.tsquery})`).join(' & ') : null,
    phrases: phrases.length > 0 ? phrases.map(phraseQuery).join(' & ') : null,
    arxivIds: query.arxivIds,
    indexedFilters: query.authors.flat().some((w) => !commonNames.has(w)),
    want,
  });
  const [candidates, votes] = await Promise.all([
    loadCandidates(db, ids, [...terms, ...exclusions.flatMap((p) => p.map((part) => part.term))]),
    options.workspace ? votesFor(db, options.workspace, ids) : Promise.resolve(new Map<string, number>()),
  ]);
  const exact = new Set(query.arxivIds);
  // With no words to rank by, filters alone list the newest first.
  const order = terms.length === 0 && query.sort === 'relevance' ? 'date' : query.sort;
  const kept = candidates.filter(
    (c) =>
      phrases.every((p) => containsPhrase(c.words, p)) && !exclusions.some((p) => containsPhrase(c.words, p)),
  );
  const average = averageLengths(kept.map((c) => c.lengths));
  const ranked = kept
    .map((f) => {
      const team = votes.get(f.id) ?? 0;
      // A paper asked for by its arXiv id comes first, whatever the words say.
      const text = exact.has(f.id) ? 2 : relevance(f, terms, average);
      return { f, team, score: text + popularityBoost(f.hfUpvotes, team) };
    })
    .sort((a, b) => {
      const byDate = (b.f.publishedAt?.getTime() ?? 0) - (a.f.publishedAt?.getTime() ?? 0);
      if (order === 'date' && byDate !== 0) return byDate;
      if (order === 'votes' && b.team !== a.team) return b.team - a.team;
      if (order === 'votes' && b.f.hfUpvotes !== a.f.hfUpvotes) return b.f.hfUpvotes - a.f.hfUpvotes;
      return b.score - a.score || a.f.id.localeCompare(b.f.id);
    })
    .slice(0, MAX_RANKED);

  if (ranked.length === 0) {
    const known = terms.filter((t) => !unknown.includes(t.word));
    return { ...empty, suggestions: await closestTitles(db, query.words.join(' '), known) };
  }
  const page = ranked.slice(offset, offset + options.pageSize);
  const pageIds = page.map((r) => r.f.id);
  const [sharers, discussed] = await Promise.all([
    options.workspace
      ? sharersOf(db, options.workspace, pageIds)
      : Promise.resolve(new Map<string, string[]>()),
    options.workspace ? discussedAmong(db, options.workspace, pageIds) : Promise.resolve(new Set<string>()),
  ]);
  const hits = page.map((r) => ({
    paper: toPaperView(r.f.row),
    score: r.score,
    teamVotes: r.team,
    sharedBy: sharers.get(r.f.id) ?? [],
    discussed: discussed.has(r.f.id),
  }));
  return {
    query,
    hits,
    offset,
    total: ranked.length,
    more: ids.length >= want,
    notes,
    suggestions: [],
  };
}

/** A phrase as tsquery text with the distance between its words: `('a') <1> ('b' | 'c') <2> ('d')`. */
function phraseQuery(phrase: Phrase): string {
  const parts = phrase.map((part, i) => {
    const gap = i === 0 ? '' : `<${part.offset - (phrase[i - 1]?.offset ?? 0)}> `;
    return `${gap}(${part.term.tsquery})`;
  });
  return `(${parts.join(' ')})`;
}

/** Titles that a probe on the rarest words reads before choosing; bounds the work at any library size. */
const SUGGESTION_POOL = 50;
/** The shortest library word a joined-up word is split into. */
const MIN_PART = 3;

/**
 * Titles that look most like the text typed (trigram word similarity), among titles with one of its two
 * rarest library words, or, when it has none, with the two library words a typed word joins
 * (`sparseattention`). A trigram search over every title would read long postings for common letter
 * runs and compare thousands of titles; words narrow it to a few through their index.
 */
export async function closestTitles(db: Db, text: string, terms: Term[], limit = 3): Promise<string[]> {
  const folded = text.trim().slice(0, 200);
  const rarest = [...terms].sort((a, b) => a.docs - b.docs).slice(0, 2);
  let match: SQL;
  if (rarest.length > 0) {
    match = sql`${rarest.map((t) => `(${t.tsquery})`).join(' | ')}::tsquery`;
  } else {
    const joined = (await joinedWords(db, textWords(folded)))
      .map((pair) => textLexemes(pair).map(quoteLexeme))
      .filter((lexemes) => lexemes.length > 0);
    if (joined.length === 0) return [];
    match = sql`${joined.map((lexemes) => `(${lexemes.join(' & ')})`).join(' | ')}::tsquery`;
  }
  const rows = await queryRows<{ title: string }>(
    db,
    sql`
      select title from (
        select p.id, p.title from papers p where p.title_vector @@ (${match}) limit ${SUGGESTION_POOL}
      ) pool
      order by word_similarity(papers_fold(${folded}), papers_fold(title)) desc, id
      limit ${limit}`,
  );
  return rows.map((r) => r.title);
}

/** Splits of typed words into two library words (`sparseattention` → `sparse attention`), rarest first. */
async function joinedWords(db: Db, words: string[]): Promise<string[]> {
  const splits = words
    .filter((w) => w.length >= 2 * MIN_PART)
    .flatMap((w) =>
      Array.from({ length: w.length - 2 * MIN_PART + 1 }, (_, i) => [
        w.slice(0, MIN_PART + i),
        w.slice(MIN_PART + i),
      ]),
    )
    .slice(0, 200);
  if (splits.length === 0) return [];
  const rows = await queryRows<{ term: string; docs: number }>(
    db,
    sql`select term, docs from search_terms
        where docs > 0 and term = any(array(select jsonb_array_elements_text(${JSON.stringify(splits.flat())}::jsonb)))`,
  );
  const docs = new Map(rows.map((r) => [r.term, Number(r.docs)]));
  return splits
    .filter(([a = '', b = '']) => docs.has(a) && docs.has(b))
    .sort(
      ([a = '', b = ''], [c = '', d = '']) =>
        Math.min(docs.get(a) ?? 0, docs.get(b) ?? 0) - Math.min(docs.get(c) ?? 0, docs.get(d) ?? 0),
    )
    .slice(0, 2)
    .map((pair) => pair.join(' '));
}
