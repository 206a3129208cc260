/**
 * The territory as a value: lookups by code, abbreviation, cadastral code and name; containment
 * ("is this comune inside that province?") with the codes of comuni merged away mapped to their
 * successors; and recognition of a place named in free text. Pure: built once from `TerritoryData`
 * (the database's copy, see territory.service.ts) and shared read-only.
 */
import { normaliseText, tokenise } from '../../platform/text/text-analysis.js';
import type { Comune, Place, Province, Region, Succession, TerritoryData } from './territory.types.js';

/** Longest comune name in words ("Appiano sulla strada del vino Eppan an der Weinstrasse" is 9). */
const MAX_NAME_WORDS = 10;

/** Words before a place that say "this is a place" ("a Prato", "comune di Fondi", "in provincia di Bari"). */
const PLACE_CUES = new Set(['a', 'ad', 'di', 'da', 'in', 'presso', 'dell', 'della', 'del', 'nel', 'nella', 'nell', 'all', 'alla', 'al', 'dal', 'dalla', 'dall', 'comune', 'citta', 'paese', 'frazione', 'zona', 'territorio']);
/** A leading article that Italian elides or merges with a preposition: "provincia dell'Aquila", "alla Spezia". */
const LEADING_ARTICLE = /^(l|la|il|lo|le|i|gli) (?=\S{3,})/;
const PROVINCE_CUES = ['provincia di', 'provincia del', 'provincia dell', 'citta metropolitana di', 'libero consorzio di', 'libero consorzio comunale di'];

export interface TerritoryOptions {
  /**
   * True for an everyday word ("prato", "fondi", "salve", "ora"): a comune with such a one-word name
   * is recognised in free text only when written with a capital or after a place cue ("a Fondi").
   */
  isCommonWord?: (normalisedWord: string) => boolean;
}

interface NameEntry {
  kind: 'comune' | 'provincia' | 'regione';
  code: string;
  /** The name of a comune merged away, leading to its successor. */
  former?: true;
}

export class Territory {
  readonly version: string;
  private readonly regionsByCode = new Map<string, Region>();
  private readonly regionsByName = new Map<string, Region>();
  private readonly provincesByCode = new Map<string, Province>();
  private readonly provincesBySigla = new Map<string, Province>();
  private readonly comuniByCode = new Map<string, Comune>();
  private readonly comuniByCadastral = new Map<string, Comune>();
  private readonly successionsByOld = new Map<string, Succession>();
  private readonly comuniByProvince = new Map<string, Comune[]>();
  /** Normalised name → places with that name (comuni share names across provinces: Castro BG and LE). */
  private readonly names = new Map<string, NameEntry[]>();
  private readonly isCommonWord: (w: string) => boolean;

  constructor(data: TerritoryData, version: string, options: TerritoryOptions = {}) {
    this.version = version;
    this.isCommonWord = options.isCommonWord ?? (() => false);
    for (const r of data.regions) {
      this.regionsByCode.set(r.code, r);
      for (const n of r.name.split('/')) this.regionsByName.set(normaliseText(n), r);
      this.addName(r.name, { kind: 'regione', code: r.code });
    }
    for (const p of data.provinces) {
      this.provincesByCode.set(p.code, p);
      this.provincesBySigla.set(p.sigla.toUpperCase(), p);
      this.addName(p.name, { kind: 'provincia', code: p.code });
    }
    for (const c of data.comuni) {
      this.comuniByCode.set(c.code, c);
      if (c.cadastralCode) this.comuniByCadastral.set(c.cadastralCode.toUpperCase(), c);
      const list = this.comuniByProvince.get(c.provinceCode) ?? [];
      list.push(c);
      this.comuniByProvince.set(c.provinceCode, list);
      this.addName(c.name, { kind: 'comune', code: c.code });
      if (c.altName) this.addName(c.altName, { kind: 'comune', code: c.code });
    }
    for (const s of data.successions) this.successionsByOld.set(s.oldCode, s);
    // A comune merged away is still named in people's questions ("abito a Moransengo"): its name leads to its successor.
    for (const s of data.successions) {
      const current = this.successor(s.oldCode)?.current;
      if (current && !this.names.has(normaliseText(s.oldName))) this.addName(s.oldName, { kind: 'comune', code: current.code, former: true });
    }
  }

  private addName(name: string, entry: NameEntry): void {
    for (const part of name.split('/')) {
      const full = normaliseText(part);
      if (full === '') continue;
      const bare = full.replace(LEADING_ARTICLE, '');
      for (const key of bare === full ? [full] : [full, bare]) {
        const list = this.names.get(key) ?? [];
        if (!list.some((e) => e.kind === entry.kind && e.code === entry.code)) list.push(entry);
        this.names.set(key, list);
      }
    }
  }

