import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privacyRetentionJob, runRetention } from '../src/modules/privacy/index.js';
import { closeExpiredResolvedTickets } from '../src/modules/tickets/index.js';
import { createJobRunner, type JobRunner, poolExecutor } from '../src/platform/jobs/index.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

/*
 * Retention of live personal data and the data subject's requests (issue 13), through HTTP against a
 * real database. The key checks look for the person's distinctive values in EVERY table of the
 * database (each row cast to text) and in every file under DATA_DIR: none may be left.
 */

let t: TestApp;
let celano: Client;
let celanoAdmin: Client;
let napoli: Client;
let napoliAdmin: Client;
let coordinator: Client;
const runners: JobRunner[] = [];

const DAY_MS = 86_400_000;

beforeAll(async () => {
  t = await buildTestApp();
  celano = await login(t.app, demoEmail('operatore', 'comune-celano'));
  celanoAdmin = await login(t.app, demoEmail('admin', 'comune-celano'));
  napoli = await login(t.app, demoEmail('operatore', 'comune-napoli'));
  napoliAdmin = await login(t.app, demoEmail('admin', 'comune-napoli'));
  coordinator = await login(t.app, demoEmail('coordinatore'));
});
afterAll(async () => {
  for (const r of runners) await r.stop();
  await t?.close();
});

interface Person {
  name: string;
  email: string;
  phone: string;
  fiscalCode: string;
}

/** The values to look for: the person's, as stored and as written in text, and the attachment's content. */
const needlesOf = (p: Person, secret: string) => [
  p.name.split(' ')[1]!, p.email, p.email.split('@')[0]!, p.phone.replace(/\D/g, '').slice(-7), p.fiscalCode, secret,
];

function upload(client: Client, code: string, filename: string, content: string) {
  return client.request({
    method: 'POST', url: `/api/v1/tickets/${code}/attachments`, headers: { 'content-type': 'multipart/form-data; boundary=B' },
    payload: `--B\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n--B--\r\n`,
  });
}

/**
 * A ticket full of the person's data: requester, subject and description, a reply and a note quoting
 * them, an attachment, a subject change (the history keeps the old subject), a share whose reason
 * names them (notifications and outbox), created with an idempotency key (the stored response).
 */
async function ticketAbout(client: Client, p: Person, secret: string): Promise<{ code: string; id: string }> {
  const created = await client.post('/api/v1/tickets', ticketInput(client, {
    subject: `${p.name} chiede il rinnovo della CIE`,
    description: `Scrive da ${p.email}, telefono ${p.phone.replace('+39 ', '')}, codice fiscale ${p.fiscalCode}.`,
    requester: { name: p.name, email: p.email, phone: p.phone, fiscalCode: p.fiscalCode },
  }), { 'idempotency-key': `privacy-${randomBytes(6).toString('hex')}` });
  expect(created.statusCode, created.body).toBe(201);
  const { code, id } = created.json() as { code: string; id: string };
  const reply = await client.post(`/api/v1/tickets/${code}/messages`, { kind: 'reply', body: `Gentile ${p.name}, la richiameremo al ${p.phone}.` });
  expect(reply.statusCode, reply.body).toBe(201);
  expect((await client.post(`/api/v1/tickets/${code}/messages`, { kind: 'note', body: `Il sig. ${p.name.split(' ')[1]} (${p.fiscalCode}) ha già chiamato.` })).statusCode).toBe(201);
  const file = await upload(client, code, 'documento.txt', `${secret} — documento di ${p.name}`);
  expect(file.statusCode, file.body).toBe(201);
  const current = await client.get(`/api/v1/tickets/${code}`);
  const patched = await client.patch(`/api/v1/tickets/${code}`, { subject: 'Rinnovo della carta d’identità elettronica' }, { 'if-match': current.headers.etag as string });
  expect(patched.statusCode, patched.body).toBe(200);
  const offices = (await client.get('/api/v1/offices')).json().items as { id: string; slug: string }[];
  const other = offices.find((o) => o.slug === 'cagliari-urp')!;
  const share = await client.post(`/api/v1/tickets/${code}/shares`, { officeId: other.id, mode: 'consult', reason: `Parere sulla pratica di ${p.name}` });
  expect(share.statusCode, share.body).toBe(201);
  await t.events.drain();
  return { code, id };
}

