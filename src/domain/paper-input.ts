import { createHash } from 'node:crypto';
import { type ArxivId, arxivAbsUrl, arxivPdfUrl, findArxivIds, parseArxivId } from './arxiv-id.js';

/** A paper as a source delivers it, before it is merged into the database. */
export interface PaperInput {
  /** Our key: the arXiv id without version, or a stable id derived from the title. */
  id: string;
  arxivId: string | null;
  version: number | null;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  publishedAt: Date | null;
  url: string | null;
  pdfUrl: string | null;
  thumbnail: string | null;
  hfUpvotes: number | null;
  hfComments: number | null;
  hfFeaturedAt: Date | null;
  aiSummary: string | null;
  keywords: string[];
  githubRepo: string | null;
  /** The authors' comment on arXiv: pages, venue, often a link to the code. */
  arxivComment: string | null;
  githubStars: number | null;
  projectPage: string | null;
  source: string;
}

/** Collapses line breaks and runs of spaces (arXiv titles wrap; TeX uses `~` and `\,` for spacing). */
export function cleanText(text: string): string {
  const clean =
    !NEEDS_CLEANING.test(text) && !text.includes('  ') && text[0] !== ' ' && text[text.length - 1] !== ' ';
  if (clean) return text;
  return text
    .replaceAll('\0', '') // Postgres text cannot hold NUL; one stray byte would fail a whole batch
    .replace(/(?<!\\)\\[,;:!\s]/g, ' ') // a backslash before white space is TeX's control space
    .replace(/(?<!\\)~/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Characters `cleanText` may change: NUL, TeX's `\` and `~`, and white space other than a space. */
const NEEDS_CLEANING = /[\0\\~\t-\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** Fields a source may fill; everything missing becomes null or empty. */
export type PaperFields = Partial<Omit<PaperInput, 'id' | 'source' | 'title'>> & {
  title: string;
  source: string;
  /** Any arXiv id form (`2401.1234v2`, `arXiv:…`, a link); the key when valid, else `arxivId`, else `url`. */
  anyId?: string | null;
};

/** Builds a normalised PaperInput: a cleaned title, the arXiv id split from its version, default links. */
export function normalisePaper(fields: PaperFields): PaperInput {
  const title = cleanText(fields.title);
  const parsed = [fields.anyId, fields.arxivId, fields.url].reduce<ArxivId | null>(
    (found, text) => found ?? (text ? (parseArxivId(text) ?? findArxivIds(text)[0] ?? null) : null),
    null,
  );
  const arxivId = parsed?.id ?? null;
  return {
    id: arxivId ?? localPaperId(title),
    arxivId,
    version: parsed?.version ?? fields.version ?? null,
    title,
    abstract: cleanText(fields.abstract ?? ''),
    authors: (fields.authors ?? []).map(cleanText).filter(Boolean),
    categories: fields.categories ?? [],
    publishedAt: validDate(fields.publishedAt),
    url: fields.url ?? (arxivId ? arxivAbsUrl(arxivId) : null),
    pdfUrl: fields.pdfUrl ?? (arxivId ? arxivPdfUrl(arxivId) : null),
    thumbnail: fields.thumbnail ?? null,
    hfUpvotes: fields.hfUpvotes ?? null,
    hfComments: fields.hfComments ?? null,
    hfFeaturedAt: validDate(fields.hfFeaturedAt),
    aiSummary: fields.aiSummary ? cleanText(fields.aiSummary) : null,
    keywords: fields.keywords ?? [],
    githubRepo: fields.githubRepo ?? codeLink(fields.arxivComment) ?? null,
    githubStars: fields.githubStars ?? null,
    projectPage: fields.projectPage ?? null,
    arxivComment: fields.arxivComment ? cleanText(fields.arxivComment) : null,
    source: fields.source,
  };
}

/** The code repository an arXiv comment links to (GitHub, GitLab, Hugging Face), if any. */
export function codeLink(comment: string | null | undefined): string | null {
  const url = comment ? CODE_LINK.exec(comment)?.[0] : undefined;
  return url ? url.replace(/[.,;)]+$/, '') : null;
}
const CODE_LINK = /https?:\/\/(?:www\.)?(?:github\.com|gitlab\.com)\/[\w.-]+\/[\w.-]+/i;

/** A stable key for a paper without an arXiv id: the same title always gives the same id. */
export function localPaperId(title: string): string {
  const key = title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return `paper-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/** A date, or null when it is invalid or outside years 1–9999: no paper is dated there. */
function validDate(value: Date | null | undefined): Date | null {
  const ms = value?.getTime() ?? Number.NaN;
  return ms >= FIRST_DATE_MS && ms < END_DATE_MS ? value! : null;
}
const FIRST_DATE_MS = new Date(0).setUTCFullYear(1, 0, 1);
const END_DATE_MS = Date.UTC(10000, 0, 1);
