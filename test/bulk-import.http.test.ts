import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingInvitationLinks, runInvitationJob } from '../src/modules/identity/bulk-import/invitation-links.js';
import { buildTestApp, type Client, demoEmail, login, TEST_ENGINE, type TestApp } from './helpers/test-app.js';

/**
 * Bulk onboarding (issue 11) through the admin API, against the demo network: bodies from the IPA
 * register (both layouts, UTF-8 and Windows-1252, tab, comma and semicolon), offices with weekly
 * hours, people with roles; every bad line reported with its line and reason and nothing half
 * imported; re-imports update and never duplicate; invitations are queued jobs; a person of another
 * body is invited, never added.
 */
const FIXTURES = path.resolve('test/fixtures/onboarding');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

let t: TestApp;
let coordinator: Client;
let celanoAdmin: Client;
let napoliAdmin: Client;

beforeAll(async () => {
  t = await buildTestApp();
  coordinator = await login(t.app, demoEmail('coordinatore'));
  celanoAdmin = await login(t.app, demoEmail('admin', 'comune-celano'));
  napoliAdmin = await login(t.app, demoEmail('admin', 'comune-napoli'));
}, 120_000);
afterAll(async () => {
  await t?.close();
});

function upload(client: Client, kind: string, body: Buffer | string, query = '', headers: Record<string, string> = {}) {
  return client.request({ method: 'POST', url: `/api/v1/admin/imports/${kind}${query}`, payload: body, headers: { 'content-type': 'text/csv', ...headers } });
}

function multipart(filename: string, content: Buffer) {
  const head = Buffer.from(`--B\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`);
  return { payload: Buffer.concat([head, content, Buffer.from('\r\n--B--\r\n')]), headers: { 'content-type': 'multipart/form-data; boundary=B' } };
}

