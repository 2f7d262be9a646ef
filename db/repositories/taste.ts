import { eq, inArray, sql } from 'drizzle-orm';
import type { Workspace } from '../../src/domain/types.js';
import { type Db, queryRows } from '../client.js';
import { paperAlerts, papers, tasteModels } from '../schema.js';
import { type Claim, claimMessage, finishMessage } from './message-claims.js';

/** A paper's text, as taste reads it. */
export interface PaperTextRow {
  id: string;
  title: string;
  abstract: string;
  keywords: string[];
}

export async function paperTexts(db: Db, ids: string[]): Promise<PaperTextRow[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: papers.id, title: papers.title, abstract: papers.abstract, keywords: papers.keywords })
    .from(papers)
    .where(inArray(papers.id, ids));
}

/** A paper someone voted on, and how: above 0 for, below against. */
export interface VotedPaper {
  paperId: string;
  votes: number;
}

/**
 * What a workspace voted for and against, or one person in it: per paper, the sum of each person's vote
 * (the sign of their reactions' weights), as the leaderboard counts.
 */
export async function votedPapers(db: Db, ws: Workspace, userId?: string): Promise<VotedPaper[]> {
  const byUser = userId ? sql`and v.user_id = ${userId}` : sql``;
  const rows = await queryRows<{ paper_id: string; votes: number }>(
    db,
    sql`select paper_id, sum(vote)::int as votes from (
          select po.paper_id, v.user_id, sign(sum(v.weight)) as vote
          from votes v
          join posts po on po.id = v.post_id
          join channels ch on ch.id = po.channel_id
          where v.active and ch.platform = ${ws.platform} and ch.workspace_id = ${ws.workspaceId} ${byUser}
          group by po.paper_id, v.user_id
        ) per_user group by paper_id having sum(vote) <> 0`,
  );
  return rows.map((r) => ({ paperId: r.paper_id, votes: Number(r.votes) }));
}

/** The people of a workspace who voted on at least `min` papers (a vote for or against). */
export async function voters(db: Db, ws: Workspace, min: number): Promise<string[]> {
  const rows = await queryRows<{ user_id: string }>(
    db,
    sql`select v.user_id from votes v
        join posts po on po.id = v.post_id
        join channels ch on ch.id = po.channel_id
        where v.active and ch.platform = ${ws.platform} and ch.workspace_id = ${ws.workspaceId}
        group by v.user_id having count(distinct po.paper_id) >= ${min}
        order by v.user_id`,
  );
  return rows.map((r) => r.user_id);
}

/**
 * Papers the workspace's digests showed at least `settledDays` ago that nobody voted on, newest first:
 * weak evidence of what the team passes over.
 */
export async function passedOver(db: Db, ws: Workspace, before: Date, limit: number): Promise<string[]> {
  const rows = await queryRows<{ paper_id: string }>(
    db,
    sql`select po.paper_id from posts po
        join channels ch on ch.id = po.channel_id
        where po.kind = 'digest' and ch.platform = ${ws.platform} and ch.workspace_id = ${ws.workspaceId}
          and po.created_at < ${before.toISOString()}::timestamptz
          and not exists (
            select 1 from votes v join posts p2 on p2.id = v.post_id join channels c2 on c2.id = p2.channel_id
            where v.active and p2.paper_id = po.paper_id
              and c2.platform = ch.platform and c2.workspace_id = ch.workspace_id)
        group by po.paper_id
        order by max(po.created_at) desc
        limit ${limit}`,
  );
  return rows.map((r) => r.paper_id);
}

/** A fingerprint of the votes a model learns from: it changes whenever any of them does. */
export async function votesFingerprint(db: Db, ws: Workspace, userId?: string): Promise<string> {
  const byUser = userId ? sql`and v.user_id = ${userId}` : sql``;
  const [row] = await queryRows<{ n: number; latest: string | null; weights: number }>(
    db,
    sql`select count(*)::int as n, max(v.event_at)::text as latest, coalesce(sum(v.weight * (case when v.active then 1 else 2 end)), 0)::int as weights
        from votes v join posts po on po.id = v.post_id join channels ch on ch.id = po.channel_id
        where ch.platform = ${ws.platform} and ch.workspace_id = ${ws.workspaceId} ${byUser}`,
  );
  return `${row?.n ?? 0}:${row?.latest ?? ''}:${row?.weights ?? 0}`;
}

export type StoredModel = typeof tasteModels.$inferSelect;

export async function loadModel(db: Db, scope: string): Promise<StoredModel | undefined> {
  const [row] = await db.select().from(tasteModels).where(eq(tasteModels.scope, scope));
  return row;
}

export async function saveModel(
  db: Db,
  model: { scope: string; fingerprint: string; model: StoredModel['model']; trainedAt: Date },
): Promise<void> {
  await db
    .insert(tasteModels)
    .values(model)
    .onConflictDoUpdate({
      target: tasteModels.scope,
      set: { fingerprint: model.fingerprint, model: model.model, trainedAt: model.trainedAt },
    });
}

/** The last `days` days' papers a person might not have seen: the most upvoted, and the newest. */
export async function recentPaperIds(db: Db, now: Date, days: number): Promise<string[]> {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  const rows = await queryRows<{ id: string }>(
    db,
    sql`(select id from papers where coalesce(hf_featured_at, published_at) >= ${since}::timestamptz
         order by hf_upvotes desc limit 400)
        union
        (select id from papers where coalesce(hf_featured_at, published_at) >= ${since}::timestamptz
         order by coalesce(hf_featured_at, published_at) desc limit 200)`,
  );
  return rows.map((r) => r.id);
}

