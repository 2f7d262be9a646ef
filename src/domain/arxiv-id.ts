/** An arXiv identifier split into its base id and optional version. */
export interface ArxivId {
  /** `2401.12345` or `hep-th/9901001`: the key of a paper across versions. */
  id: string;
  version: number | null;
}

/** Archives of the old-style ids (before April 2007), so `foo/1234567` in a message is not taken for one. */
const OLD_ARCHIVES = [
  'acc-phys',
  'adap-org',
  'alg-geom',
  'ao-sci',
  'astro-ph',
  'atom-ph',
  'bayes-an',
  'chao-dyn',
  'chem-ph',
  'cmp-lg',
  'comp-gas',
  'cond-mat',
  'cs',
  'dg-ga',
  'funct-an',
  'gr-qc',
  'hep-ex',
  'hep-lat',
  'hep-ph',
  'hep-th',
  'math',
  'math-ph',
  'mtrl-th',
  'nlin',
  'nucl-ex',
  'nucl-th',
  'patt-sol',
  'physics',
  'plasm-ph',
  'q-alg',
  'q-bio',
  'quant-ph',
  'solv-int',
  'supr-con',
];
const OLD_ARCHIVE = `(?:${OLD_ARCHIVES.join('|')})`;

const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
/** An old-style id may carry its subject class (`math.GT/0309136`); arXiv's canonical id drops it. */
const OLD_STYLE = new RegExp(String.raw`^(${OLD_ARCHIVE})(?:\.[A-Za-z]{2})?\/(\d{7})(?:v(\d+))?$`);

/** Parses a bare identifier (`2401.12345v2`, `hep-th/9901001`); null when it is none. */
export function parseArxivId(text: string): ArxivId | null {
  const candidate = text.trim().replace(/^arxiv:\s*/i, '');
  const newStyle = NEW_STYLE.exec(candidate);
  if (newStyle?.[1]) {
    if (!validNewStyle(newStyle[1])) return null;
    return { id: newStyle[1], version: newStyle[2] ? Number(newStyle[2]) : null };
  }
  const oldStyle = OLD_STYLE.exec(candidate);
  if (!oldStyle?.[1] || !oldStyle[2]) return null;
  return { id: `${oldStyle[1]}/${oldStyle[2]}`, version: oldStyle[3] ? Number(oldStyle[3]) : null };
}

/** New-style ids have a real year-month, and four digits after the dot only until 2014. */
function validNewStyle(id: string): boolean {
  const yymm = id.slice(0, 4);
  const month = Number(yymm.slice(2));
  if (month < 1 || month > 12) return false;
  const digits = id.length - 5;
  if (yymm < '0704') return false;
  return yymm <= '1412' ? digits === 4 : digits === 5;
}

const ID = String.raw`(\d{4}\.\d{4,5}(?:v\d+)?|${OLD_ARCHIVE}(?:\.[A-Za-z]{2})?\/\d{7}(?:v\d+)?)(?!\d)`;
/** Global and case-insensitive, read with `exec` from index 0: a copy per call would be compiled again. */
const LINK_PATTERNS: RegExp[] = [
  new RegExp(
    String.raw`(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/${ID}(?:\.pdf)?`,
    'gi',
  ),
  new RegExp(String.raw`(?:https?:\/\/)?(?:www\.)?alphaxiv\.org\/(?:abs|overview)\/${ID}`, 'gi'),
  new RegExp(String.raw`(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co|hf\.co)\/papers\/${ID}`, 'gi'),
  new RegExp(String.raw`(?:https?:\/\/)?(?:dx\.)?doi\.org\/10\.48550\/arxiv\.${ID}`, 'gi'),
  new RegExp(String.raw`\b10\.48550\/arxiv\.${ID}`, 'gi'),
  new RegExp(String.raw`\barxiv:\s?${ID}`, 'gi'),
  // A bare id in running text; the lookarounds keep it from matching inside a longer number or path.
  new RegExp(String.raw`(?<![\w./-])${ID}(?![\w/]|\.\d)`, 'gi'),
];

/** Every distinct arXiv paper a message links to or names, in order of appearance. */
export function findArxivIds(text: string): ArxivId[] {
  const found: { at: number; id: ArxivId }[] = [];
  for (const pattern of LINK_PATTERNS) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const parsed = match[1] ? parseArxivId(match[1]) : null;
      if (parsed) found.push({ at: match.index, id: parsed });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  return found
    .map((f) => f.id)
    .filter((id) => {
      if (seen.has(id.id)) return false;
      seen.add(id.id);
      return true;
    });
}

export function arxivAbsUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`;
}

export function arxivPdfUrl(id: string): string {
  return `https://arxiv.org/pdf/${id}`;
}
