/**
 * The Italian personal-data recogniser of the project (FAQ gaps and drafts, similar tickets,
 * incidents, classifier training, `urpnet anonymize`, later the archive): personal data in Italian
 * free text (what citizens type in the portal's search box, ticket subjects and descriptions, e-mails,
 * operator notes, replies turned into FAQs), replaced by placeholders before the text is stored,
 * shared or published. Pure: regular expressions, check digits and word lists, no I/O.
 *
 * Built like the pattern recognisers of the field: shape → check digit → context words → accept.
 * - Structured identifiers by shape wherever they stand, in any case and grouping: e-mail, phone
 *   (Italian fixed and mobile, +39/0039, "(0)6", foreign numbers), codice fiscale (omocodia, spaces,
 *   dashes), IBAN, partita IVA / company fiscal code, tessera sanitaria (20 digits, grouped), identity
 *   documents (paper, CIE, passport, driving licence), plates (current, dashed, old with province),
 *   IPv4 and IPv6, urpnet ticket codes. A check digit raises confidence (an 11-digit number with a valid
 *   partita IVA check is accepted without a cue) but never gates: a mistyped code is still personal data.
 *   Shapes that are ambiguous (lower-case documents, old plates, 11 digits) need a context word.
 * - Addresses: odonym + name + civic number (+ CAP, comune, province), or a street after "abito in".
 * - Dates of birth after a birth cue ("nato il", "n. il", "classe", "born on"…), in many date forms.
 * - Names: cue phrases ("mi chiamo", "sig.ra", kinship, "Nome:", signatures) and, in `person-names.ts`,
 *   runs of words scored against first-name and surname lists of many origins, Italian surname shapes,
 *   the morph-it noun dictionary (to tell "Rosa" the flower from Rosa) and the words around the run.
 *
 * It errs on the side of removing: a false positive costs a word of a FAQ gap or a draft FAQ that an
 * editor reviews anyway; a false negative leaks a citizen's data.
 */

import { FIRST_NAMES, getLexicon } from './lexicon.js';
import { lexiconNameSpans } from './person-names.js';

export const PII_TYPES = [
  'EMAIL', 'PHONE', 'FISCAL_CODE', 'IBAN', 'VAT_CODE', 'HEALTH_CARD', 'ID_DOCUMENT', 'LICENSE_PLATE', 'IP_ADDRESS', 'TICKET_CODE',
  'ADDRESS', 'DATE_OF_BIRTH', 'PERSON',
] as const;
export type PiiType = (typeof PII_TYPES)[number];

export interface PiiSpan {
  type: PiiType;
  /** UTF-16 offsets (JavaScript string indexes), end exclusive. */
  start: number;
  end: number;
}

/** The placeholder that replaces each kind of personal data. */
export const PII_PLACEHOLDERS: Record<PiiType, string> = {
  EMAIL: '[EMAIL]', PHONE: '[TELEFONO]', FISCAL_CODE: '[CODICE_FISCALE]', IBAN: '[IBAN]', VAT_CODE: '[PARTITA_IVA]', HEALTH_CARD: '[TESSERA_SANITARIA]',
  ID_DOCUMENT: '[DOCUMENTO]', LICENSE_PLATE: '[TARGA]', IP_ADDRESS: '[INDIRIZZO_IP]', TICKET_CODE: '[CODICE_PRATICA]', ADDRESS: '[INDIRIZZO]',
  DATE_OF_BIRTH: '[DATA_DI_NASCITA]', PERSON: '[PERSONA]',
};

/** Words that start a sentence or a request, never a name, even when capitalised after a cue. */
const NOT_NAME = new Set(
  `a ad al alla anche che chi ci come con da dal dalla del della di e ed gli ha ho i il in io la le lo ma mi ne nel nella non o per
  più piu qui se si sono su tra un una uno vi vorrei volevo sto sta stato stata già gia residente nato nata in attesa qui ancora
  interessato interessata titolare proprietario proprietaria madre padre genitore figlio figlia marito moglie cittadino cittadina
  utente operatore operatrice del dello dei degli delle scrivo chiamo contattato contattata richiesta buongiorno buonasera salve
  grazie cordiali distinti saluti comune ufficio via piazza corso viale euro tel telefono cell email mail pec nome cognome codice
  signor signora sig sigra dott dottor dottoressa avv ing prof urp asl inps spid cie isee tari imu policlinico ospedale clinica
  scuola istituto liceo teatro parco stadio stazione presidio verbale pratica protocollo`.split(/\s+/),
);

const L = "A-Za-zÀ-ÖØ-öø-ÿ";
const NAME_WORD = `[${L}][${L}'’]*`;
const CAP_WORD = `[A-ZÀ-ÖØ-Þ][${L}'’]*`;

const ODONYMS =
  "via|viale|v\\.le|v\\.|piazza|p\\.zza|p\\.za|p\\.le|piazzale|corso|c\\.so|largo|l\\.go|vicolo|v\\.lo|vico|contrada|c\\.da|strada(?:\\s+(?:statale|provinciale|comunale|vicinale))?|str\\.|" +
  "s\\.s\\.|s\\.p\\.|ss|sp|localit[àa]|loc\\.|borgo|b\\.go|lungomare|lungotevere|lungarno|salita|discesa|traversa|circonvallazione|frazione|fraz\\.|rione|calle|" +
  "vialetto|stradone";
