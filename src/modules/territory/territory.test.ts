import { describe, expect, it } from 'vitest';
import { italianLexicon } from '../../platform/text/lexicon.js';
import { stemWord } from '../../platform/text/text-analysis.js';
import { packageTerritory } from './package-data.js';
import { Territory } from './territory.js';

const lexicon = italianLexicon();
const stems = new Set([...lexicon.keys()].map((w) => stemWord(w)));
const italy = new Territory(packageTerritory(), 'test', { isCommonWord: (w) => lexicon.has(w) || stems.has(stemWord(w)) });

describe('the territory from the packages', () => {
  it('holds the 20 regions, 107 provinces and every comune, with bilingual names, cadastral codes and population', () => {
    expect(italy.counts).toMatchObject({ regions: 20, provinces: 107 });
    expect(italy.counts.comuni).toBeGreaterThan(7800);
    expect(italy.comune('016024')).toMatchObject({ name: 'Bergamo', provinceCode: '016', regionCode: '03', cadastralCode: 'A794' });
    expect(italy.comune('016024')!.population).toBeGreaterThan(100_000);
    expect(italy.comune('021008')).toMatchObject({ name: 'Bolzano', altName: 'Bozen' });
    expect(italy.comune('032005')).toMatchObject({ name: 'Sgonico', altName: 'Zgonik' });
    expect(italy.comuneByCadastral('h501')?.name).toBe('Roma');
    expect(italy.province('BG')).toMatchObject({ code: '016', name: 'Bergamo', regionCode: '03', kind: 'provincia' });
    expect(italy.province('058')?.kind).toBe('citta_metropolitana');
    expect(italy.province('084')?.kind).toBe('libero_consorzio');
    expect(italy.province('021')?.kind).toBe('provincia_autonoma');
    expect(italy.region('Lombardia')?.code).toBe('03');
    expect(italy.comuni('13').length).toBeGreaterThan(300);
    expect(italy.comuni('066').every((c) => c.provinceCode === '066')).toBe(true);
  });

  it('maps the codes of comuni merged away to their successors, also across a change of province', () => {
    expect(italy.comune('005079')).toBeUndefined();
    expect(italy.successor('005079')?.current.name).toBe('Moransengo-Tonengo');
    expect(italy.resolve('012018')).toBe('012144');
    expect(italy.resolve('041033')).toBe('099030');
    expect(italy.comune('099030')?.cadastralCode).toBeTruthy();
    expect(italy.regionOf('041033')).toBe('08');
    expect(italy.resolve('999999')).toBeNull();
  });
});

describe('places named in free text', () => {
  const place = (text: string) => italy.findPlace(text);

  it("finds places named in an operator's question", () => {
    expect(place("chi è competente per esenzione ticket sanitario in provincia dell'Aquila?")).toEqual({ code: '066', name: "L'Aquila", kind: 'provincia' });
    expect(place('tari napoli scadenza')).toEqual({ code: '063049', name: 'Napoli', kind: 'comune' });
    expect(place('bollo auto in Puglia')).toEqual({ code: '16', name: 'Puglia', kind: 'regione' });
    expect(place('passaporto')).toBeNull();
  });

  it('knows every comune, in lower case, and the longest name wins', () => {
    expect(place('mensa scolastica bergamo')?.code).toBe('016024');
    expect(place('abito a San Benedetto del Tronto e cerco il CUP')?.name).toBe('San Benedetto del Tronto');
    expect(place('ztl a reggio di calabria')?.name).toBe('Reggio di Calabria');
    expect(place('Anmeldung in Bozen')?.code).toBe('021008');
    expect(place('in provincia di Bari')).toMatchObject({ code: '072', kind: 'provincia' });
    expect(place('Regione Lombardia bandi')).toMatchObject({ code: '03', kind: 'regione' });
  });

  it('does not take everyday words for comuni, unless the text says they are places', () => {
    expect(place('il prato del parco è sporco')).toBeNull();
    expect(place('fondi europei per la casa')).toBeNull();
    expect(place('Salve, vorrei sapere gli orari')).toBeNull();
    expect(place('vivo a Prato')?.code).toBe('100005');
    expect(place('ufficio tributi di fondi')?.name).toBe('Fondi');
    expect(place('Buongiorno, il Comune di Calcio non risponde')?.name).toBe('Calcio');
  });

  it('settles names shared by several comuni with the province, else the most populous', () => {
    const castro = italy.comuni().filter((c) => c.name === 'Castro');
    expect(castro.length).toBe(2);
    expect(place('rifiuti a Castro (BG)')?.code).toBe(castro.find((c) => c.provinceCode === '016')!.code);
    expect(place('rifiuti a Castro in provincia di Lecce')?.code).toBe(castro.find((c) => c.provinceCode === '075')!.code);
  });

  it('takes a comune merged away to its successor', () => {
    expect(place('abito a Moransengo')).toMatchObject({ code: '005122', kind: 'comune' });
  });

  it('suggests places by the start of their name', () => {
    const hits = italy.search('berg', 5);
    expect(hits[0]).toMatchObject({ code: '016', kind: 'provincia' });
    expect(hits.map((h) => h.code)).toContain('016024');
    expect(italy.search('b')).toEqual([]);
  });
});

describe('generalising a territory for the archive', () => {
  const italy = new Territory(packageTerritory(), 'test');

  it('keeps a large comune, turns a small one into its province, and leaves provinces and regions alone', () => {
    expect(italy.generalise('066032', 5_000)).toEqual({ code: '066032', name: 'Celano', kind: 'comune' });
    expect(italy.generalise('066059', 5_000)).toEqual({ code: '066', name: "L'Aquila", kind: 'provincia' });
    expect(italy.generalise('066', 5_000)).toEqual({ code: '066', name: "L'Aquila", kind: 'provincia' });
    expect(italy.generalise('13', 5_000)).toEqual({ code: '13', name: 'Abruzzo', kind: 'regione' });
    expect(italy.generalise('999999', 5_000)).toBeNull();
  });

  it('generalises a merged comune as its successor', () => {
    const merged = italy.generalise('005079', 0);
    expect(merged).toMatchObject({ code: '005122', kind: 'comune' });
  });
});

describe('places by exact name', () => {
  const italy = new Territory(packageTerritory(), 'test');

  it('finds every current place of a name, by either bilingual form and without the article, never a merged comune', () => {
    expect(italy.named('Bergamo').map((p) => [p.kind, p.code]).sort()).toEqual([['comune', '016024'], ['provincia', '016']]);
    expect(italy.named('bozen').map((p) => [p.kind, p.code]).sort()).toEqual([['comune', '021008'], ['provincia', '021']]);
    expect(italy.named('aquila').map((p) => p.code).sort()).toEqual(['066', '066049']);
    expect(italy.named('Moransengo')).toEqual([]);
  });
});