/** A paper a channel follows for news: where it was first posted there, and what is new about it. */
export interface AlertCandidate {
  channelId: number;
  paperId: string;
  title: string;
  url: string | null;
  kind: 'version' | 'code';
  /** The version (`v3`) or the code's address. */
  key: string;
  comment: string | null;
  /** The first message about it in the channel, and its thread. */
  messageId: string;
  threadId: string | null;
}

/**
 * New versions and new code of the papers each channel cares about (voted for at least its `alert_votes`
 * times in the workspace, discussed there, or shared in the channel) that arrived after the paper was
 * first posted in the channel, and were not yet announced there.
 */
export async function alertCandidates(
  db: Db,
  platforms: readonly string[],
  since: Date,
): Promise<AlertCandidate[]> {
  if (platforms.length === 0) return [];
  const rows = await queryRows<{
    channel_id: number;
    paper_id: string;
    title: string;
    url: string | null;
    kind: 'version' | 'code';
    key: string;
    comment: string | null;
    message_id: string;
    thread_id: string | null;
  }>(
    db,
    sql`with fresh as (
          select id, title, url, arxiv_comment, 'version' as kind, 'v' || version as key, version_seen_at as at
          from papers where version_seen_at >= ${since.toISOString()}::timestamptz
          union all
          select id, title, url, arxiv_comment, 'code', github_repo, code_seen_at
          from papers where code_seen_at >= ${since.toISOString()}::timestamptz and github_repo is not null
        ),
        first_post as (
          select distinct on (po.channel_id, po.paper_id) po.channel_id, po.paper_id, po.message_id, po.thread_id,
                 po.created_at, ch.platform, ch.workspace_id, ch.alert_votes
          from posts po join channels ch on ch.id = po.channel_id
          where po.paper_id in (select id from fresh) and ch.alert_votes > 0
            and ch.platform in (${sql.join(
              platforms.map((p) => sql`${p}`),
              sql`, `,
            )})
          order by po.channel_id, po.paper_id, po.created_at
        )
        select fp.channel_id, f.id as paper_id, f.title, f.url, f.kind, f.key, f.arxiv_comment as comment,
               fp.message_id, fp.thread_id
        from fresh f join first_post fp on fp.paper_id = f.id
        where f.at > fp.created_at
          and not exists (select 1 from paper_alerts a where a.channel_id = fp.channel_id and a.paper_id = f.id
                          and a.kind = f.kind and a.key = f.key and a.status = 'done')
          and (
            exists (select 1 from shares s where s.channel_id = fp.channel_id and s.paper_id = f.id)
            or exists (select 1 from discussions d where d.platform = fp.platform
                       and d.workspace_id = fp.workspace_id and d.paper_id = f.id)
            or (select count(distinct v.user_id) from votes v join posts p2 on p2.id = v.post_id
                join channels c2 on c2.id = p2.channel_id
                where v.active and v.weight > 0 and p2.paper_id = f.id
                  and c2.platform = fp.platform and c2.workspace_id = fp.workspace_id) >= fp.alert_votes
          )`,
  );
  return rows.map((r) => ({
    channelId: r.channel_id,
    paperId: r.paper_id,
    title: r.title,
    url: r.url,
    kind: r.kind,
    key: r.key,
    comment: r.comment,
    messageId: r.message_id,
    threadId: r.thread_id,
  }));
}

/** Claims an alert for this instance (new, or one whose holder's claim ran out); `retake` as for steps. */
export function claimAlert(
  db: Db,
  alert: { channelId: number; paperId: string; kind: 'version' | 'code'; key: string },
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<Claim | undefined> {
  return claimMessage(
    db,
    paperAlerts,
    alert,
    [
      eq(paperAlerts.channelId, alert.channelId),
      eq(paperAlerts.paperId, alert.paperId),
      eq(paperAlerts.kind, alert.kind),
      eq(paperAlerts.key, alert.key),
    ],
    { owner, now, leaseMs },
  );
}

export function finishAlert(db: Db, id: number, owner: string, messageId: string): Promise<void> {
  return finishMessage(db, paperAlerts, id, owner, messageId);
}

/** arXiv ids of the papers channels follow for news (as alertCandidates chooses them), newest first. */
export async function trackedArxivIds(db: Db, since: Date, limit: number): Promise<string[]> {
  const rows = await queryRows<{ arxiv_id: string }>(
    db,
    sql`select p.arxiv_id from papers p
        where p.arxiv_id is not null and exists (
          select 1 from posts po join channels ch on ch.id = po.channel_id
          where po.paper_id = p.id and ch.alert_votes > 0 and po.created_at >= ${since.toISOString()}::timestamptz
            and (
              exists (select 1 from shares s where s.channel_id = po.channel_id and s.paper_id = p.id)
              or exists (select 1 from discussions d where d.platform = ch.platform
                         and d.workspace_id = ch.workspace_id and d.paper_id = p.id)
              or (select count(distinct v.user_id) from votes v join posts p2 on p2.id = v.post_id
                  join channels c2 on c2.id = p2.channel_id
                  where v.active and v.weight > 0 and p2.paper_id = p.id
                    and c2.platform = ch.platform and c2.workspace_id = ch.workspace_id) >= ch.alert_votes))
        order by p.published_at desc nulls last
        limit ${limit}`,
  );
  return rows.map((r) => r.arxiv_id);
}
