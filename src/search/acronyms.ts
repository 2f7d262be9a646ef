import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import { lexemeOf } from './lexemes.js';
import { libraryText } from './library-text.js';
import { textWords } from './query.js';

/**
 * Acronyms the library defines. Papers introduce their short forms the same way, `Large Language Models
 * (LLMs)`, `Chain-of-Thought (CoT)`; each such definition is learnt when a paper is stored, so a query's
 * `llm` or `cot` also matches the papers that only spell the words out. Nothing is hard-coded: a field's
 * new acronym is understood as soon as papers define it (see MIN_DEFINITIONS in terms.ts).
 */

/** A short form and the long form a paper gives it. */
export interface AcronymDefinition {
  /** Folded short form, without a plural `s`: `llm`. */
  acronym: string;
  /** The long form's lexemes, space-separated: `larg languag model`. */
  lexemes: string;
  /** The long form's words, for telling the user what was matched: `large language models`. */
  phrase: string;
}

/** A short form in parentheses: a letter, then up to 9 letters, digits or hyphens. */
const IN_PARENTHESES = /\(([A-Za-z][A-Za-z0-9-]{1,9})\)/g;
/** Where a clause ends: the long form never reaches back past one. */
const CLAUSE_END = /[.;:!?()[\]]/g;

/**
 * The acronyms a text defines, found much as Schwartz and Hearst find them ("A simple algorithm for
 * identifying abbreviation definitions in biomedical text", 2003): the short form's letters, in order,
 * in the few words just before the parenthesis (at most a few more than it has letters), the first at
 * the start of a word; and, to keep out letters that only happen to be there, every word but a stop word
 * gives one at its start.
 */
export function acronymsIn(text: string): AcronymDefinition[] {
  const found: AcronymDefinition[] = [];
  for (const match of text.matchAll(IN_PARENTHESES)) {
    const short = singular(match[1] ?? '');
    // Two capitals at least: `(LLMs)`, `(CoT)`, `(KV)`; not `(ours)`, `(Fig)`.
    if ((short.match(/[A-Z]/g) ?? []).length < 2) continue;
    const letters = short.toLowerCase().replace(/[^a-z0-9]/g, '');
    const clause = text.slice(Math.max(0, (match.index ?? 0) - 300), match.index);
    const start = Math.max(...[...clause.matchAll(CLAUSE_END)].map((m) => (m.index ?? 0) + 1), 0);
    const words = clause.slice(start).trim().split(/\s+/);
    const window = words.slice(-Math.min(letters.length + 5, letters.length * 2)).join(' ');
    const long = longForm(letters, window);
    if (long === null) continue;
    const folded = textWords(long);
    const lexemes = folded.flatMap((w) => lexemeOf(w) ?? []);
    // A long form of one word says nothing the word itself would not; one holding the short form
    // (`LLM-based agents (LLM)`, `LLMs models (LLMs)`) is not a definition.
    if (lexemes.length < 2 || folded.some((w) => w.startsWith(letters))) continue;
    // The words as a reader would quote them: from the first to the last that is not a stop word.
    const last = folded.findLastIndex((w) => lexemeOf(w) !== null);
    found.push({ acronym: letters, lexemes: lexemes.join(' '), phrase: folded.slice(0, last + 1).join(' ') });
  }
  return found;
}

/** `LLMs` → `LLM`: a plural `s` after a capital is not part of the short form. */
function singular(short: string): string {
  return /[A-Z]s$/.test(short) ? short.slice(0, -1) : short;
}

/**
 * The shortest run of the last words that spells the short form: `Large Language Models` for `llm`,
 * `Chain-of-Thought` for `cot`, `Vision Transformers` for `vit`, but not `LlamaV-o1 against` for `llm`.
 */
function longForm(letters: string, words: string): string | null {
  const starts = [...words.matchAll(/\S+/g)].map((m) => m.index ?? 0).reverse();
  for (const start of starts) {
    const candidate = words.slice(start);
    const at = spelling(letters, candidate);
    // Letters from two words or word parts at least: all of them from inside one (`LlamaV`) is chance.
    if (at && partsOf(candidate).filter(([from, to]) => at.some((p) => p >= from && p < to)).length >= 2)
      return candidate;
  }
  return null;
}

/** Where each run of letters and digits begins and ends. */
function partsOf(text: string): [number, number][] {
  return [...text.matchAll(/[a-z0-9]+/gi)].map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length]);
}

