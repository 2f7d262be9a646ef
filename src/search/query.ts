import { parseArxivId } from '../domain/arxiv-id.js';
import { UserError } from '../domain/errors.js';

export type SearchSort = 'relevance' | 'date' | 'votes';

/** A search as the query language describes it. Words are folded: lower case, no accents, no TeX. */
export interface SearchQuery {
  /** Free words, in the order typed, without duplicates. */
  words: string[];
  /** Each `"exact phrase"` as its words; a paper must contain every phrase. */
  phrases: string[][];
  /** `-word` / `-"a phrase"`: papers containing any of these are left out. */
  excluded: string[][];
  /** `author:name`: each is the words of a name that must appear among the authors. */
  authors: string[][];
  /** `cat:cs.CL`: a paper must be in one of these arXiv categories. */
  categories: string[];
  /** arXiv ids typed as words (`2306.14048`, `arXiv:2306.14048v2`). */
  arxivIds: string[];
  since: Date | null;
  before: Date | null;
  sort: SearchSort;
  /** 1-based page of results. */
  page: number;
  /** True when the last free word was the end of the query, so it may be a word still being typed. */
  lastWordOpen: boolean;
  /** What the parser left out or repaired, to tell the user. */
  notes: string[];
}

/** Words read from a query; search then uses its most telling ones (see search.ts). */
export const MAX_QUERY_WORDS = 48;
export const MAX_WORD_LENGTH = 40;
/** `author:` names a paper must all have, and `cat:` categories it may be in: more is a mistake. */
const MAX_FILTERS = 10;
const MAX_PAGE = 200;
const SORTS: readonly SearchSort[] = ['relevance', 'date', 'votes'];
const OPERATORS = ['author', 'cat', 'since', 'before', 'sort', 'page'] as const;
type Operator = (typeof OPERATORS)[number];

/**
 * Lower case, no accents, letters such as `ø` and `ß` spelled out, no TeX markup (`H$_2$O` → `h2o`):
 * the folding the database's `papers_fold` applies too.
 */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .replace(UNACCENTED, (c) => FOLDED_LETTERS.get(c) ?? c)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(TEX_MARKUP, '');
}

/**
 * Letters that have no accent to strip (`ø`, `ł`, `ß`, `æ`), spelled as Postgres's `unaccent` spells
 * them (`o`, `l`, `ss`, `ae`), so a name typed in ASCII finds the name as printed and the database's
 * `papers_fold` reads text as this does.
 */
const LETTERS_FROM =
  'ðøđħıĸŀłŋŧƀƃƈƌƒƙƚƞƥƫƭƴƶǥȡȥȴȵȶȷȼȿɀɇɉɍɏɓɕɖɗɛɟɠɡɢɦɧɨɪɫɬɭɱɲɳɴɼɽɾʀʂʈʉʋʏʐʑʙʛʜʝʟʠʹʺʻʼʽˆˈˋːᴀᴃᴄᴅᴆᴇᴊᴋᴌᴍᴏᴘᴛᴜᴠᴡᴢᵬᵭᵮᵯᵰᵱᵲᵳᵴᵵᵶᵻᵽᵾᶀᶁᶂᶃᶄᶅᶆᶇᶈᶉᶊᶌᶍᶎᶏᶑᶒᶓᶖᶙẚẜẝỽỿℌⱡⱥⱦⱨⱪⱬⱱⱳⱴⱸⱺꜰꜱꝁꝃꝅꝇꝉꝋꝍꝑꝓꝕꝗꝙꝟꝱꝲꝳꝴꝵꝶꝷꝺꝼꞇꞑꞓꞡꞣꞥꞧꞩ';
const LETTERS_TO =
  "dodhiqllntbbcdfklnpttyzgdzlntjcszejrybcddejggghhiilllmnnnrrrrstuvyzzbghjlq'\"'''^'`:abcddejklmoptuvwzbdfmnprrstzipubdfgklmnprsvxzadeeiuassvyxlathkzvwveofskkklloopppqqvdlmnrrtdftncgknrs";