/** Every row of every table (all schemas but the catalogues) that holds one of the values, as `table: row`. */
async function rowsHolding(values: readonly string[]): Promise<string[]> {
  const tables = await sql<{ schema: string; name: string }>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`.execute(t.database.db);
  expect(tables.rows.length).toBeGreaterThan(50);
  const patterns = values.map((v) => `%${v}%`);
  const found: string[] = [];
  for (const { schema, name } of tables.rows) {
    const rows = await sql<{ row: string }>`select x::text as row from ${sql.table(`${schema}.${name}`)} x where x::text ilike any(${patterns}::text[])`.execute(t.database.db);
    for (const r of rows.rows) found.push(`${schema}.${name}: ${r.row.slice(0, 300)}`);
  }
  return found;
}

/** Files under DATA_DIR (the attachment store included) whose content or name holds one of the values. */
async function filesHolding(values: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(t.config.dataDir, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    const text = (await readFile(file)).toString('latin1').toLowerCase();
    for (const v of values) if (text.includes(v.toLowerCase()) || file.toLowerCase().includes(v.toLowerCase())) found.push(`${file}: ${v}`);
  }
  return found;
}

async function closeLongAgo(client: Client, code: string): Promise<Date> {
  const current = await client.get(`/api/v1/tickets/${code}`);
  const res = await client.post(`/api/v1/tickets/${code}/status`, { status: 'resolved', outcome: 'risposta_fornita' }, { 'if-match': current.headers.etag as string });
  expect(res.statusCode, res.body).toBe(200);
  const closedAt = new Date(Date.now() + 30 * DAY_MS);
  await closeExpiredResolvedTickets(t.database.db, closedAt);
  expect((await client.get(`/api/v1/tickets/${code}`)).json().status).toBe('closed');
  return closedAt;
}

describe('retention of live personal data', () => {
  it('purges every trace of a requester of tickets closed beyond the retention period, and nothing younger', async () => {
    const person: Person = { name: 'Zebedeo Quaglierini', email: 'zebedeo.quaglierini@esempio.it', phone: '+39 347 9182736', fiscalCode: 'QGLZBD80A01C426K' };
    const secret = 'CONTENUTO-RISERVATO-QGL';
    const young: Person = { name: 'Ermenegilda Tontodonati', email: 'ermenegilda.tontodonati@esempio.it', phone: '+39 348 5566771', fiscalCode: 'TNTRNG75B41C426Q' };
    const youngSecret = 'CONTENUTO-RISERVATO-TNT';
    const old = await ticketAbout(celano, person, secret);
    const kept = await ticketAbout(celano, young, youngSecret);
    // A citizen's portal search with the recognisable values (the recogniser scrubs them at storage).
    await t.app.inject({ method: 'POST', url: '/api/v1/portal/faq/events', payload: { sessionId: randomBytes(12).toString('hex'), kind: 'search', query: `${person.email} ${person.fiscalCode} rinnovo carta identità` } });
    const closedAt = await closeLongAgo(celano, old.code);
    await t.events.drain();
    const needles = needlesOf(person, secret);
    expect((await rowsHolding(needles)).length).toBeGreaterThan(5);
    expect(await filesHolding([secret])).toHaveLength(1);

    // The nightly job, run 25 months after the close (defaults: 24 months).
    const now = new Date(closedAt.getTime() + 25 * 31 * DAY_MS);
    const runner = createJobRunner(poolExecutor(t.database.pool), { mode: 'manual' });
    runners.push(runner);
    runner.define(privacyRetentionJob(t.database.db, { dataDir: t.config.dataDir, now: () => now }));
    await runner.send('privacy.retention', {});
    expect(await runner.runDue()).toEqual({ completed: 1, failed: 0 });

    expect(await rowsHolding(needles)).toEqual([]);
    expect(await filesHolding(needles)).toEqual([]);
    // The ticket itself stays, its text scrubbed, its requester anonymised.
    const ticket = (await celano.get(`/api/v1/tickets/${old.code}`)).json();
    expect(ticket).toMatchObject({ status: 'closed', code: old.code });
    expect(ticket.subject).not.toContain('Quaglierini');
    expect(ticket.requester === null || (ticket.requester.name === null && ticket.requester.email === null)).toBe(true);
    expect((await celano.get(`/api/v1/tickets/${old.code}/attachments`)).json().items ?? []).toEqual([]);

    // The ticket that is still open keeps everything.
    expect((await rowsHolding(needlesOf(young, youngSecret))).length).toBeGreaterThan(5);
    expect(await filesHolding([youngSecret])).toHaveLength(1);
    expect((await celano.get(`/api/v1/tickets/${kept.code}`)).json().requester.name).toBe(young.name);

    // Counts (never data) are recorded per organisation; a second run finds nothing more to do.
    const runs = (await celanoAdmin.get(`/api/v1/privacy/retention-runs?organisationId=${celano.organisationId}`)).json().items;
    expect(runs[0]).toMatchObject({ organisationId: celano.organisationId, trigger: 'schedule' });
    expect(runs[0].counts).toMatchObject({ tickets: 1, requesters: 1, attachments: 1, files: 1 });
    expect(runs[0].counts.messages).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(runs)).not.toContain('Quaglierini');
    const again = await runRetention(t.database.db, t.config.dataDir, { now, trigger: 'manual', organisationId: celano.organisationId });
    expect(again.runs[0]!.counts).toMatchObject({ tickets: 0, attachments: 0, files: 0 });
  });

  it('follows each organisation\'s periods (attachments and requester apart) and finishes after a crash mid-way', async () => {
    const url = `/api/v1/organisations/${napoliAdmin.organisationId}/retention`;
    const policy = await napoliAdmin.request({ method: 'PUT', url, payload: { requesterMonths: 24, attachmentMonths: 3 }, headers: { 'if-match': '"0"' } });
    expect(policy.statusCode, policy.body).toBe(200);
    const people: Person[] = [
      { name: 'Adalgisa Cuccurullo', email: 'adalgisa.cuccurullo@esempio.it', phone: '+39 331 2223334', fiscalCode: 'CCCDLG66E41F839A' },
      { name: 'Teodolinda Esposito', email: 'teodolinda.esposito@esempio.it', phone: '+39 331 5556667', fiscalCode: 'SPSTDL71H41F839B' },
    ];
    const codes: string[] = [];
    for (const [i, p] of people.entries()) {
      const created = await napoli.post('/api/v1/tickets', ticketInput(napoli, { subject: `Pratica di ${p.name}`, requester: { name: p.name, email: p.email, phone: p.phone, fiscalCode: p.fiscalCode } }));
      expect(created.statusCode, created.body).toBe(201);
      codes.push(created.json().code);
      expect((await upload(napoli, created.json().code, 'allegato.txt', `ALLEGATO-NAPOLI-${i}`)).statusCode).toBe(201);
    }
    let closedAt = new Date(0);
    for (const code of codes) closedAt = await closeLongAgo(napoli, code);
    const only = { organisationId: napoli.organisationId, trigger: 'manual' as const };

    // After 4 months: the attachments are gone (3 months), the requesters stay (24 months).
    const early = await runRetention(t.database.db, t.config.dataDir, { ...only, now: new Date(closedAt.getTime() + 4 * 31 * DAY_MS) });
    expect(early.runs[0]!.counts).toMatchObject({ attachments: 2, files: 2, tickets: 0, requesters: 0 });
    expect(await filesHolding(['ALLEGATO-NAPOLI-'])).toEqual([]);
    expect((await napoli.get(`/api/v1/tickets/${codes[0]}`)).json().requester.name).toBe(people[0]!.name);

    // After 25 months, one ticket per batch, the first run crashing after its first batch: the next one finishes.
    const late = new Date(closedAt.getTime() + 25 * 31 * DAY_MS);
    let batches = 0;
    await expect(runRetention(t.database.db, t.config.dataDir, { ...only, now: late, batchSize: 1, afterBatch: () => {
      batches++;
      if (batches === 1) throw new Error('crash');
    } })).rejects.toThrow('crash');
    expect((await rowsHolding(people.flatMap((p) => [p.email, p.fiscalCode]))).length).toBeGreaterThan(0);
    const rest = await runRetention(t.database.db, t.config.dataDir, { ...only, now: late, batchSize: 1 });
    expect(rest.runs[0]!.counts).toMatchObject({ tickets: 1, requesters: 1 });
    expect(await rowsHolding(people.flatMap((p) => [p.email, p.fiscalCode, p.name.split(' ')[0]!]))).toEqual([]);
  });

  it('lets an organisation administrator set its periods (1–120 months, If-Match), and nobody else', async () => {
    const url = `/api/v1/organisations/${celanoAdmin.organisationId}/retention`;
    const current = await celanoAdmin.get(url);
    expect(current.statusCode, current.body).toBe(200);
    expect(current.json()).toMatchObject({ requesterMonths: 24, attachmentMonths: 24, isDefault: true, version: 0 });
    for (const bad of [{ requesterMonths: 0, attachmentMonths: 12 }, { requesterMonths: 12, attachmentMonths: 121 }, { requesterMonths: 1.5, attachmentMonths: 12 }, { requesterMonths: 12 }]) {
      const res = await celanoAdmin.request({ method: 'PUT', url, payload: bad, headers: { 'if-match': '"0"' } });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('request.validation');
    }
    expect((await celanoAdmin.request({ method: 'PUT', url, payload: { requesterMonths: 12, attachmentMonths: 6 } })).statusCode).toBe(428);
    const saved = await celanoAdmin.request({ method: 'PUT', url, payload: { requesterMonths: 12, attachmentMonths: 6 }, headers: { 'if-match': current.headers.etag as string } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ requesterMonths: 12, attachmentMonths: 6, isDefault: false, version: 1 });
    const stale = await celanoAdmin.request({ method: 'PUT', url, payload: { requesterMonths: 36, attachmentMonths: 36 }, headers: { 'if-match': '"0"' } });
    expect(stale.statusCode).toBe(412);
    expect((await napoliAdmin.get(url)).statusCode).toBe(403);
    expect((await napoliAdmin.request({ method: 'PUT', url, payload: { requesterMonths: 1, attachmentMonths: 1 }, headers: { 'if-match': '*' } })).statusCode).toBe(403);
    expect((await celano.get(url)).statusCode).toBe(403);
    expect((await coordinator.get(url)).statusCode).toBe(200);
  });
});

describe('erasure and access requests (GDPR art. 17 and 15)', () => {
  it('answers clearly when nobody matches, and refuses a search without criteria', async () => {
    const res = await celanoAdmin.post('/api/v1/privacy/requests/search', { email: 'nessuno.mai.visto@esempio.it' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ found: false, ambiguous: false, candidates: [] });
    const none = await celanoAdmin.post('/api/v1/privacy/requests/search', {});
    expect(none.statusCode).toBe(422);
    expect(none.json().code).toBe('privacy.no_criteria');
    expect((await celano.post('/api/v1/privacy/requests/search', { email: 'x@esempio.it' })).statusCode).toBe(403);
  });

  it('erases a person across every organisation that held them: no trace left in any table or file', async () => {
    const person: Person = { name: 'Fortunata Scannapieco', email: 'fortunata.scannapieco@esempio.it', phone: '+39 339 7172737', fiscalCode: 'SCNFTN70C41F839M' };
    const secret = 'CONTENUTO-RISERVATO-SCN';
    const inCelano = await ticketAbout(celano, person, secret);
    const inNapoli = await napoli.post('/api/v1/tickets', ticketInput(napoli, {
      subject: 'Certificato di residenza', description: `Per ${person.name}, recapito ${person.email}.`,
      requester: { name: person.name, email: person.email, phone: null, fiscalCode: person.fiscalCode },
    }));
    expect(inNapoli.statusCode, inNapoli.body).toBe(201);
    // A portal search with the person's name (which the recogniser may not know) and a FAQ gap.
    await t.app.inject({ method: 'POST', url: '/api/v1/portal/faq/events', payload: { sessionId: randomBytes(12).toString('hex'), kind: 'search', query: `Scannapieco pensione di reversibilità` } });
    await t.events.drain();
    const needles = needlesOf(person, secret);
    expect((await rowsHolding(needles)).length).toBeGreaterThan(5);

    // The Celano desk finds one person; it sees Celano's records in full, Napoli's only as counts.
    const search = await celanoAdmin.post('/api/v1/privacy/requests/search', { fiscalCode: person.fiscalCode.toLowerCase(), name: person.name });
    expect(search.statusCode, search.body).toBe(200);
    const body = search.json();
    expect(body).toMatchObject({ found: true, ambiguous: false });
    const [candidate] = body.candidates;
    expect(candidate.organisations.map((o: { organisationId: string }) => o.organisationId).sort()).toEqual([celano.organisationId, napoli.organisationId].sort());
    expect(candidate.organisations.find((o: { organisationId: string }) => o.organisationId === napoli.organisationId)).toMatchObject({ requesters: 1, tickets: 1 });
    expect(candidate.records).toHaveLength(1);
    expect(candidate.records[0]).toMatchObject({ organisationId: celano.organisationId, email: person.email, ticketCodes: [inCelano.code] });
    expect(search.body).not.toContain(inNapoli.json().code);
    // Napoli's administrator sees the same person, but only Napoli's record in full.
    const fromNapoli = (await napoliAdmin.post('/api/v1/privacy/requests/search', { email: person.email })).json();
    expect(fromNapoli.candidates[0].records.map((r: { organisationId: string }) => r.organisationId)).toEqual([napoli.organisationId]);
    expect(JSON.stringify(fromNapoli)).not.toContain(inCelano.code);

    // Without confirmation nothing happens.
    const unconfirmed = await celanoAdmin.post('/api/v1/privacy/requests', { kind: 'erasure', criteria: { fiscalCode: person.fiscalCode, name: person.name }, candidates: [candidate.id], confirm: false });
    expect(unconfirmed.statusCode).toBe(422);
    expect(unconfirmed.json().code).toBe('privacy.confirmation_required');
    // An access export of the same person still waiting to be downloaded: the erasure drops it too.
    const access = await celanoAdmin.post('/api/v1/privacy/requests', { kind: 'access', criteria: { fiscalCode: person.fiscalCode }, candidates: [candidate.id], confirm: true });
    expect(access.statusCode, access.body).toBe(201);
    // An event not delivered yet when the request is executed (a task naming the person).
    const task = await celano.post(`/api/v1/tickets/${inCelano.code}/tasks`, { officeId: celano.officeId, title: `Richiamare ${person.name}` });
    expect(task.statusCode, task.body).toBe(201);
    const erased = await celanoAdmin.post('/api/v1/privacy/requests', { kind: 'erasure', criteria: { fiscalCode: person.fiscalCode, name: person.name }, candidates: [candidate.id], confirm: true });
    expect(erased.statusCode, erased.body).toBe(201);
    expect(erased.json()).toMatchObject({ kind: 'erasure', status: 'executed', organisationId: celano.organisationId, criteriaKinds: ['fiscalCode', 'name'], candidateCount: 1 });
    expect(erased.json().result).toMatchObject({ tickets: 2, attachments: 1, files: 1, tasks: 1 });
    expect(erased.json().result.pendingEvents).toBeGreaterThanOrEqual(1);
    expect(erased.json().result.exports).toBe(1);
    expect((await celanoAdmin.get(`/api/v1/privacy/requests/${access.json().id}/export`)).statusCode).toBe(410);
    expect(await rowsHolding(needles)).toEqual([]);
    await t.events.drain();

    expect(await rowsHolding(needles)).toEqual([]);
    expect(await filesHolding(needles)).toEqual([]);
    // The tickets stay (open, with their codes), without the person.
    expect((await celano.get(`/api/v1/tickets/${inCelano.code}`)).json().status).not.toBe('closed');
    expect((await celanoAdmin.post('/api/v1/privacy/requests/search', { fiscalCode: person.fiscalCode })).json().found).toBe(false);
    // The request is listed without personal data, to Celano and the coordination, not to Napoli.
    const listed = await celanoAdmin.get('/api/v1/privacy/requests');
    expect(listed.json().items.map((r: { id: string }) => r.id)).toContain(erased.json().id);
    expect((await coordinator.get(`/api/v1/privacy/requests/${erased.json().id}`)).statusCode).toBe(200);
    expect((await napoliAdmin.get(`/api/v1/privacy/requests/${erased.json().id}`)).statusCode).toBe(404);
    expect((await napoliAdmin.get('/api/v1/privacy/requests')).json().items.map((r: { id: string }) => r.id)).not.toContain(erased.json().id);
  });

  it('lists different people with the same name as candidates and executes only the confirmed one', async () => {
    const first: Person = { name: 'Gaudenzio Sbaraglia', email: 'g.sbaraglia@esempio.it', phone: '+39 320 1112223', fiscalCode: 'SBRGDN60A01C426V' };
    const second: Person = { name: 'Gaudenzio Sbaraglia', email: 'gaudenzio.s@esempio.it', phone: '+39 320 4445556', fiscalCode: 'SBRGDN91M21F839P' };
    for (const p of [first, second]) {
      const res = await celano.post('/api/v1/tickets', ticketInput(celano, { requester: { name: p.name, email: p.email, phone: p.phone, fiscalCode: p.fiscalCode } }));
      expect(res.statusCode, res.body).toBe(201);
    }
    const search = (await celanoAdmin.post('/api/v1/privacy/requests/search', { name: 'gaudenzio  SBARAGLIA' })).json();
    expect(search).toMatchObject({ found: true, ambiguous: true });
    expect(search.candidates).toHaveLength(2);
    const chosen = search.candidates.find((c: { records: { fiscalCode: string }[] }) => c.records[0]!.fiscalCode === first.fiscalCode);
    const wrong = await celanoAdmin.post('/api/v1/privacy/requests', { kind: 'erasure', criteria: { name: first.name }, candidates: ['non-esiste'], confirm: true });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().code).toBe('privacy.candidates_changed');
    const done = await celanoAdmin.post('/api/v1/privacy/requests', { kind: 'erasure', criteria: { name: first.name }, candidates: [chosen.id], confirm: true });
    expect(done.statusCode, done.body).toBe(201);
    expect(await rowsHolding([first.fiscalCode, first.email])).toEqual([]);
    expect((await rowsHolding([second.fiscalCode, second.email])).length).toBeGreaterThan(0);
    const after = (await celanoAdmin.post('/api/v1/privacy/requests/search', { name: first.name })).json();
    expect(after.candidates).toHaveLength(1);
    expect(after.candidates[0].records[0].fiscalCode).toBe(second.fiscalCode);
  });

  it('exports everything held about a person across organisations, once, to the administrator who asked', async () => {
    const person: Person = { name: 'Rosalinda Pappalardo', email: 'rosalinda.pappalardo@esempio.it', phone: '+39 333 9090901', fiscalCode: 'PPPRLN82D50C351Z' };
    const inCelano = await ticketAbout(celano, person, 'CONTENUTO-RISERVATO-PPP');
    const inNapoli = (await napoli.post('/api/v1/tickets', ticketInput(napoli, { subject: 'Tributi', requester: { name: person.name, email: person.email, phone: null, fiscalCode: null } }))).json();
    const candidate = (await celanoAdmin.post('/api/v1/privacy/requests/search', { email: person.email })).json().candidates[0];
    const created = await celanoAdmin.post('/api/v1/privacy/requests', { kind: 'access', criteria: { email: person.email }, candidates: [candidate.id], confirm: true });
    expect(created.statusCode, created.body).toBe(201);
    const request = created.json();
    expect(request).toMatchObject({ kind: 'access', exportAvailable: true, criteriaKinds: ['email'] });
    expect(created.body).not.toContain(person.email);
    // Nobody else downloads it: Napoli does not even see the request, the coordination sees it but did not ask.
    expect((await napoliAdmin.get(`/api/v1/privacy/requests/${request.id}/export`)).statusCode).toBe(404);
    expect((await coordinator.get(`/api/v1/privacy/requests/${request.id}/export`)).statusCode).toBe(410);
    const exported = await celanoAdmin.get(`/api/v1/privacy/requests/${request.id}/export`);
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.headers['content-disposition']).toContain('attachment');
    expect(exported.headers['cache-control']).toBe('no-store');
    const data = exported.json();
    expect(data.requesters).toHaveLength(2);
    expect(data.tickets.map((x: { code: string }) => x.code).sort()).toEqual([inCelano.code, inNapoli.code].sort());
    const celanoTicket = data.tickets.find((x: { code: string }) => x.code === inCelano.code);
    expect(celanoTicket.requester).toMatchObject({ name: person.name, email: person.email, fiscalCode: person.fiscalCode });
    expect(celanoTicket.messages.map((m: { body: string }) => m.body).join(' ')).toContain(person.name);
    expect(celanoTicket.attachments).toEqual([expect.objectContaining({ filename: 'documento.txt' })]);
    // Once only: the export is gone from the database.
    const twice = await celanoAdmin.get(`/api/v1/privacy/requests/${request.id}/export`);
    expect(twice.statusCode).toBe(410);
    expect(twice.json().code).toBe('privacy.export_gone');
    expect((await celanoAdmin.get(`/api/v1/privacy/requests/${request.id}`)).json()).toMatchObject({ exportAvailable: false });
    const held = await sql<{ n: number }>`select count(*)::int as n from data_subject_requests where export::text ilike ${`%${person.email}%`}`.execute(t.database.db);
    expect(held.rows[0]!.n).toBe(0);

    // An export nobody downloads expires: the nightly run removes it after 7 days.
    const unclaimed = (await celanoAdmin.post('/api/v1/privacy/requests', { kind: 'access', criteria: { email: person.email }, candidates: [candidate.id], confirm: true })).json();
    expect(unclaimed.exportAvailable).toBe(true);
    const later = await runRetention(t.database.db, t.config.dataDir, { now: new Date(Date.now() + 8 * DAY_MS), trigger: 'manual' });
    expect(later.network.exports).toBeGreaterThanOrEqual(1);
    expect((await celanoAdmin.get(`/api/v1/privacy/requests/${unclaimed.id}`)).json().exportAvailable).toBe(false);
    expect((await celanoAdmin.get(`/api/v1/privacy/requests/${unclaimed.id}/export`)).statusCode).toBe(410);
  });
});