const db = () => t.database.db;
const organisation = (ipa: string) => db().selectFrom('organisations').selectAll().where('ipa_code', '=', ipa).executeTakeFirst();
const countOf = async (table: 'organisations' | 'offices' | 'users') => Number((await db().selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('organisations from the IPA register', () => {
  it('reads the old tab-separated layout: a dry run writes nothing, the import writes, a re-import changes nothing', async () => {
    const before = await countOf('organisations');
    const dry = await upload(coordinator, 'organisations', fixture('ipa-amministrazioni-vecchio.txt'), '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ kind: 'organisations', dryRun: true, written: false, layout: 'ipa_old', encoding: 'utf-8', separator: 'tab', rows: 5, accepted: 5, inserted: 4, updated: 1, unchanged: 0, problems: [] });
    // Columns of the export urpnet does not hold are listed, not silently dropped.
    expect(dry.json().columns.ignored).toEqual(expect.arrayContaining(['nome_resp', 'sito_istituzionale', 'liv_accessibili']));
    expect(dry.json().columns.used).toEqual(expect.arrayContaining(['cod_amm', 'des_amm', 'Provincia', 'tipologia_istat', 'Cf', 'mail1', 'tipo_mail1']));
    expect(await countOf('organisations')).toBe(before);

    const done = await upload(coordinator, 'organisations', fixture('ipa-amministrazioni-vecchio.txt'));
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ dryRun: false, written: true, inserted: 4, updated: 1 });
    expect(await countOf('organisations')).toBe(before + 4);
    expect(await organisation('c_g482')).toMatchObject({ slug: 'comune-di-pescara', name: 'Comune di Pescara', type: 'comune', istat_code: '068028', region_istat: '13', tax_code: '00124600685', email: 'urp@comune.pescara.it', pec: 'protocollo@pec.comune.pescara.it' });
    expect(await organisation('p_pe')).toMatchObject({ type: 'provincia', istat_code: '068', region_istat: '13', email: null });
    // An association of comuni is not a comune; the literal «null» of the export is no tax code.
    expect(await organisation('umvg_aq')).toMatchObject({ type: 'altro', istat_code: '066', tax_code: null });
    // The demo's Regione Abruzzo is updated by its IPA code, keeping its slug: never a second one.
    const abruzzo = await organisation('r_abruzz');
    expect(abruzzo).toMatchObject({ type: 'regione', istat_code: '13', tax_code: '80003170661', pec: 'protocollo@pec.regione.abruzzo.it' });
    expect(abruzzo?.slug).not.toContain('regione-abruzzo-');

    const again = await upload(coordinator, 'organisations', fixture('ipa-amministrazioni-vecchio.txt'));
    expect(again.json()).toMatchObject({ written: true, inserted: 0, updated: 0, unchanged: 5 });
    expect(await countOf('organisations')).toBe(before + 4);
  });

  it('reads the newer CSV layout (UTF-8 with BOM), says which columns it did not understand, and maps category codes', async () => {
    const res = await coordinator.request({ method: 'POST', url: '/api/v1/admin/imports/organisations', ...multipart('enti.csv', fixture('ipa-enti-nuovo.csv')) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ layout: 'ipa_new', encoding: 'utf-8-bom', separator: 'comma', rows: 3, inserted: 2, updated: 1, problems: [] });
    expect(res.json().columns.unknown).toEqual(['Colonna_misteriosa']);
    expect(await organisation('c_i804')).toMatchObject({ type: 'comune', istat_code: '066098', pec: 'protocollo@pec.comune.sulmona.aq.it', email: null });
    expect(await organisation('asl1_abr')).toMatchObject({ type: 'asl', istat_code: '066049', region_istat: '13' });
  });

  it('reads a Windows-1252 file with «;» separators without mangling accents', async () => {
    const bytes = fixture('enti-windows-1252.csv');
    expect(bytes.includes(Buffer.from('Città', 'utf8'))).toBe(false); // the fixture really is Windows-1252
    const res = await upload(coordinator, 'organisations', bytes);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ encoding: 'windows-1252', separator: 'semicolon', inserted: 2, problems: [] });
    expect((await organisation('cm_marsica'))?.name).toBe('Comunità Montana Montagna Marsicana');
    expect((await organisation('asp_sulmona'))?.name).toBe('Azienda pubblica di servizi alla persona «Città di Sulmona» – Società è più');
  });

  it('reports every bad line with its line and reason, and writes nothing unless asked to skip them', async () => {
    const bad = fixture('enti-righe-non-valide.csv');
    const refused = await upload(coordinator, 'organisations', bad);
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const problem = refused.json();
    expect(problem.code).toBe('import.bad_lines');
    expect(problem.detail).toContain('nulla è stato scritto');
    expect(problem.errors.map((e: { params: { line: number }; code: string }) => [e.params.line, e.code])).toEqual([
      [3, 'unknown_istat_code'],
      [4, 'comune_merged'],
      [5, 'duplicate_in_file'],
      [6, 'invalid_ipa_code'],
      [7, 'invalid_tax_code'],
    ]);
    // The merged comune names the comune that replaced it.
    expect(problem.errors[1].message).toContain('Moransengo-Tonengo (codice ISTAT 005122)');
    expect(problem.errors[2].message).toContain('compare già alla riga 2');
    expect(await organisation('c_f704')).toBeUndefined();

    const english = await upload(coordinator, 'organisations', bad, '?dryRun=true', { 'accept-language': 'en' });
    expect(english.statusCode).toBe(200);
    expect(english.json().problems[1]).toEqual({ line: 4, code: 'comune_merged', message: expect.stringContaining('merged into Moransengo-Tonengo (ISTAT code 005122)') });

    const skipped = await upload(coordinator, 'organisations', bad, '?onBadLine=skip');
    expect(skipped.statusCode, skipped.body).toBe(200);
    expect(skipped.json()).toMatchObject({ written: true, rows: 6, accepted: 1, inserted: 1 });
    expect(skipped.json().problems.map((p: { line: number }) => p.line)).toEqual([3, 4, 5, 6, 7]);
    expect(await organisation('c_f704')).toMatchObject({ name: 'Comune di Monza', istat_code: '108033', region_istat: '03' });
  });

  it('refuses files that are not CSV text and headers without the IPA code, as problems with stable codes', async () => {
    const utf16 = await upload(coordinator, 'organisations', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('cod_amm\tdes_amm\n', 'utf16le')]));
    expect(utf16.json().code).toBe('import.unsupported_encoding');
    const missing = await upload(coordinator, 'organisations', 'Nome;Comune\nEnte;Celano\n');
    expect(missing.statusCode).toBe(422);
    expect(missing.json().code).toBe('import.missing_columns');
    expect(missing.json().detail).toContain('cod_amm / Codice_IPA');
    const empty = await upload(coordinator, 'organisations', '');
    expect([400, 422]).toContain(empty.statusCode);
  });

  it('lets only the network coordination import bodies', async () => {
    const res = await upload(celanoAdmin, 'organisations', fixture('ipa-amministrazioni-vecchio.txt'));
    expect(res.statusCode).toBe(403);
  });
});

