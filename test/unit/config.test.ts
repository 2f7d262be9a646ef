import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('uses defaults for unset and empty variables', () => {
    const config = loadConfig({ PORT: '', SLACK_API_URL: '' });
    // Unset, PORT stays so: the chat doors default to 3000, a console serves no port.
    expect(config.PORT).toBeUndefined();
    expect(config.SLACK_API_URL).toBeUndefined();
    expect(config.VOTE_EMOJI).toEqual(['+1', 'arrow_up', 'fire', 'heart', 'rocket']);
  });

  it('names every bad variable with what it should be, and never echoes a secret', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        HF_API_URL: 'not a url',
        SCHEDULER: 'perhaps',
        DIGEST_CATCH_UP_HOURS: '99',
        SOURCES_CONTACT: 'call me',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT: must be a port number, a whole number from 0 to 65535 (got "eighty")');
    expect(message).toContain('HF_API_URL: must be a URL');
    expect(message).toContain('SCHEDULER: must be true or false (got "perhaps")');
    expect(message).toContain('DIGEST_CATCH_UP_HOURS: must be how many hours late');
    expect(message).toContain('SOURCES_CONTACT: must look like an email address or an http(s) URL');
  });
});
