/**
 * The Snowball Italian stemmer (Porter's algorithm, snowballstem.org/algorithms/italian), written
 * for text that the normaliser has already lower-cased and folded to ASCII: accented suffixes
 * (-ità, -erà, -irò…) are therefore matched in their unaccented form. Pure, no I/O.
 */

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);
const isVowel = (c: string | undefined) => c !== undefined && VOWELS.has(c);

/** Longest suffix first, so that a plain `endsWith` scan finds the longest match. */
const byLength = (list: string[]) => [...new Set(list)].sort((a, b) => b.length - a.length);

const PRONOUNS = byLength([
  'ci', 'gli', 'la', 'le', 'li', 'lo', 'mi', 'ne', 'si', 'ti', 'vi', 'sene', 'gliela', 'gliele', 'glieli', 'glielo', 'gliene',
  'mela', 'mele', 'meli', 'melo', 'mene', 'tela', 'tele', 'teli', 'telo', 'tene', 'cela', 'cele', 'celi', 'celo', 'cene',
  'vela', 'vele', 'veli', 'velo', 'vene',
]);

const STEP1_R2_DELETE = byLength([
  'anza', 'anze', 'ico', 'ici', 'ica', 'ice', 'iche', 'ichi', 'ismo', 'ismi', 'abile', 'abili', 'ibile', 'ibili', 'ista', 'iste', 'isti',
  'oso', 'osi', 'osa', 'ose', 'mente', 'atrice', 'atrici', 'ante', 'anti',
]);
const STEP1_ALL = byLength([
  ...STEP1_R2_DELETE, 'azione', 'azioni', 'atore', 'atori', 'logia', 'logie', 'uzione', 'uzioni', 'usione', 'usioni', 'enza', 'enze',
  'amento', 'amenti', 'imento', 'imenti', 'amente', 'ita', 'ivo', 'ivi', 'iva', 'ive',
]);

const VERB_SUFFIXES = byLength([
  'ammo', 'ando', 'ano', 'are', 'arono', 'asse', 'assero', 'assi', 'assimo', 'ata', 'ate', 'ati', 'ato', 'ava', 'avamo', 'avano', 'avate',
  'avi', 'avo', 'emmo', 'enda', 'ende', 'endi', 'endo', 'era', 'erai', 'eranno', 'ere', 'erebbe', 'erebbero', 'erei', 'eremmo', 'eremo',
  'ereste', 'eresti', 'erete', 'ero', 'erono', 'essero', 'ete', 'eva', 'evamo', 'evano', 'evate', 'evi', 'evo', 'yamo', 'iamo', 'immo',
  'ira', 'irai', 'iranno', 'ire', 'irebbe', 'irebbero', 'irei', 'iremmo', 'iremo', 'ireste', 'iresti', 'irete', 'iro', 'irono', 'isca',
  'iscano', 'isce', 'isci', 'isco', 'iscono', 'issero', 'ita', 'ite', 'iti', 'ito', 'iva', 'ivamo', 'ivano', 'ivate', 'ivi', 'ivo', 'ono',
  'uta', 'ute', 'uti', 'uto', 'ar', 'ir',
]);

function longestSuffix(word: string, suffixes: readonly string[]): string | null {
  for (const s of suffixes) if (word.endsWith(s)) return s;
  return null;
}

/** Marks u after q, and i/u between vowels, as consonants (upper case), as the Snowball prelude does. */
function prelude(word: string): string {
  const chars = word.replace(/qu/g, 'qU').split('');
  for (let i = 1; i < chars.length - 1; i++) {
    const c = chars[i];
    if ((c === 'i' || c === 'u') && isVowel(chars[i - 1]) && isVowel(chars[i + 1])) chars[i] = c.toUpperCase();
  }
  return chars.join('');
}

/** Start of the region after the first non-vowel following a vowel, from `from`. */
function regionAfterVowelConsonant(word: string, from: number): number {
  for (let i = from + 1; i < word.length; i++) {
    if (!isVowel(word[i]) && isVowel(word[i - 1])) return i + 1;
  }
  return word.length;
}

function regionV(word: string): number {
  if (word.length < 2) return word.length;
  const [c0, c1] = [word[0], word[1]];
  if (!isVowel(c1)) {
    for (let i = 2; i < word.length; i++) if (isVowel(word[i])) return i + 1;
    return word.length;
  }
  if (isVowel(c0) && isVowel(c1)) {
    for (let i = 2; i < word.length; i++) if (!isVowel(word[i])) return i + 1;
    return word.length;
  }
  return Math.min(3, word.length);
}

