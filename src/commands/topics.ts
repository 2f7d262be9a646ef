import { z } from 'zod';
import { arg, parseTerm } from './arguments.js';
import { type Command, defineCommand } from './define.js';
import { changeSetting } from './setting.js';

type TopicCommand = 'follow' | 'unfollow' | 'mute' | 'unmute';

/** follow, unfollow, mute and unmute: one term, a topic or an arXiv category. */
function topicCommand(
  name: TopicCommand,
  text: { summary: string; usage: string; help: string; topic: string; example: string },
): Command {
  return defineCommand({
    id: name,
    words: [name],
    admin: true,
    visibility: 'public',
    summary: text.summary,
    usage: text.usage,
    help: text.help,
    examples: [`${name} ${text.example}`, `${name} cat:cs.CL`],
    options: [
      { name: 'topic', description: text.topic, type: 'string', required: true, maxLength: 100, rest: true },
    ],
    args: z.object({ topic: arg(parseTerm(name)) }),
    run: (ctx, { topic }) => changeSetting(ctx, { name, term: topic }),
  });
}

export const follow = topicCommand('follow', {
  summary: 'Favour a topic or category',
  usage: '<topic|cat:cs.CL>',
  help: 'a topic that rises to the top',
  topic: 'a topic or cat:cs.CL',
  example: 'diffusion',
});

export const unfollow = topicCommand('unfollow', {
  summary: 'Stop favouring a topic',
  usage: '<topic|cat:cs.CL>',
  help: 'stop favouring it',
  topic: 'a topic or cat:cs.CL',
  example: 'diffusion',
});

export const mute = topicCommand('mute', {
  summary: 'Leave out papers with a word',
  usage: '<word|cat:…>',
  help: 'words or categories never posted',
  topic: 'a word or cat:…',
  example: 'survey',
});

export const unmute = topicCommand('unmute', {
  summary: 'Stop leaving out a word',
  usage: '<word|cat:…>',
  help: 'post them again',
  topic: 'a word or cat:…',
  example: 'survey',
});
