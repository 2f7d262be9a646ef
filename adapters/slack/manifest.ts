import type { CommandCatalog, CommandSpec } from '../../src/domain/commands.js';

/** The slash command the app registers; the adapter listens for this one name. */
export const SLASH_COMMAND = '/papers';

/** Bot scopes, each for something the adapter does. */
export const BOT_SCOPES = [
  'commands', // /papers
  'chat:write', // digests, shares, replies
  'reactions:read', // reactions are votes
  'channels:history', // paper links pasted in public channels; a resumed digest reads back what it posted
  'groups:history', // … the same in private channels the bot was added to
  'app_mentions:read', // @papers → short help
  'users:read', // workspace admins and owners may change channel settings; presenters named by @mention
  'files:write', // a reading-group session's calendar invite (.ics) in its thread
  'im:write', // the weekly reading list, in a direct message…
  'im:history', // … looked for there before it is sent again after a crash, so it goes out once
  'links:read', // paper links posted in channels (link_shared)…
  'links:write', // … unfolded into cards with a Vote button (chat.unfurl)
] as const;

/** Links the app unfolds into paper cards: arXiv, alphaXiv, Hugging Face papers, arXiv DOIs. */
export const UNFURL_DOMAINS = ['arxiv.org', 'alphaxiv.org', 'huggingface.co', 'hf.co', 'doi.org'] as const;

/** The message shortcut of a command on the message menus. */
export function shortcutId(spec: CommandSpec): string {
  return `papers-menu:${spec.id}`;
}

export const BOT_EVENTS = [
  'reaction_added',
  'reaction_removed',
  'message.channels',
  'message.groups',
  'app_mention',
  'app_home_opened',
  'link_shared',
] as const;

export interface ManifestOptions {
  /** The command table the usage hint lists. */
  commands: CommandCatalog;
  name?: string;
  /** HTTP mode: the public URL of `/slack/events`. Without it the manifest turns Socket Mode on. */
  requestUrl?: string;
}

/** The app manifest for Slack's "Create an app → From a manifest". */
export function slackManifest(options: ManifestOptions): Record<string, unknown> {
  const name = options.name ?? 'papers';
  const socketMode = !options.requestUrl;
  const url = options.requestUrl ? { url: options.requestUrl } : {};
  return {
    display_information: {
      name,
      description: "Today's trending papers, search, and reactions as votes.",
      background_color: '#1d3557',
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: name, always_online: true },
      shortcuts: options.commands.specs.flatMap((spec) =>
        spec.messageMenu
          ? [
              {
                name: spec.messageMenu.name,
                type: 'message',
                callback_id: shortcutId(spec),
                description: spec.messageMenu.description,
              },
            ]
          : [],
      ),
      unfurl_domains: [...UNFURL_DOMAINS],
      slash_commands: [
        {
          command: SLASH_COMMAND,
          description: 'Search papers, see the leaderboard, post the digest',
          usage_hint: usageHint(options.commands),
          // Mentions arrive as <@U123|name>, so presenters can be named by @mention.
          should_escape: true,
          ...url,
        },
      ],
    },
    oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      event_subscriptions: {
        ...(socketMode ? {} : { request_url: options.requestUrl }),
        bot_events: [...BOT_EVENTS],
      },
      interactivity: { is_enabled: true, ...(socketMode ? {} : { request_url: options.requestUrl }) },
      org_deploy_enabled: false,
      socket_mode_enabled: socketMode,
      token_rotation_enabled: false,
    },
  };
}

/** Slack's limit on a slash command's usage hint. */
export const USAGE_HINT_LIMIT = 1000;

/** Everyone's commands with their arguments, then the admins' by name: `search <words> | top … | admins: …`. */
export function usageHint(commands: CommandCatalog): string {
  const words = (spec: CommandSpec) => spec.words.join(' ');
  const everyone = commands.specs
    .filter((spec) => !spec.admin)
    .map((spec) => [words(spec), spec.usage].filter(Boolean).join(' '));
  const admins = [...new Set(commands.specs.filter((spec) => spec.admin).map(words))];
  return `${everyone.join(' | ')} | admins: ${admins.join(', ')}`;
}
