import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../client.js';
import type { ChannelRow } from './channels.js';

/** A followed or muted term as the index matches it: a stemmed phrase (a tsquery) or an arXiv category. */
export type IndexTerm = { tsquery: string | null } | { category: string };

/** How candidates are found and scored; the digest sets these. */
export interface DigestScoring {
  /** The most upvoted papers of the last `trendingWindowDays`, this many. */
  trendingCandidates: number;
  trendingWindowDays: number;
  /** The newest papers, which have had no time to collect upvotes, this many. */
  recentCandidates: number;
  /** Papers matching a followed term, however old or quiet, this many. */
  followedCandidates: number;
  /** HF upvotes are divided by (age in days + 2)^gravity. */
  gravity: number;
  teamVoteWeight: number;
  followWeight: number;
  /** Candidates returned, best first: the digest chooses among them. */
  poolSize: number;
}

export interface DigestCandidate {
  paperId: string;
  hfUpvotes: number;
  /** The workspace's net votes. */
  teamVotes: number;
  /** Indexes into the followed terms it matches. */
  matched: number[];
  ageDays: number;
  authors: string[];
  /** The score that ranks it without taste: upvotes decayed by age, team votes, followed terms. */
  score: number;
}

/** SQL true when a candidate paper `c` matches the term. */
function matches(terms: readonly IndexTerm[]): SQL[] {
  return terms.map((term) => {
    if ('category' in term) return sql`(c.categories ? ${term.category})`;
    return term.tsquery === null ? sql`false` : sql`(c.search_vector @@ ${term.tsquery}::tsquery)`;
  });
}

/**
 * The best papers for a channel's digest, best first: a trending score from Hugging Face upvotes decayed
 * by age, plus the workspace's votes, plus followed terms; papers matching a muted term are never
 * candidates, and neither is a paper the channel has already been shown (posts are keyed by the
 * version-less id, so no version of it).
 */
export async function digestCandidates(
  db: Db,
  channel: ChannelRow,
  now: Date,
  terms: { followed: readonly IndexTerm[]; muted: readonly IndexTerm[] },
  scoring: DigestScoring,
): Promise<DigestCandidate[]> {
  const followMatches = matches(terms.followed);
  const muteMatches = matches(terms.muted);
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
         order by coalesce(c.hf_featured_at, c.published_at) desc nulls last limit ${scoring.followedCandidates})`
    : sql``;

  const rows = await queryRows<{
    id: string;
    hf_upvotes: number;
    team: number;
    matched: number[];
    age: number;
    authors: string[];
    score: number;
  }>(
    db,
    sql`
      with pool as (
        (select p.id from papers p
         where coalesce(p.hf_featured_at, p.published_at) >= ${nowIso}::timestamptz - make_interval(days => ${scoring.trendingWindowDays})
           and not exists (select 1 from posts s where s.channel_id = ${channel.id} and s.paper_id = p.id)
         order by p.hf_upvotes desc limit ${scoring.trendingCandidates})
        union
        (select p.id from papers p
         where not exists (select 1 from posts s where s.channel_id = ${channel.id} and s.paper_id = p.id)
         order by coalesce(p.hf_featured_at, p.published_at) desc nulls last limit ${scoring.recentCandidates})
        ${followedPool}
      ),
      candidates as (
        select p.id, p.hf_upvotes, p.categories, p.search_vector, p.authors,
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
      select * from (
        select c.id, c.hf_upvotes, coalesce(t.votes, 0) as team, ${matchedArray} as matched, c.age, c.authors,
               c.hf_upvotes / power(c.age + 2, ${scoring.gravity})
                 + ${scoring.teamVoteWeight} * coalesce(t.votes, 0)
                 + ${scoring.followWeight} * cardinality(${matchedArray})
                 + 1.0 / (c.age + 2) as score
        from candidates c left join team t on t.paper_id = c.id
        where true ${notMuted}
      ) scored
      order by score desc, id
      limit ${scoring.poolSize}`,
  );
  return rows.map((r) => ({
    paperId: r.id,
    hfUpvotes: Number(r.hf_upvotes),
    teamVotes: Number(r.team),
    matched: r.matched ?? [],
    ageDays: Number(r.age),
    authors: r.authors ?? [],
    score: Number(r.score),
  }));
}
