import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHoliday, parseCalendar } from '../src/modules/identity/index.js';
import { resolutionDueAt } from '../src/modules/tickets/index.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

/**
 * Patron saints and local closures in bulk (issue 11): POST /api/v1/admin/imports/closures with the
 * conventions of the other onboarding imports (dry run, all or nothing or the good lines only,
 * line-numbered problems, an organisation's administrator only for their body), and the SLA clock
 * of a ticket skipping what was imported.
 */
let t: TestApp;
let coordinator: Client;
let celanoAdmin: Client;
let napoliAdmin: Client;
let celanoOperator: Client;

beforeAll(async () => {
  t = await buildTestApp();
  coordinator = await login(t.app, demoEmail('coordinatore'));
  celanoAdmin = await login(t.app, demoEmail('admin', 'comune-celano'));
  napoliAdmin = await login(t.app, demoEmail('admin', 'comune-napoli'));
  celanoOperator = await login(t.app, demoEmail('operatore', 'comune-celano'));
}, 120_000);
afterAll(async () => {
  await t?.close();
});

function upload(client: Client, body: string, query = '', headers: Record<string, string> = {}) {
  return client.request({ method: 'POST', url: `/api/v1/admin/imports/closures${query}`, payload: body, headers: { 'content-type': 'text/csv', ...headers } });
}

async function celanoCalendar() {
  const office = await t.database.db.selectFrom('offices').select(['calendar', 'version']).where('slug', '=', 'celano-urp').executeTakeFirstOrThrow();
  return { calendar: parseCalendar(office.calendar), version: office.version };
}

/** 'YYYY-MM-DD' of `date` plus `days`, in Rome. */
function romeDay(date: Date, days = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date(date.getTime() + days * 86_400_000));
}

const PATRON_FILE = 'ente;ufficio;tipo;data;motivo\nc_c426;;patrono;27/08;Santi Martiri celanesi\n';

