import type { PaperView } from '../../src/domain/types.js';

/** Discord's limits on a forum's tags. */
export const TAG_LIMITS = {
  /** Characters in a tag's name. */
  name: 20,
  /** Tags a forum may offer. */
  perForum: 20,
  /** Tags one post may carry. */
  perPost: 5,
} as const;

/** A tag a forum offers, as far as choosing one goes. */
export interface ForumTag {
  id: string;
  name: string;
  /** Only members with Manage Threads may apply it. */
  moderated: boolean;
}

/** Which tags a paper's forum post carries, and which of them must be created first. */
export interface TagPlan {
  /** Tags to apply, in the paper's order: an existing tag's id, or the name of one to create. */
  picks: ({ id: string } | { create: string })[];
  /** Names the forum lacks that the bot may not create. */
  refused: string[];
}

/**
 * The tags for a paper's post: its arXiv categories first, then its keywords, each matched by name (case
 * aside) against the forum's tags. A name the forum lacks is created when the bot may and the forum has
 * room (20 tags); at most 5 in all. Names longer than a tag's 20 characters can be no tag and are passed
 * over, as are moderated tags the bot may not apply.
 */
export function planTags(
  paper: Pick<PaperView, 'categories' | 'keywords'>,
  available: readonly ForumTag[],
  allowed: { create: boolean; moderated: boolean },
): TagPlan {
  const byName = new Map(available.map((tag) => [tag.name.trim().toLowerCase(), tag]));
  const picks: TagPlan['picks'] = [];
  const refused: string[] = [];
  const seen = new Set<string>();
  let room = TAG_LIMITS.perForum - available.length;
  for (const raw of [...paper.categories, ...paper.keywords]) {
    if (picks.length === TAG_LIMITS.perPost) break;
    const name = raw.trim();
    const key = name.toLowerCase();
    if (!name || name.length > TAG_LIMITS.name || seen.has(key)) continue;
    seen.add(key);
    const existing = byName.get(key);
    if (existing) {
      if (!existing.moderated || allowed.moderated) picks.push({ id: existing.id });
    } else if (!allowed.create) {
      refused.push(name);
    } else if (room > 0) {
      picks.push({ create: name });
      room--;
    }
  }
  return { picks, refused };
}
