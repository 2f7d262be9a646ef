import { type Db, isDatabaseUnavailable } from '../../db/client.js';
import { type ChannelRow, ensureChannel } from '../channels/channels.js';
import { applySetting, describeSettings } from '../channels/settings.js';
import { runDigest } from '../digest/run.js';
import { findArxivIds, parseArxivId } from '../domain/arxiv-id.js';
import { newReferenceId, UserError } from '../domain/errors.js';
import type { Logger } from '../domain/log.js';
import type {
  ChatAdapter,
  Clock,
  CommandInvocation,
  InboundHandlers,
  ReactionEvent,
  SharedMessage,
} from '../domain/ports.js';
import { localDateIn } from '../domain/time.js';
import type { OutboundMessage } from '../domain/types.js';
import { searchSeconds, votesRecorded } from '../ops/metrics.js';
import { pickMessage } from '../schedule/channel-events.js';
import { SEARCH_HELP } from '../search/help.js';
import { searchResultsMessage } from '../search/present.js';
import { searchPapers } from '../search/search.js';
import { type PaperResolver, sharePaper } from '../shares/share.js';
import { currentPick, discussionHistory, markDiscussed } from '../votes/discussion.js';
import type { EmojiWeights } from '../votes/emoji.js';
import { topPapers } from '../votes/leaderboard.js';
import { recordReaction } from '../votes/record.js';
import { type Command, isSettingChange, parseCommand, USAGE } from './commands.js';

/** What the use cases need, wired once by main. */
export interface CoreDeps {
  db: Db;
  log: Logger;
  clock: Clock;
  instanceId: string;
  voteWeights: EmojiWeights;
  searchPageSize: number;
  /** Turns arXiv ids into library papers, fetching unknown ones where a source is wired. */
  resolver: PaperResolver;
}

/** The inbound handlers for one adapter: commands become use cases, and here errors become replies. */
export function createHandlers(deps: CoreDeps, adapter: ChatAdapter): InboundHandlers {
  return {
    command: (invocation) => handleCommand(deps, adapter, invocation),
    reaction: (event) => handleReaction(deps, event),
    message: (message) => handleMessage(deps, adapter, message),
  };
}

