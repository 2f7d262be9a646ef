import type { Db } from '../../db/client.js';
import type { ChannelRow } from '../../db/repositories/channels.js';
import {
  type DigestCandidate,
  type DigestScoring,
  digestCandidates,
  type IndexTerm,
} from '../../db/repositories/digest-candidates.js';
import { paperTexts } from '../../db/repositories/taste.js';
import { phraseQuery, quoteLexeme } from '../search/lexemes.js';
import { textWords } from '../search/query.js';
import {
  closestLiked,
  likeReason,
  positiveVectors,
  type Taste,
  tasteFit,
  teamTastes,
} from '../taste/taste.js';
import { termCounts } from '../taste/vectors.js';

/** A paper picked for a digest, with the line that tells people why. */
export interface DigestPick {
  paperId: string;
  reason: string;
}

/**
 * Scoring is bounded whatever the library's size: the most upvoted papers of the last weeks, plus the
 * newest ones (which have had no time to collect upvotes), plus papers matching a followed topic.
 */
const SCORING: DigestScoring = {
  trendingCandidates: 300,
  trendingWindowDays: 21,
  recentCandidates: 200,
  followedCandidates: 200,
  // HF upvotes are divided by (age in days + 2)^1.5: a day-old paper with momentum beats a week-old one.
  gravity: 1.5,
  teamVoteWeight: 5,
  followWeight: 10,
  poolSize: 700,
};

/** Taste fills a slot only with a paper it thinks more likely wanted than not. */
const TASTE_THRESHOLD = 0.5;
/** Fits weighed again against the papers voted for, per taste place. */
const SHORTLIST = 5;

/** A channel's follow or mute list as the index matches it, with the labels the reasons show. */
function indexTerms(terms: string[]): { labels: string[]; index: IndexTerm[]; authors: string[][] } {
  const authors = terms.filter((t) => t.startsWith('author:'));
  const words = terms.filter((t) => !t.startsWith('cat:') && !t.startsWith('author:'));
  const categories = terms.filter((t) => t.startsWith('cat:')).map((t) => t.slice(4));
  const authorWords = authors.map((a) => textWords(a.slice('author:'.length)));
  return {
    labels: [...words, ...categories.map((c) => `cat:${c}`), ...authors],
    index: [
      ...words.map((w) => ({ tsquery: phraseQuery(textWords(w)) })),
      ...categories.map((category) => ({ category })),
      // Authors are indexed unstemmed, at weight D: every word of the name among them.
      ...authorWords.map((name) => ({
        tsquery: name.length ? name.map((w) => `${quoteLexeme(w)}:D`).join(' & ') : null,
      })),
    ],
    authors: authorWords,
  };
}