/** Written before a house number: "n. 4", "n.7", "n° 18", "nr 12", "civico 40". */
const CIVIC_MARK = String.raw`(?:(?:n\.?\s*[°º]|n|nr|num|numero|civ|civico)\.?\s*)?`;
const MONTHS = 'gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre|gen|feb|mar|apr|mag|giu|lug|ago|set|sett|ott|nov|dic';
const MONTHS_EN = 'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';
const DATE =
  `(?:\\d{1,2}\\s?[/.-]\\s?\\d{1,2}\\s?[/.-]\\s?(?:\\d{4}|\\d{2})|\\d{1,2}(?:°|º)?\\s+(?:${MONTHS}|${MONTHS_EN})\\.?\\s+(?:\\d{4}|'?\\d{2})|` +
  `(?:${MONTHS_EN})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|(?:19|20)\\d{2}-\\d{1,2}-\\d{1,2}|\\d{1,2}(?:${MONTHS})(?:\\d{4}|\\d{2}))`;
/** Words after which a date is a date of birth: "nato il", "nata a Roma il", "n. il", "data di nascita", "d.n.", "born on". */
const BIRTH_CUE =
  String.raw`\bnat[oaie](?:\/[ao])?\b|\bnascita\b|\bd\.\s?(?:di\s)?n\.|\bdn\b|\bn\.(?=\s*(?:il\s)?\d)|\bborn\b|\bbirth\b|\bdob\b|\bd\.o\.b\.|\bnasce\b|\bnacque\b|\bclasse\b`;

interface Detector {
  type: PiiType;
  pattern: RegExp;
  /** Index of the capture group holding the span (0 = whole match). */
  group?: number;
  accept?: (value: string, text: string, start: number) => boolean;
  /**
   * Run the pattern only on texts that contain this (a character every match has, or a cue the
   * accept function demands anyway): a substring test is far cheaper than the pattern's scan.
   */
  when?: RegExp | string;
}

const digitsOf = (s: string) => s.replace(/\D/g, '');

function validIpv4(value: string): boolean {
  return value.split('.').every((o) => Number(o) <= 255 && !(o.length > 1 && o.startsWith('0')));
}

