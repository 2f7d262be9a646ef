import { ballotStatus, byline, sessionLine, teamFacts, votesText } from '../../src/domain/present.js';
import type { Button, OutboundMessage, PaperView } from '../../src/domain/types.js';

/** Renders a message as terminal text; mentions (`<@ada>`) read `@ada`. */
export function renderText(message: OutboundMessage): string {
  return render(message).replace(/<@!?([^>|]+)(\|[^>]*)?>/g, '@$1');
}

function render(message: OutboundMessage): string {
  switch (message.kind) {
    case 'text':
      return message.text;
    case 'digest-header':
      return `📰 ${message.title} · ${message.count} ${message.count === 1 ? 'paper' : 'papers'}\n${message.voteHint}`;
    case 'paper':
      return [
        message.heading ? `${message.heading}:` : '',
        paperLines(message.paper),
        message.reason ? `why: ${message.reason}` : '',
        message.session ? `session: ${sessionLine(message.session)}` : '',
        ...buttonLines(message.buttons ?? []),
      ]
        .filter(Boolean)
        .join('\n');
    case 'ballot':
      return [
        `🗳 ${message.question}`,
        ...message.options.map((o, i) => `${i + 1}. ${o.paper.title} (${votesText(o.votes)})`),
        ballotStatus(message),
        ...(message.closed ? [] : ['Vote with :vote <this id> <number>, or /papers vote <number>.']),
      ].join('\n');
    case 'search-results': {
      const first = message.offset + 1;
      const last = message.offset + message.hits.length;
      const total = `${message.total}${message.more ? '+' : ''}`;
      const header = `Results ${first}–${last} of ${total} for "${message.query}" (only you can see this):`;
      const hits = message.hits.map((hit, i) => {
        const facts = teamFacts(hit);
        const team = facts ? ` · ${facts}` : '';
        const why = hit.why ? `\n   why: ${hit.why}` : '';
        return `${first + i}. ${hit.paper.title}\n   ${byline(hit.paper)}${upvotes(hit.paper)}${team}${why}\n   ${hit.paper.url ?? ''}`.trimEnd();
      });
      return [header, ...hits, ...(message.hint ? [message.hint] : []), ...buttonLines(message.buttons)].join(
        '\n',
      );
    }
    case 'leaderboard': {
      const label = message.period === 'all' ? 'of all time' : `this ${message.period}`;
      const lines = message.entries.map(
        (e, i) =>
          `${i + 1}. ${e.votes} ${e.votes === 1 ? 'vote ' : 'votes'}  ${e.paper.title} — ${paperRef(e.paper)}`,
      );
      return [
        `${message.title ?? `Top papers ${label}`}:`,
        ...lines,
        ...(message.footer ? [message.footer] : []),
      ].join('\n');
    }
  }
}

function paperLines(paper: PaperView): string {
  const links = [
    paper.url && `abs ${paper.url}`,
    paper.pdfUrl && `pdf ${paper.pdfUrl}`,
    paper.hfUrl && `hf ${paper.hfUrl}`,
    paper.codeUrl && `code ${paper.codeUrl}`,
  ].filter(Boolean);
  return [paper.title, byline(paper), paper.summary ?? '', links.join(' · ')].filter(Boolean).join('\n');
}

/**
 * `2401.12345 https://arxiv.org/abs/2401.12345`: the id commands take (`/papers pick <id>`) and where to
 * read the paper, as the other doors link each title.
 */
function paperRef(paper: PaperView): string {
  const link = paper.url ?? paper.hfUrl ?? paper.pdfUrl;
  return link ? `${paper.id} ${link}` : paper.id;
}

function upvotes(paper: PaperView): string {
  return paper.hfUpvotes > 0 ? ` · ▲ ${paper.hfUpvotes} on HF` : '';
}

/** The console has no buttons: show what each would run, so it can be typed. */
function buttonLines(buttons: Button[]): string[] {
  return buttons.length > 0
    ? [`[${buttons.map((b) => `${b.label}: /papers ${b.command}`).join('] [')}]`]
    : [];
}
