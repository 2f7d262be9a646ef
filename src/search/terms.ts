import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import { lexemeOf, quoteLexeme } from './lexemes.js';

/** One way to match a term: every lexeme present. */
export interface Alternative {
  lexemes: string[];
  /** The long form of an acronym, which a phrase does not use. */
  expansion?: true;
}

/** One query word, as it will be matched: its stem plus, for a word the library lacks, close words. */
export interface Term {
  word: string;
  /** Position among the query's words, stop words included, for proximity. */
  position: number;
  alternatives: Alternative[];
  /** The alternatives as tsquery text (english stems), for the index. */
  tsquery: string;
  /** How much matching this term is worth: rare words weigh more (inverse document frequency). */
  weight: number;
  /** About how many papers contain the term: what an index probe on it costs. */
  docs: number;
  /** The library words used instead, when the word itself is not in the library. */
  correctedTo: string[];
  /** What the word stands for, when papers define it as an acronym (`large language models`). */
  expandedTo: string[];
}

export interface ResolvedTerms {
  terms: Term[];
  /** Words that are too common to search on (`the`, `of`). */
  stopWords: string[];
  /** Words neither found nor close to any word in the library. */
  unknown: string[];
}

interface Row {
  word: string;
  ord: number;
  docs: number | null;
  near: { term: string; docs: number }[] | null;
  completions: { term: string; docs: number }[] | null;
  expansions: { lexemes: string; phrase: string; docs: number; words: number | null }[] | null;
  total: number;
}

/**
 * Words that say the query is a question or a request (`which paper shows…`, `is there work on…`), not
 * what it is about: searched like stop words. English stop words (`which`, `is`, `there`) the stemmer
 * drops already.
 */
const FILLER = new Set([
  'paper',
  'papers',
  'work',
  'works',
  'research',
  'study',
  'studies',
  'article',
  'articles',
  'show',
  'shows',
  'shown',
  'showing',
  'find',
  'looking',
  'anyone',
  'know',
  'propose',
  'proposes',
  'proposed',
]);

const MIN_TYPO_LENGTH = 4;
const MAX_CORRECTIONS = 2;
const MIN_PREFIX_LENGTH = 3;
/**
 * Library words a word being typed stands for, the most common first. A prefix matched in the index
 * (`'mod':*`) reads the postings of every lexeme it covers before it can answer, however common they
 * are; these few exact words cost what any word costs and are what the typist most likely means.
 */
const MAX_COMPLETIONS = 6;
/**
 * Long forms of an acronym used, the most often defined first; a rarer one only when papers define it
 * at least a quarter as often (`rl`: reinforcement learning, not a one-off coinage).
 */
const MAX_EXPANSIONS = 2;
const EXPANSION_SHARE = 0.25;
/**
 * Papers that must define an acronym before a query's word is read as it: a field's acronyms (`llm`,
 * `rag`) are defined again and again, while one paper naming its method (`SuRe`) would otherwise turn
 * an ordinary word into its long form. That paper is found by the word in its title anyway.
 */
const MIN_DEFINITIONS = 2;

/**
 * Turns query words into terms in one round trip: stems them, drops stop words, weighs each by its
 * rarity, and maps a word the library does not contain to the closest library words by trigram
 * similarity (a small indexed vocabulary, not the papers, so it stays fast at any size). The last word
 * may still be being typed, so it also matches the most common library words it begins (as does a
 * word the library lacks). A word papers define as an acronym also matches its long forms.
 */
