import type { Db } from '../../db/client.js';
import { type ChannelRow, channelRefOf } from '../../db/repositories/channels.js';
import { loadPaperViews } from '../../db/repositories/papers.js';
import { firstPostOf } from '../../db/repositories/posts.js';
import { toggleButtonVote, votesFor } from '../../db/repositories/votes.js';
import { UserError } from '../domain/errors.js';
import { votesText } from '../domain/present.js';
import type { UserRef } from '../domain/types.js';

/**
 * A Vote button's press: the person's vote for a paper posted in the channel, or, pressed again, its
 * withdrawal. It is recorded on the channel's first post of the paper, beside any reaction, and counts
 * once per person like them.
 */
export async function toggleVote(
  db: Db,
  channel: ChannelRow | undefined,
  user: UserRef,
  paperId: string,
  now: Date,
): Promise<{ on: boolean; text: string }> {
  const post = channel ? await firstPostOf(db, channel.id, paperId) : undefined;
  const title = (await loadPaperViews(db, [paperId])).get(paperId)?.title ?? paperId;
  if (!channel || !post) {
    throw new UserError(
      `“${title}” has not been posted in this channel, so there is nothing to vote on here: \`/papers share ${paperId}\` posts it.`,
    );
  }
  const on = await toggleButtonVote(db, post.id, user.id, now);
  const votes = (await votesFor(db, channelRefOf(channel), [paperId])).get(paperId) ?? 0;
  return {
    on,
    text: on
      ? `Voted for “${title}” (${votesText(votes)} now). Press ▲ Vote again to take it back.`
      : `Took back your ▲ vote for “${title}” (${votesText(votes)} now).`,
  };
}