const FOLDED_LETTERS = new Map<string, string>([
  ...[...LETTERS_FROM].map((c, i): [string, string] => [c, LETTERS_TO[i]!]),
  ['ß', 'ss'],
  ['æ', 'ae'],
  ['þ', 'th'],
  ['ŉ', "'n"],
  ['œ', 'oe'],
  ['ƕ', 'hv'],
  ['ƣ', 'oi'],
  ['ȸ', 'db'],
  ['ȹ', 'qp'],
  ['ɶ', 'oe'],
  ['ʣ', 'dz'],
  ['ʥ', 'dz'],
  ['ʦ', 'ts'],
  ['ʪ', 'ls'],
  ['ʫ', 'lz'],
  ['ᴁ', 'ae'],
  ['ᵫ', 'ue'],
  ['ᵺ', 'th'],
  ['ỻ', 'll'],
  ['ꜳ', 'aa'],
  ['ꜵ', 'ao'],
  ['ꜷ', 'au'],
  ['ꜹ', 'av'],
  ['ꜻ', 'av'],
  ['ꜽ', 'ay'],
  ['ꝏ', 'oo'],
  ['ꝡ', 'vy'],
  ['ꝥ', 'th'],
  ['ꝧ', 'th'],
]);
const UNACCENTED = new RegExp(`[${[...FOLDED_LETTERS.keys()].join('')}]`, 'gu');

const TEX_MARKUP = /[\\$^_{}]/g;

/** The words of a text as search sees them: runs of letters and digits after folding. */
export function textWords(text: string): string[] {
  // Plain ASCII has no accents to strip, and its letters and digits are [a-z0-9]: the same words
  // without Unicode normalisation, which dominates the cost of a long abstract.
  if (!NOT_ASCII.test(text))
    return (
      text
        .toLowerCase()
        .replace(TEX_MARKUP, '')
        .match(/[a-z0-9]+/g) ?? []
    );
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

const NOT_ASCII = /[\u0080-\uffff]/;

interface Token {
  text: string;
  quoted: boolean;
  /** False for a quote left open at the end of the query. */
  closed: boolean;
  negated: boolean;
  operator?: Operator;
}

/**
 * Parses the query language. Anything parses: unknown or malformed parts become words or notes, except
 * an operator whose value cannot mean anything (`since:yesterday-ish`, `author:` alone), which is a
 * UserError saying what would work.
 */
export function parseSearchQuery(input: string, now: Date): SearchQuery {
  const query: SearchQuery = {
    words: [],
    phrases: [],
    excluded: [],
    authors: [],
    categories: [],
    arxivIds: [],
    since: null,
    before: null,
    sort: 'relevance',
    page: 1,
    lastWordOpen: false,
    notes: [],
  };
  const { tokens, unbalanced } = tokenize(input);
  if (unbalanced) {
    query.notes.push('A quote was not closed, so I searched its words without requiring them together.');
  }
  let droppedWords = 0;
  let longWords = 0;
  tokens.forEach((token, index) => {
    if (token.operator) {
      applyOperator(query, token.operator, token.text, now);
      return;
    }
    const id = !token.quoted && parseArxivId(token.text);
    if (id && !token.negated) {
      query.arxivIds.push(id.id);
      return;
    }
    const words = textWords(token.text).filter((w) => {
      if (w.length <= MAX_WORD_LENGTH) return true;
      longWords++;
      return false;
    });
    if (words.length === 0) return;
    if (token.negated) {
      query.excluded.push(words);
      return;
    }
    if (token.quoted && token.closed && words.length > 1) query.phrases.push(words);
    for (const word of words) {
      if (query.words.includes(word)) continue;
      if (query.words.length >= MAX_QUERY_WORDS) droppedWords++;
      else query.words.push(word);
    }
    if (index === tokens.length - 1 && !token.quoted) query.lastWordOpen = true;
  });
  if (droppedWords > 0)
    query.notes.push(`I searched for the first ${MAX_QUERY_WORDS} words and left out ${droppedWords}.`);
  if (longWords > 0)
    query.notes.push(
      `I left out ${longWords === 1 ? 'a word' : `${longWords} words`} longer than ${MAX_WORD_LENGTH} letters.`,
    );
  for (const [operator, values] of [
    ['author', query.authors],
    ['cat', query.categories],
  ] as const) {
    if (values.length > MAX_FILTERS)
      throw new UserError(
        `A search takes at most ${MAX_FILTERS} \`${operator}:\` filters; this one has ${values.length}. Keep the ones that matter most.`,
      );
  }
  if (query.since && query.before && query.since >= query.before) {
    throw new UserError('`since:` must come before `before:`. Try e.g. `since:2024-01 before:2024-07`.');
  }
  return query;
}

/** True when the query asks for something; an empty one cannot be searched. */
export function hasCriteria(q: SearchQuery): boolean {
  return (
    q.words.length > 0 ||
    q.phrases.length > 0 ||
    q.authors.length > 0 ||
    q.categories.length > 0 ||
    q.arxivIds.length > 0 ||
    q.since !== null ||
    q.before !== null
  );
}

function tokenize(input: string): { tokens: Token[]; unbalanced: boolean } {
  const tokens: Token[] = [];
  // A word, optionally `-` or `key:` before it, with a quoted part anywhere (`author:"le cun"`).
  // An operator may have nothing after it (`author:`): the value is then empty, which applyOperator reports.
  const pattern = /(-?)(?:([A-Za-z]+):)?(?:"([^"]*)("?)|([^\s"]+)|(?<=:)(?=\s|$))/g;
  let unbalanced = false;
  for (const match of input.matchAll(pattern)) {
    const [, minus, key, quoted, closing, bare] = match;
    const operator = key ? operatorNamed(key) : undefined;
    const isQuoted = quoted !== undefined;
    const closed = !isQuoted || closing === '"';
    if (!closed) unbalanced = true;
    const value = isQuoted ? quoted : (bare ?? '');
    if (key && !operator) {
      // An unknown `word:thing` is just words (`arxiv:…`, `cs:ai`), not an error.
      tokens.push({ text: `${key}:${value}`, quoted: isQuoted, closed, negated: minus === '-' });
      continue;
    }
    tokens.push({ text: value, quoted: isQuoted, closed, negated: minus === '-' && !operator, operator });
  }
  return { tokens, unbalanced };
}

