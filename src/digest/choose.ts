import type { Db } from '../../db/client.js';
import type { ChannelRow } from '../../db/repositories/channels.js';
import {
  type DigestScoring,
  digestCandidates,
  type IndexTerm,
} from '../../db/repositories/digest-candidates.js';
import { phraseQuery } from '../search/lexemes.js';
import { textWords } from '../search/query.js';

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
};

/** A channel's follow or mute list as the index matches it, with the labels the reasons show. */
function indexTerms(terms: string[]): { labels: string[]; index: IndexTerm[] } {
  const words = terms.filter((t) => !t.startsWith('cat:'));
  const categories = terms.filter((t) => t.startsWith('cat:')).map((t) => t.slice(4));
  return {
    labels: [...words, ...categories.map((c) => `cat:${c}`)],
    index: [
      ...words.map((w) => ({ tsquery: phraseQuery(textWords(w)) })),
      ...categories.map((category) => ({ category })),
    ],
  };
}

/**
 * Today's papers for a channel: a trending score from Hugging Face upvotes decayed by age, plus the
 * workspace's votes, plus followed topics; muted words and categories are never posted, and neither is a
 * paper the channel has already been shown.
 */
export async function choosePapers(db: Db, channel: ChannelRow, now: Date): Promise<DigestPick[]> {
  const follows = indexTerms(channel.follows);
  const mutes = indexTerms(channel.mutes);
  const candidates = await digestCandidates(
    db,
    channel,
    now,
    { followed: follows.index, muted: mutes.index },
    SCORING,
  );
  return candidates.map((c) => ({
    paperId: c.paperId,
    reason: reasonFor(
      c.hfUpvotes,
      c.teamVotes,
      c.matched.map((i) => follows.labels[i]!),
      c.ageDays,
    ),
  }));
}

/** "▲ 132 on HF · matches diffusion · 2 team votes". */
export function reasonFor(upvotes: number, teamVotes: number, matched: string[], ageDays: number): string {
  const parts: string[] = [];
  if (upvotes > 0) parts.push(`▲ ${upvotes} on HF`);
  if (matched.length) parts.push(`matches ${matched.join(', ')}`);
  if (teamVotes > 0) parts.push(`${teamVotes} team ${teamVotes === 1 ? 'vote' : 'votes'}`);
  if (parts.length === 0) parts.push(ageDays < 3 ? 'new this week' : 'not yet seen here');
  return parts.join(' · ');
}
