import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

/**
 * Competences at scale (issue 11): the network coordination uploads the matrix "topic × territory →
 * competent office" as CSV (dry run per office, all or nothing or the good lines only, line-numbered
 * problems, merged comuni mapped to their successors), the coverage report shows per region which
 * office answers each topic in each comune, and the directory answers for comuni outside the demo
 * regions once the matrix names them.
 */
let t: TestApp;
let coordinator: Client;
let operator: Client;

const BERGAMO = '016024';
const MORANSENGO = '005079';
const MORANSENGO_TONENGO = '005122';

beforeAll(async () => {
  t = await buildTestApp();
  coordinator = await login(t.app, demoEmail('coordinatore'));
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
}, 120_000);
afterAll(async () => {
  await t?.close();
});

function upload(client: Client, body: string, query = '') {
  return client.request({ method: 'POST', url: `/api/v1/admin/imports/competences${query}`, payload: body, headers: { 'content-type': 'text/csv' } });
}

/** Celano's URP answers for TARI and IMU in Bergamo; the Regione Abruzzo's URP for TARI in the whole province of Bergamo and for health in a merged comune. */
const MATRIX = [
  'Argomento;Territorio;Ente;Ufficio',
  `tributi.tari;${BERGAMO};c_c426;celano-urp`,
  'tributi.imu;Comune di Bergamo;C_C426;Celano-URP',
  'tributi.tari;BG;r_abruzz;regione-abruzzo-urp',
  `sanita;${MORANSENGO};r_abruzz;regione-abruzzo-urp`,
  'sanita;13;r_abruzz;regione-abruzzo-urp',
].join('\n');

const directory = async (topic: string, territory: string) =>
  (await operator.get(`/api/v1/directory?topic=${topic}&territory=${territory}`)).json() as { results: { office: { slug: string }; reasons: string[] }[] };

