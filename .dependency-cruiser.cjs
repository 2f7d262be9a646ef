/**
 * The house rules for imports (`npm run check:layers`). Layers, lowest first: each may import its own
 * folder and the layers below it, never one above. `src/domain` is the leaf; adapters see only the leaf;
 * only the entry points wire adapters in; SQL is written in db/ (and by the search engine for its index).
 */
const LAYERS = [
  'src/domain',
  'src/log\\.ts|src/config\\.ts',
  'db',
  'src/ops',
  'src/sources',
  'src/search',
  'src/ingest',
  'src/channels',
  'src/votes',
  'src/shares',
  'src/taste',
  'src/reading',
  'src/digest',
  'src/sessions',
  'src/home',
  'src/schedule',
  'src/workspace',
  'src/commands',
  'src/main\\.ts|src/cli\\.ts',
];

const start = (layer) => `^(${layer})(/|$)`;

const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer:${layer.replace(/\\\./g, '.')}`,
  comment: `${layer} is below ${LAYERS.slice(i + 1).join(', ')}: it may not import them`,
  severity: 'error',
  from: { path: start(layer) },
  to: { path: LAYERS.slice(i + 1).map(start) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'modules that import each other, directly or round a loop',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-the-leaf',
      comment: 'src/domain imports nothing else in the repository',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^(src|adapters|db)/', pathNot: '^src/domain/' },
    },
    {
      name: 'adapters-see-only-the-domain',
      comment: 'an adapter imports src/domain and its own folder, nothing else of the repository',
      severity: 'error',
      from: { path: '^adapters/([^/]+)/' },
      to: { path: '^(src|db|adapters)/', pathNot: ['^src/domain/', '^adapters/$1/'] },
    },
    {
      name: 'only-entry-points-wire-adapters',
      comment: 'adapters are composed in src/main.ts and src/cli.ts, nowhere else',
      severity: 'error',
      from: { path: '^(src|db)/', pathNot: '^src/(main|cli)\\.ts$' },
      to: { path: '^adapters/' },
    },
    {
      name: 'platform-sdks-stay-in-adapters',
      comment: 'only adapters (and the entry points that build them) use @slack/* or discord.js',
      severity: 'error',
      from: { path: '^(src|db)/', pathNot: '^src/(main|cli)\\.ts$' },
      to: { path: '^node_modules/(@slack/|discord\\.js/)' },
    },
    {
      name: 'sql-lives-in-db',
      comment:
        'tables are read and written by the repositories in db/; outside it only the search engine (src/search), which owns the papers and their index, writes SQL',
      severity: 'error',
      from: { path: '^(src|adapters)/', pathNot: '^src/search/' },
      to: { path: ['^node_modules/drizzle-orm/', '^db/(schema|binary-copy)\\.ts$'] },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
