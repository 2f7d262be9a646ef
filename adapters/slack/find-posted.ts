import type { WebClient } from '@slack/web-api';
import { z } from 'zod';

/** The metadata event type the bot's tagged messages carry; the tag is its payload. */
export const TAG_EVENT_TYPE = 'papers_message';

/** chat.postMessage's `metadata` for a tagged message (none for untagged ones). */
export function tagMetadata(
  tag: string | undefined,
): { event_type: string; event_payload: { tag: string } } | undefined {
  return tag ? { event_type: TAG_EVENT_TYPE, event_payload: { tag } } : undefined;
}

/** How far back to look: a resumed digest's messages are its channel's or thread's most recent ones. */
export interface FindLimits {
  /** Pages of history or replies read at most. */
  pages: number;
  /** Messages asked for per page. */
  pageSize: number;
  /** No new page is asked for after this long. */
  budgetMs: number;
}

/**
 * Slack gives apps outside its Marketplace 15 messages a page and a page a minute of history; the bot only
 * reads it to adopt a message sent just before a crash, and then only from just before that message (the
 * last one recorded, or the claim's start): one page.
 */
export const DEFAULT_FIND_LIMITS: FindLimits = { pages: 1, pageSize: 15, budgetMs: 15_000 };

const pageSchema = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        user: z.string().optional(),
        bot_id: z.string().optional(),
        metadata: z
          .object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() })
          .optional(),
      }),
    )
    .default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

/**
 * Finds the bot's own messages carrying some of `tags` in their metadata: the channel's recent top-level
 * messages (conversations.history), or one thread's replies (conversations.replies). Reads newest pages
 * of history first and stops once every tag is found or a limit is reached. Errors propagate: a digest
 * that cannot tell whether its message went out stays unfinished and is resumed later rather than
 * posting a duplicate.
 */
export async function findTagged(
  client: WebClient,
  me: { userId: string; botId: string },
  where: { channelId: string; threadTs?: string; tags: readonly string[]; since?: Date },
  limits: FindLimits = DEFAULT_FIND_LIMITS,
): Promise<Map<string, string>> {
  const wanted = new Set(where.tags);
  const found = new Map<string, string>();
  const deadline = Date.now() + limits.budgetMs;
  let cursor: string | undefined;
  for (let page = 0; page < limits.pages && found.size < wanted.size && Date.now() < deadline; page++) {
    const common = {
      channel: where.channelId,
      limit: limits.pageSize,
      include_all_metadata: true,
      // Only what was posted since the claim began (a minute of clock skew allowed).
      ...(where.since ? { oldest: ((where.since.getTime() - 60_000) / 1000).toFixed(6) } : {}),
      ...(cursor ? { cursor } : {}),
    };
    const raw = where.threadTs
      ? await client.conversations.replies({ ...common, ts: where.threadTs })
      : await client.conversations.history(common);
    const { messages, response_metadata } = pageSchema.parse(raw);
    for (const m of messages) {
      // In a thread the parent comes first on every page; it is not one of the replies.
      if (where.threadTs && m.ts === where.threadTs) continue;
      if (m.user !== me.userId && m.bot_id !== me.botId) continue;
      if (m.metadata?.event_type !== TAG_EVENT_TYPE) continue;
      const tag = m.metadata.event_payload?.tag;
      if (typeof tag === 'string' && wanted.has(tag) && !found.has(tag)) found.set(tag, m.ts);
    }
    cursor = response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return found;
}
