import type { Db } from '../../db/client.js';
import { ensureChannel } from '../channels/channels.js';
import { localDateIn, runDigest } from '../digest/run.js';
import type { Logger } from '../log.js';
import { SEARCH_HELP } from '../search/help.js';
import { searchResultsMessage } from '../search/present.js';
import { searchPapers } from '../search/search.js';
import type { EmojiWeights } from '../votes/emoji.js';
import { topPapers } from '../votes/leaderboard.js';
import { recordReaction } from '../votes/record.js';
import { type Command, parseCommand, USAGE } from './commands.js';
import { newReferenceId, UserError } from './errors.js';
import type { ChatAdapter, Clock, CommandInvocation, InboundHandlers, ReactionEvent } from './ports.js';

/** What the use cases need, wired once by main. */
export interface CoreDeps {
  db: Db;
  log: Logger;
  clock: Clock;
  instanceId: string;
  voteWeights: EmojiWeights;
  searchPageSize: number;
}

/** The inbound handlers for one adapter: commands become use cases, and here errors become replies. */
export function createHandlers(deps: CoreDeps, adapter: ChatAdapter): InboundHandlers {
  return {
    command: (invocation) => handleCommand(deps, adapter, invocation),
    reaction: (event) => handleReaction(deps, event),
  };
}

async function handleCommand(
  deps: CoreDeps,
  adapter: ChatAdapter,
  invocation: CommandInvocation,
): Promise<void> {
  try {
    const command = parseCommand(invocation.text);
    await runCommand(deps, adapter, invocation, command);
  } catch (err) {
    if (err instanceof UserError) {
      await adapter.respond(invocation.ref, { kind: 'text', text: err.message }, { private: true });
      return;
    }
    const ref = newReferenceId();
    deps.log.error({ err, ref, platform: adapter.platform, text: invocation.text }, 'command failed');
    await adapter.respond(
      invocation.ref,
      {
        kind: 'text',
        text: `Something went wrong on my side (reference ${ref}). Please try again in a moment.`,
      },
      { private: true },
    );
  }
}

async function runCommand(
  deps: CoreDeps,
  adapter: ChatAdapter,
  invocation: CommandInvocation,
  command: Command,
): Promise<void> {
  const { db, clock } = deps;
  const respond = adapter.respond.bind(adapter, invocation.ref);
  switch (command.name) {
    case 'help':
      return respond(
        { kind: 'text', text: command.topic === 'search' ? SEARCH_HELP : USAGE },
        { private: true },
      );
    case 'search': {
      const result = await searchPapers(db, command.query, {
        pageSize: deps.searchPageSize,
        workspace: invocation.channel,
        now: clock.now(),
      });
      return respond(searchResultsMessage(command.query, result, deps.searchPageSize), { private: true });
    }
    case 'top': {
      const entries = await topPapers(db, invocation.channel, command.period, clock.now());
      if (entries.length === 0) {
        return respond({
          kind: 'text',
          text: `No votes ${command.period === 'all' ? 'yet' : `this ${command.period}`}. React to a paper the bot posted to vote for it.`,
        });
      }
      return respond({ kind: 'leaderboard', period: command.period, entries });
    }
    case 'digest': {
      const channel = await ensureChannel(db, invocation.channel);
      const localDate = localDateIn(channel.timezone, clock.now());
      const outcome = await runDigest(
        { db, adapter, instanceId: deps.instanceId, now: () => clock.now() },
        channel,
        localDate,
      );
      const text = {
        posted: `Posted today's digest (${outcome.run.paperIds.length} papers).`,
        'already-posted': "Today's digest is already in this channel: scroll up to its thread.",
        busy: "Today's digest is being posted right now.",
        empty: 'No new papers to post today.',
      }[outcome.status];
      return respond({ kind: 'text', text }, { private: true });
    }
  }
}

async function handleReaction(deps: CoreDeps, event: ReactionEvent): Promise<void> {
  const outcome = await recordReaction(deps.db, event, deps.voteWeights, deps.clock.now());
  deps.log.debug({ outcome, user: event.user.id, emoji: event.emoji }, 'reaction');
}
