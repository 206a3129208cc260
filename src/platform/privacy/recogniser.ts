/**
 * The Italian personal-data recogniser of the project (FAQ gaps and drafts, similar tickets,
 * incidents, classifier training, later the archive): personal data in Italian free text (what
 * citizens type in the portal's search box, ticket subjects and descriptions, replies turned into
 * FAQs), replaced by placeholders before the text is stored, shared or published. Pure: regular
 * expressions, check digits and a list of Italian first names, no I/O.
 *
 * Recognised: e-mail addresses, phone numbers (Italian fixed and mobile, +39/0039), codice fiscale
 * (also lower case, omocodia, with spaces), IBAN, partita IVA, tessera sanitaria, identity document
 * numbers, licence plates, IPv4 addresses, urpnet ticket codes, street addresses with a civic number,
 * dates of birth (after "nato il", "data di nascita"…) and names of people where the text says so
 * ("mi chiamo", "sono", "sig.ra", "dott.", "Nome e cognome:", a signature after the greeting) or where
 * a known first name is followed by a capitalised word.
 *
 * It errs on the side of removing: a false positive costs a word of a FAQ gap or a draft FAQ that an
 * editor reviews anyway; a false negative leaks a citizen's data.
 */

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
  EMAIL: '[EMAIL]', PHONE: '[TELEFONO]', FISCAL_CODE: '[CODICE FISCALE]', IBAN: '[IBAN]', VAT_CODE: '[PARTITA IVA]', HEALTH_CARD: '[TESSERA SANITARIA]',
  ID_DOCUMENT: '[DOCUMENTO]', LICENSE_PLATE: '[TARGA]', IP_ADDRESS: '[IP]', TICKET_CODE: '[CODICE PRATICA]', ADDRESS: '[INDIRIZZO]',
  DATE_OF_BIRTH: '[DATA DI NASCITA]', PERSON: '[NOME]',
};

/**
 * Common Italian first names (male and female, with frequent variants). Used only to recognise a
 * name where no cue such as "sig." precedes it: "… ha telefonato Giulia Bianchi …".
 */
const FIRST_NAMES = new Set(
  `adele adriana adriano agata agnese agostino alba alberto alberta aldo alessandra alessandro alessia alessio alfonso alfredo alice alida
  alma alvise amalia amedeo amelia anastasia andrea angela angelica angelo anna annalisa annamaria anselmo antonella antonia antonio
  arianna armando arnaldo arturo assunta attilio augusto aurelio aurora barbara bartolomeo beatrice benedetta benedetto beniamino
  bernardo bianca bruna bruno camilla carla carlo carmela carmelo carmen carolina caterina cecilia celeste cesare chiara cinzia
  claudia claudio clelia concetta corrado cosimo costanza costanzo cristian cristiana cristina cristiano daniela daniele dante dario
  davide debora denis diana diego dina dino domenica domenico donatella donato dora edoardo elena eleonora elia elisa elisabetta
  emanuela emanuele emilia emiliano emilio emma enrica enrico enzo erica ermanno ernesto ettore eugenio eva ezio fabiana fabio
  fabrizio federica federico fernanda fernando filippo fiorella flavia flavio francesca francesco franco fulvio gabriele gabriella
  gaetano gemma gennaro giacomo gianluca gianna gianni giorgia giorgio giovanna giovanni girolamo gisella giulia giuliana giuliano
  giulio giuseppa giuseppe giuseppina gloria grazia graziella guido ida ignazio ilaria ines irene iris isabella italo ivan ivana
  jacopo laura lea leonardo letizia lia liliana lina lino livia lorena lorenzo loretta luca lucia luciana luciano lucio luigi luigia
  luisa mafalda manuela manuel marcella marcello marco margherita maria mariangela marianna marina marino mario marisa marta martina
  martino massimiliano massimo matilde matteo mattia maura maurizio mauro michela michele milena mirella mirko monica nadia natale
  natalia nicola nicoletta nicolò nino noemi norma oreste orlando ornella osvaldo ottavio paola paolo pasquale patrizia patrizio
  pietro piero pierluigi pina pio rachele raffaele raffaella renata renato riccardo rina rita roberta roberto rocco romano rosa
  rosalba rosanna rosaria rosario rossana ruggero sabrina salvatore samuele sandra sandro sara serena sergio silvana silvia silvio
  simona simone sofia stefania stefano susanna tatiana teresa tiziana tiziano tommaso tullio ugo umberto valentina valentino valeria
  valerio vanessa vasco veronica vincenza vincenzo viola virginia vito vittoria vittorio walter zaira`.split(/\s+/),
);

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

