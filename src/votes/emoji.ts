/** Vote weights by canonical emoji name; anything absent is not a vote. */
export type EmojiWeights = ReadonlyMap<string, number>;

const ALIASES: Record<string, string> = {
  '👍': '+1',
  thumbsup: '+1',
  thumbs_up: '+1',
  '👎': '-1',
  thumbsdown: '-1',
  thumbs_down: '-1',
  '⬆': 'arrow_up',
  '🔥': 'fire',
  '❤': 'heart',
  red_heart: 'heart',
  '🚀': 'rocket',
  '🎉': 'tada',
  '👀': 'eyes',
};

/**
 * One name per emoji whatever the platform sends: Slack names (`+1::skin-tone-2`), Discord unicode
 * (`👍🏽`), console input (`:fire:` or `🔥`).
 */
export function canonicalEmoji(raw: string): string {
  const name = raw
    .trim()
    .replace(/^:|:$/g, '')
    .replace(/::skin-tone-\d$/, '')
    .replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, '');
  return ALIASES[name] ?? name;
}

export const DEFAULT_UPVOTE_EMOJI = ['+1', 'arrow_up', 'fire', 'heart', 'rocket'];
export const DEFAULT_DOWNVOTE_EMOJI = ['-1'];

export function emojiWeights(upvotes: string[], downvotes: string[]): EmojiWeights {
  const weights = new Map<string, number>();
  for (const e of upvotes) weights.set(canonicalEmoji(e), 1);
  for (const e of downvotes) weights.set(canonicalEmoji(e), -1);
  return weights;
}
