import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandTable } from '../../src/commands/table.js';
import { findArxivIds, parseArxivId } from '../../src/domain/arxiv-id.js';
import { UserError } from '../../src/domain/errors.js';
import { parsePapersText } from '../../src/sources/file.js';
import { hfDailyItemSchema, hfItemToPaper } from '../../src/sources/hf-schema.js';
import { exportRecordSchema } from '../../src/workspace/records.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const text = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
);

describe(`fuzzing (${RUNS} cases each)`, () => {
  it('the command parser: parses or answers with a UserError', () => {
    const prefixes = [
      '',
      'search ',
      'schedule ',
      'size ',
      'pick ',
      'follow ',
      'mute ',
      'top ',
      'digest ',
      'share ',
      'discussed ',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), text, (prefix, rest) => {
        try {
          commandTable.prepare({ kind: 'text', text: prefix + rest });
        } catch (err) {
          expect(err).toBeInstanceOf(UserError);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the arXiv id and link parser: never throws, and every id it finds parses again', () => {
    const links = fc.tuple(
      fc.constantFrom(
        'https://arxiv.org/abs/',
        'arxiv.org/pdf/',
        'hf.co/papers/',
        'arXiv:',
        'doi.org/10.48550/arXiv.',
        '',
      ),
      fc.stringMatching(/^\d{4}\.\d{4,5}(v\d)?$/),
      text,
    );
    fc.assert(
      fc.property(links, ([prefix, id, noise]) => {
        const found = findArxivIds(`${noise} ${prefix}${id} ${noise}`);
        for (const f of found) expect(parseArxivId(f.id)?.id).toBe(f.id);
        parseArxivId(noise);
      }),
      { numRuns: RUNS },
    );
  });

  it('the source payload validators: any JSON is a paper with a title, or skipped with a reason', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const parsed = hfDailyItemSchema.safeParse(value);
        if (parsed.success) {
          const paper = hfItemToPaper(parsed.data);
          if (paper) expect(paper.title.length).toBeGreaterThan(0);
        }
        const file = parsePapersText(`${JSON.stringify(value)}\n`);
        for (const p of file.papers) expect(p.title.length).toBeGreaterThan(0);
        // An array is read as Hugging Face items, one result each; anything else is one line.
        expect(file.papers.length + file.skipped.length).toBe(Array.isArray(value) ? value.length : 1);
        exportRecordSchema.safeParse(value);
      }),
      { numRuns: RUNS },
    );
  });

  it('the papers file reader: arbitrary lines never throw, and each non-empty line is a paper or a skip', () => {
    const line = text.map((l) => l.replace(/[\r\n]/g, ' '));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const body = lines.join('\n');
        if (body.trimStart().startsWith('[')) return;
        const parsed = parsePapersText(body);
        const nonEmpty = lines.filter((l) => l.trim()).length;
        expect(parsed.papers.length + parsed.skipped.length).toBe(nonEmpty);
      }),
      { numRuns: RUNS },
    );
  });
});