async function handleCommand(
  deps: CoreDeps,
  adapter: ChatAdapter,
  invocation: CommandInvocation,
): Promise<void> {
  try {
    const command = parseCommand(invocation.text);
    const answer = await runCommand(deps, adapter, invocation, command);
    if (answer) await adapter.respond(invocation.ref, answer.message, { private: answer.private });
  } catch (err) {
    if (err instanceof UserError) {
      await adapter.respond(invocation.ref, { kind: 'text', text: err.message }, { private: true });
      return;
    }
    if (isDatabaseUnavailable(err)) {
      deps.log.warn({ err, command: invocation.ref.id }, 'database unavailable');
      await adapter.respond(invocation.ref, { kind: 'text', text: UNAVAILABLE }, { private: true });
      return;
    }
    const ref = newReferenceId();
    deps.log.error(
      { err, ref, command: invocation.ref.id, platform: adapter.platform, text: invocation.text },
      'command failed',
    );
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

type Answer = { message: OutboundMessage; private: boolean } | null;

const privately = (text: string): Answer => ({ message: { kind: 'text', text }, private: true });
const publicly = (message: OutboundMessage): Answer => ({ message, private: false });

export const UNAVAILABLE =
  'The paper library is temporarily unavailable, so that was not done. Please try again in a minute.';

const ADMIN_ONLY =
  "Only admins can change this channel's settings (Slack: workspace admins or owners; Discord: Manage Channels). `/papers settings` shows them.";

async function runCommand(
  deps: CoreDeps,
  adapter: ChatAdapter,
  invocation: CommandInvocation,
  command: Command,
): Promise<Answer> {
  const { db, clock } = deps;
  const workspace = invocation.channel;
  if (isSettingChange(command)) {
    if (!invocation.user.isAdmin) throw new UserError(ADMIN_ONLY);
    const channel = await ensureChannel(db, invocation.channel);
    return publicly({ kind: 'text', text: await applySetting(db, channel, command) });
  }
  switch (command.name) {
    case 'help':
      return privately(command.topic === 'search' ? SEARCH_HELP : USAGE);
    case 'search': {
      const timer = searchSeconds.startTimer();
      const result = await searchPapers(db, command.query, {
        pageSize: deps.searchPageSize,
        workspace,
        now: clock.now(),
      }).finally(timer);
      return { message: searchResultsMessage(command.query, result, deps.searchPageSize), private: true };
    }
    case 'top': {
      const entries = await topPapers(db, workspace, command.period, clock.now());
      if (entries.length === 0) {
        const when = command.period === 'all' ? 'yet' : `this ${command.period}`;
        return publicly({
          kind: 'text',
          text: `No votes ${when}. React to a paper the bot posted to vote for it.`,
        });
      }
      return publicly({ kind: 'leaderboard', period: command.period, entries });
    }
    case 'digest':
      return runDigestNow(deps, adapter, await ensureChannel(db, invocation.channel));
    case 'settings':
      return privately(describeSettings(await ensureChannel(db, invocation.channel), clock.now()));
    case 'share':
      return shareByCommand(deps, adapter, invocation, command.target);
    case 'pick': {
      const entry = await currentPick(db, workspace, clock.now());
      if (!entry)
        return privately(
          'No pick yet: the most-voted paper not yet discussed becomes the pick. Vote by reacting to a paper.',
        );
      return publicly(pickMessage(entry));
    }
    case 'discussed': {
      const { discussed, next } = await markDiscussed(
        db,
        workspace,
        command.paper,
        invocation.user,
        clock.now(),
      );
      const after = next
        ? ` Next pick: “${next.paper.title}” (${next.votes} ${next.votes === 1 ? 'vote' : 'votes'}).`
        : '';
      return publicly({ kind: 'text', text: `Marked “${discussed.paper.title}” as discussed.${after}` });
    }
    case 'history': {
      const past = await discussionHistory(db, workspace);
      if (past.length === 0)
        return privately('Nothing discussed yet. `/papers discussed` marks the current pick as done.');
      const lines = past.map(
        (d, i) =>
          `${i + 1}. ${d.discussedAt.toISOString().slice(0, 10)} — ${d.paper.title} (${d.votes} ${d.votes === 1 ? 'vote' : 'votes'}, marked by ${d.discussedBy})`,
      );
      return privately(['Discussed papers, newest first:', ...lines].join('\n'));
    }
  }
}

async function runDigestNow(deps: CoreDeps, adapter: ChatAdapter, channel: ChannelRow): Promise<Answer> {
  const localDate = localDateIn(channel.timezone, deps.clock.now());
  const outcome = await runDigest(
    {
      db: deps.db,
      adapter,
      instanceId: deps.instanceId,
      now: () => deps.clock.now(),
    },
    channel,
    localDate,
  );
  switch (outcome.status) {
    case 'posted':
      return privately(`Posted today's digest (${outcome.run.paperIds.length} papers).`);
    case 'already-posted':
      return privately("Today's digest is already in this channel: scroll up to its thread.");
    case 'busy':
      return privately("Today's digest is being posted right now.");
    case 'empty':
      return privately('No new papers to post today: everything in the library has been shown here.');
  }
}

async function shareByCommand(
  deps: CoreDeps,
  adapter: ChatAdapter,
  invocation: CommandInvocation,
  target: string,
): Promise<Answer> {
  const ids = findArxivIds(target).map((id) => id.id);
  const bare = parseArxivId(target)?.id;
  const wanted = ids.length ? ids : bare ? [bare] : [];
  if (wanted.length === 0) {
    throw new UserError(
      `"${target}" is not an arXiv id or paper link. Try \`/papers share 2401.12345\` or a link such as https://arxiv.org/abs/2401.12345.`,
    );
  }
  const known = await deps.resolver.resolve(wanted);
  const missing = wanted.filter((id) => !known.includes(id));
  if (known.length === 0)
    throw new UserError(`I couldn't find ${missing.join(', ')} in the library or on arXiv.`);
  const channel = await ensureChannel(deps.db, invocation.channel);
  const lines: string[] = [];
  for (const paperId of known) {
    const outcome = await sharePaper(deps.db, adapter, {
      channel,
      user: invocation.user,
      sourceMessageId: `command:${invocation.ref.id}`,
      paperId,
    });
    if (outcome.status === 'posted') lines.push(`Shared ${paperId}.`);
    else if (outcome.status === 'already-shared') {
      lines.push(
        `${paperId} is already here${outcome.firstBy ? ` (shared by ${outcome.firstBy})` : ''}: vote on that message.`,
      );
    }
  }
  if (missing.length) lines.push(`I couldn't find ${missing.join(', ')}.`);
  return privately(lines.join('\n'));
}

/** A pasted paper link becomes a share, answered in the message's thread with a votable card. */
async function handleMessage(deps: CoreDeps, adapter: ChatAdapter, shared: SharedMessage): Promise<void> {
  const ids = findArxivIds(shared.text).map((id) => id.id);
  if (ids.length === 0) return;
  const known = await deps.resolver.resolve(ids);
  const channel = await ensureChannel(deps.db, shared.message.channel);
  for (const paperId of known) {
    const outcome = await sharePaper(deps.db, adapter, {
      channel,
      user: shared.user,
      sourceMessageId: shared.message.messageId,
      paperId,
      inThread: shared.message,
    });
    if (outcome.status === 'already-shared') {
      const who = outcome.firstBy ? ` by ${outcome.firstBy}` : '';
      await adapter.reply(shared.message, {
        kind: 'text',
        text: `${paperId} was already shared here${who}: react to that message to vote.`,
      });
    }
  }
  const missing = ids.filter((id) => !known.includes(id));
  if (missing.length) {
    await adapter.reply(shared.message, {
      kind: 'text',
      text: `I couldn't find ${missing.join(', ')} on arXiv.`,
    });
  }
}

async function handleReaction(deps: CoreDeps, event: ReactionEvent): Promise<void> {
  const outcome = await recordReaction(deps.db, event, deps.voteWeights, deps.clock.now());
  votesRecorded.inc({ outcome: outcome.status === 'ignored' ? `ignored-${outcome.reason}` : outcome.status });
  deps.log.debug({ outcome, user: event.user.id, emoji: event.emoji }, 'reaction');
}