describe('offices', () => {
  it('imports offices with channels and weekly hours, keeps closures on update, and re-imports without duplicates', async () => {
    const celanoBefore = await db().selectFrom('offices').selectAll().where('slug', '=', 'celano-urp').executeTakeFirstOrThrow();
    const res = await upload(coordinator, 'offices', fixture('uffici.csv'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ separator: 'semicolon', rows: 4, inserted: 3, updated: 1, unchanged: 0, problems: [] });
    const pescara = await db().selectFrom('offices').selectAll().where('slug', '=', 'pescara-urp').executeTakeFirstOrThrow();
    expect(pescara).toMatchObject({ kind: 'urp', email: 'urp@comune.pescara.it', phone: '085 4283', channels: ['telefono', 'email', 'pec', 'web'] });
    expect((pescara.calendar as { weekly: Record<string, unknown> }).weekly).toEqual({
      mon: [{ open: '08:30', close: '12:30' }], tue: [{ open: '08:30', close: '12:30' }], wed: [{ open: '08:30', close: '12:30' }],
      thu: [{ open: '08:30', close: '12:30' }, { open: '15:00', close: '17:30' }], fri: [{ open: '08:30', close: '12:30' }],
    });
    const api = await coordinator.get(`/api/v1/offices/${pescara.id}`);
    expect(api.statusCode).toBe(200);
    expect(api.json().calendar.weekly.thu).toHaveLength(2);
    // Celano's URP: new weekly hours; empty cells keep its contacts and channels, its closures stay.
    const celano = await db().selectFrom('offices').selectAll().where('slug', '=', 'celano-urp').executeTakeFirstOrThrow();
    expect(celano.id).toBe(celanoBefore.id);
    expect(celano.phone).toBe(celanoBefore.phone);
    expect(celano.channels).toEqual(celanoBefore.channels);
    expect((celano.calendar as { closures: unknown[] }).closures).toEqual((celanoBefore.calendar as { closures: unknown[] }).closures);
    expect((celano.calendar as { weekly: Record<string, unknown[]> }).weekly.mon).toEqual([{ open: '09:00', close: '12:30' }, { open: '15:00', close: '17:00' }]);
    expect(celano.version).toBe(celanoBefore.version + 1);

    const again = await upload(coordinator, 'offices', fixture('uffici.csv'));
    expect(again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
  });

  it('reports overlapping hours, unknown kinds, unknown bodies and a code of another body, and writes nothing', async () => {
    const before = await countOf('offices');
    const res = await upload(coordinator, 'offices', fixture('uffici-non-validi.csv'));
    expect(res.statusCode).toBe(422);
    const errors = res.json().errors as { params: { line: number }; code: string; message: string }[];
    expect(errors.map((e) => [e.params.line, e.code])).toEqual([[3, 'overlapping_hours'], [4, 'invalid_kind'], [5, 'unknown_organisation'], [6, 'office_code_taken']]);
    expect(errors[0]!.message).toBe('orari sovrapposti il martedì: 09:00-13:00 e 12:00-15:00');
    expect(errors[3]!.message).toContain('Comune di Celano');
    expect(await countOf('offices')).toBe(before);
  });

  it("lets an organisation's administrator import only their body's offices", async () => {
    const noScope = await upload(celanoAdmin, 'offices', fixture('uffici.csv'));
    expect(noScope.statusCode).toBe(403);
    const napoli = await upload(napoliAdmin, 'offices', fixture('uffici.csv'), `?organisationId=${celanoAdmin.organisationId}`);
    expect(napoli.statusCode).toBe(403);
    const own = await upload(celanoAdmin, 'offices', fixture('uffici.csv'), `?organisationId=${celanoAdmin.organisationId}&dryRun=true`);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().problems.map((p: { line: number; code: string }) => [p.line, p.code])).toEqual([[2, 'other_organisation'], [3, 'other_organisation'], [4, 'other_organisation']]);
    expect(own.json()).toMatchObject({ accepted: 1, unchanged: 1 });
  });
});