function operatorNamed(key: string): Operator | undefined {
  const lower = key.toLowerCase();
  return (OPERATORS as readonly string[]).includes(lower) ? (lower as Operator) : undefined;
}

function applyOperator(query: SearchQuery, operator: Operator, value: string, now: Date): void {
  const trimmed = value.trim();
  switch (operator) {
    case 'author': {
      const words = textWords(trimmed).slice(0, 4);
      if (words.length === 0)
        throw new UserError(
          '`author:` needs a name after it, e.g. `author:hinton` or `author:"yann lecun"`.',
        );
      query.authors.push(words);
      return;
    }
    case 'cat': {
      if (!/^[a-z-]+(\.[a-z-]+)?$/i.test(trimmed))
        throw new UserError(
          `\`cat:${trimmed}\` is not an arXiv category. Try e.g. \`cat:cs.CL\` or \`cat:stat.ML\`.`,
        );
      query.categories.push(trimmed);
      return;
    }
    case 'since':
    case 'before': {
      const date = parseDateValue(trimmed, now);
      if (!date)
        throw new UserError(
          `\`${operator}:${trimmed}\` is not a date I understand. Use a day, month or year (\`${operator}:2024-06-15\`, \`${operator}:2024-06\`, \`${operator}:2024\`) or an age (\`${operator}:7d\`, \`2w\`, \`3m\`, \`1y\`).`,
        );
      query[operator] = date;
      return;
    }
    case 'sort': {
      const sort = trimmed.toLowerCase();
      if (!(SORTS as readonly string[]).includes(sort))
        throw new UserError(
          `\`sort:${trimmed}\` is not an order I know. Use \`sort:relevance\`, \`sort:date\` or \`sort:votes\`.`,
        );
      query.sort = sort as SearchSort;
      return;
    }
    case 'page': {
      const page = /^\d{1,4}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
      if (!(page >= 1 && page <= MAX_PAGE))
        throw new UserError(
          `\`page:${trimmed}\` is not a page. Pages run from \`page:1\` to \`page:${MAX_PAGE}\`.`,
        );
      query.page = page;
      return;
    }
  }
}

const AGE_UNITS: Record<string, number> = { d: 1, w: 7, m: 30, y: 365 };

/** `2024`, `2024-06`, `2024-06-15` (UTC, start of that period) or an age before `now` (`7d`, `2w`, `3m`, `1y`). */
export function parseDateValue(value: string, now: Date): Date | null {
  const age = /^(\d{1,4})([dwmy])$/i.exec(value);
  if (age?.[1] && age[2]) {
    const days = Number(age[1]) * (AGE_UNITS[age[2].toLowerCase()] ?? 1);
    return new Date(now.getTime() - days * 86_400_000);
  }
  const ymd = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(value);
  if (!ymd?.[1]) return null;
  const year = Number(ymd[1]);
  const month = ymd[2] ? Number(ymd[2]) : 1;
  const day = ymd[3] ? Number(ymd[3]) : 1;
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 ? date : null;
}
