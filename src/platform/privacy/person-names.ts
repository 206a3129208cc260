/**
 * Names of people without a cue phrase: runs of adjacent name-like words scored by what each word
 * is (a first name or surname of the lists, an Italian surname by its shape, a common Italian
 * word) and by what stands around the run (a title or kinship word before, "nato il" or a fiscal
 * code after, a street or saint before). Linear in the text: one pass over its words.
 */
import { compoundFirstName, getLexicon } from './lexicon.js';

export interface NameSpan {
  start: number;
  end: number;
}

interface Token {
  start: number;
  end: number;
  word: string;
  lower: string;
  kind: CaseKind;
}

/** A word not glued to digits ("SSLNZE03P18…" is a fiscal code, not a word). */
const WORD = /(?<![\p{L}\p{M}\p{N}'’])[\p{L}][\p{L}\p{M}'’]*(?:-[\p{L}][\p{L}\p{M}'’]*)?(?![\p{L}\p{M}\p{N}])/gu;

const ELIDED = /^(?:l|un|all|dall|nell|sull|coll|quell|quest|c|s|n|m|t|v)['’](?=\p{L})/iu;
/** "d'" and "dell'" before a lower-case word are prepositions; before a capital they start a surname ("D'Angelo"). */
const ELIDED_D = /^(?:d|dell)['’](?=\p{Ll})/u;

/** Particles inside a surname: "De Luca", "Dos Santos", "El Amrani", "Van der Berg", "Lo Giudice". */
const PARTICLES = new Set(['de', 'di', 'da', 'del', 'dell', "dell'", 'della', 'dello', 'dei', 'degli', 'dal', 'dalla', 'lo', 'la', 'li', 'le', 'dos', 'das', 'do', 'el', 'al', 'van', 'von', 'der', 'den', 'ben', 'bin', 'abu', 'ibn', 'mac', 'mc']);

/**
 * Endings of Italian surnames that common words rarely share once the dictionary has removed the
 * nouns: "Ferraresi", "Marchetti", "Brambilla", "Esposito", "Carlucci". Weak evidence: it needs a
 * first name next to it or a cue.
 */
const SURNAME_SHAPE = /(?:ini|etti|etto|elli|ello|one|oni|ucci|uzzi|azzi|azzo|otti|otto|ese|esi|aro|ari|ero|eri|ieri|ardi|aldi|anti|enti|illo|illi|oli|olo|ano|ani|ino|ito|iti|ace|ati|ato|acci|ucci|ia|io|a|o|i|e)$/;
const ITALIAN_SURNAME_STRONG = /(?:ini|etti|elli|ucci|uzzi|azzi|otti|ieri|ardi|aldi|illi|esi|acchi|icchi|occhi)$/;

/** Words before a run that say a person follows. */
const STRONG_BEFORE = new Set(
  `sig signor signore signora sigra sigg sig.ra sig.na dott dottor dottore dottoressa avv avvocato ing ingegnere prof professore professoressa
  geom rag arch chiamo chiama chiamato chiamata figlio figlia figli marito moglie padre madre fratello sorella nonno nonna nonni zio zia
  suocero suocera cognato cognata nipote mamma papà babbo compagno compagna fidanzato fidanzata genitore tutore tutrice badante assistito
  assistita paziente pz alunno alunna bambino bambina minore defunto defunta vedova vedovo intestatario intestataria richiedente dichiarante
  delegato delegata sottoscritto sottoscritta nominativo cognome nome titolare referente proprietario proprietaria conducente
  vicino vicina vicini collega colleghe amico amica amici conoscente inquilino inquilina coinquilino coinquilina cugino cugina
  figlioccio figlioccia nuora genero convivente ex sign sigr singor signorina mister madame monsieur
  frati frate soru figghiu figghia figliu fiol fio fia mugghieri muggheri mujer marì nonnu nanna ziu
  name named i'm im mr mrs ms miss dear`.split(/\s+/),
);
/** Weaker: "sono", "utente", greetings that a signature follows, verbs of calling. */
const WEAK_BEFORE = new Set(
  `sono so so' utente cittadino cittadina contatto ric richiesta chiamante ha telefonato chiamato chiama scrive scrivo firma saluti grazie
  cordialmente fede ciao salve buongiorno buonasera gentile egregio caro cara da per con di a e è e' is by from regards thanks
  sugnu sugn songo son sun mi nomme chiamu chiammo`.split(/\s+/),
);
/** Words after a run that say it is a person ("Rossi, nato il", "Bianchi chiede", "Verdi C.F."). */
const AFTER_CUE = /^\s*(?:,|\s[-–(]|\s?\()?\s*(?:nat[oaie]\b|n\.\s*il\b|classe\b|c\.\s?f\.|cf\b|codice fiscale|residente|domiciliat|res\.|chiede|richiede|chiama|richiama|segnala|lamenta|dichiara|riferisce|comunica|scrive|telefona|ha\s+(?:chiamato|telefonato|scritto|chiesto|richiamato|detto|mandato|inviato|portato)|tel\b|cell\b)/i;
const ARTICLE_BEFORE = /(?:^|[^\p{L}])(?:il|lo|la|i|gli|le|del|dello|della|dei|degli|delle|di|al|allo|alla|dal|dalla|nel|nella|sul|sulla)\s+$/iu;

/** A phone number or an e-mail address right after the run. */
const CONTACT_AFTER = /^\s*[,(:-]?\s*(?:(?:al|allo|tel\.?|cell\.?|telefono|n\.|num\.?|mail|e-mail|email)\s*:?\s*)?(?:\+\d|\(?0\d|3\d\d|[\w.-]+@)/i;
/** A street, a saint, a school or hospital before the run: the name is part of a place. */
const PLACE_BEFORE = new RegExp(
  String.raw`(?:^|[^\p{L}])(?:(?:via|viale|piazza|piazzale|corso|largo|vicolo|vico|contrada|strada|lungomare|salita|traversa|borgo|galleria|ponte|porta|` +
    'san|santa|santo|santi|sant|beato|beata|papa|ospedale|policlinico|presidio|clinica|scuola|primaria|media|istituto|comprensivo|liceo|ic|itis|' +
    'ipsia|università|universita|teatro|stadio|parco|fondazione|premio|aeroporto|stazione|museo|biblioteca|palazzo|villa|chiesa|basilica|' +
    'duomo|cattedrale|centro|circolo|associazione|cooperativa|ditta|azienda|hotel|ristorante|pizzeria|bar|farmacia|caserma|' +
    String.raw`(?:comune|provincia|regione|città|citta|frazione|prefettura|questura|tribunale|procura|diocesi|parrocchia)(?:\s+di)?)\s+|` +
    String.raw`(?:v\.le|p\.zza|p\.za|c\.so|c\.da|str\.|loc\.|fraz\.|ss\.|s\.))\s*$|\b(?:l|sant|dell)['’]$`,
  'iu',
);
/** Words that head the name of a place or body: never a surname, even next to a first name ("Liceo Enrico Fermi"). */
const INSTITUTION_WORDS = new Set(
  `via viale piazza piazzale corso largo vicolo vico contrada strada lungomare salita traversa borgo galleria ponte porta san santa santo santi
  sant beato beata papa ospedale policlinico presidio clinica scuola primaria media istituto comprensivo liceo itis ipsia università universita
  teatro stadio parco fondazione premio aeroporto stazione museo biblioteca palazzo villa chiesa basilica duomo cattedrale centro circolo
  associazione cooperativa ditta azienda hotel ristorante pizzeria bar farmacia caserma comune provincia regione città citta frazione prefettura
  questura tribunale procura diocesi parrocchia asilo nido ambulatorio poliambulatorio casa residenza rsa centro ufficio sportello cimitero`.split(/\s+/),
);

/**
 * An office holder named with the office ("il Sindaco Rossi", "il Presidente della Repubblica Sergio
 * Mattarella", "l'assessore Bianchi"): a public role, not a citizen's data (README: officials and public figures).
 */
const OFFICIAL_BEFORE =
  /(?:^|[^\p{L}])(?:sindaco|sindaca|vicesindaco|vicesindaca|assessore|assessora|presidente\s+(?:della\s+repubblica|del\s+consiglio|della\s+regione|della\s+provincia|del\s+senato|della\s+camera)|ministro|ministra|prefetto|questore|governatore|senatore|senatrice|deputato|deputata|onorevole|on\.|papa|pontefice|cardinale|vescovo|arcivescovo)(?:\s+(?:della|del|dei|degli|delle|di)\s+\p{L}+(?:\s+\p{L}+)?)?\s+$|(?:^|[^\p{L}])Presidente\s+$/iu;

/** "a Kiev", "in Roma", "da Catania": one capitalised word after these is a place more often than a person. */
/** "chiamate a Salvatore", "parlato con Peppe", "passare a Ilaria": a verb of speaking or passing and a preposition. */
const CALL_VERB_BEFORE = /^(?:(?:ri)?chiam|passa|parla|parlato|sentit|senti|contatt|avvis|rivolg|chied|dit|dic|scritt|scriv|telefon|inoltr|lasciat|girat|gira)\p{L}*\s(?:a|ad|con|da|per|di)$/u;

const TOWN_PREPOSITION = /(?:^|[^\p{L}])(?:a|in|ad|da|per)\s+$/iu;

const LOWER_NAME_CUES = new Set(['sono', 'so', "so'", 'utente', 'chiamo', 'kiamo', 'cittadino', 'cittadina', 'io']);

/** One or two spaces or tabs between `from` and `to`, nothing else. */
function spacesOnly(text: string, from: number, to: number): boolean {
  if (to - from < 1 || to - from > 2) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function startsUpper(word: string): boolean {
  const c = word.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  if (c < 128) return false;
  const first = word[0]!;
  return first !== first.toLowerCase();
}

type CaseKind = 'cap' | 'upper' | 'lower' | 'other';

function caseOf(word: string): CaseKind {
  const first = word[0] ?? '';
  const rest = word.slice(1);
  if (first !== first.toLowerCase() && rest === rest.toLowerCase()) return 'cap';
  if (word === word.toUpperCase() && word !== word.toLowerCase()) return 'upper';
  if (word === word.toLowerCase()) return 'lower';
  // "McDonald", "DeLuca", "D'Angelo"
  return first !== first.toLowerCase() ? 'cap' : 'other';
}

function upperishKind(kind: CaseKind): boolean {
  return kind === 'cap' || kind === 'upper';
}

/** Verb forms ("Chiamare", "Passate", "Richiamate"): at a sentence start they are never the surname of the next word. */
const VERB_SHAPE = /(?:are|ere|ire|ate|ete|ite|iamo)$/;

function stripApostrophe(lower: string): string {
  if (!lower.includes("'") && !lower.includes('’')) return lower;
  return lower.replace(/^(?:d|dell|dall|l)['’]/, '').replace(/['’]$/, '');
}

interface Evidence {
  score: number;
  /** In a name list. */
  named: boolean;
  first: boolean;
  /** In a name list and not a common word, or shaped like an Italian surname: enough to make a name with context. */
  strong: boolean;
}

/**
 * How much a single word looks like part of a name. `upperText`: the text is mostly capitals, so
 * capitals carry no information.
 */
function wordEvidence(token: Token, kind: CaseKind): Evidence {
  const lex = getLexicon();
  const lower = stripApostrophe(token.lower);
  const bare = /^[\x00-\x7f]*$/.test(lower) ? lower : lower.normalize('NFD').replace(/\p{M}/gu, '');
  if (lex.never.has(lower)) {
    // "Li", "Da", "Ma" capitalised inside a run may be a surname ("Xu Li"): neutral, never evidence alone.
    return kind === 'cap' && (lex.surnames.has(lower) || lex.firstNames.has(lower)) && lower.length <= 3 ? { score: 0.3, named: false, first: false, strong: false } : { score: -9, named: false, first: false, strong: false };
  }
  // "Ana-Maria", "Jean-Pierre", "Rossi-Bianchi": a compound is a name when its parts are.
  const parts = lower.includes('-') ? lower.split('-') : undefined;
  const first =
    lex.firstNames.has(lower) ||
    lex.firstNames.has(bare) ||
    (parts !== undefined && lex.firstNames.has(parts[0]!) && (parts.every((p) => lex.firstNames.has(p)) || upperishKind(kind))) ||
    (!lex.common.has(lower) && compoundFirstName(bare, lex.firstNames));
  const sur = lex.surnames.has(lower) || lex.surnames.has(bare) || (parts?.every((p) => lex.surnames.has(p) || lex.firstNames.has(p)) ?? false);
  const common = lex.common.has(lower);
  const upperish = kind === 'cap' || kind === 'upper' || kind === 'other';
  let score = 0;
  // A first name that is also a noun ("Marco", "Rosa", "Franco"): capitalised inside a sentence it is mostly the name.
  // Lower case, a word that is also a noun is weak: it may end a name ("mario rossi") but never makes one ("vicino casa").
  if (common && kind === 'lower') return { score: first || sur ? 0.3 : -1.5, named: first || sur, first: false, strong: false };
  if (first) score += !common ? 2 : kind === 'cap' ? 1.6 : 0.8;
  if (sur) score += common ? 0.7 : first ? 0.3 : 1.5;
  if (!first && !sur && upperish && !common && lower.length >= 3) {
    if (ITALIAN_SURNAME_STRONG.test(lower)) score += 1.2;
    else if (SURNAME_SHAPE.test(lower)) score += 0.5;
    else score += 0.3;
  }
  // A capitalised noun may be a surname ("Paolo Giordano", "Galli Federico"): weak, kept only next to a first name (see weakEdge).
  if (common && !first && !sur) score -= upperish ? 0.3 : 1.5;
  // "D'Angelo", "Dell'Orto": the apostrophe form is a surname.
  if (/^(?:d|dell)['’]\p{L}/u.test(token.lower) && upperish) score += 1;
  return { score, named: first || sur, first, strong: ((first || sur) && (!common || kind === 'cap')) || score >= 1.2 };
}

/** The text just before `start` on the same line, lower-cased, without trailing punctuation. */
function previousWords(text: string, start: number): string[] {
  // The last two words before `start` on the same line, read backwards without splitting the text.
  const out: string[] = [];
  let i = start - 1;
  const limit = Math.max(0, start - 40);
  while (out.length < 2 && i >= limit) {
    while (i >= limit && !isWordChar(text, i)) {
      if (text.charCodeAt(i) === 10) return out.reverse();
      i--;
    }
    const end = i + 1;
    while (i >= limit && isWordChar(text, i)) i--;
    if (end > i + 1) out.push(text.slice(i + 1, end).toLowerCase().replace(/\.+$/, ''));
  }
  return out.reverse();
}

const WORD_CHAR = /[\p{L}'’.]/u;
function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 39 || c === 46) return true;
  if (c < 128) return false;
  return WORD_CHAR.test(text[i]!);
}

/**
 * Person-name spans found by the word lists and context. `cued` are spans other rules already
 * found (used to chain "Luca e Matteo" after "figli").
 */
export function lexiconNameSpans(text: string): NameSpan[] {
  const upperText = !/\p{Ll}/u.test(text);
  const lowerText = !/\p{Lu}/u.test(text);
  // In a normal text only capitalised words and lower-case words right after a cue ("sono mario
  // rossi") can be names: reading just those keeps the pass cheap. All-capitals or all-lower-case
  // texts are read word by word.
  const tokens = upperText || lowerText ? collectTokens(text, WORD) : mergeTokens(collectTokens(text, CAP_WORD), collectTokens(text, LOWER_AFTER_CUE));
  if (tokens.length === 0) return [];
  const spans: NameSpan[] = [];
  const pending: NameSpan[] = [];
  const lex = getLexicon();
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    // Most words of a normal text are lower-case and no name: skip them without further work.
    if (!lowerText && !startsUpper(t.word) && !lex.firstNames.has(t.lower) && !lex.surnames.has(t.lower)) {
      i++;
      continue;
    }
    // A run: adjacent words separated by spaces only, capitalised alike (or all lower case in lower-case text).
    const run: Token[] = [tokens[i]!];
    let j = i + 1;
    while (j < tokens.length && run.length < 6) {
      if (!spacesOnly(text, tokens[j - 1]!.end, tokens[j]!.start) && !LOWER_PARTICLE_GAP.test(text.slice(tokens[j - 1]!.end, tokens[j]!.start))) break;
      run.push(tokens[j]!);
      j++;
    }
    i = j;
    scoreRun(text, run, upperText, lowerText, spans, pending);
  }
  if (pending.length === 0) return spans;
  // A lone first name just short of the threshold, joined by "e" or a comma to a name found: "Lucia e Pietro Valenti".
  const accepted = [...spans];
  for (const p of pending) {
    const next = accepted.find((s) => s.start >= p.end && s.start - p.end <= 6);
    if (next && COORDINATION.test(text.slice(p.end, next.start))) spans.push(p);
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** Particles that start a surname in capitals ("DE LUCA", "LO BIANCO"); "DA", "DI", "LA" in capitals are mostly prepositions and articles. */
const UPPER_LEADING_PARTICLES = new Set(['de', 'del', 'della', 'dello', 'dell', "dell'", 'dei', 'degli', 'lo', 'li', 'van', 'von', 'dos', 'das', 'mac', 'mc']);

/** A lower-case particle between two capitalised words of one name: "Alves da Silva", "van der Berg", "Dos Santos". */
const LOWER_PARTICLE_GAP = /^[ \t](?:da|de|do|dos|das|van|von|der|den|ter|bin|ibn|ben|el|al)(?:[ \t](?:der|den|la|los|las))?[ \t]$/;

const COORDINATION = /^\s*(?:e|ed|,|and)\s*$/i;

const CAP_WORD = /(?<![\p{L}\p{M}\p{N}'’])\p{Lu}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)?(?![\p{L}\p{M}\p{N}])/gu;
/** One or two lower-case words after a cue; the cue is checked again word by word in `scoreRun`. */
const LOWER_AFTER_CUE = new RegExp(
  String.raw`(?<![\p{L}])(?:sono|so'?|utente|chiamo|kiamo|cittadin[oa]|io|sig(?:\.|nor[ae]?|\.ra|\.na)?|signora|figli[oa]|moglie|marito|madre|padre|` +
    String.raw`mamma|papà|zi[oa]|nonn[oa]|fratello|sorella|nominativo|richiedente|dichiarante|intestatari[oa]|sottoscritt[oa]|dott\.(?:ssa)?|avv\.)[ \t]+(` +
    String.raw`\p{Ll}[\p{L}\p{M}'’]*(?:[ \t]+\p{Ll}[\p{L}\p{M}'’]*)?)`,
  'gu',
);

function collectTokens(text: string, pattern: RegExp): Token[] {
  const tokens: Token[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    // The cue pattern: the words are its group 1, after the cue; they may be two: split them.
    const found = m[1] ?? m[0];
    const at = m.index + m[0].length - found.length;
    if (m[1] !== undefined) pattern.lastIndex = at;
    for (const w of found.includes(' ') || found.includes('\t') ? splitWords(found, at) : [{ word: found, start: at }]) {
      let { word, start } = w;
      // An elided article or preposition is not part of the word ("all'Policlinico", "l'Aquila"), except the surname forms "D'Angelo", "Dell'Orto".
      const elided = word.includes("'") || word.includes('’') ? (ELIDED.exec(word) ?? ELIDED_D.exec(word)) : null;
      if (elided) {
        start += elided[0].length;
        word = word.slice(elided[0].length);
      }
      if (word !== '') tokens.push({ start, end: start + word.length, word, lower: word.toLowerCase(), kind: caseOf(word) });
    }
  }
  return tokens;
}

function splitWords(s: string, offset: number): { word: string; start: number }[] {
  const out: { word: string; start: number }[] = [];
  for (const m of s.matchAll(/\S+/g)) out.push({ word: m[0], start: offset + m.index });
  return out;
}

function mergeTokens(a: Token[], b: Token[]): Token[] {
  if (b.length === 0) return a;
  const out: Token[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.start <= b[j]!.start)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

interface WindowWord {
  token: Token;
  ev: Evidence;
  particle: boolean;
}

function weakEdge(w: WindowWord, upperText: boolean, neighbour: WindowWord | undefined, neighbourBefore: boolean): boolean {
  if (w.particle) return true;
  if (w.ev.named) return false;
  if (INSTITUTION_WORDS.has(w.token.lower)) return true;
  // After a capitalised particle, a capitalised word is a surname even when it is also a noun: "Lo Bianco", "De Rosa".
  if (neighbourBefore && neighbour?.particle && upperishKind(neighbour.token.kind) && neighbour.token.kind === w.token.kind) return false;
  // "Chiamare Marisa", "Passate Lucia": a verb before a first name is no surname.
  if (!neighbourBefore && w.token.kind === 'cap' && VERB_SHAPE.test(w.token.lower)) return true;
  // Next to a first name, a capitalised word is its surname even when it is also a noun: "Paolo Giordano".
  if (neighbour?.ev.first && neighbour.ev.strong && w.token.kind !== 'lower' && w.ev.score > -0.5) return false;
  return upperText || w.token.kind === 'upper' ? true : w.ev.score < 0.5;
}

function scoreRun(text: string, run: Token[], upperText: boolean, lowerText: boolean, spans: NameSpan[], pending: NameSpan[]): void {
  // Split the run into name candidates: windows of words that each can be part of a name.
  let k = 0;
  while (k < run.length) {
    const window: WindowWord[] = [];
    let names = 0;
    let m = k;
    for (; m < run.length && names < 4; m++) {
      const token = run[m]!;
      const kind = token.kind;
      const particle = PARTICLES.has(token.lower) && window.length > 0 && m + 1 < run.length && run[m + 1]!.kind !== 'lower' && kind !== 'upper';
      const particleUpper = PARTICLES.has(token.lower) && m + 1 < run.length && (kind === 'cap' || kind === 'upper') && run[m + 1]!.kind === kind;
      if (particle || particleUpper) {
        window.push({ token, ev: { score: 0, named: false, first: false, strong: false }, particle: true });
        continue;
      }
      // Lower-case words count only in lower-case texts; capitals only count alike.
      if (kind === 'lower' && !lowerText && !(window.length > 0 && window.every((w) => w.token.kind === 'lower'))) {
        if (window.length > 0) break;
        // A lower-case name after a cue ("sono mario rossi") in a mixed-case text: cheap test first.
        const lex = getLexicon();
        if (!lex.firstNames.has(token.lower) && !lex.surnames.has(token.lower)) break;
        const prev = previousWords(text, token.start);
        if (!STRONG_BEFORE.has(prev[prev.length - 1] ?? '') && !LOWER_NAME_CUES.has(prev[prev.length - 1] ?? '')) break;
      }
      // A word in capitals inside a normal text is written so on purpose, like a capitalised one ("nota: BIANCHI G.").
      const ev = wordEvidence(token, kind === 'upper' && !upperText ? 'cap' : kind);
      if (ev.score <= -9) break;
      if (ev.score <= -1) break;
      if (token.word.length < 2) break;
      window.push({ token, ev, particle: false });
      names++;
    }
    // Trim particles and weak words at the edges: an edge word must be a name of the lists or look
    // like an Italian surname; in capitals ("PAOLA CHIEDE INFO") only the lists count.
    while (window.length > 1 && weakEdge(window[window.length - 1]!, upperText, window[window.length - 2], true)) window.pop();
    // A capitalised particle stays at the start: "De Luca Mario", "Li Ming".
    // "della Repubblica Sergio …": after an article or preposition the capitalised noun is not a surname.
    const articleBefore = window.length > 1 && ARTICLE_BEFORE.test(text.slice(Math.max(0, window[0]!.token.start - 8), window[0]!.token.start));
    while (window.length > 1 && weakEdge(window[0]!, upperText, articleBefore ? undefined : window[1], false) && !(window[0]!.particle && (window[0]!.token.kind === 'cap' || (window[0]!.token.kind === 'upper' && UPPER_LEADING_PARTICLES.has(window[0]!.token.lower))))) window.shift();
    if (window.length === 1 && window[0]!.particle) window.pop();
    if (window.length === 0) {
      k = Math.max(m, k + 1);
      continue;
    }
    // A capitalised noun kept as a surname (next to a first name or after a particle) counts as a weak surname, not as a noun.
    for (let w = 0; w < window.length; w++) {
      const word = window[w]!;
      if (word.particle || word.ev.named || word.ev.score >= 0.5 || word.token.kind === 'lower' || INSTITUTION_WORDS.has(word.token.lower)) continue;
      const before = window[w - 1];
      const after = window[w + 1];
      const beside = [before, after].some((n) => n?.ev.first === true && n.ev.strong) || (before?.particle === true && before.token.kind === 'cap');
      if (beside) word.ev = { ...word.ev, score: 0.5 };
    }
    const first = window[0]!.token;
    const last = window[window.length - 1]!.token;
    // An initial before or after: "M. Rossi", "BIANCHI G.".
    const initialBefore = /(?:^|[^\p{L}])\p{Lu}\.\s?$/u.exec(text.slice(Math.max(0, first.start - 4), first.start));
    const initialAfter = /^\s\p{Lu}\.(?!\p{L})/u.exec(text.slice(last.end, last.end + 4));
    let spanStart = first.start;
    let spanEnd = last.end;
    let score = window.reduce((s, w) => s + w.ev.score, 0);
    const anyNamed = window.some((w) => w.ev.strong);
    // "La Biblioteca Elsa Morante", "Il Centro Anna Frank": a name after an institution word is the name of a place.
    if (window.some((w, x) => x < window.length - 1 && !w.particle && !w.ev.named && INSTITUTION_WORDS.has(w.token.lower))) {
      k = Math.max(m, k + 1);
      continue;
    }
    // Nothing in the lists nor shaped like a surname ("Buongiorno", "TARI"): not a name, whatever stands around it.
    if (!anyNamed) {
      k = Math.max(m, k + 1);
      continue;
    }
    const namesCount = window.filter((w) => !w.particle).length;
    const lex = getLexicon();
    const beforeText = text.slice(Math.max(0, first.start - 40), first.start);
    // "via Giuseppe Verdi", "Ospedale San Raffaele", "Comune di Pescara": a place. After "a", "in",
    // "da" one word is a place when it names one ("a Marino", "a Kiev") or is no first name.
    const lone = namesCount === 1 ? window.find((w) => !w.particle) : undefined;
    const town = lone !== undefined && TOWN_PREPOSITION.test(beforeText) && (getLexicon().places.has(stripApostrophe(lone.token.lower)) || !lone.ev.first);
    if (PLACE_BEFORE.test(beforeText) || town || OFFICIAL_BEFORE.test(beforeText)) {
      k = Math.max(m, k + 1);
      continue;
    }
    // With an initial before the surname ("M. Rossi") the cue stands before the initial.
    const initialStart = initialBefore && window[0]!.ev.named ? first.start - initialBefore[0].replace(/^[^\p{L}]/u, '').length : first.start;
    const prev = previousWords(text, initialStart);
    const p1 = prev[prev.length - 1] ?? '';
    const p2 = prev.length > 1 ? `${prev[prev.length - 2]} ${p1}` : '';
    if (STRONG_BEFORE.has(p1) || STRONG_BEFORE.has(p2.replace(/\s+/g, '')) || /(?:sig\.ra|sig\.na|dott\.ssa|prof\.ssa)$/.test(p1)) score += 2.5;
    else if (CALL_VERB_BEFORE.test(p2)) score += 1.5;
    else if (WEAK_BEFORE.has(p1) || WEAK_BEFORE.has(p2)) score += 1;
    // Right before a phone number or an e-mail ("Bashir al 320…", "Cardinali (349…)"): someone's contact.
    if (CONTACT_AFTER.test(text.slice(initialAfter ? last.end + initialAfter[0].length : last.end).slice(0, 24))) score += 1;
    if (AFTER_CUE.test(text.slice(initialAfter ? last.end + initialAfter[0].length : last.end).slice(0, 30))) score += 1.5;
    // Alone at the end of a line or text after a comma or a greeting: a signature.
    const after = text.slice(last.end, last.end + 3);
    if ((/^\s*(?:$|\n|[-/|(])/.test(after) || /^[ \t]*$/.test(text.slice(last.end, last.end + 1))) && /[,.!]\s*$|\n\s*$/.test(text.slice(Math.max(0, first.start - 3), first.start)) && /^\s*(?:$|\n|\s[-/]\s)/.test(text.slice(last.end, last.end + 4))) score += 1;
    // Right after another name and "e" or ",": "Luca e Matteo".
    const previous = spans[spans.length - 1];
    if (previous && /^\s*(?:e|ed|,|and|o|oppure|or)\s*$/i.test(text.slice(previous.end, first.start))) score += 1.5;
    // In an all-capitals text a lone word is too weak; in a normal text a lone capitalised word at a sentence start is weaker.
    const initials = initialStart !== first.start || (initialAfter && window[window.length - 1]!.ev.named) ? 1 : 0;
    // A lone first name of the lists that is no common word nor a place ("Ilaria, la figlia…", "Davide ha richiamato"):
    // in a mixed-case text its capital is on purpose, wherever it stands.
    const loneFirst = lone !== undefined && window.length === 1 && lone.ev.first && !lex.common.has(lone.token.lower) && !lex.places.has(stripApostrophe(lone.token.lower)) && lone.token.kind === 'cap' && !upperText;
    if (loneFirst) score += 1;
    else if (namesCount === 1 && !initials && /(?:^|[.!?]\s+)$/.test(text.slice(Math.max(0, first.start - 3), first.start))) score -= 0.5;
    if (upperText && namesCount === 1) score -= 0.5;
    const threshold = namesCount + initials >= 2 ? 2.5 : 3;
    if (initialBefore && window[0]!.ev.named) {
      score += 1;
      spanStart = first.start - initialBefore[0].replace(/^[^\p{L}]/u, '').length;
    } else if (initialAfter && window[window.length - 1]!.ev.named) {
      score += 1;
      spanEnd = last.end + initialAfter[0].length;
    }
    if (anyNamed && score >= threshold) spans.push({ start: spanStart, end: spanEnd });
    else if (anyNamed && namesCount === 1 && window[0]!.ev.first && score >= threshold - 1.5) pending.push({ start: spanStart, end: spanEnd });
    k = Math.max(m, k + 1);
  }
}
