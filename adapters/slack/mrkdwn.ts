/** Slack's limits on what one message may hold (https://api.slack.com/reference/block-kit). */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  contextElements: 10,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionElements: 25,
  altText: 2000,
  imageUrl: 3000,
  /** Slack cuts a message's `text` beyond 40,000 characters; notifications show far less. */
  fallbackText: 4000,
} as const;

/** Escapes the three characters mrkdwn gives meaning to; everything else is shown as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A link in mrkdwn. The label is escaped and loses `|`, which would end it early; a URL that could
 * break out of `<…>` is shown as plain text instead of a link.
 */
export function mrkdwnLink(url: string | null | undefined, label: string): string {
  const text = escapeMrkdwn(label.replace(/\|/g, '¦'));
  if (!url || !/^https?:\/\/[^\s<>|]+$/.test(url)) return text;
  return `<${url}|${text}>`;
}

/**
 * Cuts text to at most `max` characters, ending in `…`. Never splits a surrogate pair, an escaped entity
 * (`&amp;`) or a `<link|label>`, so the cut text still renders.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  cut = cut.replace(/&[a-z]{0,4}$/, '');
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  return `${cut.trimEnd()}…`;
}

/** Splits long text into pieces of at most `max` characters, at line breaks where it can. */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const lineBreak = rest.lastIndexOf('\n', max);
    const at = lineBreak > max / 2 ? lineBreak : max;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/**
 * Text as a person typed it, from Slack's escaped form (a slash command's text with should_escape): a
 * mention `<@U123|ada>` stays a mention the core reads (`<@U123>`), a link `<https://…|label>` becomes
 * its address, a channel `<#C123|ml>` its name, and `&amp;`, `&lt;`, `&gt;` their characters.
 */
export function fromSlackText(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_, inner: string) => {
      const [target = '', label] = inner.split('|');
      if (target.startsWith('@')) return `<${target}>`;
      if (target.startsWith('#')) return label ? `#${label}` : target;
      if (target.startsWith('!')) return `@${label ?? target.slice(1)}`;
      return target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
