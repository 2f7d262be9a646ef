import { UserError } from '../domain/errors.js';
import type { UserRef } from '../domain/types.js';
import type { CommandContext } from './define.js';

/** A typed mention: `<@U123>`, `<@U123|ada>`, `<@!123>` (as the platforms send them) or `@ada`. */
const MENTION = /^(?:<@!?([A-Za-z0-9._-]{1,80})(?:\|[^>]*)?>|@([\w.-]{1,80}))$/;

/**
 * The people named in typed text, in order (twice if named twice), each a member of the channel's
 * workspace as the door knows it. A word
 * that is no mention, or names nobody there, is a UserError that says which.
 */
export async function resolvePeople(
  ctx: CommandContext,
  text: string | undefined,
  example: string,
): Promise<UserRef[]> {
  const words = (text ?? '').split(/[\s,]+/).filter(Boolean);
  if (words.length === 0) throw new UserError(`Name people with @, e.g. \`${example}\`.`);
  const people: UserRef[] = [];
  for (const word of words) {
    const match = MENTION.exec(word);
    if (!match) throw new UserError(`"${word}" is not a person: name people with @, e.g. \`${example}\`.`);
    const member: UserRef | null = ctx.adapter.findMember
      ? await ctx.adapter.findMember(ctx.invocation.channel, word)
      : { id: (match[1] ?? match[2])!, isAdmin: false, ...(match[2] ? { name: match[2] } : {}) };
    if (!member)
      throw new UserError(
        `${word} is not a member of this ${ctx.adapter.platform === 'discord' ? 'server' : 'workspace'}.`,
      );
    people.push(member);
  }
  return people;
}
