import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { ballotStatus, sessionLine, teamFacts, votesText } from '../../src/domain/present.js';
import type { Button, OutboundMessage, PaperView, SearchHit } from '../../src/domain/types.js';

/** Discord's documented message limits; anything longer is rejected with a 400. */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedAuthor: 256,
  embedFooter: 2048,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  embeds: 10,
  /** The sum of every title, description, field, footer and author name across a message's embeds. */
  embedTotal: 6000,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
  threadName: 100,
  pollQuestion: 300,
  pollAnswer: 55,
  /** Hours a poll may run: 32 days. */
  pollHours: 768,
} as const;

/** The body of a Discord message, as the REST API takes it. */
export interface DiscordPayload {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  /** A ballot: Discord's own poll, one answer each. */
  poll?: {
    question: { text: string };
    answers: { text: string }[];
    duration: number;
    allowMultiselect: false;
  };
}

/** Turns a button's command into a custom_id (at most 100 characters) that maps back to it. */
export type CustomIdFor = (command: string) => string;

const BLURPLE = 0x5865f2;

/** Renders a platform-neutral message as Discord content, embeds and buttons, within Discord's limits. */
export function renderMessage(message: OutboundMessage, customIdFor: CustomIdFor): DiscordPayload {
  switch (message.kind) {
    case 'text':
      return textPayload(message.text);
    case 'digest-header':
      return {
        content: truncate(
          `📰 **${message.title}** · ${message.count} ${message.count === 1 ? 'paper' : 'papers'}\n${message.voteHint}`,
          LIMITS.content,
        ),
        embeds: [],
        components: [],
      };
    case 'paper': {
      const session = message.session ? `📅 ${sessionLine(message.session)}` : '';
      const content = [message.heading ? `**${message.heading}**` : '', session].filter(Boolean).join('\n');
      return {
        ...(content ? { content: truncate(content, LIMITS.content) } : {}),
        embeds: fitEmbeds([paperEmbed(message.paper, message.reason)]),
        components: buttonRows([message.buttons ?? []], customIdFor),
      };
    }
    case 'ballot':
      return ballotPayload(message);
    case 'search-results':
      return searchPayload(message, customIdFor);
    case 'leaderboard': {
      const label = message.period === 'all' ? 'of all time' : `this ${message.period}`;
      const lines = message.entries.map((e, i) => {
        const title = e.paper.url ? `[${escapeLinkText(e.paper.title)}](${e.paper.url})` : e.paper.title;
        return `${i + 1}. ${e.votes} ${e.votes === 1 ? 'vote' : 'votes'} · ${title}`;
      });
      return {
        embeds: fitEmbeds([
          {
            title: message.title ?? `Top papers ${label}`,
            description: lines.join('\n'),
            color: BLURPLE,
            ...(message.footer ? { footer: { text: message.footer } } : {}),
          },
        ]),
        components: [],
      };
    }
  }
}

/**
 * A ballot as Discord's own poll: people vote in the message itself and see the counts; the poll runs
 * until the pick (the bot ends it then). Once closed, the ballot is a plain list with its outcome.
 */
function ballotPayload(message: Extract<OutboundMessage, { kind: 'ballot' }>): DiscordPayload {
  const list = message.options.map((o, i) => {
    const title = o.paper.url ? `[${escapeLinkText(o.paper.title)}](${o.paper.url})` : o.paper.title;
    return `${i + 1}. ${title}${message.closed ? ` · ${votesText(o.votes)}` : ''}`;
  });
  const embeds = fitEmbeds([
    { description: [...list, '', ballotStatus(message)].join('\n'), color: BLURPLE },
  ]);
  if (message.closed)
    return { content: truncate(`🗳 ${message.question}`, LIMITS.content), embeds, components: [] };
  const hours = Math.ceil((message.closesAt.getTime() - Date.now()) / 3_600_000);
  return {
    embeds,
    components: [],
    poll: {
      question: { text: truncate(`🗳 ${message.question}`, LIMITS.pollQuestion) },
      answers: message.options.map((o, i) => ({
        text: truncate(`${i + 1}. ${o.paper.title}`, LIMITS.pollAnswer),
      })),
      duration: Math.min(LIMITS.pollHours, Math.max(1, hours)),
      allowMultiselect: false,
    },
  };
}

/** A name for the thread under a message: Discord wants 1-100 characters. */
export function threadName(message: OutboundMessage): string {
  const name =
    message.kind === 'digest-header'
      ? message.title
      : message.kind === 'paper'
        ? message.paper.title
        : message.kind === 'text'
          ? message.text.split('\n')[0]
          : message.kind === 'ballot'
            ? 'Ballot'
            : 'Papers';
  return truncate(name?.trim() || 'Papers', LIMITS.threadName);
}

function textPayload(text: string): DiscordPayload {
  if (text.length <= LIMITS.content) return { content: text, embeds: [], components: [] };
  // Long text (the usage, say) reads better as an embed, which also allows twice the length.
  return { embeds: fitEmbeds([{ description: text }]), components: [] };
}

