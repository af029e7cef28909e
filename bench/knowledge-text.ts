/**
 * The knowledge bench's documents and queries: deterministic pseudo-random English-like text,
 * so every run indexes the same corpus and asks the same questions. Each document has a topic
 * (a handful of subject words it uses far more often than others), each paragraph two focus
 * words of its own, and its sentences draw the rest from a common vocabulary with a Zipf-like
 * skew, so chunks differ in what they are about and retrieval has something to rank. Every paragraph is 450-790 characters: the chunker
 * (src/knowledge/chunker.ts, 800 characters) makes exactly one chunk of each, never two.
 */

/** Words of any subject, most common first (the skew favours the front). */
const COMMON = (
  'time year people way day man thing woman life child world school state family student group country problem hand part place case week company system program question work government number night point home water room mother area money story fact month lot right study book eye job word business issue side kind head house service friend father power hour game line end member law car city community name president team minute idea kid body information back parent face others level office door health person art war history party result change morning reason research girl guy moment air teacher force education ' +
  'make take come see know get give find think tell become show leave feel put bring begin keep hold write stand hear let mean set meet run pay sit speak lie lead read grow lose fall send build understand draw break spend cut rise drive buy wear choose seek throw catch deal win forget ' +
  'good new first last long great little own other old right big high different small large next early young important few public bad same able late hard major better economic strong possible whole free military true federal international full special easy clear recent certain personal open red difficult available likely short single medical current wrong private past foreign fine common poor natural significant similar hot dead central happy serious ready simple left physical general environmental financial blue democratic dark various entire close legal religious cold final main green nice huge popular traditional cultural'
).split(' ');

/** Subject words: each document takes a few of these as its topic. */
const SUBJECTS = (
  'invoice refund payment currency ledger budget audit salary pension mortgage loan interest tax receipt ' +
  'glacier penguin iceberg tundra volcano desert canyon river forest meadow coral reef monsoon drought ' +
  'engine turbine piston gearbox bearing valve compressor boiler furnace radiator propeller chassis axle ' +
  'violin cello piano trumpet orchestra melody rhythm harmony concert opera ballet chorus symphony ' +
  'vaccine antibody protein enzyme neuron bacteria virus tissue cell genome insulin hormone dosage clinic ' +
  'satellite telescope galaxy planet comet asteroid nebula orbit rocket astronaut lunar solar eclipse ' +
  'database index query schema cluster replica backup latency cache kernel compiler network router firewall ' +
  'harvest wheat barley orchard vineyard tractor irrigation soil fertilizer cattle dairy poultry greenhouse ' +
  'castle cathedral monastery fortress empire dynasty treaty senate parliament revolution monarchy republic ' +
  'recipe pastry dough butter saffron cinnamon espresso bakery kitchen sauce noodle dumpling cheese vinegar ' +
  'railway tunnel bridge harbor airport highway freight cargo container warehouse shipment courier ferry ' +
  'painting sculpture gallery museum canvas portrait fresco mosaic pottery ceramic tapestry sketch etching'
).split(' ');

const TOPIC_WORDS = 6;
/** Of a sentence's words, about this share are the document's topic words... */
const TOPIC_SHARE = 0.2;
/** ...and this share the paragraph's own focus words (what sets it apart from its neighbours). */
const FOCUS_WORDS = 2;
const FOCUS_SHARE = 0.12;
const MIN_PARAGRAPH = 450;
const MAX_PARAGRAPH = 790;

/** mulberry32: a small, fast, well-spread 32-bit generator; the same seed gives the same text. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An index below `size`, skewed towards 0 (roughly Zipf: the 10th word ~10x rarer than the 1st). */
function skewed(next: () => number, size: number): number {
  return Math.min(size - 1, Math.floor(Math.exp(next() * Math.log(size + 1)) - 1));
}

const pick = (next: () => number, words: readonly string[]): string => words[Math.floor(next() * words.length)]!;

function sentence(next: () => number, topic: readonly string[], focus: readonly string[]): string {
  const length = 6 + Math.floor(next() * 11);
  const words: string[] = [];
  for (let index = 0; index < length; index++) {
    const draw = next();
    words.push(draw < TOPIC_SHARE ? pick(next, topic) : draw < TOPIC_SHARE + FOCUS_SHARE ? pick(next, focus) : COMMON[skewed(next, COMMON.length)]!);
  }
  const text = words.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function paragraph(next: () => number, topic: readonly string[]): { text: string; focus: string[] } {
  // The target leaves room for one more sentence of up to 120 characters below the maximum.
  const target = MIN_PARAGRAPH + Math.floor(next() * (MAX_PARAGRAPH - MIN_PARAGRAPH - 120));
  const focus = Array.from({ length: FOCUS_WORDS }, () => pick(next, SUBJECTS));
  let text = sentence(next, topic, focus);
  while (text.length < target) {
    const more = sentence(next, topic, focus);
    if (text.length + 1 + more.length <= MAX_PARAGRAPH) text = `${text} ${more}`;
  }
  return { text, focus };
}

export interface BenchDocument {
  name: string;
  /** One chunk each. */
  paragraphs: string[];
  /** Each paragraph's focus words. */
  focus: string[][];
}

/** Document `index` of corpus `corpusSeed`, with `paragraphs` paragraphs: the same arguments, the same text. */
export function benchDocument(corpusSeed: number, index: number, paragraphs: number): BenchDocument {
  const next = random((corpusSeed * 1_000_003 + index * 7_919 + 1) >>> 0);
  const topic = Array.from({ length: TOPIC_WORDS }, () => pick(next, SUBJECTS));
  const made = Array.from({ length: paragraphs }, () => paragraph(next, topic));
  return { name: `doc-${String(index).padStart(5, '0')}.txt`, paragraphs: made.map((p) => p.text), focus: made.map((p) => p.focus) };
}

export const documentText = (document: BenchDocument): string => document.paragraphs.join('\n\n');

export interface BenchQuery {
  text: string;
  /** Where its words came from: that chunk should rank high. */
  document: number;
  ordinal: number;
}

/**
 * `count` queries against a corpus of `documents` documents: the focus words of a random
 * paragraph (those it uses) and more of its words (not the most common ones), 3-5 words in all, as a
 * person asks about a passage; each query has the chunk it was taken from, to look for among
 * the top K.
 */
export function benchQueries(corpusSeed: number, documents: number, paragraphsOf: (document: number) => number, count: number): BenchQuery[] {
  const next = random((corpusSeed * 31 + 17) >>> 0);
  const mostCommon = new Set(COMMON.slice(0, 40));
  return Array.from({ length: count }, () => {
    const document = Math.floor(next() * documents);
    const ordinal = Math.floor(next() * paragraphsOf(document));
    const source = benchDocument(corpusSeed, document, ordinal + 1);
    const words = [...new Set(source.paragraphs[ordinal]!.toLowerCase().match(/[a-z]+/g) ?? [])];
    // A focus word the paragraph happened never to draw is not in it: not asked for.
    const picked = [...new Set(source.focus[ordinal])].filter((word) => words.includes(word));
    const others = words.filter((word) => !mostCommon.has(word) && !picked.includes(word));
    const wanted = Math.min(picked.length + others.length, 3 + Math.floor(next() * 3));
    while (picked.length < wanted) {
      const word = pick(next, others);
      if (!picked.includes(word)) picked.push(word);
    }
    return { text: picked.join(' '), document, ordinal };
  });
}
