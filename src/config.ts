import cron from 'node-cron';
import { z } from 'zod';
import { isArxivCategory } from './domain/arxiv-categories.js';

const optionalText = z
  .string()
  .trim()
  .transform((v) => v || undefined)
  .optional();

const flag = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    });

const emojiList = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? fallback)
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
    );

function wholeNumber(min: number, max: number, what: string) {
  const message = `must be ${what}, a whole number from ${min} to ${max}`;
  return z.coerce
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });
}

const cronExpression = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((v) => cron.validate(v), 'must be a cron expression such as "20 */4 * * *"');

const categoryList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const names = v.split(/[\s,+]+/).filter(Boolean);
      const unknown = names.filter((n) => !isArxivCategory(n));
      if (names.length === 0 || unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must be arXiv categories separated by commas, such as cs.LG,cs.CL${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`,
        });
        return z.NEVER;
      }
      return names;
    });

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const url = z.string().trim().url('must be a URL such as https://example.org');

/** A secret with a recognisable shape: the message says what it should look like, never what it was. */
const shaped = (pattern: RegExp, shape: string) =>
  z.string().trim().regex(pattern, `must look like ${shape}`).optional();

const slackUserList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const ids = (v ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const bad = ids.find((id) => !/^[UW][A-Z0-9]{2,}$/.test(id));
    if (bad !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `must be Slack user ids such as U024BE7LH, comma-separated ("${bad}" is not one)`,
      });
      return z.NEVER;
    }
    return ids;
  });

/** Every setting the bot reads, from the environment. Nothing else reads process.env. */
const configSchema = z.object({
  DATABASE_URL: optionalText,
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .optional(),
  DEBUG: flag(false),
  /** Unset: 3000 for the chat doors, and no HTTP port at all for the console. */
  PORT: wholeNumber(0, 65535, 'a port number').optional(),
  SAMPLE_PAPERS: flag(true),
  SCHEDULER: flag(true),
  /**
   * Without a Slack or Discord token, wait unhealthy instead of opening the console (a container has no
   * terminal to type into: it would end at once and be restarted in a loop).
   */
  CHAT_REQUIRED: flag(false),
  DIGEST_CATCH_UP_HOURS: wholeNumber(
    0,
    24,
    'how many hours late a missed digest may still be posted',
  ).default(3),
  VOTE_EMOJI: emojiList('+1,arrow_up,fire,heart,rocket'),
  DOWNVOTE_EMOJI: emojiList('-1'),
  SLACK_BOT_TOKEN: shaped(/^xoxb-[\w-]+$/, "the app's Bot User OAuth Token, xoxb-…"),
  SLACK_APP_TOKEN: shaped(/^xapp-[\w-]+$/, 'an app-level token with connections:write, xapp-…'),
  SLACK_SIGNING_SECRET: shaped(/^[0-9a-f]{16,128}$/i, "the app's Signing Secret, a string of hex digits"),
  SLACK_API_URL: url.optional(),
  SLACK_ADMIN_USERS: slackUserList,
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText,
  DISCORD_API_URL: url.optional(),
  DISCORD_LINK_SHARES: flag(false),
  HF_API_URL: url.default('https://huggingface.co/api'),
  ARXIV_API_URL: url.default('https://export.arxiv.org/api/query'),
  ARXIV_RSS_URL: url.default('https://rss.arxiv.org/rss'),
  SOURCES_CONTACT: shaped(
    /^(\S+@\S+\.\S+|https?:\/\/\S+)$/,
    'an email address or an http(s) URL where the operators of arXiv and Hugging Face can reach you',
  ),
  INGEST_SCHEDULE: flag(false),
  ARXIV_CATEGORIES: categoryList('cs.AI,cs.CL,cs.CV,cs.LG'),
  INGEST_HF_CRON: cronExpression('20 */4 * * *'),
  INGEST_ARXIV_CRON: cronExpression('30 0 * * 1-5'),
  INGEST_ARXIV_TIMEZONE: z
    .string()
    .trim()
    .default('America/New_York')
    .refine(isTimeZone, 'must be an IANA time zone such as America/New_York'),
  HF_REFRESH_DAYS: wholeNumber(0, 14, 'the number of recent days whose upvotes are refreshed').default(3),
  /** When the papers channels follow for news are fetched again from arXiv (new versions, code links). */
  INGEST_REFRESH_CRON: cronExpression('0 6 * * *'),
});

/** Slack needs its bot token and one way in (Socket Mode or HTTP): name what is missing. */
function checkSlackSet(c: Config, ctx: z.RefinementCtx): void {
  const slackSet = c.SLACK_APP_TOKEN || c.SLACK_SIGNING_SECRET;
  if (slackSet && !c.SLACK_BOT_TOKEN) {
    ctx.addIssue({
      code: 'custom',
      path: ['SLACK_BOT_TOKEN'],
      message: "is needed for Slack: the app's Bot User OAuth Token, xoxb-… (OAuth & Permissions page)",
    });
  }
  if (c.SLACK_BOT_TOKEN && !slackSet) {
    ctx.addIssue({
      code: 'custom',
      path: ['SLACK_APP_TOKEN'],
      message:
        'or SLACK_SIGNING_SECRET is needed with SLACK_BOT_TOKEN: an app-level token xapp-… for Socket Mode, or the Signing Secret for HTTP mode',
    });
  }
}

export type Config = z.infer<typeof configSchema>;

/** Half a Discord setup would start the bot with no Discord at all: name the missing half. */
function checkDiscordPair(env: Config, ctx: z.RefinementCtx): void {
  if (env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID) {
    ctx.addIssue({
      code: 'custom',
      path: ['DISCORD_APPLICATION_ID'],
      message:
        'required with DISCORD_TOKEN: the Application ID on the General Information page of the Discord Developer Portal',
    });
  }
  if (env.DISCORD_APPLICATION_ID && !env.DISCORD_TOKEN) {
    ctx.addIssue({
      code: 'custom',
      path: ['DISCORD_TOKEN'],
      message:
        'required with DISCORD_APPLICATION_ID: the bot token from the Bot page of the Discord Developer Portal',
    });
  }
  if (env.DISCORD_APPLICATION_ID && !/^\d{17,20}$/.test(env.DISCORD_APPLICATION_ID)) {
    ctx.addIssue({
      code: 'custom',
      path: ['DISCORD_APPLICATION_ID'],
      message: 'must be the numeric Application ID (17 to 20 digits)',
    });
  }
}

/** Start-up cannot go on: the message names each bad variable and what would work. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSet it in .env or the environment (see .env.example).`,
    );
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value (`PORT=` in .env) means "use the default", as if the variable were not set.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = configSchema
    .superRefine((c, ctx) => {
      checkSlackSet(c, ctx);
      checkDiscordPair(c, ctx);
    })
    .safeParse(set);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '');
    const value = env[name];
    const shown = value === undefined ? '' : ` (got "${isSecret(name) ? '***' : value}")`;
    return `${name}: ${issue.message}${shown}`;
  });
  throw new ConfigError(problems);
}

/** Names of settings whose values must never be printed. */
export function isSecret(name: string): boolean {
  return /TOKEN|SECRET|PASSWORD|KEY/.test(name);
}
