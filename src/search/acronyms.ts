import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import { lexemeOf } from './lexemes.js';
import { textWords } from './query.js';

/**
 * Acronyms the library defines. Papers introduce their short forms the same way, `Large Language Models
 * (LLMs)`, `Chain-of-Thought (CoT)`; each such definition is learnt when a paper is stored, so a query's
 * `llm` or `cot` also matches the papers that only spell the words out. Nothing is hard-coded: a field's
 * new acronym is understood as soon as one paper defines it.
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
 * The acronyms a text defines, found as Schwartz and Hearst find them ("A simple algorithm for
 * identifying abbreviation definitions in biomedical text", 2003): the short form's letters are matched
 * from its end backwards against the words before the parenthesis, its first letter at the start of a
 * word, within a few more words than it has letters.
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
    // (`LLM-based agents (LLM)`) is not a definition.
    if (lexemes.length < 2 || folded.includes(letters)) continue;
    found.push({ acronym: letters, lexemes: lexemes.join(' '), phrase: folded.join(' ') });
  }
  return found;
}

/** `LLMs` → `LLM`: a plural `s` after a capital is not part of the short form. */
function singular(short: string): string {
  return /[A-Z]s$/.test(short) ? short.slice(0, -1) : short;
}

const isAlphanumeric = (c: string | undefined) => c !== undefined && /[a-z0-9]/i.test(c);

/** The shortest end of `words` whose letters spell `letters` in order, the first at a word start. */
function longForm(letters: string, words: string): string | null {
  let at = words.length - 1;
  for (let i = letters.length - 1; i >= 0; i--) {
    const letter = letters[i];
    while (
      at >= 0 &&
      (words[at]?.toLowerCase() !== letter || (i === 0 && at > 0 && isAlphanumeric(words[at - 1])))
    ) {
      at--;
    }
    if (at < 0) return null;
    at--;
  }
  return words.slice(words.lastIndexOf(' ', at + 1) + 1);
}

/** The title and abstract of a paper, where its acronyms are defined. */
export interface DefiningText {
  title: string;
  abstract: string;
}

/** Definitions per statement when a whole library is counted. */
const STORE_BATCH = 5000;

/**
 * Counts each definition once per paper: papers new to the library count, papers seen again only add
 * definitions not yet known (with no count), so re-ingesting does not inflate the counts.
 */
function countDefinitions(
  papers: DefiningText[],
  counts: Map<string, AcronymDefinition & { docs: number }>,
  increment: 0 | 1,
): void {
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

async function storeDefinitions(db: Db, counts: Map<string, AcronymDefinition & { docs: number }>) {
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
  const counts = new Map<string, AcronymDefinition & { docs: number }>();
  countDefinitions(newPapers, counts, 1);
  countDefinitions(updatedPapers, counts, 0);
  if (counts.size > 0) await storeDefinitions(db, counts);
}

/** Papers read per statement when the whole library is counted. */
const READ_BATCH = 5000;

/** Counts the acronyms of the whole library again, from the papers table. */
export async function rebuildAcronyms(db: Db): Promise<void> {
  const counts = new Map<string, AcronymDefinition & { docs: number }>();
  let after = '';
  for (;;) {
    const rows = await queryRows<DefiningText & { id: string }>(
      db,
      sql`select id, title, abstract from papers where id > ${after} order by id limit ${READ_BATCH}`,
    );
    countDefinitions(rows, counts, 1);
    const last = rows.at(-1);
    if (!last || rows.length < READ_BATCH) break;
    after = last.id;
  }
  await db.execute(sql`delete from search_acronyms`);
  await storeDefinitions(db, counts);
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