/** Stems one lower-case, accent-free word. Words shorter than 3 letters are returned as they are. */
export function stemItalian(input: string): string {
  if (input.length < 3) return input;
  let w = prelude(input);
  const rv = regionV(w);
  const r1 = regionAfterVowelConsonant(w, 0);
  const r2 = regionAfterVowelConsonant(w, r1);
  const inRv = (s: string) => w.length - s.length >= rv;
  const inR1 = (s: string) => w.length - s.length >= r1;
  const inR2 = (s: string) => w.length - s.length >= r2;
  const cut = (n: number) => {
    w = w.slice(0, w.length - n);
  };

  // Step 0: attached pronouns after a gerund or an infinitive.
  const pronoun = longestSuffix(w, PRONOUNS);
  if (pronoun && inRv(pronoun)) {
    const before = w.slice(0, w.length - pronoun.length);
    const gerund = ['ando', 'endo'].find((s) => before.endsWith(s));
    const infinitive = ['ar', 'er', 'ir'].find((s) => before.endsWith(s));
    if (gerund && before.length - gerund.length >= rv) w = before;
    else if (infinitive && before.length - infinitive.length >= rv) w = `${before}e`;
  }

  // Step 1: standard suffixes.
  let step1 = false;
  const s1 = longestSuffix(w, STEP1_ALL);
  if (s1) {
    if (STEP1_R2_DELETE.includes(s1)) {
      if (inR2(s1)) { cut(s1.length); step1 = true; }
    } else if (['azione', 'azioni', 'atore', 'atori'].includes(s1)) {
      if (inR2(s1)) {
        cut(s1.length);
        step1 = true;
        if (w.endsWith('ic') && inR2('ic')) cut(2);
      }
    } else if (s1 === 'logia' || s1 === 'logie') {
      if (inR2(s1)) { cut(s1.length - 3); step1 = true; }
    } else if (['uzione', 'uzioni', 'usione', 'usioni'].includes(s1)) {
      if (inR2(s1)) { cut(s1.length - 1); step1 = true; }
    } else if (s1 === 'enza' || s1 === 'enze') {
      if (inR2(s1)) { w = `${w.slice(0, w.length - s1.length)}ente`; step1 = true; }
    } else if (['amento', 'amenti', 'imento', 'imenti'].includes(s1)) {
      if (inRv(s1)) { cut(s1.length); step1 = true; }
    } else if (s1 === 'amente') {
      if (inR1(s1)) {
        cut(s1.length);
        step1 = true;
        if (w.endsWith('iv') && inR2('iv')) {
          cut(2);
          if (w.endsWith('at') && inR2('at')) cut(2);
        } else {
          const pre = ['abil', 'os', 'ic'].find((p) => w.endsWith(p));
          if (pre && inR2(pre)) cut(pre.length);
        }
      }
    } else if (s1 === 'ita') {
      if (inR2(s1)) {
        cut(3);
        step1 = true;
        const pre = ['abil', 'ic', 'iv'].find((p) => w.endsWith(p));
        if (pre && inR2(pre)) cut(pre.length);
      }
    } else if (inR2(s1)) {
      // ivo ivi iva ive
      cut(s1.length);
      step1 = true;
      if (w.endsWith('at') && inR2('at')) {
        cut(2);
        if (w.endsWith('ic') && inR2('ic')) cut(2);
      }
    }
  }

  // Step 2: verb suffixes, only when step 1 removed nothing.
  if (!step1) {
    const verb = longestSuffix(w, VERB_SUFFIXES);
    if (verb && inRv(verb)) cut(verb.length);
  }

  // Step 3a: a final vowel in RV, then a preceding i in RV.
  if (/[aeio]$/.test(w) && w.length - 1 >= rv) {
    cut(1);
    if (w.endsWith('i') && w.length - 1 >= rv) cut(1);
  }
  // Step 3b: ch → c, gh → g in RV.
  if ((w.endsWith('ch') || w.endsWith('gh')) && w.length - 2 >= rv) cut(1);

  return w.replace(/I/g, 'i').replace(/U/g, 'u');
}