export async function resolveTerms(db: Db, words: string[], lastWordOpen: boolean): Promise<ResolvedTerms> {
  if (words.length === 0) return { terms: [], stopWords: [], unknown: [] };
  const openWord = lastWordOpen ? words.length : 0;
  const rows = await queryRows<Row>(
    db,
    sql`
      with w as (
        select word, ord::int from jsonb_array_elements_text(${JSON.stringify(words)}::jsonb)
          with ordinality as t(word, ord)
      ),
      size as (
        -- The planner's row estimate is free; a table never analysed is small, so counting it is cheap.
        select case when c.reltuples > 0 then c.reltuples::float8
                    else greatest(1, (select count(*) from (select 1 from papers limit 5000) s))::float8
               end as total
        from pg_class c where c.oid = 'papers'::regclass
      )
      select w.word, w.ord, t.docs,
        case when t.term is null and length(w.word) >= ${MIN_TYPO_LENGTH} then (
          select coalesce(jsonb_agg(jsonb_build_object('term', n.term, 'docs', n.docs)
                 order by n.sim desc, n.docs desc), '[]'::jsonb)
          from (
            select s.term, s.docs, similarity(s.term, w.word) as sim
            from search_terms s
            where s.term % w.word and s.docs > 0
            order by sim desc, s.docs desc
            limit 8
          ) n
        ) end as near,
        case when length(w.word) >= ${MIN_PREFIX_LENGTH} and (w.ord = ${openWord} or t.term is null) then (
          select coalesce(jsonb_agg(jsonb_build_object('term', c.term, 'docs', c.docs)
                 order by c.docs desc, c.term), '[]'::jsonb)
          from (
            select s.term, s.docs
            from search_terms s
            where s.term like replace(replace(replace(w.word, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'
              and s.term <> w.word and s.docs > 0
            order by s.docs desc, s.term
            limit ${MAX_COMPLETIONS}
          ) c
        ) end as completions,
        (select coalesce(jsonb_agg(jsonb_build_object('lexemes', a.lexemes, 'phrase', a.phrase,
                  'docs', a.docs, 'words', a.words) order by a.docs desc, a.lexemes), '[]'::jsonb)
          from (
            select a.lexemes, a.phrase, a.docs,
              -- Papers with the long form's most common word: what looking it up costs.
              (select max(s.docs) from search_terms s where s.term = any(string_to_array(a.phrase, ' '))) as words
            from search_acronyms a
            -- A plural typed (llms) finds its acronym too.
            where (a.acronym = w.word or (w.word like '%s' and a.acronym = left(w.word, -1)))
              and a.docs >= ${MIN_DEFINITIONS}
            order by a.docs desc, a.lexemes
            limit ${MAX_EXPANSIONS}
          ) a
        ) as expansions,
        (select total from size) as total
      from w left join search_terms t on t.term = w.word
      order by w.ord`,
  );
  const terms: Term[] = [];
  const stopWords: string[] = [];
  const unknown: string[] = [];
  for (const row of rows) {
    const own = lexemesOfWord(row.word);
    if (own.length === 0 || FILLER.has(row.word)) {
      stopWords.push(row.word);
      continue;
    }
    const known = row.docs !== null;
    const near = closestWords(row.word, row.near ?? []);
    // Completions of a single word only: a compound (`diffusion-based`) adds its parts, already there.
    const completions = own.length === 1 ? completionsOf(row.completions ?? []) : [];
    const expansions = expansionsOf(row.expansions ?? []);
    const alternatives: Alternative[] = [{ lexemes: own }];
    const add = (alternative: Alternative) => {
      if (!alternatives.some((a) => a.lexemes.join() === alternative.lexemes.join()))
        alternatives.push(alternative);
    };
    for (const n of [...completions, ...near]) add({ lexemes: n.lexemes });
    // An acronym is written with and without a plural `s` (`LLMs`), which the stemmer keeps apart.
    const otherNumber = lexemesOfWord(row.word.endsWith('s') ? row.word.slice(0, -1) : `${row.word}s`);
    if (expansions.length > 0 && otherNumber.length > 0) add({ lexemes: otherNumber });
    for (const e of expansions) add({ lexemes: e.lexemes, expansion: true });
    if (!known && near.length === 0 && completions.length === 0 && expansions.length === 0)
      unknown.push(row.word);
    // Rarity is the word's own; a long form's common words ("language models") would make any
    // acronym look common.
    const docs = Math.max(
      1,
      Number(row.docs ?? 0),
      ...near.map((n) => Number(n.docs)),
      ...completions.map((n) => Number(n.docs)),
    );
    terms.push({
      word: row.word,
      position: Number(row.ord),
      alternatives,
      tsquery: alternatives.map(alternativeQuery).join(' | '),
      weight: Math.log(1 + Number(row.total) / docs),
      docs: Math.max(docs, ...expansions.map((e) => e.cost)),
      correctedTo: near.map((n) => n.term),
      expandedTo: expansions.map((e) => e.phrase),
    });
  }
  return { terms, stopWords, unknown };
}

/**
 * The term as a quoted phrase uses it: its words as typed (or corrected), not read as acronyms, whose
 * long forms cannot stand at one word's place.
 */
export function literally(term: Term): Term {
  if (!term.alternatives.some((a) => a.expansion)) return term;
  const alternatives = term.alternatives.filter((a) => !a.expansion);
  return { ...term, alternatives, tsquery: alternatives.map(alternativeQuery).join(' | '), expandedTo: [] };
}