describe('people', () => {
  const userByEmail = (email: string) => db().selectFrom('users').selectAll().where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase())).executeTakeFirst();

  it('creates accounts with roles, invites a person of another body instead of adding them, and queues the password links', async () => {
    const napoliOperator = (await userByEmail(demoEmail('operatore', 'comune-napoli')))!;
    const res = await upload(coordinator, 'users', fixture('persone.csv'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 5, accepted: 5, inserted: 3, updated: 0, rolesGranted: 4, invitations: 1, passwordLinks: 3, problems: [] });
    const pescara = (await organisation('c_g482'))!;
    const giulia = (await userByEmail('giulia.verdi@comune.pescara.it'))!;
    expect(giulia).toMatchObject({ name: 'Giulia Verdi', password_hash: null, home_organisation_id: pescara.id, locale: 'it' });
    const roles = await db().selectFrom('role_grants').innerJoin('offices', 'offices.id', 'role_grants.office_id').select(['role', 'offices.slug']).where('user_id', '=', giulia.id).orderBy('role').execute();
    expect(roles).toEqual([{ role: 'back_office', slug: 'pescara-tributi' }, { role: 'operator', slug: 'pescara-urp' }]);
    expect(await userByEmail('paolo.neri@comune.pescara.it')).toMatchObject({ email: 'Paolo.Neri@Comune.Pescara.it', locale: 'en' });
    // Napoli's operator is not made a member of Pescara behind their back: an invitation waits for them.
    const napoliInPescara = await db().selectFrom('role_grants').select('id').where('user_id', '=', napoliOperator.id).where('organisation_id', '=', pescara.id).execute();
    expect(napoliInPescara).toEqual([]);
    const invitation = await db().selectFrom('organisation_invitations').selectAll().where('organisation_id', '=', pescara.id).where('status', '=', 'pending').executeTakeFirstOrThrow();
    expect(invitation).toMatchObject({ email: napoliOperator.email, role: 'operator' });
    expect((await userByEmail(napoliOperator.email))?.name).toBe(napoliOperator.name);

    // Queued, not sent inline: no link exists until the job runs.
    expect(await db().selectFrom('invitation_links').select('id').execute()).toEqual([]);
    const links = await coordinator.get('/api/v1/admin/imports/password-links');
    expect(links.json().items).toEqual([]);
    const ran = await t.jobs.runDue();
    expect(ran.failed).toBe(0);
    const pending = (await coordinator.get('/api/v1/admin/imports/password-links')).json().items as { email: string; url: string; mailed: boolean; organisationName: string }[];
    expect(pending.map((l) => l.email).sort()).toEqual(['Paolo.Neri@Comune.Pescara.it', 'anna.blu@comune.laquila.it', 'giulia.verdi@comune.pescara.it']);
    expect(pending.every((l) => !l.mailed && /\/imposta-password#[A-Za-z0-9_-]{40,}$/.test(l.url))).toBe(true);
    // An organisation's administrator sees only the links of people their body's imports created.
    expect((await celanoAdmin.get(`/api/v1/admin/imports/password-links?organisationId=${celanoAdmin.organisationId}`)).json().items).toEqual([]);
    expect((await celanoAdmin.get('/api/v1/admin/imports/password-links')).statusCode).toBe(403);
    // Running the queue again issues nothing new.
    await t.jobs.runDue();
    expect((await db().selectFrom('invitation_links').select('id').execute())).toHaveLength(3);

    // The link sets the password once; used twice it is refused clearly.
    const token = pending.find((l) => l.email === 'giulia.verdi@comune.pescara.it')!.url.split('#')[1]!;
    const setPassword = () => t.app.inject({ method: 'POST', url: '/api/v1/auth/password-link', payload: { token, password: 'password-di-giulia' } });
    expect((await setPassword()).statusCode).toBe(200);
    const twice = await setPassword();
    expect(twice.statusCode).toBe(410);
    expect(twice.json().code).toBe('auth.password_link_invalid');
    const giuliaSession = await login(t.app, 'giulia.verdi@comune.pescara.it', 'password-di-giulia');
    expect(giuliaSession.memberships.map((m) => m.role).sort()).toEqual(['back_office', 'operator']);
    expect((await coordinator.get('/api/v1/admin/imports/password-links')).json().items).toHaveLength(2);
  });

  it('re-imports by e-mail, whatever its case, without duplicating accounts, roles or invitations', async () => {
    const users = await countOf('users');
    const changed = fixture('persone.csv').toString('utf8').replace('Paolo.Neri@Comune.Pescara.it,Paolo', 'paolo.neri@comune.pescara.it,Paolino');
    const res = await upload(coordinator, 'users', changed);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 0, updated: 1, unchanged: 4, rolesGranted: 0, invitations: 0, passwordLinks: 0 });
    expect(await countOf('users')).toBe(users);
    expect((await db().selectFrom('users').select('name').where('email', '=', 'Paolo.Neri@Comune.Pescara.it').executeTakeFirstOrThrow()).name).toBe('Paolino Neri');
  });

  it('reports unknown offices, offices of another body, unknown roles and the coordinator role from the web, and writes nothing', async () => {
    const users = await countOf('users');
    const res = await upload(coordinator, 'users', fixture('persone-non-valide.csv'));
    expect(res.statusCode).toBe(422);
    const errors = res.json().errors as { params: { line: number }; code: string; message: string }[];
    expect(errors.map((e) => [e.params.line, e.code])).toEqual([[2, 'unknown_office'], [3, 'coordinator_cli_only'], [4, 'unknown_office'], [5, 'invalid_role']]);
    expect(errors[0]!.message).toContain('«pescara-inesistente» inesistente in Comune di Pescara');
    expect(await countOf('users')).toBe(users);
    expect(await userByEmail('sara.viola@comune.pescara.it')).toBeUndefined();
  });

  it("restricts an organisation's administrator to their body: other bodies' rows are refused, their people invited, not renamed", async () => {
    const napoliOperator = (await userByEmail(demoEmail('operatore', 'comune-napoli')))!;
    const csv = `email,nome,codice_ipa,ruolo\n${napoliOperator.email},Nome Cambiato,c_c426,operator\nnuova.persona@comune.celano.aq.it,Nuova Persona,c_c426,operator\naltro@comune.pescara.it,Altro,c_g482,operator\n`;
    const res = await upload(celanoAdmin, 'users', csv, `?organisationId=${celanoAdmin.organisationId}&onBadLine=skip`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 1, invitations: 1, updated: 0 });
    expect(res.json().problems).toEqual([{ line: 4, code: 'other_organisation', message: expect.stringContaining('Comune di Celano') }]);
    expect((await userByEmail(napoliOperator.email))?.name).toBe(napoliOperator.name);
    const celanoId = celanoAdmin.organisationId;
    expect(await db().selectFrom('organisation_members').select('user_id').where('user_id', '=', napoliOperator.id).where('organisation_id', '=', celanoId).execute()).toEqual([]);
    const nuova = (await userByEmail('nuova.persona@comune.celano.aq.it'))!;
    expect(nuova.home_organisation_id).toBe(celanoId);
  });

  it('refuses a link after it expired', async () => {
    const nuova = (await userByEmail('nuova.persona@comune.celano.aq.it'))!;
    // The link is issued four days ago: it expired a day ago.
    const past = new Date(Date.now() - 96 * 3_600_000);
    await runInvitationJob(t.database.db, { secret: t.config.secret, baseUrl: t.config.baseUrl, mailer: null, now: () => past }, { userIds: [nuova.id] });
    const [link] = await pendingInvitationLinks(t.database.db, { secret: t.config.secret, baseUrl: t.config.baseUrl, organisationId: null, now: past });
    const expired = link ? await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-link', payload: { token: link.url.split('#')[1], password: 'password-lunga-abc' } }) : null;
    expect(expired?.statusCode).toBe(410);
    expect(expired?.json().code).toBe('auth.password_link_invalid');
    // Not listed for hand-over any more.
    const listed = (await celanoAdmin.get(`/api/v1/admin/imports/password-links?organisationId=${celanoAdmin.organisationId}`)).json().items;
    expect(listed).toEqual([]);
  });
});