function paperEmbed(paper: PaperView, reason?: string): APIEmbed {
  const links = [
    paper.url && `[abs](${paper.url})`,
    paper.pdfUrl && `[pdf](${paper.pdfUrl})`,
    paper.hfUrl && `[hf](${paper.hfUrl})`,
    paper.codeUrl && `[code](${paper.codeUrl})`,
  ].filter(Boolean);
  const fields = [
    ...(links.length ? [{ name: 'Links', value: links.join(' · '), inline: true }] : []),
    ...(reason ? [{ name: 'Why', value: reason, inline: true }] : []),
  ];
  const footer = [
    paper.publishedAt ? paper.publishedAt.toISOString().slice(0, 10) : '',
    paper.hfUpvotes > 0 ? `▲ ${paper.hfUpvotes} on Hugging Face` : '',
  ].filter(Boolean);
  return {
    title: paper.title,
    ...(paper.url ? { url: paper.url } : {}),
    ...(paper.authors.length ? { author: { name: authorsLine(paper.authors) } } : {}),
    description: paper.summary ?? paper.abstract,
    fields,
    ...(paper.thumbnail ? { thumbnail: { url: paper.thumbnail } } : {}),
    ...(footer.length ? { footer: { text: footer.join(' · ') } } : {}),
    color: BLURPLE,
  };
}

function searchPayload(
  message: Extract<OutboundMessage, { kind: 'search-results' }>,
  customIdFor: CustomIdFor,
): DiscordPayload {
  const first = message.offset + 1;
  const last = message.offset + message.hits.length;
  const header = `Results ${first}–${last} of ${message.total} for "${message.query}"`;
  const embeds = message.hits.slice(0, LIMITS.embeds).map((hit, i) => hitEmbed(hit, first + i));
  const shares: Button[] = message.hits.slice(0, LIMITS.buttonsPerRow).map((hit, i) => ({
    label: `Share ${first + i}`,
    command: `share ${hit.paper.arxivId ?? hit.paper.id}`,
  }));
  return {
    content: truncate([header, message.hint].filter(Boolean).join('\n'), LIMITS.content),
    embeds: fitEmbeds(embeds),
    components: buttonRows([message.buttons, shares], customIdFor),
  };
}

function hitEmbed(hit: SearchHit, rank: number): APIEmbed {
  const { paper } = hit;
  const facts = [
    authorsLine(paper.authors),
    paper.publishedAt ? paper.publishedAt.toISOString().slice(0, 10) : '',
    paper.hfUpvotes > 0 ? `▲ ${paper.hfUpvotes} on HF` : '',
    teamFacts(hit),
    hit.why ? `why: ${hit.why}` : '',
  ].filter(Boolean);
  return {
    title: `${rank}. ${paper.title}`,
    ...(paper.url ? { url: paper.url } : {}),
    description: [facts.join(' · '), paper.summary ?? ''].filter(Boolean).join('\n'),
    color: BLURPLE,
  };
}

/** Button rows, one per group, each within Discord's five buttons a row and five rows a message. */
function buttonRows(
  groups: Button[][],
  customIdFor: CustomIdFor,
): APIActionRowComponent<APIButtonComponent>[] {
  const seen = new Set<string>();
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (const group of groups) {
    const buttons: APIButtonComponent[] = [];
    for (const button of group) {
      const customId = customIdFor(button.command);
      // Discord rejects a message whose buttons share a custom_id.
      if (seen.has(customId) || buttons.length === LIMITS.buttonsPerRow) continue;
      seen.add(customId);
      buttons.push({
        type: ComponentType.Button,
        style: button.style === 'primary' ? ButtonStyle.Primary : ButtonStyle.Secondary,
        label: truncate(button.label, LIMITS.buttonLabel),
        custom_id: customId,
      });
    }
    if (buttons.length && rows.length < LIMITS.rows) {
      rows.push({ type: ComponentType.ActionRow, components: buttons });
    }
  }
  return rows;
}

/**
 * Cuts embeds to Discord's limits: each field to its own maximum, at most 10 embeds and 25 fields each,
 * then descriptions shortened from the last embed back until the message fits the 6,000-character total.
 */
export function fitEmbeds(embeds: APIEmbed[]): APIEmbed[] {
  const fitted = embeds.slice(0, LIMITS.embeds).map(fitOne);
  let excess = fitted.reduce((sum, e) => sum + embedLength(e), 0) - LIMITS.embedTotal;
  for (let i = fitted.length - 1; i >= 0 && excess > 0; i--) {
    const embed = fitted[i]!;
    const description = embed.description ?? '';
    const keep = Math.max(0, description.length - excess - 1);
    const shortened = keep > 0 ? truncate(description, keep) : '';
    excess -= description.length - shortened.length;
    fitted[i] = { ...embed, ...(shortened ? { description: shortened } : { description: undefined }) };
  }
  return fitted;
}

function fitOne(embed: APIEmbed): APIEmbed {
  return {
    ...embed,
    ...(embed.title !== undefined ? { title: truncate(embed.title, LIMITS.embedTitle) } : {}),
    ...(embed.description !== undefined
      ? { description: truncate(embed.description, LIMITS.embedDescription) }
      : {}),
    ...(embed.author
      ? { author: { ...embed.author, name: truncate(embed.author.name, LIMITS.embedAuthor) } }
      : {}),
    ...(embed.footer
      ? { footer: { ...embed.footer, text: truncate(embed.footer.text, LIMITS.embedFooter) } }
      : {}),
    ...(embed.fields
      ? {
          fields: embed.fields.slice(0, LIMITS.fields).map((f) => ({
            ...f,
            name: truncate(f.name, LIMITS.fieldName),
            value: truncate(f.value, LIMITS.fieldValue),
          })),
        }
      : {}),
  };
}

/** How Discord counts an embed towards the 6,000-character total. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/** Shortens text to at most `max` characters, on a word boundary when one is near, with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  // Counted in UTF-16 units, the stricter of the ways to count; never split a surrogate pair.
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}

function authorsLine(authors: string[]): string {
  const shown = authors.slice(0, 3).join(', ');
  return authors.length > 3 ? `${shown} et al.` : shown;
}

function escapeLinkText(text: string): string {
  return text.replace(/[[\]]/g, '\\$&');
}