/** The long forms of an acronym worth matching, as lexemes, with what looking each up costs. */
function expansionsOf(found: NonNullable<Row['expansions']>) {
  const most = Math.max(0, ...found.map((e) => Number(e.docs)));
  return found
    .filter((e) => Number(e.docs) >= most * EXPANSION_SHARE)
    .map((e) => ({ lexemes: e.lexemes.split(' '), phrase: e.phrase, cost: Number(e.words ?? 0) }));
}

/** The completions of a word being typed that are one word each, as lexemes. */
function completionsOf(found: NonNullable<Row['completions']>) {
  return found.map((c) => ({ ...c, lexemes: lexemesOfWord(c.term) })).filter((c) => c.lexemes.length === 1);
}

/**
 * Of the words trigrams found, those a typo away (edits, with a swap of neighbours counting as one),
 * nearest first and, among equals, the most common: `modle` is `model` rather than `module`.
 */
function closestWords(word: string, near: NonNullable<Row['near']>) {
  const allowed = word.length <= 5 ? 1 : word.length <= 9 ? 2 : 3;
  return near
    .map((n) => ({ ...n, lexemes: lexemesOfWord(n.term), distance: editDistance(word, n.term) }))
    .filter((n) => n.lexemes.length > 0 && n.distance <= allowed)
    .sort((a, b) => a.distance - b.distance || Number(b.docs) - Number(a.docs))
    .slice(0, MAX_CORRECTIONS);
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** A folded word as lexemes: its stem, or none for a stop word. */
function lexemesOfWord(word: string): string[] {
  const lexeme = lexemeOf(word);
  return lexeme === null ? [] : [lexeme];
}

/** An alternative as tsquery text: `'a' & 'b'`. */
function alternativeQuery(a: Alternative): string {
  const parts = a.lexemes.map(quoteLexeme);
  return parts.length > 1 ? `(${parts.join(' & ')})` : (parts[0] ?? "''");
}

/** Words that must match exactly (exclusions): their stems, without corrections or completions. */
export function resolveExact(words: string[]): Map<string, string[]> {
  return new Map(words.map((w) => [w, lexemesOfWord(w)]));
}

/** Words not in the library kept by `rarestWords`, for typo correction. */
const UNKNOWN_KEPT = 2;

/**
 * The `max` rarest of the words by the library's counts (in their order), and up to two words the
 * library lacks, which may be typos; one index lookup for all of them.
 */
export async function rarestWords(db: Db, words: string[], max: number): Promise<string[]> {
  const docs = await documentCounts(db, words);
  const known = words.filter((w) => (docs.get(w) ?? 0) > 0 && lexemeOf(w) !== null && !FILLER.has(w));
  const kept = new Set([...known].sort((a, b) => (docs.get(a) ?? 0) - (docs.get(b) ?? 0)).slice(0, max));
  for (const w of words.filter((w) => !docs.has(w) && lexemeOf(w) !== null).slice(0, UNKNOWN_KEPT))
    kept.add(w);
  return words.filter((w) => kept.has(w));
}

/** In how many papers of the library each of these (folded, unstemmed) words is; absent words are in none. */
export async function documentCounts(db: Db, words: string[]): Promise<Map<string, number>> {
  const rows = await queryRows<{ term: string; docs: number }>(
    db,
    sql`select term, docs from search_terms
        where term = any(array(select jsonb_array_elements_text(${JSON.stringify(words)}::jsonb)))`,
  );
  return new Map(rows.map((r) => [r.term, Number(r.docs)]));
}

/**
 * Papers whose text has any of these words (stemmed as the index stems them), the most telling matches
 * first (ts_rank), without `excludeId`: candidates for "papers like this one".
 */
export async function papersSharingWords(
  db: Db,
  words: string[],
  excludeId: string,
  limit: number,
): Promise<string[]> {
  const lexemes = [...new Set(words.flatMap((w) => lexemeOf(w) ?? []))];
  if (lexemes.length === 0) return [];
  const query = lexemes.map(quoteLexeme).join(' | ');
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id from papers
        where search_vector @@ ${query}::tsquery and id <> ${excludeId}
        order by ts_rank(search_vector, ${query}::tsquery) desc, id
        limit ${limit}`,
  );
  return rows.map((r) => r.id);
}
