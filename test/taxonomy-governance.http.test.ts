import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

/**
 * Taxonomy governance over HTTP: drafts with validated change operations, atomic publication,
 * crosswalk and translation across versions, proposals from organisations, local sub-nodes.
 */
let t: TestApp;
let coordinator: Client;
let celanoAdmin: Client;
let celanoSupervisor: Client;
let celanoOperator: Client;
let napoliOperator: Client;
let napoliAdmin: Client;
let oldTicketCode = '';
let draftId = '';

const problem = (res: { statusCode: number; json(): { code: string; detail: string } }) => ({ status: res.statusCode, code: res.json().code });
const applyOps = (operations: unknown[]) => coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/operations`, { operations });

async function counts() {
  const db = t.database.db;
  const versions = await db.selectFrom('taxonomy_versions').select(['version', 'status']).orderBy('version').execute();
  const nodes = await db.selectFrom('taxonomy_nodes').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const crosswalk = await db.selectFrom('taxonomy_crosswalk').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const locals = await db.selectFrom('taxonomy_local_nodes').select(['code', 'parent_code', 'status', 'version']).orderBy('code').execute();
  return { versions, nodes: Number(nodes.n), crosswalk: Number(crosswalk.n), locals };
}

beforeAll(async () => {
  t = await buildTestApp();
  coordinator = await login(t.app, demoEmail('coordinatore'));
  celanoAdmin = await login(t.app, demoEmail('admin', 'comune-celano'));
  celanoSupervisor = await login(t.app, demoEmail('responsabile', 'comune-celano'));
  celanoOperator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  napoliOperator = await login(t.app, demoEmail('operatore', 'comune-napoli'));
  napoliAdmin = await login(t.app, demoEmail('admin', 'comune-napoli'));
  const created = await celanoOperator.post('/api/v1/tickets', ticketInput(celanoOperator, { classification: { tipo: 'informazione', tema: 'tributi.imu' } }));
  expect(created.statusCode, created.body).toBe(201);
  oldTicketCode = created.json().code;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('required facets before resolving (existing check, kept)', () => {
  it('names the missing facet', async () => {
    const ticket = (await celanoOperator.post('/api/v1/tickets', ticketInput(celanoOperator, { classification: { tipo: 'informazione' } }))).json();
    const res = await celanoOperator.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'resolved', outcome: 'risposta_fornita' }, { 'if-match': `"${ticket.version}"` });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().code).toBe('ticket.classification_incomplete');
    expect(res.json().detail).toContain('manca la faccetta obbligatoria «Argomento» (tema)');
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['classification.tema']);
  });
});

describe('local sub-nodes', () => {
  it('lets an org admin add a namespaced local node only under an active network node', async () => {
    const res = await celanoAdmin.post('/api/v1/taxonomy/local-nodes', {
      organisationId: celanoAdmin.organisationId, facet: 'tema', parentCode: 'tributi.tari', localCode: 'riduzioni_compostaggio',
      label: { it: 'Riduzione TARI per compostaggio domestico', en: 'Waste tax reduction for home composting' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      code: 'tributi.tari.comune_celano.riduzioni_compostaggio', parentCode: 'tributi.tari', networkVersion: '1.0.0', status: 'active',
      label: { it: 'Riduzione TARI per compostaggio domestico', en: 'Waste tax reduction for home composting' },
    });
    const second = await celanoAdmin.post('/api/v1/taxonomy/local-nodes', {
      organisationId: celanoAdmin.organisationId, facet: 'tema', parentCode: 'ambiente_rifiuti.ingombranti', localCode: 'ritiro_sfalci', label: { it: 'Ritiro sfalci' },
    });
    expect(second.statusCode, second.body).toBe(201);
    const again = await celanoAdmin.post('/api/v1/taxonomy/local-nodes', {
      organisationId: celanoAdmin.organisationId, facet: 'tema', parentCode: 'tributi.tari', localCode: 'riduzioni_compostaggio', label: { it: 'Doppione' },
    });
    expect(problem(again)).toEqual({ status: 409, code: 'taxonomy.duplicate_code' });
    const underLocal = await celanoAdmin.post('/api/v1/taxonomy/local-nodes', {
      organisationId: celanoAdmin.organisationId, facet: 'tema', parentCode: 'tributi.tari.comune_celano.riduzioni_compostaggio', localCode: 'x', label: { it: 'X' },
    });
    expect(problem(underLocal)).toEqual({ status: 422, code: 'taxonomy.local_parent_invalid' });
    expect(underLocal.json().detail).toContain('solo sotto un nodo di rete');
    const badCode = await celanoAdmin.post('/api/v1/taxonomy/local-nodes', {
      organisationId: celanoAdmin.organisationId, facet: 'tema', parentCode: 'tributi.tari', localCode: 'Con Spazi', label: { it: 'X' },
    });
    expect(badCode.statusCode).toBe(400);
    // Only the organisation's own admin (or the coordinator) manages its local nodes.
    const intruder = await napoliAdmin.post('/api/v1/taxonomy/local-nodes', {
      organisationId: celanoAdmin.organisationId, facet: 'tema', parentCode: 'tributi.tari', localCode: 'intruso', label: { it: 'Intruso' },
    });
    expect(problem(intruder)).toEqual({ status: 403, code: 'taxonomy.local_forbidden' });
    expect((await celanoOperator.post('/api/v1/taxonomy/local-nodes', { organisationId: celanoAdmin.organisationId, facet: 'tema', parentCode: 'tributi.tari', localCode: 'op', label: { it: 'X' } })).statusCode).toBe(403);
  });

  it('shows local nodes to their organisation only', async () => {
    const mine = (await celanoOperator.get('/api/v1/taxonomy/local-nodes')).json().items.map((n: { code: string }) => n.code);
    expect(mine).toEqual(['ambiente_rifiuti.ingombranti.comune_celano.ritiro_sfalci', 'tributi.tari.comune_celano.riduzioni_compostaggio']);
    expect((await napoliOperator.get('/api/v1/taxonomy/local-nodes')).json().items).toEqual([]);
    expect(problem(await napoliOperator.get(`/api/v1/taxonomy/local-nodes?organisationId=${celanoOperator.organisationId}`))).toEqual({ status: 403, code: 'taxonomy.local_forbidden' });
    expect((await coordinator.get(`/api/v1/taxonomy/local-nodes?organisationId=${celanoOperator.organisationId}`)).json().items).toHaveLength(2);
    // The organisation's exports carry its local nodes under their network parents; other organisations cannot ask for them.
    const exportUrl = (format: string) => `/api/v1/taxonomy/versions/1.0.0/export?format=${format}&organisationId=${celanoOperator.organisationId}`;
    const csv = await celanoOperator.get(exportUrl('csv'));
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-disposition']).toContain('comune-celano');
    for (const code of mine) expect(csv.body).toContain(`,${code},`);
    expect((await celanoOperator.get('/api/v1/taxonomy/versions/1.0.0/export?format=csv')).body).not.toContain('comune_celano');
    expect((await celanoOperator.get(exportUrl('skos'))).body).toContain('skos:broader t:tema_tributi_tari');
    expect(problem(await napoliOperator.get(exportUrl('json')))).toEqual({ status: 404, code: 'organisation.not_found' });
    expect((await coordinator.get(exportUrl('json'))).statusCode).toBe(200);
  });

  it('accepts the owner organisation\'s local code on tickets, rolled up under the network node, and rejects it elsewhere', async () => {
    const local = 'tributi.tari.comune_celano.riduzioni_compostaggio';
    const res = await celanoOperator.post('/api/v1/tickets', ticketInput(celanoOperator, { classification: { tipo: 'informazione', tema: local } }));
    expect(res.statusCode, res.body).toBe(201);
    const row = await t.database.db.selectFrom('tickets').select(['topic_path', 'taxonomy_version']).where('code', '=', res.json().code).executeTakeFirstOrThrow();
    expect(row).toEqual({ topic_path: `tributi/tributi.tari/${local}`, taxonomy_version: '1.0.0' });
    const elsewhere = await napoliOperator.post('/api/v1/tickets', ticketInput(napoliOperator, { classification: { tipo: 'informazione', tema: local } }));
    expect(problem(elsewhere)).toEqual({ status: 422, code: 'ticket.invalid_classification' });
    expect(elsewhere.json().detail).toContain(`«${local}» inesistente`);
    // Editing the classification of an existing ticket goes through the same check.
    const ticket = (await celanoOperator.get(`/api/v1/tickets/${oldTicketCode}`)).json();
    const edit = await celanoOperator.patch(`/api/v1/tickets/${oldTicketCode}`, { classification: { tipo: 'informazione', tema: 'ambiente_rifiuti.ingombranti.comune_celano.ritiro_sfalci' } }, { 'if-match': `"${ticket.version}"` });
    expect(edit.statusCode, edit.body).toBe(200);
    const back = await celanoOperator.patch(`/api/v1/tickets/${oldTicketCode}`, { classification: { tipo: 'informazione', tema: 'tributi.imu' } }, { 'if-match': `"${edit.json().version}"` });
    expect(back.statusCode, back.body).toBe(200);
  });

  it('retires a local node: no longer selectable', async () => {
    const node = (await celanoAdmin.post('/api/v1/taxonomy/local-nodes', {
      organisationId: celanoAdmin.organisationId, facet: 'tema', parentCode: 'sanita.medico_base', localCode: 'temporaneo', label: { it: 'Temporaneo' },
    })).json();
    expect(problem(await napoliAdmin.delete(`/api/v1/taxonomy/local-nodes/${node.id}`))).toEqual({ status: 404, code: 'taxonomy.local_node_not_found' });
    const retired = await celanoAdmin.delete(`/api/v1/taxonomy/local-nodes/${node.id}`);
    expect(retired.json().status).toBe('retired');
    const res = await celanoOperator.post('/api/v1/tickets', ticketInput(celanoOperator, { classification: { tipo: 'informazione', tema: node.code } }));
    expect(res.statusCode).toBe(422);
  });
});

describe('drafts and change operations', () => {
  it('is reserved to the network coordinator and starts from the current version', async () => {
    expect(problem(await celanoAdmin.post('/api/v1/taxonomy/drafts', { version: '1.1.0' }))).toEqual({ status: 403, code: 'auth.forbidden' });
    expect(problem(await coordinator.post('/api/v1/taxonomy/drafts', { version: '1.0.0' }))).toEqual({ status: 422, code: 'taxonomy.version_not_greater' });
    expect((await coordinator.post('/api/v1/taxonomy/drafts', { version: 'uno' })).statusCode).toBe(400);
    const res = await coordinator.post('/api/v1/taxonomy/drafts', { version: '1.1.0', note: 'Revisione annuale' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ baseVersion: '1.0.0', version: '1.1.0', status: 'open', revision: 1, operations: [], crosswalk: [], problems: [] });
    expect(res.headers.etag).toBe('"1"');
    draftId = res.json().id;
    expect(problem(await coordinator.post('/api/v1/taxonomy/drafts', { version: '1.2.0' }))).toEqual({ status: 409, code: 'taxonomy.draft_exists' });
  });

  it('applies rename, move, add, deprecate, merge and split, building the crosswalk', async () => {
    const res = await applyOps([
      { op: 'rename', facet: 'tema', code: 'tributi.canone_unico', label: { it: 'Canone unico patrimoniale', en: 'Single property fee' }, description: { it: 'Occupazione di suolo pubblico e pubblicità' } },
      { op: 'move', facet: 'tema', code: 'tributi.codice_fiscale', parent: 'identita_digitale' },
      { op: 'add', facet: 'tema', code: 'tributi.imposta_soggiorno', parent: 'tributi', label: { it: 'Imposta di soggiorno', en: 'Tourist tax' } },
      { op: 'deprecate', facet: 'tema', code: 'tributi.canone_rai', replacement: 'tributi.dichiarazione_redditi', relation: 'broader' },
      { op: 'merge', facet: 'tema', codes: ['identita_digitale.cns'], into: 'identita_digitale.spid' },
      { op: 'split', facet: 'tema', code: 'tributi.imu', into: [{ code: 'tributi.imu_abitazione', label: { it: 'IMU abitazione' } }, { code: 'tributi.imu_altri_immobili', label: { it: 'IMU altri immobili' } }] },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const draft = res.json();
    expect(draft.revision).toBe(2);
    expect(draft.problems).toEqual([]);
    expect(draft.crosswalk.map((e: { fromCode: string; toCode: string; relation: string }) => `${e.fromCode}>${e.toCode}:${e.relation}`)).toEqual([
      'tributi.canone_rai>tributi.dichiarazione_redditi:broader',
      'identita_digitale.cns>identita_digitale.spid:merge',
      'tributi.imu>tributi.imu_abitazione:split',
      'tributi.imu>tributi.imu_altri_immobili:split',
    ]);
    const identita = draft.document.facets.find((f: { code: string }) => f.code === 'tema').nodes.find((n: { code: string }) => n.code === 'identita_digitale');
    expect(identita.children.map((c: { code: string }) => c.code)).toContain('tributi.codice_fiscale');
  });

  it('rejects each invalid change with a stable code and an Italian message, leaving the draft unchanged', async () => {
    const cases: [unknown, string][] = [
      [{ op: 'move', facet: 'tema', code: 'tributi', parent: 'tributi.tari' }, 'taxonomy.cyclic_move'],
      [{ op: 'add', facet: 'tema', code: 'tributi.tari', parent: 'tributi', label: { it: 'Doppione' } }, 'taxonomy.duplicate_code'],
      [{ op: 'add', facet: 'tema', code: 'nuovo', parent: 'inesistente', label: { it: 'Nuovo' } }, 'taxonomy.unknown_parent'],
      [{ op: 'delete', facet: 'tema', code: 'identita_digitale.cie' }, 'taxonomy.code_in_use'],
      [{ op: 'delete', facet: 'tema', code: 'identita_digitale.cie', crosswalk: { to: 'identita_digitale.inesistente' } }, 'taxonomy.crosswalk_target_missing'],
      [{ op: 'deprecate', facet: 'tema', code: 'sanita.vaccinazioni', replacement: 'sanita.nulla' }, 'taxonomy.crosswalk_target_missing'],
      [{ op: 'add', facet: 'tema', code: 'tributi.tari.comune_celano.riduzioni_compostaggio', parent: 'tributi.tari', label: { it: 'Locale' } }, 'taxonomy.code_reserved'],
    ];
    for (const [operation, code] of cases) {
      const res = await applyOps([operation]);
      expect(problem(res), JSON.stringify(operation)).toEqual({ status: 422, code });
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors[0].path).toBe('operations[6]');
    }
    const cyclic = await applyOps([{ op: 'move', facet: 'tema', code: 'tributi', parent: 'tributi.tari' }]);
    expect(cyclic.json().detail).toContain('Spostamento ciclico');
    const inUse = await applyOps([{ op: 'delete', facet: 'tema', code: 'identita_digitale.cie' }]);
    expect(inUse.json().detail).toContain('indica una corrispondenza');
    // A malformed operation is a 400 naming the field.
    const shape = await applyOps([{ op: 'move', facet: 'tema', code: 'tributi' }]);
    expect(problem(shape)).toEqual({ status: 400, code: 'taxonomy.invalid_operation' });
    expect(shape.json().errors[0].path).toBe('operations[0].parent');
    // In English: the same codes and paths, every message in English.
    const cyclicEn = await coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/operations`, { operations: [{ op: 'move', facet: 'tema', code: 'tributi', parent: 'tributi.tari' }] }, { 'accept-language': 'en' });
    expect(problem(cyclicEn)).toEqual({ status: 422, code: 'taxonomy.cyclic_move' });
    expect(cyclicEn.json().detail).toMatch(/^Invalid change: Cyclic move: “tributi.tari” is “tributi” itself/);
    expect(cyclicEn.json().errors[0]).toMatchObject({ path: 'operations[6]', message: expect.stringContaining('Choose a parent outside the branch') });
    const shapeEn = await coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/operations`, { operations: [{ op: 'move', facet: 'tema', code: 'tributi' }] }, { 'accept-language': 'en' });
    expect(shapeEn.json().errors).toEqual([{ path: 'operations[0].parent', message: 'operations[0].parent: give the new parent node (null for the top level)' }]);
    // All or none: a valid operation batched with an invalid one is not applied either.
    const batch = await applyOps([{ op: 'rename', facet: 'tema', code: 'sanita', label: { it: 'Salute' } }, { op: 'move', facet: 'tema', code: 'sanita', parent: 'sanita.medico_base' }]);
    expect(batch.statusCode).toBe(422);
    const draft = (await coordinator.get(`/api/v1/taxonomy/drafts/${draftId}`)).json();
    expect(draft.revision).toBe(2);
    expect(draft.operations).toHaveLength(6);
    // Stale If-Match is refused.
    expect((await coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/operations`, { operations: [{ op: 'rename', facet: 'tema', code: 'sanita', label: { it: 'Salute' } }] }, { 'if-match': '"1"' })).statusCode).toBe(412);
  });

  it('validates a change without storing it, and undoes the last change', async () => {
    const dry = await coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/validate`, { operations: [{ op: 'delete', facet: 'tema', code: 'tributi.imu_abitazione' }, { op: 'delete', facet: 'tema', code: 'tributi.imu_altri_immobili' }] });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().ok).toBe(false);
    expect(dry.json().introduced.map((p: { code: string }) => p.code)).toEqual(['taxonomy.crosswalk_target_missing', 'taxonomy.crosswalk_target_missing']);
    expect(dry.json().introduced[0].message).toContain('non esiste nella nuova versione');
    const dryEn = await coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/validate`, { operations: [{ op: 'delete', facet: 'tema', code: 'tributi.imu_abitazione' }] }, { 'accept-language': 'en' });
    expect(dryEn.json().introduced[0]).toMatchObject({ code: 'taxonomy.crosswalk_target_missing', message: expect.stringContaining('does not exist in the new version') });
    const added = await applyOps([{ op: 'add', facet: 'tema', code: 'tributi.da_annullare', parent: 'tributi', label: { it: 'Da annullare' } }]);
    expect(added.json().operations).toHaveLength(7);
    const undone = await coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/undo`);
    expect(undone.json()).toMatchObject({ revision: 4, operations: expect.any(Array) });
    expect(undone.json().operations).toHaveLength(6);
    expect((await coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/validate`, {})).json()).toMatchObject({ ok: true, problems: [] });
  });

  it('refuses to delete without a crosswalk a code that only a ticket uses, and deletes an unused one', async () => {
    const ticket = await celanoOperator.post('/api/v1/tickets', ticketInput(celanoOperator, { classification: { tipo: 'informazione', tema: 'tributi.tari', utente: 'associazione' } }));
    expect(ticket.statusCode, ticket.body).toBe(201);
    const validate = (operations: unknown[]) => coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/validate`, { operations });
    const used = (await validate([{ op: 'delete', facet: 'utente', code: 'associazione' }])).json();
    expect(used.introduced.map((p: { code: string }) => p.code)).toEqual(['taxonomy.code_in_use']);
    expect((await validate([{ op: 'delete', facet: 'utente', code: 'professionista' }])).json().introduced).toEqual([]);
    expect((await validate([{ op: 'delete', facet: 'utente', code: 'associazione', crosswalk: { to: 'cittadino', relation: 'broader' } }])).json().introduced).toEqual([]);
  });
});

describe('proposals from organisations', () => {
  let proposalId = '';
  it('lets org admins and supervisors propose, validated, and shows them to the coordinator', async () => {
    const body = {
      organisationId: celanoSupervisor.organisationId, rationale: 'Molte chiamate sulla mensa: serve un tema per le diete speciali.',
      operations: [{ op: 'add', facet: 'tema', code: 'istruzione.diete_speciali', parent: 'istruzione', label: { it: 'Diete speciali a scuola', en: 'Special school diets' } }],
    };
    const res = await celanoSupervisor.post('/api/v1/taxonomy/proposals', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'pending', organisationName: 'Comune di Celano' });
    proposalId = res.json().id;
    expect(problem(await celanoOperator.post('/api/v1/taxonomy/proposals', body))).toEqual({ status: 403, code: 'taxonomy.proposal_forbidden' });
    expect(problem(await napoliAdmin.post('/api/v1/taxonomy/proposals', body))).toEqual({ status: 403, code: 'taxonomy.proposal_forbidden' });
    const invalid = await celanoAdmin.post('/api/v1/taxonomy/proposals', { ...body, operations: [{ op: 'move', facet: 'tema', code: 'tributi', parent: 'tributi.tari' }] });
    expect(problem(invalid)).toEqual({ status: 422, code: 'taxonomy.cyclic_move' });
    expect(invalid.json().detail).toMatch(/^Proposta non valida/);
    const rejectMe = await celanoAdmin.post('/api/v1/taxonomy/proposals', { ...body, rationale: 'Rinominare il tema della sanità in «Salute».', operations: [{ op: 'rename', facet: 'tema', code: 'sanita', label: { it: 'Salute' } }] });
    expect(rejectMe.statusCode).toBe(201);
    const listed = (await coordinator.get('/api/v1/taxonomy/proposals?status=pending')).json().items;
    expect(listed).toHaveLength(2);
    expect((await napoliAdmin.get('/api/v1/taxonomy/proposals')).json().items).toEqual([]);
    expect((await celanoOperator.get('/api/v1/taxonomy/proposals')).json().items).toHaveLength(2);

    // Rejection needs a reason and notifies the proposer.
    expect((await coordinator.post(`/api/v1/taxonomy/proposals/${rejectMe.json().id}/reject`, {})).statusCode).toBe(400);
    const rejected = await coordinator.post(`/api/v1/taxonomy/proposals/${rejectMe.json().id}/reject`, { reason: 'Il termine «Sanità» è quello usato dalle norme.' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionReason: 'Il termine «Sanità» è quello usato dalle norme.' });
    await t.events.drain(); // the proposer is told by the event's handler, after commit
    const notes = (await celanoAdmin.get('/api/v1/notifications')).json().items;
    expect(notes[0]).toMatchObject({ kind: 'taxonomy.proposal_rejected', body: 'Il termine «Sanità» è quello usato dalle norme.', link: '/taxonomia' });
  });

  it('approving puts the operations into the open draft and notifies the proposer', async () => {
    expect(problem(await celanoAdmin.post(`/api/v1/taxonomy/proposals/${proposalId}/approve`))).toEqual({ status: 403, code: 'auth.forbidden' });
    const res = await coordinator.post(`/api/v1/taxonomy/proposals/${proposalId}/approve`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', draftId });
    const draft = (await coordinator.get(`/api/v1/taxonomy/drafts/${draftId}`)).json();
    expect(draft.operations.at(-1)).toMatchObject({ op: 'add', code: 'istruzione.diete_speciali' });
    expect(problem(await coordinator.post(`/api/v1/taxonomy/proposals/${proposalId}/approve`))).toEqual({ status: 409, code: 'taxonomy.proposal_not_pending' });
    await t.events.drain();
    const notes = (await celanoSupervisor.get('/api/v1/notifications')).json().items;
    expect(notes[0]).toMatchObject({ kind: 'taxonomy.proposal_approved', title: expect.stringContaining('1.1.0') });
  });
});

describe('publication', () => {
  it('is atomic: a failure midway leaves the current version untouched', async () => {
    const before = await counts();
    // A stray mapping into the version being published, pointing at a code it does not have:
    // the final check inside the publication transaction must refuse it and roll everything back.
    await sql`insert into taxonomy_crosswalk (scheme, facet, from_version, from_code, to_version, to_code, relation)
      values ('urp-network', 'tema', '1.0.0', 'sanita.vaccinazioni', '1.1.0', 'sanita.inesistente', 'exact')`.execute(t.database.db);
    const res = await coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/publish`);
    expect(problem(res)).toEqual({ status: 422, code: 'taxonomy.crosswalk_target_missing' });
    expect(res.json().detail).toContain('nulla è stato modificato');
    await sql`delete from taxonomy_crosswalk where to_code = 'sanita.inesistente'`.execute(t.database.db);
    expect(await counts()).toEqual(before);
    expect((await celanoOperator.get('/api/v1/taxonomy')).json().version).toBe('1.0.0');
    expect((await coordinator.get(`/api/v1/taxonomy/drafts/${draftId}`)).json().status).toBe('open');
    const ticket = await celanoOperator.post('/api/v1/tickets', ticketInput(celanoOperator));
    expect(ticket.json().taxonomyVersion).toBe('1.0.0');
  });

  it('publishes the draft: new version current at once, crosswalk stored, local nodes re-parented', async () => {
    expect(problem(await celanoAdmin.post(`/api/v1/taxonomy/drafts/${draftId}/publish`))).toEqual({ status: 403, code: 'auth.forbidden' });
    const res = await coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/publish`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ version: '1.1.0', crosswalk: 4, localNodes: { reparented: 0, orphaned: 0 } });
    expect((await celanoOperator.get('/api/v1/taxonomy')).json().version).toBe('1.1.0');
    expect((await coordinator.get(`/api/v1/taxonomy/drafts/${draftId}`)).json().status).toBe('published');
    expect(problem(await coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/publish`))).toEqual({ status: 409, code: 'taxonomy.draft_not_open' });

    // New tickets use the new version; a split or deprecated code is refused, naming the replacement.
    const fresh = await celanoOperator.post('/api/v1/tickets', ticketInput(celanoOperator, { classification: { tipo: 'informazione', tema: 'tributi.imu_abitazione' } }));
    expect(fresh.statusCode, fresh.body).toBe(201);
    expect(fresh.json().taxonomyVersion).toBe('1.1.0');
    const deprecated = await celanoOperator.post('/api/v1/tickets', ticketInput(celanoOperator, { classification: { tipo: 'informazione', tema: 'tributi.canone_rai' } }));
    expect(problem(deprecated)).toEqual({ status: 422, code: 'ticket.invalid_classification' });
    expect(deprecated.json().detail).toContain('«tributi.dichiarazione_redditi»');
    expect((await celanoOperator.post('/api/v1/tickets', ticketInput(celanoOperator, { classification: { tipo: 'informazione', tema: 'tributi.imu' } }))).statusCode).toBe(422);
    // Existing tickets keep their version and code.
    const old = (await celanoOperator.get(`/api/v1/tickets/${oldTicketCode}`)).json();
    expect(old).toMatchObject({ taxonomyVersion: '1.0.0', classification: { tema: 'tributi.imu' } });
  });

  it('translates old codes to the current version and exports the crosswalk as JSON and CSV', async () => {
    const tr = await celanoOperator.get('/api/v1/taxonomy/translate?facet=tema&code=tributi.imu&fromVersion=1.0.0');
    expect(tr.statusCode, tr.body).toBe(200);
    expect(tr.json()).toMatchObject({ toVersion: '1.1.0', lost: [] });
    expect(tr.json().targets.map((x: { code: string; relation: string }) => [x.code, x.relation])).toEqual([['tributi.imu_abitazione', 'split'], ['tributi.imu_altri_immobili', 'split']]);
    expect(tr.json().targets[0].label).toEqual({ it: 'IMU abitazione' });
    const same = (await celanoOperator.get('/api/v1/taxonomy/translate?facet=tema&code=tributi.tari&fromVersion=1.0.0')).json();
    expect(same.targets).toEqual([{ code: 'tributi.tari', relation: 'exact', label: expect.any(Object), via: [{ version: '1.1.0', code: 'tributi.tari', relation: 'exact' }] }]);
    expect(problem(await celanoOperator.get('/api/v1/taxonomy/translate?facet=tema&code=nessuno&fromVersion=1.0.0'))).toEqual({ status: 404, code: 'taxonomy.unknown_code' });
    expect(problem(await celanoOperator.get('/api/v1/taxonomy/translate?facet=tema&code=tributi.tari&fromVersion=0.9.0'))).toEqual({ status: 404, code: 'taxonomy.version_not_found' });
    expect(problem(await celanoOperator.get('/api/v1/taxonomy/translate?facet=tema&code=tributi.tari&fromVersion=1.1.0&toVersion=1.0.0'))).toEqual({ status: 400, code: 'taxonomy.translate_backwards' });

    const json = (await celanoOperator.get('/api/v1/taxonomy/versions/1.1.0/crosswalk')).json();
    expect(json).toMatchObject({ fromVersion: '1.0.0', toVersion: '1.1.0' });
    expect(json.entries).toHaveLength(4);
    const csv = await celanoOperator.get('/api/v1/taxonomy/versions/1.1.0/crosswalk?format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')).toContain('urp-network,tema,1.0.0,identita_digitale.cns,1.1.0,identita_digitale.spid,merge,unito in identita_digitale.spid');
    const exported = (await celanoOperator.get('/api/v1/taxonomy/versions/1.1.0/export')).json();
    expect(exported.version).toBe('1.1.0');
    expect(exported.crosswalk.fromVersion).toBe('1.0.0');
    expect(exported.crosswalk.entries).toHaveLength(4);
    expect((await celanoOperator.get('/api/v1/taxonomy/versions/1.0.0/export')).json().crosswalk).toEqual({ fromVersion: null, entries: [] });
  });

  it('carries local nodes into a new version: re-parented through the crosswalk or flagged', async () => {
    const draft = (await coordinator.post('/api/v1/taxonomy/drafts', { version: '2.0.0' })).json();
    draftId = draft.id;
    const ops = await applyOps([
      { op: 'merge', facet: 'tema', codes: ['tributi.tari'], into: 'ambiente_rifiuti.raccolta_differenziata' },
      { op: 'split', facet: 'tema', code: 'ambiente_rifiuti.ingombranti', into: [{ code: 'ambiente_rifiuti.ingombranti_domicilio', label: { it: 'Ritiro a domicilio' } }, { code: 'ambiente_rifiuti.ingombranti_isola', label: { it: 'Conferimento in isola ecologica' } }] },
    ]);
    expect(ops.statusCode, ops.body).toBe(200);
    const res = await coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/publish`, undefined, { 'if-match': `"${ops.json().revision}"` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().localNodes).toEqual({ reparented: 1, orphaned: 1 });
    const locals = (await celanoAdmin.get('/api/v1/taxonomy/local-nodes')).json().items;
    expect(locals.find((n: { code: string }) => n.code === 'tributi.tari.comune_celano.riduzioni_compostaggio')).toMatchObject({
      parentCode: 'ambiente_rifiuti.raccolta_differenziata', networkVersion: '2.0.0', status: 'active',
    });
    const orphan = locals.find((n: { code: string }) => n.code === 'ambiente_rifiuti.ingombranti.comune_celano.ritiro_sfalci');
    expect(orphan).toMatchObject({ status: 'orphaned', statusNote: expect.stringContaining('diviso in') });
    // The re-parented node stays usable on new tickets and rolls up to its new parent.
    const ticket = await celanoOperator.post('/api/v1/tickets', ticketInput(celanoOperator, { classification: { tipo: 'informazione', tema: 'tributi.tari.comune_celano.riduzioni_compostaggio' } }));
    expect(ticket.statusCode, ticket.body).toBe(201);
    const row = await t.database.db.selectFrom('tickets').select('topic_path').where('code', '=', ticket.json().code).executeTakeFirstOrThrow();
    expect(row.topic_path).toBe('ambiente_rifiuti/ambiente_rifiuti.raccolta_differenziata/tributi.tari.comune_celano.riduzioni_compostaggio');
    // The orphan is not selectable until its organisation gives it a new parent.
    expect((await celanoOperator.post('/api/v1/tickets', ticketInput(celanoOperator, { classification: { tipo: 'informazione', tema: orphan.code } }))).statusCode).toBe(422);
    const fixed = await celanoAdmin.patch(`/api/v1/taxonomy/local-nodes/${orphan.id}`, { parentCode: 'ambiente_rifiuti.ingombranti_domicilio' });
    expect(fixed.json()).toMatchObject({ status: 'active', statusNote: null, parentCode: 'ambiente_rifiuti.ingombranti_domicilio' });
    // Translation follows the chain 1.0.0 → 1.1.0 → 2.0.0.
    const tr = (await celanoOperator.get('/api/v1/taxonomy/translate?facet=tema&code=tributi.tari&fromVersion=1.0.0')).json();
    expect(tr.targets.map((x: { code: string }) => x.code)).toEqual(['ambiente_rifiuti.raccolta_differenziata']);
    expect(tr.targets[0].via.map((v: { version: string }) => v.version)).toEqual(['1.1.0', '2.0.0']);
    expect((await celanoOperator.get('/api/v1/taxonomy/versions')).json().items.map((v: { version: string }) => v.version)).toEqual(['1.0.0', '1.1.0', '2.0.0']);
  });

  it('refuses to publish an empty or stale draft, and approvals without an open draft', async () => {
    const empty = (await coordinator.post('/api/v1/taxonomy/drafts', { version: '2.1.0' })).json();
    expect(problem(await coordinator.post(`/api/v1/taxonomy/drafts/${empty.id}/publish`))).toEqual({ status: 422, code: 'taxonomy.no_operations' });
    expect((await coordinator.post(`/api/v1/taxonomy/drafts/${empty.id}/discard`)).json().status).toBe('discarded');
    const proposal = await celanoAdmin.post('/api/v1/taxonomy/proposals', {
      organisationId: celanoAdmin.organisationId, rationale: 'Serve un tema per gli orti urbani.',
      operations: [{ op: 'add', facet: 'tema', code: 'ambiente_rifiuti.orti_urbani', parent: 'ambiente_rifiuti', label: { it: 'Orti urbani' } }],
    });
    expect(proposal.statusCode, proposal.body).toBe(201);
    expect(problem(await coordinator.post(`/api/v1/taxonomy/proposals/${proposal.json().id}/approve`))).toEqual({ status: 409, code: 'taxonomy.no_open_draft' });
    expect(problem(await coordinator.get(`/api/v1/taxonomy/drafts/${proposal.json().id}`))).toEqual({ status: 404, code: 'taxonomy.draft_not_found' });
    // A proposal that no longer fits the draft is refused with the draft's problem and stays pending.
    draftId = (await coordinator.post('/api/v1/taxonomy/drafts', { version: '2.1.0' })).json().id;
    expect((await applyOps([{ op: 'add', facet: 'tema', code: 'ambiente_rifiuti.orti_urbani', parent: 'ambiente_rifiuti', label: { it: 'Orti urbani' } }])).statusCode).toBe(200);
    expect(problem(await coordinator.post(`/api/v1/taxonomy/proposals/${proposal.json().id}/approve`))).toEqual({ status: 422, code: 'taxonomy.duplicate_code' });
    expect((await coordinator.get('/api/v1/taxonomy/proposals?status=pending')).json().items.map((p: { id: string }) => p.id)).toEqual([proposal.json().id]);
    expect((await coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/undo`)).json().operations).toEqual([]);
    expect(problem(await coordinator.post(`/api/v1/taxonomy/drafts/${draftId}/undo`))).toEqual({ status: 409, code: 'taxonomy.nothing_to_undo' });
    expect((await coordinator.get('/api/v1/taxonomy/drafts')).json().items.map((d: { version: string; status: string }) => `${d.version}:${d.status}`)).toEqual([
      '2.1.0:open', '2.1.0:discarded', '2.0.0:published', '1.1.0:published',
    ]);
  });
});

describe('other instances', () => {
  it('pick up a version published elsewhere within the cache TTL', async () => {
    const db = t.database.db;
    const before = (await celanoOperator.get('/api/v1/taxonomy')).json();
    // Another instance publishes 2.0.1: only the database changes, this instance's cache is not told.
    const content = { ...before, version: '2.0.1' };
    await db.insertInto('taxonomy_versions').values({ scheme: 'urp-network', version: '2.0.1', status: 'published', content: JSON.stringify(content), published_at: new Date() }).execute();
    expect((await celanoOperator.get('/api/v1/taxonomy')).json().version).toBe(before.version);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 5_001 });
    try {
      expect((await celanoOperator.get('/api/v1/taxonomy')).json().version).toBe('2.0.1');
    } finally {
      vi.useRealTimers();
    }
  });
});
