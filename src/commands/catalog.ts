import type {
  CommandCatalog,
  CommandInput,
  CommandSpec,
  OptionSpec,
  OptionValue,
  Visibility,
} from '../domain/commands.js';
import { UserError } from '../domain/errors.js';
import type { Command, Prepared, Values } from './define.js';

const VOTE_HINT =
  'Vote by reacting to a paper the bot posted (👍 🔥 🚀 ❤️ ⬆️; 👎 counts against); remove it to take it back.';

/** The table as one object: reads any input into a prepared command, and writes the help. */
export interface Catalog extends CommandCatalog {
  /** Reads typed text or typed options into a command ready to run; a UserError says what is wrong. */
  prepare(input: CommandInput): Prepared;
}

export function createCatalog(commands: readonly Command[]): Catalog {
  checkTable(commands);
  const specs = commands.map((c) => c.spec);
  const usage = usageText(specs);
  const resolve = (input: CommandInput): { command: Command; values: Values } =>
    input.kind === 'text' ? fromText(commands, input.text, usage) : fromOptions(commands, input, usage);
  return {
    specs,
    usage: () => usage,
    prepare(input) {
      const { command, values } = resolve(input);
      return command.prepare(values);
    },
    visibility(input): Visibility {
      try {
        return resolve(input).command.spec.visibility;
      } catch {
        return 'private';
      }
    },
  };
}

/** The subcommand a spec is on Discord, under `/papers` or `/papers-admin`. */
export function slashName(spec: CommandSpec): string {
  return spec.words[spec.words.length - 1] ?? spec.id;
}

function checkTable(commands: readonly Command[]): void {
  const seen = new Set<string>();
  for (const { spec } of commands) {
    const key = `${spec.admin ? 'admin' : 'papers'} ${slashName(spec)}`;
    if (seen.has(spec.id) || seen.has(key)) throw new Error(`command ${spec.id} is declared twice`);
    seen.add(spec.id);
    seen.add(key);
    if (spec.summary.length > 100) throw new Error(`command ${spec.id}: summary over 100 characters`);
  }
}

function fromText(commands: readonly Command[], text: string, usage: string) {
  const words = [...text.matchAll(/\S+/g)];
  const lower = words.map((w) => w[0].toLowerCase());
  if (words.length === 0) lower.push('help');
  let used = 0;
  let candidates: Command[] = [];
  for (const command of commands) {
    for (const form of [command.spec.words, ...(command.spec.aliases ?? [])]) {
      if (form.length > lower.length || form.some((w, i) => w !== lower[i])) continue;
      if (form.length > used) {
        used = form.length;
        candidates = [command];
      } else if (form.length === used && !candidates.includes(command)) candidates.push(command);
    }
  }
  const first = words[0]?.[0] ?? '';
  if (candidates.length === 0) throw new UserError(`I don't know "/papers ${first}".\n${usage}`);
  const rest = words.slice(used);
  const restWords = rest.map((w) => w[0]);
  // Words shared by several commands (`pick`, `pick fri 15:00`): arguments choose the one that takes them.
  const command =
    candidates.find((c) => c.spec.options.some((o) => o.required) === restWords.length > 0) ?? candidates[0]!;
  if (command.fromText) return { command, values: command.fromText(restWords) };
  const values: Record<string, string> = {};
  let next = 0;
  for (const option of command.spec.options) {
    const word = rest[next];
    if (!word) break;
    if (option.rest) {
      values[option.name] = text.slice(word.index).trim();
      next = rest.length;
      break;
    }
    values[option.name] = word[0];
    next++;
  }
  if (next < rest.length) {
    const spec = command.spec;
    const extra = restWords.slice(next).join(' ');
    throw new UserError(
      `\`/papers ${spec.words.join(' ')}\` ${spec.usage ? `takes ${spec.usage}` : 'takes nothing more'}: I did not understand "${extra}".`,
    );
  }
  return { command, values };
}

function fromOptions(
  commands: readonly Command[],
  input: Extract<CommandInput, { kind: 'options' }>,
  usage: string,
) {
  const command = commands.find((c) => c.spec.admin === input.admin && slashName(c.spec) === input.name);
  // A subcommand registered by an older version: say what exists now.
  if (!command) throw new UserError(`I don't know "/papers ${input.name}".\n${usage}`);
  for (const option of command.spec.options) {
    const value = input.values[option.name];
    if (value === undefined || value === '') continue;
    const problem = checkOption(option, value);
    if (problem) throw new UserError(`\`${option.name}\` ${problem}`);
  }
  return { command, values: input.values };
}

/** What a platform should have refused already (a stale client, a hand-made request). */
function checkOption(option: OptionSpec, value: OptionValue): string | undefined {
  if (option.type === 'integer') {
    const inRange =
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= (option.min ?? Number.MIN_SAFE_INTEGER) &&
      value <= (option.max ?? Number.MAX_SAFE_INTEGER);
    return inRange ? undefined : `must be a whole number from ${option.min} to ${option.max} (got ${value}).`;
  }
  if (typeof value !== 'string') return `must be text (got ${value}).`;
  if (option.choices && !option.choices.includes(value)) {
    return `must be one of ${option.choices.join(', ')} (got "${value}").`;
  }
  if (option.maxLength !== undefined && value.length > option.maxLength) {
    return `is limited to ${option.maxLength} characters (got ${value.length}).`;
  }
  return undefined;
}

/** One line per command: everyone's first, then the admins'. */
function usageText(specs: readonly CommandSpec[]): string {
  const line = (spec: CommandSpec) => {
    const left = `  /papers ${[...spec.words, spec.usage].filter(Boolean).join(' ')}`;
    return `${left}${' '.repeat(Math.max(2, 35 - left.length))}${spec.help}`;
  };
  return [
    'Usage: /papers <command>',
    ...specs.filter((s) => !s.admin).map(line),
    'Admins:',
    ...specs.filter((s) => s.admin).map(line),
    VOTE_HINT,
  ].join('\n');
}