describe('two imports of the same file at once', () => {
  it('never duplicates: the second waits or is refused with import.in_progress', async () => {
    const csv = Array.from({ length: 300 }, (_, i) => `ente_conc_${i},Ente concorrente numero ${i},altro`).join('\n');
    const body = `codice_ipa,denominazione,tipo\n${csv}\n`;
    const before = await countOf('organisations');
    const answers = await Promise.all([upload(coordinator, 'organisations', body), upload(coordinator, 'organisations', body)]);
    for (const a of answers) {
      expect([200, 409], a.body).toContain(a.statusCode);
      if (a.statusCode === 409) expect(a.json().code).toBe('import.in_progress');
    }
    expect(answers.some((a) => a.statusCode === 200 && a.json().inserted === 300)).toBe(true);
    expect(await countOf('organisations')).toBe(before + 300);
  });

  it.skipIf(TEST_ENGINE !== 'postgres')('refuses an import while another holds the lock (PostgreSQL: two connections)', async () => {
    const client = new pg.Client({ connectionString: (t.database.pool as unknown as { options: { connectionString: string } }).options.connectionString });
    await client.connect();
    try {
      await client.query('begin');
      await client.query("select pg_advisory_xact_lock(hashtext('urpnet.bulk-import'), hashtext('organisations'))");
      const res = await upload(coordinator, 'organisations', fixture('ipa-amministrazioni-vecchio.txt'));
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'import.in_progress', detail: expect.stringContaining('nulla è stato scritto') });
      // A dry run takes no lock: it still answers.
      expect((await upload(coordinator, 'organisations', fixture('ipa-amministrazioni-vecchio.txt'), '?dryRun=true')).statusCode).toBe(200);
    } finally {
      await client.query('rollback');
      await client.end();
    }
  });
});
