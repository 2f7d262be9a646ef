import { describe, expect, it } from 'vitest';
import { findArxivIds, parseArxivId } from '../../src/domain/arxiv-id.js';

describe('arXiv ids in pasted text', () => {
  it.each([
    ['https://arxiv.org/abs/2401.12345', '2401.12345', null],
    ['https://arxiv.org/abs/2401.12345v2', '2401.12345', 2],
    ['http://www.arxiv.org/pdf/2401.12345v3.pdf', '2401.12345', 3],
    ['https://arxiv.org/pdf/2401.12345', '2401.12345', null],
    ['https://export.arxiv.org/abs/2401.12345', '2401.12345', null],
    ['https://arxiv.org/html/2606.13677v1', '2606.13677', 1],
    ['arxiv.org/abs/0704.0001', '0704.0001', null],
    ['https://arxiv.org/abs/hep-th/9901001', 'hep-th/9901001', null],
    ['https://arxiv.org/abs/math.GT/0309136v2', 'math/0309136', 2],
    ['cs.DB/9901123', 'cs/9901123', null],
    ['arXiv:math.gt/0309136', 'math/0309136', null],
    ['https://arxiv.org/pdf/cond-mat/0102536v1.pdf', 'cond-mat/0102536', 1],
    ['https://www.alphaxiv.org/abs/2401.12345', '2401.12345', null],
    ['https://alphaxiv.org/overview/2401.12345v2', '2401.12345', 2],
    ['https://huggingface.co/papers/2606.13677', '2606.13677', null],
    ['https://hf.co/papers/2606.13677', '2606.13677', null],
    ['https://doi.org/10.48550/arXiv.2401.12345', '2401.12345', null],
    ['doi:10.48550/arxiv.2401.12345', '2401.12345', null],
    ['arXiv:2401.12345v4', '2401.12345', 4],
    ['arXiv: hep-th/9901001', 'hep-th/9901001', null],
    ['see 2401.12345 for details', '2401.12345', null],
    ['old one: hep-th/9901001v2.', 'hep-th/9901001', 2],
  ])('finds the paper in %s', (text, id, version) => {
    expect(findArxivIds(text)).toEqual([{ id, version }]);
  });

  it('finds every distinct paper of a message in order, once each', () => {
    const text =
      'Compare https://huggingface.co/papers/2606.13677 with arXiv:2401.12345v2 ' +
      '(also https://arxiv.org/pdf/2401.12345v1.pdf) and hep-th/9901001';
    expect(findArxivIds(text).map((i) => i.id)).toEqual(['2606.13677', '2401.12345', 'hep-th/9901001']);
  });

  it.each([
    'https://example.com/paper/1234',
    'version 2023.12345 of the tool',
    'pi is 3.14159265',
    'call 0612.1234 before 9am',
    'a path foo/1234567 in a repo',
    'https://arxiv.org/abs/2401.123456',
    'https://github.com/org/2401.12345-models',
  ])('finds no paper in %s', (text) => {
    expect(findArxivIds(text)).toEqual([]);
  });

  it('keys an old-style id written with its subject class under the canonical id, as arXiv does', () => {
    expect(parseArxivId('math.GT/0309136')).toEqual({ id: 'math/0309136', version: null });
    expect(parseArxivId('cs.DB/9901123v2')).toEqual({ id: 'cs/9901123', version: 2 });
    expect(findArxivIds('math.GT/0309136 and math/0309136 are one paper')).toEqual([
      { id: 'math/0309136', version: null },
    ]);
  });

  it('accepts four digits after the dot only until 2014 and five from 2015', () => {
    expect(parseArxivId('1412.1234')).toEqual({ id: '1412.1234', version: null });
    expect(parseArxivId('1501.12345')).toEqual({ id: '1501.12345', version: null });
    expect(parseArxivId('1501.1234')).toBeNull();
    expect(parseArxivId('1412.12345')).toBeNull();
    expect(parseArxivId('2413.12345')).toBeNull();
  });
});