  get counts(): { regions: number; provinces: number; comuni: number; successions: number } {
    return { regions: this.regionsByCode.size, provinces: this.provincesByCode.size, comuni: this.comuniByCode.size, successions: this.successionsByOld.size };
  }

  regions(): Region[] {
    return [...this.regionsByCode.values()];
  }

  provinces(regionCode?: string): Province[] {
    const all = [...this.provincesByCode.values()];
    return regionCode ? all.filter((p) => p.regionCode === regionCode) : all;
  }

  /** Current comuni of a region (2 digits), a province (3 digits), or all of them. */
  comuni(within?: string): Comune[] {
    if (!within) return [...this.comuniByCode.values()];
    if (within.length === 3) return [...(this.comuniByProvince.get(within) ?? [])];
    return this.provinces(within).flatMap((p) => this.comuniByProvince.get(p.code) ?? []);
  }

  region(codeOrName: string): Region | undefined {
    return this.regionsByCode.get(codeOrName) ?? this.regionsByName.get(normaliseText(codeOrName));
  }

  province(codeOrSigla: string): Province | undefined {
    return this.provincesByCode.get(codeOrSigla) ?? this.provincesBySigla.get(codeOrSigla.toUpperCase());
  }

  /** A current comune by its 6-digit ISTAT code (a code merged away gives undefined: see `successor`). */
  comune(code: string): Comune | undefined {
    return this.comuniByCode.get(code);
  }

  comuneByCadastral(code: string): Comune | undefined {
    return this.comuniByCadastral.get(code.toUpperCase());
  }

  /** For the code of a comune merged away: the succession and the current comune at the end of the chain. */
  successor(code: string): { succession: Succession; current: Comune } | undefined {
    const first = this.successionsByOld.get(code);
    if (!first) return undefined;
    let next = first.newCode;
    for (let hops = 0; hops < 20; hops++) {
      const current = this.comuniByCode.get(next);
      if (current) return { succession: first, current };
      const again = this.successionsByOld.get(next);
      if (!again) return undefined;
      next = again.newCode;
    }
    return undefined;
  }

  /** Any code as it stands today: a region, province or current comune as is; a merged comune as its successor; null when unknown. */
  resolve(code: string): string | null {
    if (code.length === 2) return this.regionsByCode.has(code) ? code : null;
    if (code.length === 3) return this.provincesByCode.has(code) ? code : null;
    if (this.comuniByCode.has(code)) return code;
    return this.successor(code)?.current.code ?? null;
  }

  /** The region of any code (region, province, comune, merged comune), or null. */
  regionOf(code: string): string | null {
    const c = this.resolve(code);
    if (c === null) return null;
    if (c.length === 2) return c;
    if (c.length === 3) return this.provincesByCode.get(c)?.regionCode ?? null;
    return this.comuniByCode.get(c)?.regionCode ?? null;
  }

  /** The province of a comune or province code, or null. */
  provinceOf(code: string): string | null {
    const c = this.resolve(code);
    if (c === null || c.length === 2) return null;
    return c.length === 3 ? c : (this.comuniByCode.get(c)?.provinceCode ?? null);
  }

  /** A display name for any code, or null. */
  nameOf(code: string): string | null {
    const c = this.resolve(code) ?? code;
    return this.regionsByCode.get(c)?.name ?? this.provincesByCode.get(c)?.name ?? this.comuniByCode.get(c)?.name ?? null;
  }

  /**
   * The place a free-text question names: the longest comune, province or region name in it. A
   * one-word name that is also an everyday word ("Prato", "Fondi", "Salve") or is very short ("Re")
   * counts only when capitalised or after a cue ("a fondi"). "Provincia di Bari" is the province,
   * "Bari" the comune; a name shared by several comuni goes to the one in a province the text also
   * names, else the most populous.
   */
  findPlace(text: string): Place | null {
    const original = text.split(/\s+/).filter(Boolean);
    const words = tokenise(normaliseText(text));
    if (words.length === 0) return null;
    const capitalised = capitalisedWords(original);
    const mentionedProvinces = new Set<string>();
    for (const w of words) {
      for (const e of this.names.get(w) ?? []) if (e.kind === 'provincia') mentionedProvinces.add(e.code);
    }
    for (const token of original) {
      const sigla = /^\(([A-Z]{2})\)$/.exec(token)?.[1];
      const p = sigla ? this.provincesBySigla.get(sigla) : undefined;
      if (p) mentionedProvinces.add(p.code);
    }
    let best: { place: Place; length: number; at: number } | null = null;
    for (let at = 0; at < words.length; at++) {
      for (let n = Math.min(MAX_NAME_WORDS, words.length - at); n >= 1; n--) {
        if (best && n < best.length) break;
        const key = words.slice(at, at + n).join(' ');
        const entries = this.names.get(key);
        if (!entries) continue;
        const before = words.slice(Math.max(0, at - 4), at).join(' ');
        const cued = at > 0 && PLACE_CUES.has(words[at - 1]!);
        if (n === 1 && !cued && !capitalised.has(words[at]!) && (key.length <= 3 || this.isCommonWord(key))) continue;
        const place = this.pick(entries, before, mentionedProvinces);
        if (place && (!best || n > best.length)) best = { place, length: n, at };
        break;
      }
    }
    return best?.place ?? null;
  }

