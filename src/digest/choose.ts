import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import type { ChannelRow } from '../channels/channels.js';
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
const TRENDING_CANDIDATES = 300;
const RECENT_CANDIDATES = 200;
const FOLLOWED_CANDIDATES = 200;
const TRENDING_WINDOW_DAYS = 21;

/** HF upvotes are divided by (age in days + 2)^GRAVITY: a day-old paper with momentum beats a week-old one. */
const GRAVITY = 1.5;
const TEAM_VOTE_WEIGHT = 5;
const FOLLOW_WEIGHT = 10;

interface TermSets {
  words: string[];
  categories: string[];
}

function splitTerms(terms: string[]): TermSets {
  return {
    words: terms.filter((t) => !t.startsWith('cat:')),
    categories: terms.filter((t) => t.startsWith('cat:')).map((t) => t.slice(4)),
  };
}

/** SQL true when a candidate paper `c` matches a followed/muted word (stemmed, as a phrase) or category. */
function matches(terms: TermSets): SQL[] {
  return [
    ...terms.words.map((w) => {
      const phrase = phraseQuery(textWords(w));
      return phrase === null ? sql`false` : sql`(c.search_vector @@ ${phrase}::tsquery)`;
    }),
    ...terms.categories.map((cat) => sql`(c.categories ? ${cat})`),
  ];
}

/**
 * Today's papers for a channel: a trending score from Hugging Face upvotes decayed by age, plus the
 * workspace's votes, plus followed topics; muted words and categories are never posted, and neither is a
 * paper the channel has already been shown (posts are keyed by the version-less id, so no version of it).
 */
export async function choosePapers(db: Db, channel: ChannelRow, now: Date): Promise<DigestPick[]> {
  const follows = splitTerms(channel.follows);
  const followLabels = [...follows.words, ...follows.categories.map((c) => `cat:${c}`)];
  const followMatches = matches(follows);
  const muteMatches = matches(splitTerms(channel.mutes));
  const matchedArray = followMatches.length
    ? sql`array_remove(array[${sql.join(
        followMatches.map((m, i) => sql`case when ${m} then ${i}::int end`),
        sql`, `,
      )}], null)`
    : sql`array[]::int[]`;
  const notMuted = muteMatches.length ? sql`and not (${sql.join(muteMatches, sql` or `)})` : sql``;
  const nowIso = now.toISOString();
  // A followed topic finds its papers through the search index, however old or quiet they are.
  const followedPool = followMatches.length
    ? sql`union (select c.id from papers c
         where (${sql.join(followMatches, sql` or `)})
           and not exists (select 1 from posts s where s.channel_id = ${channel.id} and s.paper_id = c.id)
         order by coalesce(c.hf_featured_at, c.published_at) desc nulls last limit ${FOLLOWED_CANDIDATES})`
    : sql``;

  const rows = await queryRows<{
    id: string;
    hf_upvotes: number;
    team: number;
    matched: number[];
    age: number;
  }>(
    db,
    sql`
      with pool as (
        (select p.id from papers p
         where coalesce(p.hf_featured_at, p.published_at) >= ${nowIso}::timestamptz - make_interval(days => ${TRENDING_WINDOW_DAYS})
           and not exists (select 1 from posts s where s.channel_id = ${channel.id} and s.paper_id = p.id)
         order by p.hf_upvotes desc limit ${TRENDING_CANDIDATES})
        union
        (select p.id from papers p
         where not exists (select 1 from posts s where s.channel_id = ${channel.id} and s.paper_id = p.id)
         order by coalesce(p.hf_featured_at, p.published_at) desc nulls last limit ${RECENT_CANDIDATES})
        ${followedPool}
      ),
      candidates as (
        select p.id, p.hf_upvotes, p.categories, p.search_vector,
               greatest(0, extract(epoch from (${nowIso}::timestamptz
                 - coalesce(p.hf_featured_at, p.published_at, p.created_at))) / 86400.0) as age
        from papers p join pool on pool.id = p.id
      ),
      team as (
        select paper_id, sum(vote)::int as votes from (
          select po.paper_id, v.user_id, sign(sum(v.weight)) as vote
          from votes v
          join posts po on po.id = v.post_id
          join channels ch on ch.id = po.channel_id
          where v.active and ch.platform = ${channel.platform} and ch.workspace_id = ${channel.workspaceId}
            and po.paper_id in (select id from candidates)
          group by po.paper_id, v.user_id
        ) per_user group by paper_id
      )
      select c.id, c.hf_upvotes, coalesce(t.votes, 0) as team, ${matchedArray} as matched, c.age
      from candidates c left join team t on t.paper_id = c.id
      where true ${notMuted}
      order by c.hf_upvotes / power(c.age + 2, ${GRAVITY})
               + ${TEAM_VOTE_WEIGHT} * coalesce(t.votes, 0)
               + ${FOLLOW_WEIGHT} * cardinality(${matchedArray})
               + 1.0 / (c.age + 2) desc,
               c.id
      limit ${channel.digestSize}`,
  );
  return rows.map((r) => ({
    paperId: r.id,
    reason: reasonFor(
      Number(r.hf_upvotes),
      Number(r.team),
      (r.matched ?? []).map((i) => followLabels[i]!),
      Number(r.age),
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