/** The paper's author a followed name names (all its words in one author's name), as printed. */
function followedAuthor(authors: string[], followed: string[][]): string | undefined {
  for (const name of followed) {
    const hit = authors.find((author) => {
      const words = new Set(textWords(author));
      return name.length > 0 && name.every((w) => words.has(w));
    });
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Today's papers for a channel. Papers by a followed author are pinned first; then the best by a score
 * of Hugging Face upvotes decayed by age, the workspace's votes and followed topics; and up to the
 * channel's taste slots (never all of them) go to the papers the team's taste, learned from its votes,
 * most expects it to want. Muted words and categories are never posted, nor a paper the channel has seen.
 */
export async function choosePapers(db: Db, channel: ChannelRow, now: Date): Promise<DigestPick[]> {
  const follows = indexTerms(channel.follows);
  const mutes = indexTerms(channel.mutes);
  const pool = await digestCandidates(
    db,
    channel,
    now,
    { followed: follows.index, muted: mutes.index },
    SCORING,
  );
  const size = channel.digestSize;
  const chosen = new Map<string, { candidate: DigestCandidate; lead?: string }>();
  // A digest of one has room for nothing but its best; otherwise something else always gets a place.
  const room = size > 1 ? size - 1 : size;
  for (const candidate of pool) {
    if (chosen.size >= room) break;
    const author = followedAuthor(candidate.authors, follows.authors);
    if (author) chosen.set(candidate.paperId, { candidate, lead: `by ${author} (followed)` });
  }

  // At least one place is the ranking's own, so the team still sees what it does not know it likes.
  const tasteSlots = Math.max(0, Math.min(channel.tasteSlots, size - chosen.size - 1));
  const tastePicks = tasteSlots > 0 ? await byTaste(db, channel, now, pool, chosen, tasteSlots) : [];
  for (const candidate of pool) {
    if (chosen.size + tastePicks.length >= size) break;
    if (
      !chosen.has(candidate.paperId) &&
      !tastePicks.some((t) => t.candidate.paperId === candidate.paperId)
    ) {
      chosen.set(candidate.paperId, { candidate });
    }
  }
  const picks = [...chosen.values(), ...tastePicks];
  return picks.map(({ candidate: c, lead }) => ({
    paperId: c.paperId,
    reason: reasonFor({
      upvotes: c.hfUpvotes,
      teamVotes: c.teamVotes,
      matched: c.matched.map((i) => follows.labels[i]!).filter((l) => !l.startsWith('author:')),
      ageDays: c.ageDays,
      ...(lead ? { lead } : {}),
    }),
  }));
}

/** The candidates the team's taste expects it to want most, with why; none before it has enough votes. */
async function byTaste(
  db: Db,
  channel: ChannelRow,
  now: Date,
  pool: DigestCandidate[],
  chosen: Map<string, unknown>,
  slots: number,
): Promise<{ candidate: DigestCandidate; lead: string }[]> {
  const tastes = await teamTastes(db, channel, now);
  if (tastes.length === 0) return [];
  const open = pool.filter((c) => !chosen.has(c.paperId));
  const texts = new Map(
    (
      await paperTexts(
        db,
        open.map((c) => c.paperId),
      )
    ).map((t) => [t.id, t]),
  );
  // A paper's fit is the keenest of the team's and its people's: the taste that wants it most speaks.
  const fitting = open
    .flatMap((candidate) => {
      const text = texts.get(candidate.paperId);
      if (!text) return [];
      const terms = termCounts(text);
      const fits = tastes.map((taste) => ({ taste, fit: tasteFit(taste, terms) }));
      const best = fits.reduce((a, b) => (b.fit > a.fit ? b : a));
      return [{ candidate, terms, ...best }];
    })
    .filter((r) => r.fit >= TASTE_THRESHOLD)
    .sort((a, b) => b.fit - a.fit)
    .slice(0, SHORTLIST * slots);
  // Among the best fits, those closest to a paper actually voted for go first: the model's word weights
  // and the nearest vote agree on them.
  const liked = new Map<Taste, Awaited<ReturnType<typeof positiveVectors>>>();
  const ranked: ((typeof fitting)[number] & { nearest: number })[] = [];
  for (const r of fitting) {
    if (!liked.has(r.taste)) liked.set(r.taste, await positiveVectors(db, r.taste));
    const nearest = closestLiked(r.taste, r.terms, liked.get(r.taste)!)[0]?.similarity ?? 0;
    ranked.push({ ...r, nearest });
  }
  return ranked
    .sort((a, b) => b.fit + b.nearest - (a.fit + a.nearest))
    .slice(0, slots)
    .map((r) => ({
      candidate: r.candidate,
      lead:
        likeReason(r.taste, r.terms, liked.get(r.taste)!, 'the team voted for') ??
        'close to what the team votes for',
    }));
}

/** `by Yann LeCun (followed) · ▲ 132 upvotes on HF · matches diffusion · 2 team votes`. */
export function reasonFor(why: {
  upvotes: number;
  teamVotes: number;
  matched: string[];
  ageDays: number;
  lead?: string;
}): string {
  const parts: string[] = [];
  if (why.lead) parts.push(why.lead);
  if (why.upvotes > 0) parts.push(`▲ ${why.upvotes} ${why.upvotes === 1 ? 'upvote' : 'upvotes'} on HF`);
  if (why.matched.length) parts.push(`matches ${why.matched.join(', ')}`);
  if (why.teamVotes > 0) parts.push(`${why.teamVotes} team ${why.teamVotes === 1 ? 'vote' : 'votes'}`);
  if (parts.length === 0) parts.push(why.ageDays < 3 ? 'new this week' : 'not yet seen here');
  return parts.join(' · ');
}
