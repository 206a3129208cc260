/**
 * Text analysis shared by the FAQ index and the queries: normalisation (lower case, accents folded,
 * apostrophes split: "dell'anagrafe" → "dell anagrafe"), tokenisation, stop words and stemming.
 * Documents and queries go through exactly the same steps, so that they meet on the same terms.
 */
import { stemItalian } from './italian-stemmer.js';

export const SEARCH_LANGUAGES = ['it', 'en', 'de', 'fr', 'sl'] as const;
export type SearchLanguage = (typeof SEARCH_LANGUAGES)[number];

/**
 * Lower-cases, folds accents and typographic variants to ASCII, and turns everything that is not a
 * letter or digit into a space. Dotted acronyms ("S.P.I.D.") are joined first.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/\b(?:[a-z]\.){2,}/g, (m) => m.replace(/\./g, ''))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Splits normalised text into words; runs of digits stay words ("730", "104"). */
export function tokenise(normalised: string): string[] {
  return normalised === '' ? [] : normalised.split(' ');
}

/**
 * Italian function words and question filler ("come faccio", "vorrei sapere") that carry no topic.
 * Elided forms are here without the apostrophe, because the normaliser splits "dell'" into "dell".
 */
const ITALIAN_STOP_WORDS = new Set(
  `a ad al allo ai agli all agl alla alle con col coi da dal dallo dai dagli dall dagl dalla dalle di d del dello dei degli dell degl
  della delle in nel nello nei negli nell negl nella nelle su sul sullo sui sugli sull sugl sulla sulle per tra fra contro io tu lui lei
  noi voi loro mio mia miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra nostri nostre vostro vostra vostri vostre mi ti ci vi
  si ne lo la li le gli il un uno una un l c e ed o od ma se perche anche come dov dove che chi cui non piu quale quali quanto quanti
  quanta quante quello quelli quella quelle questo questi questa queste tutto tutti tutta tutte ho hai ha abbiamo avete hanno abbia
  abbiate abbiano avro avrai avra avremo avrete avranno avrei avresti avrebbe avremmo avreste avrebbero avevo avevi aveva avevamo
  avevate avevano ebbi avesti ebbe avemmo aveste ebbero avessi avesse avessimo avessero avendo avuto avuta avuti avute sono sei e siamo
  siete sia siate siano saro sarai sara saremo sarete saranno sarei saresti sarebbe saremmo sareste sarebbero ero eri era eravamo
  eravate erano fui fosti fu fummo foste furono fossi fosse fossimo fossero essendo faccio fai facciamo fanno faccia facciano faro
  farai fara faremo farete faranno farei faresti farebbe faremmo fareste farebbero facevo facevi faceva facevamo facevate facevano
  feci facesti fece facemmo faceste fecero facessi facesse facessimo facessero facendo sto stai sta stiamo stanno stia stiano
  cosa cose qualcosa qualche ogni altro altra altri altre molto molta molti molte poco ecc etc oppure ovvero cioe quindi allora
  gia ancora sempre mai solo proprio tanto tanta invece poi prima dopo ora adesso qui qua li la ecco posso puoi puo possiamo potete
  possono potrei potrebbe devo devi deve dobbiamo dovete devono dovrei dovrebbe voglio vuoi vuole vorrei vorremmo sapere so sai sapete
  bisogna serve servono occorre occorrono quando perche buongiorno buonasera salve grazie gentilmente cortesemente info informazioni
  informazione domanda chiedo chiedere essere avere fare`.split(/\s+/),
);

const ENGLISH_STOP_WORDS = new Set(
  `a an the and or but if of to in on at by for with from as is are was were be been being do does did have has had i you he she it we
  they me my your his her its our their this that these those what which who whom how when where why can could should would will shall
  may might must not no so than too very just about into over under again there here all any some each few more most other such only
  own same get got am`.split(/\s+/),
);

const STOP_WORDS: Record<SearchLanguage, Set<string>> = {
  it: ITALIAN_STOP_WORDS,
  en: ENGLISH_STOP_WORDS,
  de: new Set('der die das und oder ein eine zu von mit ist sind wie was wo wann ich sie er es wir'.split(' ')),
  fr: new Set('le la les un une des et ou de du au aux en est sont comment que qui quoi je vous il elle nous'.split(' ')),
  sl: new Set('in ali je so kako kaj kje kdaj jaz ti on ona mi vi na za od do z s'.split(' ')),
};

export function isStopWord(word: string, lang: SearchLanguage = 'it'): boolean {
  return STOP_WORDS[lang].has(word);
}

/** A light English stemmer (plural and common inflections), enough for the optional translations. */
function stemEnglish(word: string): string {
  if (word.length <= 3) return word;
  return word
    .replace(/(ies)$/, 'y')
    .replace(/(sses)$/, 'ss')
    .replace(/([^s])s$/, '$1')
    .replace(/(ing|ed)$/, (m, _g, offset: number) => (offset >= 3 ? '' : m));
}

const stemCache = new Map<string, string>();

/** The term a word is indexed under in `lang`. Digits and very short words are kept as they are. */
export function stemWord(word: string, lang: SearchLanguage = 'it'): string {
  if (/^\d+$/.test(word) || word.length < 3) return word;
  if (lang === 'it') {
    let stem = stemCache.get(word);
    if (stem === undefined) {
      stem = stemItalian(word);
      if (stemCache.size < 200_000) stemCache.set(word, stem);
    }
    return stem;
  }
  if (lang === 'en') return stemEnglish(word);
  return word;
}

export interface AnalysedToken {
  /** Normalised surface word, e.g. "identita". */
  word: string;
  /** Index term, e.g. "ident". */
  term: string;
}

/** Normalises, tokenises, drops stop words and stems. */
export function analyse(text: string, lang: SearchLanguage = 'it'): AnalysedToken[] {
  const out: AnalysedToken[] = [];
  for (const word of tokenise(normaliseText(text))) {
    if (isStopWord(word, lang)) continue;
    out.push({ word, term: stemWord(word, lang) });
  }
  return out;
}

/** Just the index terms of a text. */
export function analyseTerms(text: string, lang: SearchLanguage = 'it'): string[] {
  return analyse(text, lang).map((t) => t.term);
}

/**
 * Damerau–Levenshtein distance (optimal string alignment) with an early exit: returns `max + 1`
 * as soon as the distance is known to exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prevPrev = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  return prev[n]!;
}