/** Luhn-style check digit of the partita IVA. */
export function validVatNumber(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = Number(digits[i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(digits[10]);
}

/** A phone number has 6 to 11 digits after the country prefix; anything else is an amount, a year, a protocol number. */
function plausiblePhone(value: string): boolean {
  const v = value.trim();
  const d = digitsOf(v.replace(/\(0\)/, '')).replace(/^(0039|39(?=[03]))/, v.startsWith('+') || v.startsWith('0039') ? '' : '$1');
  // Italian numbers start with 0 (fixed) or 3 (mobile), never with 00 (that is an international prefix or a code).
  return d.length >= 6 && d.length <= 11 && !d.startsWith('00');
}

/** Twenty digits of the tessera sanitaria: 80380… or, after a cue, any 80… */
function plausibleHealthCard(value: string, text: string, start: number): boolean {
  const d = digitsOf(value);
  if (d.length !== 20) return false;
  return d.startsWith('80380') || (d.startsWith('80') && /tessera|sanitari|\bts\b|team|tesserino/i.test(text.slice(Math.max(0, start - 40), start)));
}

/** IPv6: eight groups of hexadecimal digits, or fewer with one "::". */
function validIpv6(value: string): boolean {
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return false;
  if (halves.length === 1 ? groups.length !== 8 : groups.length > 7 || groups.length < 2) return false;
  // "10:15::30" or a clock is not an address: demand a group of three or more characters or a hexadecimal letter.
  return groups.some((g) => g.length >= 3 || /[a-f]/i.test(g));
}

/** Function words and verbs that never stand in a street's name (articles such as "La" do: "via La Malfa"). */
const NOT_STREET_WORDS = new Set(
  `si il gli un una uno per con che non è e' entro oltre dopo prima superiore inferiore importo euro giorni mesi anni ore o ma se ne ci vi mi
  ti ha ho hanno sono era più piu meno paga pagare generato generata ricevuto ricevuta richiede livello sms app email mail posta fino
  dalle alle dal chiusa chiuso chiuse chiusi aperta aperto aperte aperti interdetta interdetto interdette bloccata bloccato transennata
  transennato resta resto rimane rimarrà rimarra sarà sara riapre riaprirà riaprira lavori traffico senso unico orari orario`.split(/\s+/),
);

/** The words between the odonym and the house number of an address match. */
function streetWords(address: string): string[] {
  const before = /^(.*?)[,\s]+(?:n\.?\s*[°º]|n|nr|num|numero|civ|civico)?\.?\s*(?:\d|snc|s\.n\.c)/is.exec(address)?.[1] ?? address;
  return before.split(/[\s.]+/).slice(1);
}

/** Words near a plate: "targa", "auto", "veicolo"… (a lower-case or old-style plate needs one). */
const PLATE_CUE = /targ|auto|veicol|macchin|moto|vettur|mezzo|furgone|camion|rimoss|sosta|parcheggi|multa|contravvenzion/i;
/** Province codes of the plates before 1994 ("RM 5A8832", "MI 123456"). */
const PROVINCES = new Set(
  `AG AL AN AO AP AQ AR AT AV BA BG BI BL BN BO BR BS BT BZ CA CB CE CH CL CN CO CR CS CT CZ EN FC FE FG FI FM FO FR GE GO GR IM IS KR LC LE LI
  LO LT LU MB MC ME MI MN MO MS MT NA NO NU OR PA PC PD PE PG PI PN PO PR PS PT PU PV PZ RA RC RE RG RI RM RN RO SA SI SO SP SR SS SU SV TA TE TN
  TO TP TR TS TV UD VA VB VC VE VI VR VT VV`.split(/\s+/),
);
/** Before an identity document number in lower case: "patente n. u1x234567y". */
const DOCUMENT_CUE = /(?:patente|passaporto|passport|carta\s+d['’]?\s?identit[àa]|c\.?\s?i\.?|cie|documento|doc\.|licen[cs]e|id\s*card)\b[^\n]{0,25}$/i;

/** The mailbox of a public office ("protocollo@pec.comune.…", "urp@regione.…"): an office name, not personal data. */
const OFFICE_EMAIL =
  /^(?:protocollo|protocollo\.generale|urp|info|segreteria|anagrafe|tributi|ragioneria|servizisociali|servizi\.sociali|polizia\.?locale|suap|sue|ufficio\.?\w*|comune|sindaco)@(?:[\w-]+\.)*?(?:pec\.)?(?:comune|regione|provincia|cittametropolitana|prefettura|asl|aslroma\d|ausl|ats|inps|inail|agenziaentrate|gov|governo|istruzione)\b[\w.-]*$/i;

/** Right before an all-digit document number: the document named, and at most a "n." or "number" between. */
const DOCUMENT_DIGITS_CUE = /(?:passaporto|passport|carta\s+d['’]?\s?identit[àa]|identity\s+card|documento(?:\s+d['’]\s?identit[àa])?|cie|patente(?:\s+di\s+guida)?|driving\s+licen[cs]e)(?:\s+(?:\w+\s+){0,2}?(?:n\.?|nr\.?|n°|num\.?|numero|number|no\.?|#))?\s*[:.]?\s*$/i;

/** Before an 11-digit number: partita IVA, or the fiscal code of a company or body ("CF azienda 80012345678"). */
const VAT_CUE = /(?:p(?:artita)?\.?\s*iva|p\.?\s*i\.?|vat(?:\s+(?:number|no\.?|code))?|c\.?\s?f\.?|cod(?:ice|\.)?\s*fisc(?:ale|\.)?|piva)(?:\W{1,3}[\p{L}]{2,12}){0,2}\W{0,4}$/iu;

const DETECTORS: Detector[] = [
  // Starts only at the beginning of a run of address characters: linear even on long runs without "@".
  { type: 'EMAIL', pattern: /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}][\p{L}\p{N}._%+-]{0,99}@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu, accept: (v) => !OFFICE_EMAIL.test(v), when: '@' },
  // Italian IBAN: IT, 2 check digits, CIN letter, ABI and CAB (10 digits), 12-character account; compact or in groups.
  { type: 'IBAN', pattern: /\bIT ?\d{2} ?[A-Z](?: ?\d){10}(?: ?[A-Z0-9]){12}(?![A-Z0-9])/gi },
  { type: 'IBAN', pattern: /\b(?!IT)[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){3,7}(?: [A-Z0-9]{1,4})?)\b/g, accept: (v) => /\d{6}/.test(v.replace(/\s/g, '')), when: /[A-Z]{2}\d\d/ },
  // Twenty digits, compact or grouped with spaces, dots or dashes ("80380 00000 12345 67890").
  { type: 'HEALTH_CARD', pattern: /(?<![\d.-])8[ .-]?0(?:[ .-]?\d){18}(?![\d])/g, accept: plausibleHealthCard, when: /8[ .-]?0/ },
  {
    type: 'FISCAL_CODE',
    // Any grouping: one optional space or dash between any two of the 16 characters ("VRD LGU 72C05 H501 Z").
    pattern: /\b(?:[A-Z][ -]?){6}(?:[0-9LMNP-V][ -]?){2}[ABCDEHLMPRST][ -]?(?:[0-9LMNP-V][ -]?){2}[A-Z][ -]?(?:[0-9LMNP-V][ -]?){3}[A-Z]\b/gi,
    // A real word of 16 letters never has digits/omocodia letters in these places; demand at least one digit.
    accept: (v) => /\d/.test(v),
    when: /\d/,
  },
  { type: 'VAT_CODE', pattern: /\bIT ?\d{11}\b/gi },
  { type: 'VAT_CODE', pattern: /(?<![\d/.-])\d{11}(?![\d/.-])/g, accept: (v, text, start) => VAT_CUE.test(text.slice(Math.max(0, start - 20), start)) || validVatNumber(v) },
  // Eleven digits in groups or one by one ("123 456 789 01", "0 1 2 3 4 5 6 7 8 9 0"), after a partita IVA cue only.
  {
    type: 'VAT_CODE',
    pattern: /(?<![\d/.-])\d{1,4}(?:[ .-]\d{1,4}){1,10}(?![\d/-]|\.\d)/g,
    accept: (v, text, start) => digitsOf(v).length === 11 && VAT_CUE.test(text.slice(Math.max(0, start - 20), start)),
    when: /iva|vat|\bp\.?\s?i\b/i,
  },
  { type: 'TICKET_CODE', pattern: /\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]\b/gi, accept: (v) => /\d/.test(v), when: '-' },
  { type: 'IP_ADDRESS', pattern: /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g, accept: validIpv4, when: '.' },
  { type: 'IP_ADDRESS', pattern: /(?<![\w:])(?:[0-9a-f]{1,4}:|::?)(?:[0-9a-f]{0,4}:){1,7}[0-9a-f]{0,4}(?![\w:])/gi, accept: (v) => validIpv6(v.replace(/^:(?!:)/, '')), when: ':' },
  {
    type: 'DATE_OF_BIRTH',
    pattern: new RegExp(`(?:${BIRTH_CUE})[^\\n\\d]{0,40}?(${DATE})(?![\\d/])`, 'gi'),
    group: 1,
  },
  // "classe 1948", "classe '57": the year alone.
  { type: 'DATE_OF_BIRTH', pattern: /\bclasse\s+((?:19|20)\d{2}|'\d{2})(?![\d/])/gi, group: 1, when: /classe/i },
  {
    type: 'PHONE',
    pattern: /(?<![\w/.+-])(?:(?:\+|00)39[\s.-]?)?(?:\(0\)\s?\d{1,4}|\(?(?:0\d{1,4}|3\d{2})\)?)(?:[\s./-]?\d{2,8}){1,4}(?![\w/])/g,
    // Not a date (08/07/1931) nor a number/year (prot. 33022/2023).
    accept: (v) => plausiblePhone(v) && !/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(v) && !/^\d+\/(?:19|20)\d{2}$/.test(v),
  },
  // Foreign numbers: "+44 7911 123456", "0044 …" (not +39, handled above); 8 to 15 digits.
  {
    type: 'PHONE',
    pattern: /(?<![\w+])(?:\+|00)(?!39)[1-9]\d{0,2}[\s.-]?(?:\(0\)\s?)?\(?\d{1,4}\)?(?:[\s.-]?\d{2,6}){1,4}(?![\w/])/g,
    accept: (v) => digitsOf(v).length >= 8 && digitsOf(v).length <= 15,
  },
  // Identity card (paper "AX 1234567", CIE "CA12345AB"), passport ("YA1234567"), driving licence ("PZ1234567A", "U1X234567Y").
  { type: 'ID_DOCUMENT', pattern: /\b(?:[A-Z]{2} ?\d{5} ?[A-Z]{2}|[A-Z]{2} ?\d{7}|[A-Z]{1,2}\d{6,7}[A-Z]?|U1[A-Z0-9]{7}[A-Z])\b/g },
  {
    type: 'ID_DOCUMENT',
    pattern: /\b(?:[a-z]{2} ?\d{5} ?[a-z]{2}|[a-z]{2} ?\d{7}|[a-z]{1,2}\d{6,7}[a-z]?|u1[a-z0-9]{7}[a-z])\b/gi,
    accept: (v, text, start) => v !== v.toUpperCase() && DOCUMENT_CUE.test(text.slice(Math.max(0, start - 40), start)),
    // Only texts that speak of a document: this pattern is costly on long texts and needs the cue anyway.
    when: /patent|passapor|passport|identit|\bcie\b|\bc\.?\s?i\b|document|\bdoc\.|licen[cs]e|id\s*card/i,
  },
  // Passports and foreign documents all in digits ("passaporto n. 123456789"), after a document cue only.
  {
    type: 'ID_DOCUMENT',
    pattern: /(?<![\d/.-])\d{7,10}(?![\d/-]|\.\d)/g,
    accept: (_v, text, start) => DOCUMENT_DIGITS_CUE.test(text.slice(Math.max(0, start - 30), start)),
    when: /passapor|passport|identit|document|\bcie\b|patente|licen[cs]e/i,
  },
  // Italian plates since 1994: letters without I, O, Q, U; any case when compact ("ab123cd"), capitals when spaced or dashed.
  { type: 'LICENSE_PLATE', pattern: /(?<![\p{L}\p{N}])(?:[A-HJ-NPR-TV-Z]{2}\d{3}[A-HJ-NPR-TV-Z]{2}|[A-HJ-NPR-TV-Z]{2}([ -])\d{3}\1[A-HJ-NPR-TV-Z]{2})(?![\p{L}\p{N}])/giu, accept: (v, text, start) => !/[ -]/.test(v) || v === v.toUpperCase() || PLATE_CUE.test(text.slice(Math.max(0, start - 30), start)) },
  // Plates before 1994: province and six characters, at least four digits ("RM 5A8832", "MI 123456"), after a cue.
  {
    type: 'LICENSE_PLATE',
    pattern: /\b([A-Z]{2}|Roma|ROMA)[ -]?([0-9A-Z]{5,6})\b/g,
    accept: (v, text, start) => {
      const m = /^([A-Z]{2}|Roma|ROMA)[ -]?([0-9A-Z]{5,6})$/.exec(v);
      return !!m && (PROVINCES.has(m[1]!) || /^roma$/i.test(m[1]!)) && (m[2]!.match(/\d/g)?.length ?? 0) >= 4 && PLATE_CUE.test(text.slice(Math.max(0, start - 30), start));
    },
    when: PLATE_CUE,
  },
  {
    type: 'ADDRESS',
    pattern: new RegExp(
      `\\b(?:${ODONYMS})\\s+(?:${NAME_WORD}\\.?\\s+){0,5}?${NAME_WORD},?\\s+${CIVIC_MARK}(?:\\d{1,4}|snc|s\\.n\\.c\\.)(?:\\s?[/]?\\s?[A-Za-z](?![${L}]))?(?:/\\d{1,3})?` +
        String.raw`(?:\s+(?:bis|ter|quater)\b)?(?:\s+km\.?\s*\d+(?:[.,]\d+)?)?(?:,?\s+(?:int(?:erno)?\.?|sc(?:ala)?\.?)\s*[A-Za-z0-9]{1,3}\b)*` +
        `(?:(?:\\s*[,-]\\s*|\\s+)\\d{5}(?:\\s+${CAP_WORD}|\\s+[a-zà-ù]+){1,4}(?:\\s*\\([A-Za-z]{2}\\))?)?`,
      'gi',
    ),
    // "via SMS o generato dall'app. Il livello 3", "Codice della strada si paga entro 60": words of a sentence, not a street name.
    accept: (v) => !streetWords(v).some((w) => NOT_STREET_WORDS.has(w.toLowerCase())),
  },
  // A state or provincial road and its kilometre: "SS 17 km 32", "S.P. 5 al km 3+200".
  {
    type: 'ADDRESS',
    pattern: /\b(?:S\.?S\.?|S\.?P\.?|S\.?R\.?|[Ss]trada (?:[Ss]tatale|[Pp]rovinciale|[Rr]egionale))\s?\d{1,3}(?:\s?[a-z]{1,3})?,?\s+(?:al\s+)?km\.?\s*\d{1,3}(?:[.,+]\d{1,3})?/g,
    when: /km/i,
  },
  // Where someone lives, said without a house number: "abito in via Nazionale", "residente in piazza della Repubblica".
  {
    type: 'ADDRESS',
    pattern: new RegExp(
      String.raw`\b(?:[Aa]bit[oaiy]|[Aa]bitiamo|[Aa]bitano|[Rr]esident[ei]|RESIDENTE|ABITA|[Rr]isiedo|[Rr]isiede|[Dd]omiciliat[oaie]|[Dd]omicilio|[Rr]esidenza|[Vv]ivo|[Vv]iviamo|[Ll]ive|[Ll]ives)\b[\s:,]*(?:in|a|al|alla|at)?\s*` +
        `((?:${ODONYMS})\\s+(?:(?:${CAP_WORD}|d[ei]|del|dell['’]|della|dello|dei|degli|delle|[IVXL]+|\\d{1,2})\\s+){0,3}${CAP_WORD})(?![${L}])`,
      'g',
    ),
    group: 1,
  },
];

/**
 * The matches of a global pattern, reusing the pattern object (`matchAll` clones it on every call,
 * which costs more than the search on short texts). Not reentrant per pattern: fine, all callers are synchronous.
 */
function* matches(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const next = m.index + (m[0].length || 1);
    yield m;
    pattern.lastIndex = next;
  }
}

/** Verbs and function words that end a name after a cue ("la sig.ra Bianchi chiede …"). */
const NAME_STOP = new Set(
  `chiede chiama chiamato chiamata dichiara comunica segnala riferisce richiede telefona scrive lamenta informa desidera vorrebbe
  intende conferma afferma sollecita precisa necessita deve puo può risulta abita vive lavora titolare residente domiciliato
  domiciliata nato nata nati per conto tel cell email presso allega invia inviato inviata rappresenta ringrazia attende
  aspetta e' è era aveva al allo alla agli alle`.split(/\s+/),
);

/** A first name or surname of the lists (also when a common word: "fortunata", "rossi"), not a function word. */
function isListedName(word: string): boolean {
  const lex = getLexicon();
  const w = word.toLowerCase();
  return (lex.firstNames.has(w) || lex.surnames.has(w)) && !lex.never.has(w);
}

/** A common Italian noun that is not also a name of the lists ("Multa", "Comune", not "Rosa"). */
function isCommonWord(word: string): boolean {
  const lex = getLexicon();
  const w = word.toLowerCase();
  return lex.common.has(w) && !lex.firstNames.has(w) && !lex.surnames.has(w);
}

const isStop = (word: string) => {
  const w = word.toLowerCase();
  return NOT_NAME.has(w) || NAME_STOP.has(w);
};
const capitalised = (word: string) => /^[A-ZÀ-ÖØ-Þ]/.test(word);
const WORD_END = `(?![${L}0-9])`;

/**
 * Cues after which a name follows. Strong cues (titles, "mi chiamo", kinship, "con la presente")
 * take one to three words, also in lower case, up to a verb; weak cues ("sono", "utente:") take a
 * capitalised word or a known first name, then its surname.
 */
const STRONG_CUE =
  String.raw`mi chiamo|sig(?:nor[ae]?|g?\.(?:ra|na)?)?\.?|dott(?:\.ssa|oressa|or)?\.?|avv\.|ing\.|prof(?:\.ssa)?\.?|nome e cognome|` +
  'nominativo|intestat[oa] a|a nome di|richiedente|fornitore|dichiarante|sottoscritt[oa]|con la presente|' +
  '(?:del|della|dal|dalla|il|la|mio|mia|suo|sua|per (?:il|la)) (?:figli[oa]|marito|moglie|padre|madre|fratello|sorella|nonn[oa]|coniuge|minore)';
const WEAK_CUE = 'sono|utente|cittadin[oa]|contatto|referente|in fede|firmato|saluti|salutoni|cordialmente|' +
  // asking for someone: "chiedete di Teresa", "parlare con Rossi"
  'chied(?:ere|ete|a) di|parlare con|da parte di';
const PERSON_CUES = new RegExp(
  `(?<![${L}])(?:(${STRONG_CUE})|(${WEAK_CUE}))${WORD_END}\\s*[:,-]?\\s*((?:${NAME_WORD}${WORD_END})(?:[ \\t]+${NAME_WORD}${WORD_END}){0,4})`,
  'gi',
);
/** A name right before ", nato il", ", C.F.", ", residente in": the text says it is a person. */
/** Found first, then the words before it are read: scanning every word for a cue that may follow would cost three times as much. */
const CUE_AFTER_NAME = /,?\s+(?:nat[oa]\s+(?:il|a)\b|data di nascita|c\.\s?f\.|codice fiscale|residente|domiciliat[oa])/gi;
const WORDS_BEFORE_CUE = new RegExp(`(?<![${L}])((?:${NAME_WORD}[ \\t]+){0,2}${NAME_WORD})$`);
const PARTICLES = new Set(['de', 'di', 'da', 'del', 'dell', 'della', 'dello', 'dei', 'degli', 'dal', 'dalla', 'lo', 'la', 'li', 'le']);

/** How many of the words, from the first, make a name (up to three, not counting surname particles). */
function takeName(words: readonly string[], strong: boolean): number {
  let taken = 0;
  let names = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1];
    // A capitalised particle between capitalised words belongs to the surname ("Maria Grazia Di Stefano").
    if (names > 0 && capitalised(word) && PARTICLES.has(word.toLowerCase()) && next !== undefined && capitalised(next) && !isStop(next)) {
      taken++;
      continue;
    }
    if (isStop(word) || word.length < 2) break;
    // In lower case only a word of the name lists is a name ("mio figlio va in gita", "mia figlia senza affitto").
    if (!capitalised(word) && !isListedName(word)) break;
    // "la sig.ra Marchetti richiama domani": after a capitalised name, a lower-case word ends it; so does a common noun.
    if (taken > 0 && capitalised(words[0]!) && !capitalised(word)) break;
    if (taken > 0 && isCommonWord(word)) break;
    if (!strong) {
      // After a weak cue: a capitalised word or a known first name, then its surname.
      if (taken === 0 && !capitalised(word) && !FIRST_NAMES.has(word.toLowerCase())) break;
      if (taken > 0 && !capitalised(word) && !FIRST_NAMES.has(words[0]!.toLowerCase())) break;
    }
    taken++;
    names++;
    if (names === 3) break;
  }
  return taken;
}