const ODONYMS = "via|viale|v\\.le|piazza|p\\.zza|p\\.za|piazzale|corso|c\\.so|largo|vicolo|vico|contrada|c\\.da|strada|localit[àa]|loc\\.|borgo|lungomare|salita|traversa|circonvallazione|frazione|fraz\\.";
/** Written before a house number: "n. 4", "n.7", "n° 18", "nr 12", "civico 40". */
const CIVIC_MARK = String.raw`(?:(?:n\.?\s*[°º]|n|nr|num|numero|civ|civico)\.?\s*)?`;
const MONTHS = 'gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre';
const DATE = `(?:\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})|\\d{1,2}\\s+(?:${MONTHS})\\s+\\d{4}|(?:19|20)\\d{2}-\\d{1,2}-\\d{1,2})`;

interface Detector {
  type: PiiType;
  pattern: RegExp;
  /** Index of the capture group holding the span (0 = whole match). */
  group?: number;
  accept?: (value: string, text: string, start: number) => boolean;
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
  const d = digitsOf(value).replace(/^(0039|39(?=[03]))/, value.trim().startsWith('+') || value.trim().startsWith('0039') ? '' : '$1');
  return d.length >= 6 && d.length <= 11;
}

const VAT_CUE = /(?:p(?:artita)?\.?\s*iva|p\.?\s*i\.?|vat)\W{0,4}$/i;

const DETECTORS: Detector[] = [
  // Starts only at the beginning of a run of address characters: linear even on long runs without "@".
  { type: 'EMAIL', pattern: /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}][\p{L}\p{N}._%+-]{0,99}@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu },
  // Italian IBAN: IT, 2 check digits, CIN letter, ABI and CAB (10 digits), 12-character account; compact or in groups.
  { type: 'IBAN', pattern: /\bIT ?\d{2} ?[A-Z](?: ?\d){10}(?: ?[A-Z0-9]){12}(?![A-Z0-9])/gi },
  { type: 'IBAN', pattern: /\b(?!IT)[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){3,7}(?: [A-Z0-9]{1,4})?)\b/g, accept: (v) => /\d{6}/.test(v.replace(/\s/g, '')) },
  { type: 'HEALTH_CARD', pattern: /(?<!\d)80380\d{15}(?!\d)/g },
  {
    type: 'FISCAL_CODE',
    // Any grouping: one optional space or dash between any two of the 16 characters ("VRD LGU 72C05 H501 Z").
    pattern: /\b(?:[A-Z][ -]?){6}(?:[0-9LMNP-V][ -]?){2}[ABCDEHLMPRST][ -]?(?:[0-9LMNP-V][ -]?){2}[A-Z][ -]?(?:[0-9LMNP-V][ -]?){3}[A-Z]\b/gi,
    // A real word of 16 letters never has digits/omocodia letters in these places; demand at least one digit.
    accept: (v) => /\d/.test(v),
  },
  { type: 'VAT_CODE', pattern: /\bIT ?\d{11}\b/gi },
  { type: 'VAT_CODE', pattern: /(?<![\d/.-])\d{11}(?![\d/.-])/g, accept: (v, text, start) => VAT_CUE.test(text.slice(Math.max(0, start - 20), start)) || validVatNumber(v) },
  { type: 'TICKET_CODE', pattern: /\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]\b/gi, accept: (v) => /\d/.test(v) },
  { type: 'IP_ADDRESS', pattern: /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g, accept: validIpv4 },
  {
    type: 'DATE_OF_BIRTH',
    pattern: new RegExp(`(?:\\bnat[oaie]\\b|\\bnascita\\b|\\bd\\.\\s?n\\.|\\bclasse\\b)[^\\n\\d]{0,40}?(${DATE})`, 'gi'),
    group: 1,
  },
  {
    type: 'PHONE',
    pattern: /(?<![\w/.+-])(?:(?:\+|00)39[\s.-]?)?\(?(?:0\d{1,4}|3\d{2})\)?(?:[\s./-]?\d{2,8}){1,4}(?![\w/])/g,
    // Not a date (08/07/1931) nor a number/year (prot. 33022/2023).
    accept: (v) => plausiblePhone(v) && !/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(v) && !/^\d+\/(?:19|20)\d{2}$/.test(v),
  },
  { type: 'ID_DOCUMENT', pattern: /\b(?:[A-Z]{2} ?\d{5} ?[A-Z]{2}|[A-Z]{2} ?\d{7}|[A-Z]{1,2}\d{6,7}[A-Z]?)\b/g },
  // Italian plates since 1994: letters without I, O, Q, U; any case when compact ("ab123cd"), capitals when spaced or dashed.
  { type: 'LICENSE_PLATE', pattern: /(?<![\p{L}\p{N}])(?:[A-HJ-NPR-TV-Z]{2}\d{3}[A-HJ-NPR-TV-Z]{2}|[A-HJ-NPR-TV-Z]{2}([ -])\d{3}\1[A-HJ-NPR-TV-Z]{2})(?![\p{L}\p{N}])/giu, accept: (v) => !/[ -]/.test(v) || v === v.toUpperCase() },
  {
    type: 'ADDRESS',
    pattern: new RegExp(
      `\\b(?:${ODONYMS})\\s+(?:${NAME_WORD}\\.?\\s+){0,5}?${NAME_WORD},?\\s+${CIVIC_MARK}\\d{1,4}(?:\\s?[/]?\\s?[A-Za-z](?![${L}]))?(?:/\\d{1,3})?` +
        `(?:(?:\\s*[,-]\\s*|\\s+)\\d{5}(?:\\s+${CAP_WORD}|\\s+[a-zà-ù]+){1,4}(?:\\s*\\([A-Za-z]{2}\\))?)?`,
      'gi',
    ),
  },
];

