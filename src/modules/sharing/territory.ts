/**
 * Territory arithmetic on ISTAT codes: regions (2 digits), provinces (3 digits, the classic codes),
 * comuni (6 digits, whose first 3 are the province). A competence declared on a province covers its
 * comuni; a region declares the list of its provinces. Covers the regions of the demo network and
 * the provinces named in the founding document; more can be added as bodies join.
 */
export const PROVINCES: Record<string, { name: string; region: string; aliases?: string[] }> = {
  '066': { name: "L'Aquila", region: '13', aliases: ['aquila', 'aquilano'] },
  '067': { name: 'Teramo', region: '13' },
  '068': { name: 'Pescara', region: '13' },
  '069': { name: 'Chieti', region: '13' },
  '070': { name: 'Campobasso', region: '14' },
  '094': { name: 'Isernia', region: '14' },
  '061': { name: 'Caserta', region: '15' },
  '062': { name: 'Benevento', region: '15' },
  '063': { name: 'Napoli', region: '15' },
  '064': { name: 'Avellino', region: '15' },
  '065': { name: 'Salerno', region: '15' },
  '071': { name: 'Foggia', region: '16' },
  '072': { name: 'Bari', region: '16' },
  '073': { name: 'Taranto', region: '16' },
  '074': { name: 'Brindisi', region: '16' },
  '075': { name: 'Lecce', region: '16', aliases: ['salento'] },
  '110': { name: 'Barletta-Andria-Trani', region: '16', aliases: ['bat', 'barletta', 'andria', 'trani'] },
  '076': { name: 'Potenza', region: '17' },
  '077': { name: 'Matera', region: '17' },
  '078': { name: 'Cosenza', region: '18' },
  '082': { name: 'Palermo', region: '19' },
  '083': { name: 'Messina', region: '19' },
  '086': { name: 'Enna', region: '19' },
  '087': { name: 'Catania', region: '19' },
  '088': { name: 'Ragusa', region: '19' },
  '089': { name: 'Siracusa', region: '19' },
  '090': { name: 'Sassari', region: '20' },
  '091': { name: 'Nuoro', region: '20' },
  '092': { name: 'Cagliari', region: '20' },
  '095': { name: 'Oristano', region: '20' },
  '111': { name: 'Sud Sardegna', region: '20' },
};

export const REGIONS: Record<string, string> = {
  '13': 'Abruzzo', '14': 'Molise', '15': 'Campania', '16': 'Puglia', '17': 'Basilicata', '18': 'Calabria', '19': 'Sicilia', '20': 'Sardegna',
};

export function provincesOfRegion(region: string): string[] {
  return Object.entries(PROVINCES).filter(([, p]) => p.region === region).map(([code]) => code);
}

/** Expands a declared territory to province/comune-level codes (regions become their provinces). */
export function expandTerritory(codes: readonly string[]): string[] {
  return codes.flatMap((c) => (c.length === 2 ? [c, ...provincesOfRegion(c)] : [c]));
}

/**
 * How well a declared territory covers a place: 3 exact, 2 the place lies inside it, 0 not at all.
 * An empty declaration is nationwide (1).
 */
export function territoryMatch(declared: readonly string[], place: string | null): number {
  if (declared.length === 0 || place === null) return 1;
  const placeRegion = place.length === 2 ? place : PROVINCES[place.slice(0, 3)]?.region;
  let best = 0;
  for (const code of declared) {
    if (code === place) return 3;
    // A comune of a declared province, or anything inside a declared region.
    if ((code.length === 3 && place.startsWith(code)) || (code.length === 2 && placeRegion === code)) best = 2;
  }
  return best;
}

export const normalise = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’']/g, ' ')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Finds a place named in free text: a comune from `comuni` (name → ISTAT code), a province or a region. */
export function findPlace(text: string, comuni: ReadonlyMap<string, string>): { code: string; name: string } | null {
  const t = ` ${normalise(text)} `;
  for (const [name, code] of comuni) if (t.includes(` ${normalise(name)} `)) return { code, name };
  for (const [code, p] of Object.entries(PROVINCES)) {
    for (const n of [p.name, ...(p.aliases ?? [])]) if (t.includes(` ${normalise(n)} `)) return { code, name: p.name };
  }
  for (const [code, name] of Object.entries(REGIONS)) if (t.includes(` ${normalise(name)} `)) return { code, name };
  return null;
}