/** The span of the first `count` words of `raw`, which starts at `start` in the text. */
function wordsSpan(raw: string, start: number, count: number): PiiSpan {
  const re = /\S+/g;
  let end = start;
  for (let i = 0; i < count; i++) {
    const m = re.exec(raw);
    if (!m) break;
    end = start + m.index + m[0].length;
  }
  return { type: 'PERSON', start, end };
}

function personSpans(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  const cues = PERSON_CUES;
  cues.lastIndex = 0;
  for (let m = cues.exec(text); m !== null; m = cues.exec(text)) {
    // The words after a cue may hold another cue ("sono la signora Verdi"): scan again from there.
    cues.lastIndex = m.index + m[0].length - (m[3] ?? '').length;
    if (cues.lastIndex <= m.index) cues.lastIndex = m.index + 1;
    const strong = m[1] !== undefined;
    const cue = (m[1] ?? m[2] ?? '').toLowerCase();
    const raw = m[3] ?? '';
    const start = (m.index ?? 0) + m[0].length - raw.length;
    const separator = m[0].slice(cue.length, m[0].length - raw.length);
    const signature = /saluti|salutoni|cordialmente|in fede|firmato/.test(cue);
    const words = raw.split(/[ \t]+/);
    let taken = takeName(words, strong || signature);
    if (signature) {
      // A signature is the line after the greeting, and nothing else on that line.
      if (!separator.includes('\n') || taken !== words.length || !/^[ \t]*(\n|$)/.test(text.slice(start + raw.length))) continue;
    }
    // "sono Rossi" may be a name, "sono Celano" a place: after a weak cue a lone capitalised word is not enough.
    if (!strong && !signature && taken === 1 && !FIRST_NAMES.has(words[0]!.toLowerCase())) taken = 0;
    if (taken > 0) spans.push(wordsSpan(raw, start, taken));
  }
  for (const cue of matches(CUE_AFTER_NAME, text)) {
    const from = Math.max(0, cue.index - 80);
    const before = WORDS_BEFORE_CUE.exec(text.slice(from, cue.index));
    if (!before) continue;
    const m = { index: from + before.index };
    const raw = before[1] ?? '';
    const words = raw.split(/[ \t]+/);
    // Keep the trailing words that can be a name: "Prenotazione CUP per Ansaldo Deledda, nato il" → "Ansaldo Deledda".
    let first = words.length;
    while (first > 0 && !isStop(words[first - 1]!) && (capitalised(words[first - 1]!) || isListedName(words[first - 1]!)) && words.length - first < 2) first--;
    const name = words.slice(first);
    if (name.length === 0 || (name.length === 1 && !capitalised(name[0]!))) continue;
    // "nata il … a Kiev, residente": one word after "a", "in", "da" is a town.
    if (name.length === 1 && /(?:^|[^\p{L}])(?:a|in|da|ad)\s+$/iu.test(text.slice(Math.max(0, cue.index - name[0]!.length - 5), cue.index - name[0]!.length))) continue;
    const offset = raw.length - name.join(' ').length;
    if (offset < 0 || raw.slice(offset) !== name.join(' ')) continue;
    spans.push(wordsSpan(raw.slice(offset), (m.index ?? 0) + offset, name.length));
  }
  for (const s of lexiconNameSpans(text)) spans.push({ type: 'PERSON', start: s.start, end: s.end });
  return spans;
}

