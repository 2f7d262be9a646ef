/** arXiv's category taxonomy (https://arxiv.org/category_taxonomy), to refuse a misspelt category early. */
const GROUPS: Record<string, string> = {
  cs: `AI AR CC CE CG CL CR CV CY DB DC DL DM DS ET FL GL GR GT HC IR IT LG LO MA MM MS NA NE NI OH OS PF PL
       RO SC SD SE SI SY`,
  econ: 'EM GN TH',
  eess: 'AS IV SP SY',
  math: `AC AG AP AT CA CO CT CV DG DS FA GM GN GR GT HO IT KT LO MG MP NA NT OA OC PR QA RA RT SG SP ST`,
  'astro-ph': 'CO EP GA HE IM SR',
  'cond-mat': 'dis-nn mes-hall mtrl-sci other quant-gas soft stat-mech str-el supr-con',
  nlin: 'AO CD CG PS SI',
  physics: `acc-ph ao-ph app-ph atm-clus atom-ph bio-ph chem-ph class-ph comp-ph data-an ed-ph flu-dyn gen-ph
            geo-ph hist-ph ins-det med-ph optics plasm-ph pop-ph soc-ph space-ph`,
  'q-bio': 'BM CB GN MN NC OT PE QM SC TO',
  'q-fin': 'CP EC GN MF PM PR RM ST TR',
  stat: 'AP CO ME ML OT TH',
};
const STANDALONE = [
  'gr-qc',
  'hep-ex',
  'hep-lat',
  'hep-ph',
  'hep-th',
  'math-ph',
  'nucl-ex',
  'nucl-th',
  'quant-ph',
];

const KNOWN = new Set<string>([
  ...STANDALONE,
  ...Object.keys(GROUPS),
  ...Object.entries(GROUPS).flatMap(([group, subjects]) =>
    subjects.split(/\s+/).map((subject) => `${group}.${subject}`),
  ),
]);

/** True for an arXiv category (`cs.CL`) or archive (`cs`, `hep-th`) the listings and the API accept. */
export function isArxivCategory(name: string): boolean {
  return KNOWN.has(name);
}

/** The known category that differs only in case (the usual slip), for "did you mean" in an error. */
export function suggestCategory(name: string): string | undefined {
  const lower = name.toLowerCase();
  return [...KNOWN].find((known) => known.toLowerCase() === lower);
}
