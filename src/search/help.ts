/** `/papers help search`: the query language, as users type it. */
export const SEARCH_HELP = [
  'Search papers: /papers search <query>   (only you see the results until you share one)',
  '  kv cache compression    papers with these words; those with all of them first, then most of them',
  "  which paper shows …?    questions work too: the question's own words are left out",
  '  "exact phrase"          the words together, in this order (required)',
  '  -word  -"a phrase"      leave out papers containing it',
  '  author:hinton  author:"yann lecun"   by an author (part of a name is enough)',
  '  cat:cs.CL               in an arXiv category',
  '  since:2024-06  since:7d  before:2025   published from / before a date or an age (d, w, m, y)',
  "  sort:relevance|date|votes   order (default relevance; votes = your team's votes)",
  '  page:2                  another page of results',
  '  2306.14048              a paper by its arXiv id',
  'Typos are forgiven (difusion → diffusion), a word being typed matches as a prefix (distil → distillation),',
  'TeX in titles is ignored (H2O finds H$_2$O), and an acronym papers define also finds its long form',
  '(llm → large language models). Share a hit with its Share button or /papers share <id>.',
].join('\n');
