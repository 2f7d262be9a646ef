import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { CommandCatalog, CommandInput, CommandSpec } from '../domain/commands.js';
import { UserError } from '../domain/errors.js';
import type { Logger } from '../domain/log.js';
import type { ChatAdapter, Clock, CommandInvocation } from '../domain/ports.js';
import type { OutboundMessage } from '../domain/types.js';
import type { ActionDeps } from '../sessions/actions.js';
import type { PaperResolver } from '../shares/share.js';
import type { EmojiWeights } from '../votes/emoji.js';
import type { Raw } from './arguments.js';

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

/** Everything a command's run sees: the deps, the door it came through, and who asked where. */
export interface CommandContext {
  deps: CoreDeps;
  adapter: ChatAdapter;
  invocation: CommandInvocation;
  /** The table this command is a row of (for help). */
  commands: Catalog;
}

/** The reply to a command; `private` decides who sees it (default: the command's visibility). */
export type Answer = { message: OutboundMessage; private?: boolean } | null;

/** What a person without the platform's admin rights is told when they try to change a channel. */
export const ADMIN_ONLY =
  "Only admins can change this channel's settings (Slack: workspace admins or owners; Discord: Manage Channels). `/papers settings` shows them.";

export const privately = (text: string): Answer => ({ message: { kind: 'text', text }, private: true });
export const publicly = (message: OutboundMessage | string): Answer => ({
  message: typeof message === 'string' ? { kind: 'text', text: message } : message,
  private: false,
});

export type Values = Readonly<Record<string, Raw>>;

export interface CommandDefinition<S extends z.ZodType = z.ZodType> extends CommandSpec {
  /** The arguments, read from the option values (typed text or a platform's options). */
  args: S;
  /** Typed text that is not simply the options in order: the values it stands for. */
  fromText?: (words: readonly string[]) => Values;
  run(ctx: CommandContext, args: z.output<S>): Promise<Answer>;
}

/** A command ready to run: its arguments have been read and checked. */
export interface Prepared {
  spec: CommandSpec;
  args: unknown;
  run(ctx: CommandContext): Promise<Answer>;
}

/** A row of the command table. */
export interface Command {
  spec: CommandSpec;
  fromText?: (words: readonly string[]) => Values;
  /** Reads the values into the command's arguments; a UserError says what is wrong. */
  prepare(values: Values): Prepared;
}

/** Declares a command once: its words, options, help, visibility, arguments (as zod) and what it does. */
export function defineCommand<S extends z.ZodType>(definition: CommandDefinition<S>): Command {
  const { args: schema, run, fromText, ...spec } = definition;
  return {
    spec,
    ...(fromText ? { fromText } : {}),
    prepare(values) {
      const parsed = schema.safeParse(values);
      if (!parsed.success) {
        throw new UserError(
          parsed.error.issues[0]?.message ?? `\`/papers ${spec.words.join(' ')}\` ${spec.usage}`,
        );
      }
      const args = parsed.data;
      return { spec, args, run: (ctx) => run(ctx, args) };
    },
  };
}

/** The table as one object: reads any input into a prepared command, and writes the help. */
export interface Catalog extends CommandCatalog {
  /** Reads typed text or typed options into a command ready to run; a UserError says what is wrong. */
  prepare(input: CommandInput): Prepared;
  /** Help on the commands a word begins (`schedule`, `digest`): their usage and examples; or undefined. */
  helpOn(word: string): string | undefined;
}

/** What the session use cases need, from a command's context. */
export function actionDeps({ deps, adapter }: CommandContext): ActionDeps {
  return { db: deps.db, adapter, log: deps.log, now: () => deps.clock.now() };
}
