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
 * still teach). Deterministic: the examples are visited in a fixed shuffled order.
 */
export function train(examples: Example[], options: TrainOptions = {}): LinearModel {
  const { loss = 'logistic', epochs = 30, lambda = 1e-4 } = options;
  const weights = new Map<string, number>();
  const squares = new Map<string, number>();
  let bias = 0;
  let biasSquares = 0;
  const positive = examples.reduce((sum, e) => sum + (e.positive ? e.weight : 0), 0);
  const negative = examples.reduce((sum, e) => sum + (e.positive ? 0 : e.weight), 0);
  const balance = {
    pos: positive > 0 ? (positive + negative) / (2 * positive) : 1,
    neg: negative > 0 ? (positive + negative) / (2 * negative) : 1,
  };
  const order = shuffled(examples.length);
  const rate = 0.5;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const i of order) {
      const e = examples[i]!;
      const y = e.positive ? 1 : -1;
      const margin = y * (bias + dot(weights, e.vector));
      // The loss's slope at this margin, times the example's weight.
      const slope = loss === 'logistic' ? -y / (1 + Math.exp(margin)) : margin < 1 ? -y : 0;
      const scale = e.weight * (e.positive ? balance.pos : balance.neg);
      for (const [term, x] of e.vector) {
        const w = weights.get(term) ?? 0;
        const g = scale * slope * x + lambda * w;
        if (g === 0) continue;
        const s = (squares.get(term) ?? 0) + g * g;
        squares.set(term, s);
        weights.set(term, w - (rate * g) / Math.sqrt(s));
      }
      const gb = scale * slope;
      if (gb !== 0) {
        biasSquares += gb * gb;
        bias -= (rate * gb) / Math.sqrt(biasSquares);
      }
    }
  }
  return { bias, weights };
}

/** The model's score for a paper: above 0 it leans towards wanted. */
export function score(model: LinearModel, vector: Vector): number {
  return model.bias + dot(model.weights, vector);
}

/** The score as a probability (logistic link); for a hinge model, a monotone stand-in. */
export function probability(model: LinearModel, vector: Vector): number {
  return 1 / (1 + Math.exp(-score(model, vector)));
}

function dot(weights: Map<string, number>, vector: Vector): number {
  let sum = 0;
  for (const [term, x] of vector) sum += (weights.get(term) ?? 0) * x;
  return sum;
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