describe('the competence matrix', () => {
  it('reports per office what a dry run would change, writes on apply, and changes nothing on a re-upload', async () => {
    expect((await directory('tributi.tari', BERGAMO)).results.map((r) => r.office.slug)).not.toContain('celano-urp');

    const dry = await upload(coordinator, MATRIX, '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    const report = dry.json();
    expect(report).toMatchObject({ kind: 'competences', dryRun: true, written: false, separator: 'semicolon', rows: 5, accepted: 5, offices: 2, changedOffices: 2, problems: [] });
    const celano = report.changes.find((c: { officeCode: string }) => c.officeCode === 'celano-urp');
    expect(celano.added).toEqual([{ topic: 'tributi.imu', territory: BERGAMO }, { topic: 'tributi.tari', territory: BERGAMO }]);
    // The office ends with exactly the file's competences: its demo ones in Celano go.
    expect(celano.removed).toEqual(expect.arrayContaining([{ topic: 'anagrafe_stato_civile', territory: '066032' }, { topic: 'tributi.tari', territory: '066032' }]));
    // The comune merged away is accepted, recorded on its successor, and said so.
    expect(report.notes).toEqual([expect.objectContaining({ line: 5, code: 'territory_successor', message: expect.stringContaining(MORANSENGO_TONENGO) })]);
    const regione = report.changes.find((c: { officeCode: string }) => c.officeCode === 'regione-abruzzo-urp');
    expect(regione.added).toEqual(expect.arrayContaining([{ topic: 'sanita', territory: MORANSENGO_TONENGO }, { topic: 'tributi.tari', territory: '016' }]));
    // Nothing was written.
    expect((await directory('tributi.tari', BERGAMO)).results.map((r) => r.office.slug)).not.toContain('celano-urp');

    const applied = await upload(coordinator, MATRIX);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toMatchObject({ dryRun: false, written: true, changedOffices: 2 });
    const office = (await operator.get('/api/v1/offices')).json().items.find((o: { slug: string }) => o.slug === 'celano-urp');
    const declared = (await operator.get(`/api/v1/offices/${office.id}/competences`)).json().items;
    expect(declared.map((c: { topic: string; territory: string[] }) => [c.topic, c.territory]).sort()).toEqual([['tributi.imu', [BERGAMO]], ['tributi.tari', [BERGAMO]]]);

    const again = await upload(coordinator, MATRIX);
    expect(again.json()).toMatchObject({ written: false, offices: 2, changedOffices: 0, added: 0, removed: 0, changes: [] });
  });

  it('lets the directory answer for a comune outside the demo regions', async () => {
    const res = await directory('tributi.tari', BERGAMO);
    expect(res.results[0]?.office.slug).toBe('celano-urp');
    expect(res.results[0]?.reasons.join(' ')).toMatch(/Bergamo/);
    // Another comune of the province: the office declared on the province answers, Celano's does not.
    const dalmine = (await directory('tributi.tari', '016091')).results.map((r) => r.office.slug);
    expect(dalmine).toContain('regione-abruzzo-urp');
    expect(dalmine).not.toContain('celano-urp');
    // A question in words finds the same.
    const asked = (await operator.get(`/api/v1/directory?q=${encodeURIComponent('chi si occupa della TARI a Bergamo?')}`)).json();
    expect(asked.results.map((r: { office: { slug: string } }) => r.office.slug)).toContain('celano-urp');
  });

  it('reports each bad line with its number and reason, and writes nothing unless asked to skip them', async () => {
    const bad = [
      'argomento,territorio,ente,ufficio',
      'tributi.tassa_inesistente,016024,c_c426,celano-urp',
      'tributi.tari,016024,c_c426,ufficio-che-non-esiste',
      'tributi.tari,Atlantide,c_c426,celano-urp',
      'tributi.tari,016024,ente_inesistente,celano-urp',
      'tributi.tari,Bergamo,c_c426,celano-urp',
      'servizi_sociali,016024,c_c426,celano-urp',
      'servizi_sociali,016024,c_c426,celano-urp',
    ].join('\r\n');
    const refused = await upload(coordinator, bad);
    expect(refused.statusCode, refused.body).toBe(422);
    const problem = refused.json();
    expect(problem.code).toBe('import.bad_lines');
    expect(problem.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ['riga 2', 'unknown_topic'],
      ['riga 3', 'unknown_office'],
      ['riga 4', 'unknown_territory'],
      ['riga 5', 'unknown_organisation'],
      // «Bergamo» is both a comune and a province.
      ['riga 6', 'ambiguous_territory'],
      ['riga 8', 'duplicate_in_file'],
    ]);
    expect(problem.errors[2].message).toContain('Atlantide');
    const office = (await operator.get('/api/v1/offices')).json().items.find((o: { slug: string }) => o.slug === 'celano-urp');
    const before = (await operator.get(`/api/v1/offices/${office.id}/competences`)).json().items;
    expect(before.map((c: { topic: string }) => c.topic).sort()).toEqual(['tributi.imu', 'tributi.tari']);

    const skipped = await upload(coordinator, bad, '?onBadLine=skip');
    expect(skipped.statusCode, skipped.body).toBe(200);
    expect(skipped.json()).toMatchObject({ written: true, accepted: 1, offices: 1 });
    expect(skipped.json().problems.map((p: { line: number }) => p.line)).toEqual([2, 3, 4, 5, 6, 8]);
    const after = (await operator.get(`/api/v1/offices/${office.id}/competences`)).json().items;
    expect(after.map((c: { topic: string; territory: string[] }) => [c.topic, c.territory])).toEqual([['servizi_sociali', [BERGAMO]]]);
    // Put the matrix back for the coverage checks below.
    expect((await upload(coordinator, MATRIX)).statusCode).toBe(200);
  });

  it('runs two imports of the same file one after the other: the second finds nothing left to change', async () => {
    const moved = MATRIX.replace(`tributi.imu;Comune di Bergamo`, 'tributi.imu;Comune di Dalmine');
    const [a, b] = await Promise.all([upload(coordinator, moved), upload(coordinator, moved)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect([a.json().changedOffices, b.json().changedOffices].sort()).toEqual([0, 1]);
    expect((await upload(coordinator, MATRIX)).json().changedOffices).toBe(1);
  });

  it('is for the network coordination only', async () => {
    const admin = await login(t.app, demoEmail('admin', 'comune-celano'));
    const res = await upload(admin, MATRIX, '?dryRun=true');
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await upload(operator, MATRIX)).statusCode).toBe(403);
  });

  it('accepts the file as a multipart upload too, and refuses a file without the needed columns', async () => {
    const head = Buffer.from('--B\r\nContent-Disposition: form-data; name="file"; filename="matrice.csv"\r\nContent-Type: text/csv\r\n\r\n');
    const res = await coordinator.request({
      method: 'POST', url: '/api/v1/admin/imports/competences?dryRun=true', headers: { 'content-type': 'multipart/form-data; boundary=B' },
      payload: Buffer.concat([head, Buffer.from(MATRIX), Buffer.from('\r\n--B--\r\n')]),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 5, changedOffices: 0 });
    const columns = await upload(coordinator, 'tema;luogo\ntributi.tari;016024\n');
    expect(columns.statusCode).toBe(422);
    expect(columns.json().code).toBe('import.missing_columns');
  });
});

