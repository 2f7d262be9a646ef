import { describe, expect, it } from 'vitest';
import { probability, train } from '../../src/taste/model.js';
import { cosine, Idf, sharedTerms, surfaceWords, termCounts } from '../../src/taste/vectors.js';

const paper = (title: string, abstract = '') => ({ title, abstract, keywords: [] });

describe('taste vectors', () => {
  it('reads stemmed terms, titles counting double, stop words left out', () => {
    const counts = termCounts(paper('Diffusion models', 'We train diffusion models on the images.'));
    expect(counts.get('diffus')).toBe(3);
    expect(counts.get('imag')).toBe(1);
    expect(counts.has('the')).toBe(false);
    expect(surfaceWords(paper('Diffusion models')).get('diffus')).toBe('diffusion');
  });

  it('weighs rare terms above common ones and compares papers by cosine', () => {
    const docs = [
      paper('Sparse attention for long context'),
      paper('Attention is what you need'),
      paper('Diffusion for video'),
    ].map(termCounts);
    const idf = new Idf(docs);
    expect(idf.of('spars')).toBeGreaterThan(idf.of('attent'));
    const [a, b, c] = docs.map((d) => idf.vector(d));
    expect(cosine(a!, a!)).toBeCloseTo(1, 6);
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(a!, c!));
    expect(sharedTerms(a!, b!, 3)).toEqual(['attent']);
  });
});

describe('the taste model', () => {
  const liked = [
    'Sparse attention kernels',
    'Sparse attention for long context',
    'Efficient sparse transformers',
  ];
  const passed = [
    'Diffusion for video',
    'Image diffusion distillation',
    'Reward models for robots',
    'Graph neural networks',
  ];
  const all = [...liked, ...passed].map((t) => termCounts(paper(t)));
  const idf = new Idf(all);
  const examples = [
    ...liked.map((t) => ({ vector: idf.vector(termCounts(paper(t))), positive: true, weight: 1 })),
    ...passed.map((t) => ({ vector: idf.vector(termCounts(paper(t))), positive: false, weight: 1 })),
  ];

  for (const loss of ['logistic', 'hinge'] as const) {
    it(`learns from votes with ${loss} loss: a new paper like the liked ones fits, one like the rest does not`, () => {
      const model = train(examples, { loss });
      const near = probability(model, idf.vector(termCounts(paper('Sparse attention at scale'))));
      const far = probability(model, idf.vector(termCounts(paper('Video diffusion models'))));
      expect(near).toBeGreaterThan(0.5);
      expect(far).toBeLessThan(0.5);
    });
  }

  it('gives the same model for the same votes', () => {
    const a = train(examples);
    const b = train(examples);
    expect([...a.weights]).toEqual([...b.weights]);
    expect(a.bias).toBe(b.bias);
  });
});