/** Verbs and function words that end a name after a cue ("la sig.ra Bianchi chiede …"). */
const NAME_STOP = new Set(
  `chiede chiama chiamato chiamata dichiara comunica segnala riferisce richiede telefona scrive lamenta informa desidera vorrebbe
  intende conferma afferma sollecita precisa necessita deve puo può risulta abita vive lavora titolare residente domiciliato
  domiciliata nato nata nati per conto tel cell email presso allega invia inviato inviata rappresenta ringrazia attende
  aspetta e' è era aveva al allo alla agli alle`.split(/\s+/),
);

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
const NAME_BEFORE_CUE = new RegExp(
  `(?<![${L}])((?:${NAME_WORD}[ \\t]+){0,2}${NAME_WORD}),?\\s+(?:nat[oa]\\s+(?:il|a)\\b|data di nascita|c\\.\\s?f\\.|codice fiscale|residente|domiciliat[oa])`,
  'gi',
);
const INSTITUTION_BEFORE = new RegExp(
  `(?:\\b(?:${ODONYMS})|\\b(?:san|santa|santo|ospedale|policlinico|presidio|scuola(?:\\s+(?:primaria|media|elementare|secondaria|dell'infanzia))?|` +
    `istituto(?:\\s+comprensivo)?|liceo|teatro|stadio|parco|fondazione|premio|aeroporto|stazione)|l['’])\\s*$`,
  'i',
);
/** Particles of Italian surnames: "De Luca", "Di Stefano", "Dell'Orto", "Lo Presti", "D'Angelo". */
const SURNAME_PARTICLE = String.raw`(?:De|Di|Da|Del|Dell[ao]?|Della|Dei|Degli|Dal|Dalla|Lo|La|Li|Le)(?:\s+|['’])|D['’]`;
const NAME_PAIR = new RegExp(`(?<![${L}])(${CAP_WORD})\\s+((?:${SURNAME_PARTICLE})?${CAP_WORD})${WORD_END}`, 'g');

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
  const cues = new RegExp(PERSON_CUES.source, PERSON_CUES.flags);
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
  for (const m of text.matchAll(NAME_BEFORE_CUE)) {
    const raw = m[1] ?? '';
    const words = raw.split(/[ \t]+/);
    // Keep the trailing words that can be a name: "Prenotazione CUP per Ansaldo Deledda, nato il" → "Ansaldo Deledda".
    let first = words.length;
    while (first > 0 && !isStop(words[first - 1]!) && words.length - first < 2) first--;
    const name = words.slice(first);
    if (name.length === 0 || (name.length === 1 && !capitalised(name[0]!))) continue;
    const offset = raw.length - name.join(' ').length;
    if (offset < 0 || raw.slice(offset) !== name.join(' ')) continue;
    spans.push(wordsSpan(raw.slice(offset), (m.index ?? 0) + offset, name.length));
  }
  // A known first name followed by a capitalised word (or the reverse), without any cue.
  for (const m of text.matchAll(NAME_PAIR)) {
    const a = m[1]!;
    const b = m[2]!;
    if (INSTITUTION_BEFORE.test(text.slice(Math.max(0, (m.index ?? 0) - 30), m.index ?? 0))) continue;
    const first = FIRST_NAMES.has(a.toLowerCase()) && !isStop(b);
    const reversed = FIRST_NAMES.has(b.toLowerCase()) && !isStop(a) && !FIRST_NAMES.has(a.toLowerCase());
    if (!first && !reversed) continue;
    spans.push({ type: 'PERSON', start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  }
  return spans;
}

/**
 * Every span of personal data found in the text, sorted, without overlaps (on overlap the longer
 * span wins: "via Mario Rossi 3" is one address, not a name).
 */
export function detectPii(text: string): PiiSpan[] {
  const found: PiiSpan[] = [];
  for (const d of DETECTORS) {
    for (const m of text.matchAll(d.pattern)) {
      const value = m[d.group ?? 0];
      if (value === undefined) continue;
      const start = (m.index ?? 0) + (d.group ? m[0].lastIndexOf(value) : 0);
      if (d.accept && !d.accept(value, text, start)) continue;
      found.push({ type: d.type, start, end: start + value.length });
    }
  }
  found.push(...personSpans(text));
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: PiiSpan[] = [];
  for (const s of found) {
    if (kept.some((k) => s.start < k.end && k.start < s.end)) continue;
    kept.push(s);
  }
  return kept.sort((a, b) => a.start - b.start);
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

const STREET_PART = new RegExp(`^(.*?),?\\s+${CIVIC_MARK}\\d`, 's');

/** The text with every recognised piece of personal data replaced by its placeholder. */
export function scrubPii(text: string, options: ScrubOptions = {}): string {
  let out = text;
  const known = options.known;
  if (known) {
    for (const v of known.values ?? []) {
      const value = v?.trim();
      if (!value || value.length < 3) continue;
      const digits = digitsOf(value);
      // Phone numbers are written with any separators: match the digits with optional separators between them.
      const pattern = digits.length >= 6 && digits.length >= value.replace(/[\s+()./-]/g, '').length
        ? digits.replace(/^(?:0039|39)(?=3)/, '').split('').join('[\\s./-]?')
        : escapeRegExp(value);
      out = out.replace(new RegExp(pattern, 'gi'), value.includes('@') ? PII_PLACEHOLDERS.EMAIL : digits.length >= 6 ? PII_PLACEHOLDERS.PHONE : PII_PLACEHOLDERS.PERSON);
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
    out = out.replace(/\[NOME\](?:\s+\[NOME\])+/g, PII_PLACEHOLDERS.PERSON);
  }
  const spans = detectPii(out);
  for (let i = spans.length - 1; i >= 0; i--) {
    const s = spans[i]!;
    // Placeholders already in the text are not data.
    if (/^\[[A-Z ]+\]$/.test(out.slice(s.start, s.end))) continue;
    // The address pattern is the street's words, then the first number: the street is what comes before it.
    const street = s.type === 'ADDRESS' && options.keepStreet ? STREET_PART.exec(out.slice(s.start, s.end))?.[1] : undefined;
    out = out.slice(0, s.start) + (street ? `${street} ` : '') + PII_PLACEHOLDERS[s.type] + out.slice(s.end);
  }
  return out;
}

const URL = /\b(?:https?:\/\/|www\.)\S+/giu;
const NUMBER = /\d+(?:[.,/:-]\d+)*/gu;
const PLACEHOLDER = /\[[A-Z ]+\]/g;

/**
 * A text for training the classifier: the wording of the request only. Personal data is removed as
 * by `scrubPii` (streets stay, as a place is a topic), and so are web addresses and every other
 * number (house numbers, dates, protocol and practice numbers, amounts), which never help to tell a
 * topic and may point at a person. No placeholders are left: they would become features.
 */
export function stripPersonalData(text: string): string {
  return scrubPii(text, { keepStreet: true }).replace(PLACEHOLDER, ' ').replace(URL, ' ').replace(NUMBER, ' ').replace(/\s{2,}/g, ' ').trim();
}