/**
 * Where the letters are found in the text in order, the first at its start, without passing over the
 * first letter of any of its words but stop words and the later parts of hyphenated ones
 * (`Multi-modal Large Language Models` spells `mllm`); null when they are not.
 */
function spelling(letters: string, text: string): number[] | null {
  const lower = text.toLowerCase();
  const required = new Set<number>();
  for (const word of text.matchAll(/\S+/g)) {
    const first = word[0].match(/[a-z0-9]+/i);
    if (!first || lexemeOf(first[0].toLowerCase()) === null) continue;
    required.add((word.index ?? 0) + (first.index ?? 0));
  }
  // Where letters[i..] cannot be found from text position `at`, remembered, so a long run of one
  // letter costs letters × positions steps, not a search of every combination.
  const failed = new Set<number>();
  const from = (i: number, at: number): number[] | null => {
    if (i === letters.length) return [...required].some((r) => r >= at) ? null : [];
    const key = i * (lower.length + 1) + at;
    if (failed.has(key)) return null;
    for (let p = at; p < lower.length; p++) {
      const rest = lower[p] === letters[i] ? from(i + 1, p + 1) : null;
      if (rest) return [p, ...rest];
      if (required.has(p)) break;
    }
    failed.add(key);
    return null;
  };
  return lower[0] === letters[0] ? from(0, 0) : null;
}

/** The title and abstract of a paper, where its acronyms are defined. */
export interface DefiningText {
  title: string;
  abstract: string;
}

/** Definitions per statement when a whole library is counted. */
const STORE_BATCH = 5000;

/** Each definition, by acronym and lexemes, with the papers that give it. */
export type DefinitionCounts = Map<string, AcronymDefinition & { docs: number }>;

/**
 * Counts each definition once per paper: papers new to the library count, papers seen again only add
 * definitions not yet known (with no count), so re-ingesting does not inflate the counts.
 */
export function countDefinitions(papers: DefiningText[], counts: DefinitionCounts, increment: 0 | 1): void {
  for (const paper of papers) {
    const seen = new Set<string>();
    for (const d of [...acronymsIn(paper.title), ...acronymsIn(paper.abstract)]) {
      const key = `${d.acronym} ${d.lexemes}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const known = counts.get(key);
      if (known) known.docs += increment;
      else counts.set(key, { ...d, docs: increment });
    }
  }
}

async function storeDefinitions(db: Db, counts: DefinitionCounts): Promise<void> {
  const rows = [...counts.values()];
  for (let i = 0; i < rows.length; i += STORE_BATCH) {
    await db.execute(sql`
      insert into search_acronyms (acronym, lexemes, phrase, docs)
      select d.acronym, d.lexemes, d.phrase, d.docs
      from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + STORE_BATCH))}::jsonb)
        as d(acronym text, lexemes text, phrase text, docs int)
      -- One order for all writers: concurrent ingest batches then cannot deadlock.
      order by d.acronym, d.lexemes
      on conflict (acronym, lexemes) do update set docs = search_acronyms.docs + excluded.docs
        where excluded.docs > 0`);
  }
}

/** Learns the acronyms the given papers define (see countDefinitions for how they count). */
export async function addAcronyms(
  db: Db,
  newPapers: DefiningText[],
  updatedPapers: DefiningText[] = [],
): Promise<void> {
  const counts: DefinitionCounts = new Map();
  countDefinitions(newPapers, counts, 1);
  countDefinitions(updatedPapers, counts, 0);
  if (counts.size > 0) await storeDefinitions(db, counts);
}

/** Replaces every known definition with these counts of the whole library. */
export async function replaceAcronyms(db: Db, counts: DefinitionCounts): Promise<void> {
  await db.execute(sql`delete from search_acronyms`);
  await storeDefinitions(db, counts);
}

/** Counts the acronyms of the whole library again, from the papers table. */
export async function rebuildAcronyms(db: Db): Promise<void> {
  const counts: DefinitionCounts = new Map();
  for await (const papers of libraryText(db)) countDefinitions(papers, counts, 1);
  await replaceAcronyms(db, counts);
}

/**
 * Counts the library's acronyms when none are known although there are papers: a library stored before
 * they were learnt. A library whose papers define none is counted again at each start; research papers
 * define acronyms, so only a small library does that.
 */
export async function learnMissingAcronyms(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ missing: boolean }>(
    db,
    sql`select not exists (select 1 from search_acronyms) and exists (select 1 from papers) as missing`,
  );
  if (!row?.missing) return false;
  await rebuildAcronyms(db);
  return true;
}
