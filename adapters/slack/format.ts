import type { types } from '@slack/bolt';
import { ballotStatus, byline, sessionLine, teamFacts, votesText } from '../../src/domain/present.js';
import type { Button, OutboundMessage, PaperView, SearchHit } from '../../src/domain/types.js';
import { escapeMrkdwn, LIMITS, mrkdwnLink, splitText, truncate } from './mrkdwn.js';

type Block = types.KnownBlock;

/** A message as Slack takes it: Block Kit, and plain text for notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Prefix of every button's action_id; the button's value is the command it stands for. */
export const BUTTON_ACTION_PREFIX = 'papers:';

const SUMMARY_CHARS = 600;

/** Renders a core message as Block Kit, always within Slack's limits. */
export function renderSlack(message: OutboundMessage): SlackMessage {
  const rendered = render(message);
  const text = withMentions(rendered.text);
  const blocks = JSON.parse(withMentions(JSON.stringify(rendered.blocks))) as Block[];
  return {
    // Slack refuses a message with neither text nor blocks.
    text: truncate(text, LIMITS.fallbackText) || ' ',
    blocks: withinBlockLimit(blocks.length > 0 ? blocks : [section(' ')]),
  };
}

function render(message: OutboundMessage): SlackMessage {
  switch (message.kind) {
    case 'text':
      return {
        text: message.text,
        blocks: splitText(message.text, LIMITS.sectionText - 100).map((piece) =>
          section(escapeMrkdwn(piece)),
        ),
      };
    case 'digest-header': {
      const count = `${message.count} ${message.count === 1 ? 'paper' : 'papers'}`;
      return {
        text: `📰 ${message.title} · ${count}`,
        blocks: [
          header(`📰 ${message.title}`),
          context([`${count} in this thread · ${escapeMrkdwn(message.voteHint)}`]),
        ],
      };
    }
    case 'paper': {
      const card = renderPaper(message.paper, message.reason);
      const blocks = [...card.blocks];
      const lines = [card.text];
      if (message.session) {
        const line = sessionLine(message.session);
        blocks.push(context([`📅 ${escapeMrkdwn(line)}`]));
        lines.push(line);
      }
      if (message.buttons?.length) blocks.push(actions(message.buttons, 'card'));
      if (message.heading) {
        blocks.unshift(context([`*${escapeMrkdwn(message.heading)}*`]));
        lines.unshift(`${message.heading}:`);
      }
      return { text: lines.join('\n'), blocks };
    }
    case 'ballot': {
      const status = ballotStatus(message);
      return {
        text: [
          message.question,
          ...message.options.map((o, i) => `${i + 1}. ${o.paper.title} (${votesText(o.votes)})`),
          status,
        ].join('\n'),
        blocks: [
          section(`🗳 *${escapeMrkdwn(message.question)}*`),
          ...message.options.map((o, i) => {
            const vote = message.buttons[i];
            return section(
              `${i + 1}. *${mrkdwnLink(o.paper.url, o.paper.title)}*\n${votesText(o.votes)}`,
              vote ? button(vote, `vote${i}`) : undefined,
            );
          }),
          context([escapeMrkdwn(status)]),
        ],
      };
    }
    case 'search-results':
      return renderSearch(message);
    case 'leaderboard': {
      const label = message.period === 'all' ? 'of all time' : `this ${message.period}`;
      const lines = message.entries.map(
        (e, i) => `${i + 1}. ${e.votes} ${e.votes === 1 ? 'vote' : 'votes'}  ${e.paper.title}`,
      );
      const footer = message.footer ? [message.footer] : [];
      return {
        text: [`${message.title ?? `Top papers ${label}`}:`, ...lines, ...footer].join('\n'),
        blocks: [
          header(`🏆 ${message.title ?? `Top papers ${label}`}`),
          ...message.entries.map((e, i) =>
            section(
              `${i + 1}. *${mrkdwnLink(e.paper.url, e.paper.title)}*\n${e.votes} ${e.votes === 1 ? 'vote' : 'votes'}${upvotes(e.paper)}`,
            ),
          ),
          ...footer.map((f) => context([escapeMrkdwn(f)])),
        ],
      };
    }
  }
}

