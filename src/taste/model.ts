import type { Vector } from './vectors.js';

/** A labelled paper: its vector, whether the team (or person) wants it, and how much that counts. */
export interface Example {
  vector: Vector;
  positive: boolean;
  weight: number;
}

/** A linear model over terms: a weight per term and a bias. */
export interface LinearModel {
  bias: number;
  weights: Map<string, number>;
}

export interface TrainOptions {
  /** `logistic` (log loss) or `hinge` (a linear SVM). */
  loss?: 'logistic' | 'hinge';
  epochs?: number;
  /** L2 regularisation strength. */
  lambda?: number;
}

/**
 * Fits a linear classifier by stochastic gradient descent with AdaGrad steps and L2 regularisation,
 * positives and negatives weighed to count equally in all (so a few votes against many unvoted papers
 * still teach). Terms are numbered once and the work done over typed arrays. Deterministic: the
 * examples are visited in a fixed shuffled order.
 */
export function train(examples: Example[], options: TrainOptions = {}): LinearModel {
  const { loss = 'logistic', epochs = 20, lambda = 1e-4 } = options;
  const index = new Map<string, number>();
  const rows = examples.map((e) => {
    const terms = new Int32Array(e.vector.size);
    const values = new Float64Array(e.vector.size);
    let k = 0;
    for (const [term, x] of e.vector) {
      let i = index.get(term);
      if (i === undefined) {
        i = index.size;
        index.set(term, i);
      }
      terms[k] = i;
      values[k++] = x;
    }
    return { terms, values };
  });
  const weights = new Float64Array(index.size);
  const squares = new Float64Array(index.size);
  let bias = 0;
  let biasSquares = 0;
  const positive = examples.reduce((sum, e) => sum + (e.positive ? e.weight : 0), 0);
  const negative = examples.reduce((sum, e) => sum + (e.positive ? 0 : e.weight), 0);
  const total = positive + negative;
  const balance = {
    pos: positive > 0 ? total / (2 * positive) : 1,
    neg: negative > 0 ? total / (2 * negative) : 1,
  };
  const order = shuffled(examples.length);
  const rate = 0.5;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const n of order) {
      const e = examples[n]!;
      const { terms, values } = rows[n]!;
      const y = e.positive ? 1 : -1;
      let margin = bias;
      for (let k = 0; k < terms.length; k++) margin += weights[terms[k]!]! * values[k]!;
      margin *= y;
      // The loss's slope at this margin, times the example's weight.
      const slope = loss === 'logistic' ? -y / (1 + Math.exp(margin)) : margin < 1 ? -y : 0;
      const scale = e.weight * (e.positive ? balance.pos : balance.neg) * slope;
      for (let k = 0; k < terms.length; k++) {
        const i = terms[k]!;
        const g = scale * values[k]! + lambda * weights[i]!;
        if (g === 0) continue;
        squares[i]! += g * g;
        weights[i]! -= (rate * g) / Math.sqrt(squares[i]!);
      }
      if (scale !== 0) {
        biasSquares += scale * scale;
        bias -= (rate * scale) / Math.sqrt(biasSquares);
      }
    }
  }
  const byTerm = new Map<string, number>();
  for (const [term, i] of index) if (weights[i] !== 0) byTerm.set(term, weights[i]!);
  return { bias, weights: byTerm };
}

/** The model's score for a paper: above 0 it leans towards wanted. */
export function score(model: LinearModel, vector: Vector): number {
  let sum = model.bias;
  for (const [term, x] of vector) sum += (model.weights.get(term) ?? 0) * x;
  return sum;
}

/** The score as a probability (logistic link); for a hinge model, a monotone stand-in. */
export function probability(model: LinearModel, vector: Vector): number {
  return 1 / (1 + Math.exp(-score(model, vector)));
}

/** 0…n-1 in a fixed pseudo-random order. */
function shuffled(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let seed = 2_463_534_242;
  for (let i = n - 1; i > 0; i--) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    const j = (seed >>> 0) % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