describe('the coverage report', () => {
  it('lists per topic how many comuni and people of a region have a competent office, least covered first', async () => {
    const res = await operator.get('/api/v1/competences/coverage?region=03');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.region).toEqual({ code: '03', name: 'Lombardia' });
    const tari = body.topics.find((x: { topic: string }) => x.topic === 'tributi.tari');
    expect(tari.comuniTotal).toBeGreaterThan(1400);
    // Every comune of the province of Bergamo, and no other.
    expect(tari.comuniCovered).toBeGreaterThan(200);
    expect(tari.comuniCovered).toBeLessThan(300);
    expect(tari.populationCovered).toBeGreaterThan(1_000_000);
    // First-level topics are always listed, covered or not; nationwide bodies cover theirs everywhere.
    expect(body.topics.map((x: { topic: string }) => x.topic)).toEqual(expect.arrayContaining(['tributi', 'sanita', 'identita_digitale']));
    const digital = body.topics.find((x: { topic: string }) => x.topic === 'identita_digitale');
    expect(digital.comuniCovered).toBe(digital.comuniTotal);
    const ratios = body.topics.map((x: { comuniCovered: number; comuniTotal: number }) => x.comuniCovered / x.comuniTotal);
    expect(ratios).toEqual([...ratios].sort((a, b) => a - b));
    expect(body.comuni).toBeUndefined();
  });

  it('shows for one topic who answers in each comune, and where nobody does', async () => {
    const body = (await operator.get('/api/v1/competences/coverage?region=03&topic=tributi.tari')).json();
    expect(body.topic).toEqual({ code: 'tributi.tari', label: expect.any(String) });
    expect(body.provinces).toEqual(expect.arrayContaining([{ code: '016', sigla: 'BG', name: 'Bergamo' }]));
    const codes = body.comuni.map((c: { code: string }) => c.code);
    expect(codes).toEqual([...codes].sort());
    const bergamo = body.comuni.find((c: { code: string }) => c.code === BERGAMO);
    expect(bergamo).toMatchObject({ name: 'Bergamo', provinceCode: '016' });
    expect(bergamo.population).toBeGreaterThan(100_000);
    expect(bergamo.offices.map((o: { via: string; organisationName: string }) => [o.via, o.organisationName])).toEqual([['comune', 'Comune di Celano'], ['province', 'Regione Abruzzo']]);
    const milano = body.comuni.find((c: { code: string }) => c.code === '015146');
    expect(milano.offices).toEqual([]);

    // A competence on a parent topic covers its sub-topics: the nationwide body's «identita_digitale» answers for the CIE.
    const cie = (await operator.get('/api/v1/competences/coverage?region=03&topic=identita_digitale.cie')).json();
    expect(cie.comuni.find((c: { code: string }) => c.code === '015146').offices).toEqual([expect.objectContaining({ via: 'national' })]);
  });

  it('gives the per-comune table as CSV', async () => {
    const res = await operator.get('/api/v1/competences/coverage?region=03&topic=tributi.tari&format=csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('codice_istat;comune;provincia;popolazione;argomento;coperto;uffici_competenti;enti;ambito');
    expect(lines.find((l) => l.startsWith(`${BERGAMO};`))).toMatch(/^016024;Bergamo;BG;\d+;tributi\.tari;sì;.*Celano.*;Comune di Celano \| Regione Abruzzo;comune \| provincia$/);
    expect(lines.find((l) => l.startsWith('015146;'))).toMatch(/;no;;;$/);
    const noTopic = await operator.get('/api/v1/competences/coverage?region=03&format=csv');
    expect(noTopic.statusCode).toBe(400);
    expect(noTopic.json().code).toBe('competence.csv_needs_topic');
  });

  it('refuses an unknown region (404) and a missing one (400)', async () => {
    const unknown = await operator.get('/api/v1/competences/coverage?region=99');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('competence.unknown_region');
    const missing = await operator.get('/api/v1/competences/coverage');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('request.validation');
    const topic = await operator.get('/api/v1/competences/coverage?region=13&topic=tributi.tassa_inesistente');
    expect(topic.statusCode).toBe(422);
    expect(topic.json().code).toBe('competence.unknown_topic');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/competences/coverage?region=13' })).statusCode).toBe(401);
  });
});
