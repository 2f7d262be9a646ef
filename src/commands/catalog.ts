import type { CommandInput, CommandSpec, OptionSpec, OptionValue, Visibility } from '../domain/commands.js';
import { subcommandName } from '../domain/commands.js';
import { UserError } from '../domain/errors.js';
import { printable } from '../domain/present.js';
import type { Catalog, Command } from './define.js';

const VOTE_HINT =
  'Vote by reacting to a paper the bot posted (👍 🔥 🚀 ❤️ ⬆️; 👎 counts against); remove it to take it back.';

export function createCatalog(commands: readonly Command[]): Catalog {
  checkTable(commands);
  const specs = commands.map((c) => c.spec);
  const usage = usageText(specs);
  const resolve = (input: CommandInput): { command: Command } =>
    input.kind === 'text' ? fromText(commands, input.text, usage) : fromOptions(commands, input, usage);
  return {
    specs,
    usage: () => usage,
    helpOn(word) {
      const about = specs.filter((s) => s.words[0] === word.toLowerCase());
      if (about.length === 0) return undefined;
      return about
        .map((spec) =>
          [
            `/papers ${[...spec.words, spec.usage].filter(Boolean).join(' ')}: ${spec.help}${spec.admin ? ' (admins)' : ''}`,
            ...spec.examples.map((e) => `  e.g. /papers ${e}`),
          ].join('\n'),
        )
        .join('\n');
    },
    prepare(input) {
      if (input.kind === 'options') {
        const { command, values } = fromOptions(commands, input, usage);
        return command.prepare(values);
      }
      const { command, values, extra } = fromText(commands, input.text, usage);
      try {
        if (extra) {
          const { words, usage: args } = command.spec;
          throw new UserError(
            `\`/papers ${words.join(' ')}\` ${args ? `takes ${args}` : 'takes nothing more'}: I did not understand "${extra}".`,
          );
        }
        return command.prepare(values);
      } catch (err) {
        // Words several commands begin with (`digest`, `pick`): say what the others are.
        const others = commands.filter((c) => c !== command && c.spec.words[0] === command.spec.words[0]);
        if (!(err instanceof UserError) || others.length === 0) throw err;
        const forms = others.map(
          (c) => `\`/papers ${[...c.spec.words, c.spec.usage].filter(Boolean).join(' ')}\``,
        );
        throw new UserError(`${err.message}\nAlso: ${forms.join(', ')}.`);
      }
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

function checkTable(commands: readonly Command[]): void {
  const seen = new Set<string>();
  for (const { spec } of commands) {
    const key = `${spec.admin ? 'admin' : 'papers'} ${subcommandName(spec)}`;
    if (seen.has(spec.id) || seen.has(key)) throw new Error(`command ${spec.id} is declared twice`);
    seen.add(spec.id);
    seen.add(key);
    if (spec.summary.length > 100) throw new Error(`command ${spec.id}: summary over 100 characters`);
  }
}

function fromText(commands: readonly Command[], typed: string, usage: string) {
  const text = printable(typed);
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
  const command = chooseAmong(candidates, restWords);
  if (command.fromText) return { command, values: command.fromText(restWords), extra: '' };
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
  return { command, values, extra: restWords.slice(next).join(' ') };
}

/**
 * Words shared by several commands (`pick`, `pick fri 15:00`, `pick 2401.12345`): the arguments choose.
 * With none, the command that needs none; with some, one that needs them and takes these, where a first
 * option that lists its choices (`fri`, `off`) takes only words among them (or longer forms, `friday`).
 */
function chooseAmong(candidates: Command[], restWords: string[]): Command {
  const needsArguments = (c: Command) => c.spec.options.some((o) => o.required);
  const [first] = restWords;
  if (first === undefined) return candidates.find((c) => !needsArguments(c)) ?? candidates[0]!;
  const word = first.toLowerCase();
  const takes = (c: Command) => {
    const option = c.spec.options[0];
    if (!option) return false;
    return (
      !option.choices || option.choices.some((ch) => word === ch || (ch.length >= 3 && word.startsWith(ch)))
    );
  };
  return (
    candidates.find((c) => needsArguments(c) && takes(c)) ??
    candidates.find(takes) ??
    candidates.find(needsArguments) ??
    candidates[0]!
  );
}

function fromOptions(
  commands: readonly Command[],
  input: Extract<CommandInput, { kind: 'options' }>,
  usage: string,
) {
  const command = commands.find((c) => c.spec.admin === input.admin && subcommandName(c.spec) === input.name);
  // A subcommand registered by an older version: say what exists now.
  if (!command) throw new UserError(`I don't know "/papers ${input.name}".\n${usage}`);
  for (const option of command.spec.options) {
    const value = input.values[option.name];
    if (value === undefined || value === '') continue;
    const problem = checkOption(option, value);
    if (problem) throw new UserError(`\`${option.name}\` ${problem}`);
  }
  const values = Object.fromEntries(
    Object.entries(input.values).map(([name, value]) => [
      name,
      typeof value === 'string' ? printable(value) : value,
    ]),
  );
  return { command, values };
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
