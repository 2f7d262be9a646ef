/**
 * The house rules for imports (`npm run check:layers`). Layers, lowest first: each may import its own
 * folder and the layers below it, never one above. `src/domain` is the leaf; adapters see only the leaf;
 * only the entry points wire adapters in.
 */
const LAYERS = [
  'src/domain',
  'src/log\\.ts|src/config\\.ts',
  'db',
  'src/ops',
  'src/sources',
  'src/papers',
  'src/search',
  'src/ingest',
  'src/channels',
  'src/votes',
  'src/shares',
  'src/digest',
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
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