/**
 * Every span of personal data found in the text, sorted, without overlaps (on overlap the longer
 * span wins: "via Mario Rossi 3" is one address, not a name).
 */
export function detectPii(text: string): PiiSpan[] {
  const found: PiiSpan[] = [];
  for (const d of DETECTORS) {
    if (d.when !== undefined && !(typeof d.when === 'string' ? text.includes(d.when) : d.when.test(text))) continue;
    for (const m of matches(d.pattern, text)) {
      const value = m[d.group ?? 0];
      if (value === undefined) continue;
      const start = (m.index ?? 0) + (d.group ? m[0].lastIndexOf(value) : 0);
      if (d.accept && !d.accept(value, text, start)) continue;
      found.push({ type: d.type, start, end: start + value.length });
    }
  }
  for (const s of personSpans(text)) found.push(s);
  return resolveOverlaps(found);
}

/**
 * Sorted spans without overlaps; on overlap the longer span wins ("via Mario Rossi 3" is one
 * address, not a name), on equal length the more specific type (earlier in PII_TYPES). One sort
 * and one sweep: linear after sorting, whatever the number of spans.
 */
/** On spans of equal length, the type whose detector is more specific wins (a partita IVA with its cue over a phone shape). */
const TIE_ORDER: readonly PiiType[] = [
  'FISCAL_CODE', 'IBAN', 'VAT_CODE', 'HEALTH_CARD', 'ID_DOCUMENT', 'LICENSE_PLATE', 'IP_ADDRESS', 'EMAIL', 'DATE_OF_BIRTH', 'PHONE', 'TICKET_CODE', 'ADDRESS', 'PERSON',
];