function renderPaper(paper: PaperView, reason: string | undefined): SlackMessage {
  const summary = paper.summary ?? paper.abstract;
  const body = [
    `*${mrkdwnLink(paper.url, paper.title)}*`,
    escapeMrkdwn(byline(paper)),
    summary ? truncate(escapeMrkdwn(summary), SUMMARY_CHARS) : '',
  ]
    .filter(Boolean)
    .join('\n');
  const links = [
    paper.url && mrkdwnLink(paper.url, 'abs'),
    paper.pdfUrl && mrkdwnLink(paper.pdfUrl, 'PDF'),
    paper.hfUrl && mrkdwnLink(paper.hfUrl, 'Hugging Face'),
    paper.codeUrl && mrkdwnLink(paper.codeUrl, 'code'),
  ].filter((l): l is string => Boolean(l));
  const facts = [links.join(' · '), paper.hfUpvotes > 0 ? `▲ ${paper.hfUpvotes} on Hugging Face` : '']
    .filter(Boolean)
    .join('  ·  ');
  const blocks: Block[] = [section(body, thumbnail(paper))];
  if (facts) blocks.push(context([facts]));
  if (reason) blocks.push(context([`_why:_ ${escapeMrkdwn(reason)}`]));
  const text = [paper.title, byline(paper), paper.url ?? '', reason ? `why: ${reason}` : '']
    .filter(Boolean)
    .join('\n');
  return { text, blocks };
}

function renderSearch(message: Extract<OutboundMessage, { kind: 'search-results' }>): SlackMessage {
  const first = message.offset + 1;
  const last = message.offset + message.hits.length;
  const title = `Results ${first}–${last} of ${message.total} for “${message.query}”`;
  const blocks: Block[] = [section(`*${escapeMrkdwn(title)}*`)];
  const lines = [title];
  message.hits.forEach((hit, i) => {
    blocks.push(section(hitText(hit, first + i), shareButton(hit, i)));
    lines.push(`${first + i}. ${hit.paper.title} ${hit.paper.url ?? ''}`.trimEnd());
  });
  if (message.hint) {
    blocks.push(context([escapeMrkdwn(message.hint)]));
    lines.push(message.hint);
  }
  if (message.buttons.length > 0) blocks.push(actions(message.buttons, 'nav'));
  return { text: lines.join('\n'), blocks };
}

function hitText(hit: SearchHit, n: number): string {
  const facts = teamFacts(hit);
  const team = facts ? ` · ${escapeMrkdwn(facts)}` : '';
  const why = hit.why ? `\n_why:_ ${escapeMrkdwn(hit.why)}` : '';
  return `${n}. *${mrkdwnLink(hit.paper.url, hit.paper.title)}*\n${escapeMrkdwn(byline(hit.paper))}${upvotes(hit.paper)}${team}${why}`;
}

function shareButton(hit: SearchHit, i: number): types.Button {
  return button(
    { label: 'Share to channel', command: `share ${hit.paper.arxivId ?? hit.paper.id}` },
    `share${i}`,
  );
}

function actions(buttons: Button[], key: string): types.ActionsBlock {
  return {
    type: 'actions',
    elements: buttons.slice(0, LIMITS.actionElements).map((b, i) => button(b, `${key}${i}`)),
  };
}

/**
 * Mentions as Slack shows them: the core writes `<@U123>`, which escaping turned into `&lt;@U123&gt;`;
 * only a well-formed user id is let through.
 */
export function withMentions(text: string): string {
  return text.replace(/&lt;@([A-Z0-9]{2,32})&gt;/g, '<@$1>');
}

function button(b: Button, key: string): types.Button {
  return {
    type: 'button',
    action_id: `${BUTTON_ACTION_PREFIX}${key}`,
    text: {
      type: 'plain_text',
      text: truncate(b.label.trim() || b.command, LIMITS.buttonText) || '…',
      emoji: true,
    },
    value: b.command.slice(0, LIMITS.buttonValue),
    ...(b.style ? { style: b.style } : {}),
  };
}

function section(text: string, accessory?: types.SectionBlock['accessory']): types.SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) || ' ' },
    ...(accessory ? { accessory } : {}),
  };
}

function header(text: string): types.HeaderBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true },
  };
}

function context(texts: string[]): types.ContextBlock {
  const shown = texts.filter((t) => t.trim()).slice(0, LIMITS.contextElements);
  return {
    type: 'context',
    // Slack refuses an empty text object.
    elements: (shown.length > 0 ? shown : [' ']).map((t) => ({
      type: 'mrkdwn' as const,
      text: truncate(t, LIMITS.sectionText),
    })),
  };
}

function thumbnail(paper: PaperView): types.ImageElement | undefined {
  const url = paper.thumbnail;
  if (!url || url.length > LIMITS.imageUrl || !/^https?:\/\//.test(url)) return undefined;
  return { type: 'image', image_url: url, alt_text: truncate(paper.title, LIMITS.altText) };
}

/** Keeps the first blocks and says how many were left out, rather than having Slack refuse the post. */
function withinBlockLimit(blocks: Block[]): Block[] {
  if (blocks.length <= LIMITS.blocks) return blocks;
  const kept = blocks.slice(0, LIMITS.blocks - 1);
  return [...kept, context([`…and ${blocks.length - kept.length} more not shown.`])];
}

function upvotes(paper: PaperView): string {
  return paper.hfUpvotes > 0 ? ` · ▲ ${paper.hfUpvotes} on HF` : '';
}
