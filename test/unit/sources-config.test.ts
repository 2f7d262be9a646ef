import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('ingestion settings', () => {
  it('keep scheduled ingestion off unless asked, with default categories and schedules', () => {
    const config = loadConfig({});
    expect(config.INGEST_SCHEDULE).toBe(false);
    expect(config.ARXIV_CATEGORIES).toEqual(['cs.AI', 'cs.CL', 'cs.CV', 'cs.LG']);
    expect(config.INGEST_HF_CRON).toBe('20 */4 * * *');
    expect(config.HF_REFRESH_DAYS).toBe(3);
  });

  it('read categories separated by commas or +', () => {
    expect(loadConfig({ ARXIV_CATEGORIES: 'cs.LG+stat.ML, hep-th' }).ARXIV_CATEGORIES).toEqual([
      'cs.LG',
      'stat.ML',
      'hep-th',
    ]);
  });

  it.each([
    [
      { ARXIV_CATEGORIES: 'cs.LG,cs.Learning' },
      'ARXIV_CATEGORIES: must be arXiv categories separated by commas, such as cs.LG,cs.CL (unknown: cs.Learning)',
    ],
    [
      { INGEST_HF_CRON: 'every four hours' },
      'INGEST_HF_CRON: must be a cron expression such as "20 */4 * * *"',
    ],
    [
      { INGEST_ARXIV_TIMEZONE: 'Mars/Olympus' },
      'INGEST_ARXIV_TIMEZONE: must be an IANA time zone such as America/New_York',
    ],
    [
      { HF_REFRESH_DAYS: '30' },
      'HF_REFRESH_DAYS: must be the number of recent days whose upvotes are refreshed',
    ],
    [{ INGEST_SCHEDULE: 'maybe' }, 'INGEST_SCHEDULE: must be true or false'],
  ])('refuse %j, naming the variable and what would work', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