  private pick(entries: readonly NameEntry[], before: string, mentionedProvinces: ReadonlySet<string>): Place | null {
    const wantsProvince = PROVINCE_CUES.some((cue) => before.endsWith(cue));
    const wantsRegion = before.endsWith('regione') || before.endsWith('regione del') || before.endsWith('regione della');
    const byKind = (kind: NameEntry['kind']) => entries.filter((e) => e.kind === kind);
    if (wantsProvince && byKind('provincia').length > 0) return this.place(byKind('provincia')[0]!);
    if (wantsRegion && byKind('regione').length > 0) return this.place(byKind('regione')[0]!);
    const comuni = byKind('comune').map((e) => this.comuniByCode.get(e.code)!).filter(Boolean);
    if (comuni.length > 0) {
      const inMentioned = comuni.filter((c) => mentionedProvinces.has(c.provinceCode));
      const pool = inMentioned.length > 0 ? inMentioned : comuni;
      const top = [...pool].sort((a, b) => (b.population ?? 0) - (a.population ?? 0))[0]!;
      return { code: top.code, name: top.name, kind: 'comune' };
    }
    return this.place((byKind('provincia')[0] ?? byKind('regione')[0])!);
  }

  private place(e: NameEntry): Place {
    const name = e.kind === 'regione' ? this.regionsByCode.get(e.code)!.name : e.kind === 'provincia' ? this.provincesByCode.get(e.code)!.name : this.comuniByCode.get(e.code)!.name;
    return { code: e.code, name, kind: e.kind };
  }

  /**
   * The territory of a record as an archive may publish it: a comune (merged ones count as their
   * successor) with at least `minPopulation` residents stays itself, a smaller one becomes its
   * province; a province or region stays as it is; an unknown code gives null.
   */
  generalise(code: string, minPopulation: number): Place | null {
    const c = this.resolve(code);
    if (c === null) return null;
    const comune = this.comuniByCode.get(c);
    if (!comune) {
      const name = this.nameOf(c);
      return name ? { code: c, name, kind: c.length === 2 ? 'regione' : 'provincia' } : null;
    }
    if ((comune.population ?? 0) >= minPopulation) return { code: comune.code, name: comune.name, kind: 'comune' };
    const province = this.provincesByCode.get(comune.provinceCode)!;
    return { code: province.code, name: province.name, kind: 'provincia' };
  }

  /**
   * The current places named exactly `name` (case, accents, punctuation and a leading article aside;
   * either form of a bilingual name): «Bergamo» is a comune and a province. Names of comuni merged
   * away are not among them.
   */
  named(name: string): Place[] {
    return (this.names.get(normaliseText(name)) ?? []).filter((e) => !e.former).map((e) => this.place(e));
  }

  /** Places whose name starts with `prefix` (for pickers), comuni first by population. */
  search(prefix: string, limit = 10): Place[] {
    const key = normaliseText(prefix);
    if (key.length < 2) return [];
    const out: (Place & { weight: number })[] = [];
    for (const [name, entries] of this.names) {
      if (!name.startsWith(key)) continue;
      for (const e of entries) {
        const p = this.place(e);
        const weight = e.kind === 'regione' ? 1e9 : e.kind === 'provincia' ? 1e8 : (this.comuniByCode.get(e.code)?.population ?? 0);
        if (!out.some((o) => o.code === p.code)) out.push({ ...p, weight: name === key ? weight * 10 + 1e10 : weight });
      }
    }
    return out.sort((a, b) => b.weight - a.weight).slice(0, limit).map(({ weight: _, ...p }) => p);
  }
}

/** Normalised words written with a capital initial in the original text, not counting the first word of a sentence. */
function capitalisedWords(tokens: readonly string[]): Set<string> {
  const out = new Set<string>();
  let sentenceStart = true;
  for (const raw of tokens) {
    const token = raw.replace(/^[("'«“]+/, '');
    if (!sentenceStart && /^\p{Lu}/u.test(token)) for (const w of tokenise(normaliseText(token))) out.add(w);
    sentenceStart = /[.!?]["')»”]*$/.test(raw);
  }
  return out;
}
