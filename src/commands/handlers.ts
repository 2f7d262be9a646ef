import { isDatabaseUnavailable } from '../../db/client.js';
import { ensureChannel } from '../../db/repositories/channels.js';
import { claimVoteHint } from '../../db/repositories/digest-runs.js';
import { findArxivIds } from '../domain/arxiv-id.js';
import { describeInput } from '../domain/commands.js';
import { newReferenceId, UserError } from '../domain/errors.js';
import type {
  ChatAdapter,
  CommandInvocation,
  InboundHandlers,
  ReactionEvent,
  SharedMessage,
} from '../domain/ports.js';
import { mention } from '../domain/present.js';
import { HomeCache, homeView } from '../home/home.js';
import { votesRecorded } from '../ops/metrics.js';
import { type ActionDeps, ballotVoteEvent, eventInterestEvent, recordNote } from '../sessions/actions.js';
import { linkCards } from '../shares/link-cards.js';
import { sharePaper } from '../shares/share.js';
import { recordReaction } from '../votes/record.js';
import { ADMIN_ONLY, type Catalog, type CoreDeps } from './define.js';
import { settingsFormOf, submitSettingsForm } from './settings-form.js';
import { commandTable } from './table.js';

export const UNAVAILABLE =
  'The paper library is temporarily unavailable, so that was not done. Please try again in a minute.';

/** The inbound handlers for one adapter: commands become use cases, and here errors become replies. */
export function createHandlers(
  deps: CoreDeps,
  adapter: ChatAdapter,
  commands: Catalog = commandTable,
): InboundHandlers {
  const sessions: ActionDeps = { db: deps.db, adapter, log: deps.log, now: () => deps.clock.now() };
  const homes = new HomeCache();
  return {
    command: (invocation) => handleCommand(deps, adapter, commands, invocation),
    reaction: (event) => handleReaction(deps, adapter, event),
    message: async (message) => {
      // A reply in a session's thread after it ended is one of its notes; it may share a paper too.
      await recordNote(sessions, message);
      await handleMessage(deps, adapter, message);
    },
    ballotVote: (vote) => ballotVoteEvent(sessions, vote),
    eventInterest: (interest) => eventInterestEvent(sessions, interest),
    home: (ws, user) => homeView(sessions, ws, user, homes),
    settingsForm: (channel, user) => settingsFormOf(deps.db, channel, user),
    async submitSettings(channel, user, form, edited) {
      const outcome = await submitSettingsForm(deps.db, channel, user, form, edited);
      if (outcome.status === 'invalid') return { errors: outcome.errors };
      if (outcome.changes.length === 0) return { saved: [] };
      return {
        saved: outcome.changes,
        announcement: {
          kind: 'text',
          text: `⚙️ ${mention(user)} changed this channel's settings: ${outcome.changes.join('; ')}.`,
        },
      };
    },
    async linkCards(request) {
      // Nothing is written for links that name no paper.
      if (!request.links.some((link) => findArxivIds(link).length > 0)) return [];
      const channel = await ensureChannel(deps.db, request.channel);
      return linkCards(deps.db, deps.resolver, { ...request, channel });
    },
  };
}

async function handleCommand(
  deps: CoreDeps,
  adapter: ChatAdapter,
  commands: Catalog,
  invocation: CommandInvocation,
): Promise<void> {
  const { ref } = invocation;
  try {
    const command = commands.prepare(invocation.input);
    if (command.spec.admin && !invocation.user.isAdmin) throw new UserError(ADMIN_ONLY);
    const answer = await command.run({ deps, adapter, invocation, commands });
    if (answer) {
      await ref.respond(answer.message, { private: answer.private ?? command.spec.visibility === 'private' });
    }
  } catch (err) {
    if (err instanceof UserError) {
      await ref.respond({ kind: 'text', text: err.message }, { private: true });
      return;
    }
    if (isDatabaseUnavailable(err)) {
      deps.log.warn({ err, command: ref.id }, 'database unavailable');
      await ref.respond({ kind: 'text', text: UNAVAILABLE }, { private: true });
      return;
    }
    const reference = newReferenceId();
    deps.log.error(
      {
        err,
        ref: reference,
        command: ref.id,
        platform: adapter.platform,
        text: describeInput(invocation.input),
      },
      'command failed',
    );
    await ref.respond(
      {
        kind: 'text',
        text: `Something went wrong on my side (reference ${reference}). Please try again in a moment.`,
      },
      { private: true },
    );
  }
}

/** A pasted paper link becomes a share, answered in the message's thread with a votable card. */
async function handleMessage(deps: CoreDeps, adapter: ChatAdapter, shared: SharedMessage): Promise<void> {
  const ids = findArxivIds(shared.text).map((id) => id.id);
  if (ids.length === 0) return;
  const { known, arxivUnreachable } = await deps.resolver.resolve(ids);
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
      const link = await adapter.messageLink?.(outcome.where).catch(() => undefined);
      await adapter.reply(shared.message, {
        kind: 'text',
        text: `${paperId} was already shared here${who}: react to that message to vote${link ? ` (${link})` : ''}.`,
      });
    }
  }
  const missing = ids.filter((id) => !known.includes(id));
  if (missing.length) {
    await adapter.reply(shared.message, {
      kind: 'text',
      text: arxivUnreachable
        ? `arXiv could not be reached just now, so I couldn't look up ${missing.join(', ')}: share it again in a few minutes.`
        : `I couldn't find ${missing.join(', ')} on arXiv.`,
    });
  }
}

async function handleReaction(deps: CoreDeps, adapter: ChatAdapter, event: ReactionEvent): Promise<void> {
  const outcome = await recordReaction(deps.db, event, deps.voteWeights, deps.clock.now());
  votesRecorded.inc({ outcome: outcome.status === 'ignored' ? `ignored-${outcome.reason}` : outcome.status });
  deps.log.debug({ outcome, user: event.user.id, emoji: event.emoji }, 'reaction');
  // A vote on a digest's parent counts nothing: its thread is told once where votes count.
  if (outcome.status === 'ignored' && outcome.reason === 'unknown-message' && event.action === 'added') {
    const { channel, messageId } = event.message;
    if (await claimVoteHint(deps.db, channel, messageId, deps.clock.now())) {
      await adapter.reply(event.message, {
        kind: 'text',
        text: 'Votes count on the papers themselves, not on this message: vote on the one you want the team to read.',
      });
    }
  }
}
