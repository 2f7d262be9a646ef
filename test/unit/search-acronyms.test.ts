import { describe, expect, it } from 'vitest';
import { acronymsIn } from '../../src/search/acronyms.js';

const defined = (text: string) => acronymsIn(text).map((d) => `${d.acronym} = ${d.phrase}`);

describe('acronyms a paper defines', () => {
  it('are read from a long form followed by its short form in parentheses', () => {
    expect(defined('Large language models (LLMs) are strong reasoners.')).toEqual([
      'llm = large language models',
    ]);
    expect(
      defined('We prompt with Chain-of-Thought (CoT) and Direct Preference Optimization (DPO).'),
    ).toEqual(['cot = chain of thought', 'dpo = direct preference optimization']);
    expect(defined('Caching the Key-Value (KV) states of a Mixture of Experts (MoE)')).toEqual([
      'kv = key value',
      'moe = mixture of experts',
    ]);
    // A letter from inside a word, and a word passed over within the long form.
    expect(defined('Vision Transformers (ViTs) and Multi-modal Large Language Models (MLLMs)')).toEqual([
      'vit = vision transformers',
      'mllm = multi modal large language models',
    ]);
  });

  it('keep only the words that spell the short form, not the rest of the sentence', () => {
    expect(defined('In this work we study how reinforcement learning (RL) scales')).toEqual([
      'rl = reinforcement learning',
    ]);
  });

  it('are not read from parentheses that define nothing', () => {
    expect(defined('as shown (Table 2) by our method (ours) in (Fig) with (GPT-4) at (a)')).toEqual([]);
    // A short form repeated in its own long form, or a long form of one word.
    expect(defined('LLM-based agents (LLM) and accuracy (ACC)')).toEqual([]);
    // A clause ends before the long form would.
    expect(defined('Results improve. Moreover (RM) helps')).toEqual([]);
    // Letters found inside words, with words left over that give the short form nothing.
    expect(defined('we compare LLaMA-V o1 against (LLMs)')).toEqual([]);
    expect(defined('models using LlamaV-o1 against (LLMs) score')).toEqual([]);
    expect(defined('robots in the real world (RL)')).toEqual([]);
    expect(defined('sampling with Self-Consistency (CoT)')).toEqual([]);
  });

  it('are looked for in bounded time, whatever the text', () => {
    const started = performance.now();
    expect(defined(`${'a'.repeat(5000)}b (AAAAAAAAAB)`)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
