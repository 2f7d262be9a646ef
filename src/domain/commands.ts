/**
 * What a command is, as every door sees it: its words, its typed options, who may run it and who sees the
 * answer. The commands themselves are declared once in `src/commands/`; adapters receive the table as a
 * `CommandCatalog` and build their registrations, manifests and deferrals from it.
 */

/** One argument of a command, typed: Discord registers it as an option, text takes it positionally. */
export interface OptionSpec {
  name: string;
  description: string;
  type: 'string' | 'integer';
  required?: boolean;
  choices?: readonly string[];
  min?: number;
  max?: number;
  maxLength?: number;
  /** Suggestions come from the adapter as the person types. */
  autocomplete?: 'timezone';
  /** In typed text, the rest of the line as typed (words and spaces), not one word. */
  rest?: boolean;
}

export type Visibility = 'private' | 'public';

export interface CommandSpec {
  /** Unique across the table, e.g. `search`, `digest-enabled`. */
  id: string;
  /**
   * The words typed after `/papers` to reach it (`['digest', 'empty-note']`). Its last word is the
   * subcommand name on Discord, under `/papers`, or under `/papers-admin` for admin commands.
   */
  words: readonly string[];
  /** Other words that reach it (`['s']` for search). */
  aliases?: readonly (readonly string[])[];
  /** Changes the channel for everyone: needs the platform's admin rights. */
  admin: boolean;
  /** Who sees the answer: the asker alone, or the channel. Mistakes are always private. */
  visibility: Visibility;
  /** One line for menus and registrations (at most 100 characters). */
  summary: string;
  /** The arguments as the help shows them, e.g. `[week|month|all]`; empty when there are none. */
  usage: string;
  /** What the help line says the command does. */
  help: string;
  /** Complete invocations, without `/papers`. */
  examples: readonly string[];
  options: readonly OptionSpec[];
  /**
   * The command is also on the platforms' message menus under this name (Slack's message shortcut,
   * Discord's message context menu): it runs on the chosen message, its text as the command's argument.
   */
  messageMenu?: { name: string; description: string };
}

/** The subcommand a spec is on Discord, under `/papers` or `/papers-admin`: the last of its words. */
export function subcommandName(spec: CommandSpec): string {
  return spec.words[spec.words.length - 1] ?? spec.id;
}

/** An option value as a platform carries it. */
export type OptionValue = string | number | boolean;

/** A command as it arrived: typed text, or a platform's subcommand and typed options. */
export type CommandInput =
  | { kind: 'text'; text: string }
  | { kind: 'options'; admin: boolean; name: string; values: Readonly<Record<string, OptionValue>> };

/** The command table as adapters see it. */
export interface CommandCatalog {
  readonly specs: readonly CommandSpec[];
  /** Who will see the answer, for doors that must choose before the command runs (Discord's deferral). */
  visibility(input: CommandInput): Visibility;
  /** The help text: every command, its arguments and what it does. */
  usage(): string;
}

/** How the input reads in a log line or a reply. */
export function describeInput(input: CommandInput): string {
  if (input.kind === 'text') return input.text;
  return [input.name, ...Object.values(input.values).map(String)].join(' ');
}
