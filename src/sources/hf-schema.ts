import { z } from 'zod';
import { normalisePaper, type PaperInput } from '../domain/paper-input.js';

const optionalString = z.string().nullish();
/** A count (upvotes, comments, stars), as the database stores it: a whole number in 32 bits. */
export const countSchema = z
  .number()
  .int('not a whole number')
  .nonnegative('negative')
  .max(2 ** 31 - 1, 'too large');
const optionalCount = countSchema.nullish();

/** One item of Hugging Face's `/api/daily_papers`; every field optional, as older responses lack many. */
export const hfDailyItemSchema = z.object({
  paper: z
    .object({
      id: optionalString,
      title: optionalString,
      summary: optionalString,
      authors: z.array(z.object({ name: optionalString }).passthrough()).nullish(),
      publishedAt: optionalString,
      submittedOnDailyAt: optionalString,
      upvotes: optionalCount,
      ai_summary: optionalString,
      ai_keywords: z.array(z.string()).nullish(),
      githubRepo: optionalString,
      githubStars: optionalCount,
      projectPage: optionalString,
    })
    .passthrough(),
  title: optionalString,
  summary: optionalString,
  thumbnail: optionalString,
  numComments: optionalCount,
  publishedAt: optionalString,
});

export type HfDailyItem = z.infer<typeof hfDailyItemSchema>;

/** Turns a validated HF item into a paper; null when it has neither an id nor a title. */
export function hfItemToPaper(item: HfDailyItem): PaperInput | null {
  const p = item.paper;
  const title = p.title ?? item.title;
  if (!title?.trim()) return null;
  const id = p.id ?? null;
  return normalisePaper({
    anyId: id,
    title,
    abstract: p.summary ?? item.summary ?? '',
    authors: (p.authors ?? []).map((a) => a.name ?? '').filter(Boolean),
    publishedAt: toDate(p.publishedAt ?? item.publishedAt),
    thumbnail: item.thumbnail ?? null,
    hfUpvotes: p.upvotes ?? null,
    hfComments: item.numComments ?? null,
    hfFeaturedAt: toDate(p.submittedOnDailyAt),
    aiSummary: p.ai_summary ?? null,
    keywords: p.ai_keywords ?? [],
    githubRepo: p.githubRepo ?? null,
    githubStars: p.githubStars ?? null,
    projectPage: p.projectPage ?? null,
    source: 'hf',
  });
}

export function toDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