function resolveOverlaps(found: PiiSpan[]): PiiSpan[] {
  const rank = (s: PiiSpan) => TIE_ORDER.indexOf(s.type);
  found.sort((a, b) => a.start - b.start || b.end - a.end || rank(a) - rank(b));
  const kept: PiiSpan[] = [];
  for (const s of found) {
    const last = kept[kept.length - 1];
    if (!last || s.start >= last.end) {
      kept.push(s);
      continue;
    }
    const longer = s.end - s.start > last.end - last.start || (s.end - s.start === last.end - last.start && rank(s) < rank(last));
    if (!longer) continue;
    kept.pop();
    // The new span may also overlap the one before the removed one: keep the longer again.
    const before = kept[kept.length - 1];
    if (before && s.start < before.end) {
      if (before.end - before.start >= s.end - s.start) {
        kept.push(last);
        continue;
      }
      kept.pop();
    }
    kept.push(s);
  }
  return kept;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface ScrubOptions {
  /**
   * Values known to be personal data of this text (the requester's name, e-mail, phone of a
   * ticket): removed wherever they appear, whatever the recognisers say. Names are also removed
   * word by word (a reply may say only "Gentile sig.ra Bianchi").
   */
  known?: { names?: (string | null | undefined)[]; values?: (string | null | undefined)[] };
  /**
   * Keep the street of an address and replace only the house number and what follows it (postcode,
   * town): "via Roma 12, 67043 Celano" → "via Roma [INDIRIZZO]". A street names a place, not a
   * person; the number is what points at a home. For texts where the place of a problem matters
   * (similar tickets across the network). Off by default: the whole address is replaced.
   */
  keepStreet?: boolean;
}

/** A placeholder already in the text (also the spaced style of older texts: "[CODICE FISCALE]"). */
const PLACEHOLDER_ONLY = /^\[[A-Z_ ]+\]$/;

/** The text with each span (sorted, not overlapping, as `detectPii` returns them) replaced by its placeholder. */
export function redactSpans(text: string, spans: readonly PiiSpan[]): string {
  let out = '';
  let last = 0;
  for (const s of spans) {
    if (s.start < last) continue;
    out += text.slice(last, s.start) + PII_PLACEHOLDERS[s.type];
    last = s.end;
  }
  return out + text.slice(last);
}

const STREET_PART = new RegExp(`^(.*?),?\\s+${CIVIC_MARK}\\d`, 's');

const ASCII = /^[\x00-\x7f]*$/;
const SEPARATOR = /[\s./-]/;
/** ASCII letters lower-cased, nothing else touched (the same length: indexes stay valid). */
const asciiFold = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** Every non-overlapping occurrence, left to right, of a literal ASCII value, ignoring the case of ASCII letters. */
function replaceLiteral(text: string, value: string, placeholder: string): string {
  const folded = asciiFold(text);
  const needle = asciiFold(value);
  let out = '';
  let last = 0;
  for (let i = folded.indexOf(needle); i !== -1; i = folded.indexOf(needle, last)) {
    out += text.slice(last, i) + placeholder;
    last = i + needle.length;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Every non-overlapping occurrence, left to right, of these digits with at most one separator (space, '.', '/', '-') between two of them. */
function replaceDigits(text: string, digits: string, placeholder: string): string {
  let out = '';
  let last = 0;
  let i = text.indexOf(digits[0]!);
  while (i !== -1) {
    let j = i + 1;
    for (let k = 1; k < digits.length && j !== -1; k++) {
      if (text[j] === digits[k]) j++;
      else if (j < text.length && SEPARATOR.test(text[j]!) && text[j + 1] === digits[k]) j += 2;
      else j = -1;
    }
    if (j === -1) {
      i = text.indexOf(digits[0]!, i + 1);
      continue;
    }
    out += text.slice(last, i) + placeholder;
    last = j;
    i = text.indexOf(digits[0]!, j);
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * The kind of a value known to be personal data: what the recognisers make of the value alone (a
 * fiscal code, an IBAN…) when they cover all of it, else a phone number when it is mostly digits,
 * else a name.
 */
function knownValueType(value: string, digits: string): PiiType {
  if (value.includes('@')) return 'EMAIL';
  const spans = detectPii(value);
  if (spans.length === 1 && spans[0]!.start <= 1 && spans[0]!.end >= value.length - 1) return spans[0]!.type;
  return digits.length >= 6 && digits.length * 2 >= value.length ? 'PHONE' : 'PERSON';
}

/** The text with every recognised piece of personal data replaced by its placeholder. */
export function scrubPii(text: string, options: ScrubOptions = {}): string {
  let out = text;
  const known = options.known;
  if (known) {
    for (const v of known.values ?? []) {
      const value = v?.trim();
      if (!value || value.length < 3) continue;
      const digits = digitsOf(value);
      const placeholder = PII_PLACEHOLDERS[knownValueType(value, digits)];
      // Phone numbers are written with any separators: the digits with an optional separator between two of them.
      // Values differ per text: literal scans, not a regular expression compiled for each (archiving 1M tickets).
      if (digits.length >= 6 && digits.length >= value.replace(/[\s+()./-]/g, '').length) out = replaceDigits(out, digits.replace(/^(?:0039|39)(?=3)/, ''), placeholder);
      else if (ASCII.test(value)) out = replaceLiteral(out, value, placeholder);
      else out = out.replace(new RegExp(escapeRegExp(value), 'gi'), placeholder);
    }
    for (const n of known.names ?? []) {
      const name = n?.trim();
      if (!name) continue;
      out = out.replace(new RegExp(`(?<![${L}])${escapeRegExp(name)}(?![${L}])`, 'gi'), PII_PLACEHOLDERS.PERSON);
      for (const word of name.split(/\s+/)) {
        if (word.length < 3 || NOT_NAME.has(word.toLowerCase())) continue;
        out = out.replace(new RegExp(`(?<![${L}])${escapeRegExp(word)}(?![${L}])`, 'gi'), PII_PLACEHOLDERS.PERSON);
      }
    }
    out = out.replace(/\[PERSONA\](?:\s+\[PERSONA\])+/g, PII_PLACEHOLDERS.PERSON);
  }
  const spans = detectPii(out);
  for (let i = spans.length - 1; i >= 0; i--) {
    const s = spans[i]!;
    // Placeholders already in the text are not data.
    if (PLACEHOLDER_ONLY.test(out.slice(s.start, s.end))) continue;
    // A street named without a house number ("abito in via Nazionale") points at no home: kept when streets are.
    if (s.type === 'ADDRESS' && options.keepStreet && !/\d|\bsnc\b/i.test(out.slice(s.start, s.end))) continue;
    // The address pattern is the street's words, then the first number: the street is what comes before it.
    const street = s.type === 'ADDRESS' && options.keepStreet ? STREET_PART.exec(out.slice(s.start, s.end))?.[1] : undefined;
    out = out.slice(0, s.start) + (street ? `${street} ` : '') + PII_PLACEHOLDERS[s.type] + out.slice(s.end);
  }
  return out;
}

const URL = /\b(?:https?:\/\/|www\.)\S+/giu;
const NUMBER = /\d+(?:[.,/:-]\d+)*/gu;
const PLACEHOLDER = /\[[A-Z_ ]+\]/g;

/**
 * A text for training the classifier: the wording of the request only. Personal data is removed as
 * by `scrubPii` (streets stay, as a place is a topic), and so are web addresses and every other
 * number (house numbers, dates, protocol and practice numbers, amounts), which never help to tell a
 * topic and may point at a person. No placeholders are left: they would become features.
 */
export function stripPersonalData(text: string): string {
  return scrubPii(text, { keepStreet: true }).replace(PLACEHOLDER, ' ').replace(URL, ' ').replace(NUMBER, ' ').replace(/\s{2,}/g, ' ').trim();
}