describe('patron days and closures from CSV', () => {
  it('imports a patron day for every office of a body: dry run first, then once; a re-import changes nothing; the SLA skips the day', async () => {
    const before = await celanoCalendar();
    // Wednesday 26 August 2026 at noon in Celano: four opening hours end on Thursday the 27th.
    const start = new Date('2026-08-26T10:00:00Z');
    const dueBefore = resolutionDueAt(before.calendar, 'urgent', start);
    expect(dueBefore.toISOString().slice(0, 10)).toBe('2026-08-27');

    const dry = await upload(coordinator, PATRON_FILE, '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ kind: 'closures', dryRun: true, written: false, separator: 'semicolon', rows: 1, accepted: 1, inserted: 1, updated: 0, unchanged: 0, offices: 1, problems: [] });
    expect((await celanoCalendar()).version).toBe(before.version);

    const done = await upload(coordinator, PATRON_FILE);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ written: true, inserted: 1, offices: 1 });
    const after = await celanoCalendar();
    expect(after.calendar.patronDays).toEqual([{ month: 8, day: 27, name: 'Santi Martiri celanesi' }]);
    // The weekly hours are as they were.
    expect(after.calendar.weekly).toEqual(before.calendar.weekly);
    expect(isHoliday(after.calendar, new Date('2026-08-27T10:00:00Z'))).toEqual({ holiday: true, name: 'Santi Martiri celanesi' });
    expect(resolutionDueAt(after.calendar, 'urgent', start).toISOString().slice(0, 10)).toBe('2026-08-28');

    const again = await upload(coordinator, PATRON_FILE);
    expect(again.json()).toMatchObject({ written: true, inserted: 0, updated: 0, unchanged: 1, offices: 0 });
    expect((await celanoCalendar()).version).toBe(after.version);
  });

  it('a ticket opened in an office closed from today for ten days is due after the closure', async () => {
    const today = romeDay(new Date());
    const last = romeDay(new Date(), 9);
    const file = `ente,ufficio,tipo,dal,al,motivo\nc_c426,celano-urp,chiusura,${today},${last},Trasloco degli uffici\n`;
    const res = await upload(celanoAdmin, file, `?organisationId=${celanoOperator.organisationId}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ separator: 'comma', inserted: 1, offices: 1 });
    const ticket = await celanoOperator.post('/api/v1/tickets', ticketInput(celanoOperator, { priority: 'urgent' }));
    expect(ticket.statusCode, ticket.body).toBe(201);
    expect(romeDay(new Date(ticket.json().dueAt)) > last).toBe(true);
    // Without the closure, four opening hours never take ten days.
    const { calendar } = await celanoCalendar();
    const withoutClosure = { ...calendar, closures: calendar.closures.filter((c) => c.reason !== 'Trasloco degli uffici') };
    expect(romeDay(resolutionDueAt(withoutClosure, 'urgent', new Date())) <= last).toBe(true);
  });

  it('reports every bad line with its number and writes nothing, or the good lines only when asked', async () => {
    const { calendar, version } = await celanoCalendar();
    const closure = calendar.closures[0]!;
    const shown = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
    const file = [
      'Ente;Ufficio;Tipo;Data;Dal;Al;Motivo',
      'c_c426;celano-urp;chiusura;;24/12/2030;31/12/2030;Chiusura natalizia', // 2: good
      'c_zzzz;;chiusura;01/05/2030;;;Sconosciuto', // 3: unknown body
      'c_c426;ufficio-inesistente;chiusura;01/05/2030;;;Ufficio sconosciuto', // 4: unknown office
      'c_c426;celano-urp;chiusura;31/02/2030;;;Data impossibile', // 5: bad date
      'c_c426;celano-urp;chiusura;;10/06/2030;01/06/2030;Date invertite', // 6: to before from
      `c_c426;celano-urp;chiusura;;${shown(closure.from)};${shown(closure.from)};Sovrapposta`, // 7: overlaps the stored closure
      'c_c426;celano-urp;chiusura;;28/12/2030;02/01/2031;Sovrapposta nel file', // 8: overlaps line 2
      'c_c426;celano-urp;ferie;01/08/2030;;;Tipo sconosciuto', // 9: bad kind
      'c_c426;celano-urp;patrono;30/02;;;San Nessuno', // 10: no such day
      'c_c426;celano-urp;chiusura;2030-11-02;;;Commemorazione', // 11: good, ISO date
    ].join('\n');
    const refused = await upload(coordinator, file, '', { 'accept-language': 'en' });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const problem = refused.json();
    expect(problem.code).toBe('import.bad_lines');
    expect(problem.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ['line 3', 'unknown_organisation'], ['line 4', 'unknown_office'], ['line 5', 'invalid_date'], ['line 6', 'dates_reversed'],
      ['line 7', 'overlapping_closure'], ['line 8', 'overlapping_closure'], ['line 9', 'invalid_closure_kind'], ['line 10', 'invalid_date'],
    ]);
    expect(problem.errors[5].message).toContain('line 2');
    expect(problem.errors[4].message).toContain('already recorded');
    expect((await celanoCalendar()).version).toBe(version);

    const skipped = await upload(coordinator, file, '?onBadLine=skip');
    expect(skipped.statusCode, skipped.body).toBe(200);
    expect(skipped.json()).toMatchObject({ written: true, rows: 10, accepted: 2, inserted: 2, offices: 1 });
    expect(skipped.json().problems).toHaveLength(8);
    expect(skipped.json().problems[0]).toMatchObject({ line: 3, code: 'unknown_organisation', message: expect.stringContaining('c_zzzz') });
    const stored = (await celanoCalendar()).calendar.closures;
    expect(stored).toEqual(expect.arrayContaining([
      { from: '2030-12-24', to: '2030-12-31', reason: 'Chiusura natalizia' },
      { from: '2030-11-02', to: '2030-11-02', reason: 'Commemorazione' },
    ]));
    // A new reason for the same dates updates the entry; the same file again changes nothing.
    const renamed = await upload(coordinator, 'ente;ufficio;tipo;dal;al;motivo\nc_c426;celano-urp;chiusura;24/12/2030;31/12/2030;Festività natalizie\n');
    expect(renamed.json()).toMatchObject({ inserted: 0, updated: 1 });
    // The same entry twice in one file with two names is a line problem, not a silent overwrite.
    const twice = await upload(coordinator, 'ente;ufficio;tipo;data;motivo\nc_c426;;patrono;27/08;Santi Martiri\nc_c426;;patrono;27/08;San Vittorino\n');
    expect(twice.statusCode).toBe(422);
    expect(twice.json().errors).toMatchObject([{ path: 'riga 3', code: 'conflicting_entry' }]);
  });

  it("lets an organisation's administrator import only their body's lines, and nobody else", async () => {
    const mixed = 'ente;ufficio;tipo;data;motivo\nc_c426;;chiusura;03/03/2031;Assemblea\nc_f839;;chiusura;03/03/2031;Assemblea\n';
    const napoliScope = `?organisationId=${napoliAdmin.organisationId}`;
    const own = await upload(napoliAdmin, mixed, `${napoliScope}&dryRun=true`);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().problems).toMatchObject([{ line: 2, code: 'other_organisation' }]);
    expect(own.json()).toMatchObject({ accepted: 1 });
    // Without naming their body, or naming another, an administrator is refused before the file is read.
    expect((await upload(napoliAdmin, mixed)).statusCode).toBe(403);
    expect((await upload(napoliAdmin, mixed, `?organisationId=${celanoAdmin.organisationId}`)).statusCode).toBe(403);
    const operator = await upload(celanoOperator, mixed, `?organisationId=${celanoOperator.organisationId}`);
    expect(operator.statusCode).toBe(403);
    expect(operator.json().code).toBe('auth.forbidden');
    const missing = await upload(coordinator, 'ente;motivo\nc_c426;Nulla\n');
    expect(missing.statusCode).toBe(422);
    expect(missing.json().code).toBe('import.missing_columns');
  });
});
