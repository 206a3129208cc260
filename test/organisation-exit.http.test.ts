import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, DEMO_PASSWORD, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

/**
 * A body leaves the network (issue 11): the Comune di Salerno leaves while it takes part in tickets
 * of Napoli, owns a ticket Celano transferred to it, owns a ticket shared with Napoli and one nobody
 * else follows. A coordinator previews, confirms, and the open shared tickets go back to their
 * owners (or to the coordinating body), its people and offices are switched off, its data stays, and
 * nothing of another body is lost. Then it comes back.
 */
let t: TestApp;
let coordinator: Client;
let salernoOperator: Client;
let salernoAdmin: Client;
let napoliOperator: Client;
let napoliAdmin: Client;
let celanoOperator: Client;
let salernoId: string;
let lineaAmicaId: string;

const db = () => t.database.db;

beforeAll(async () => {
  t = await buildTestApp();
  coordinator = await login(t.app, demoEmail('coordinatore'));
  salernoOperator = await login(t.app, demoEmail('operatore', 'comune-salerno'));
  salernoAdmin = await login(t.app, demoEmail('admin', 'comune-salerno'));
  napoliOperator = await login(t.app, demoEmail('operatore', 'comune-napoli'));
  napoliAdmin = await login(t.app, demoEmail('admin', 'comune-napoli'));
  celanoOperator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  const organisations = (await coordinator.get('/api/v1/organisations')).json().items as { id: string; slug: string }[];
  salernoId = organisations.find((o) => o.slug === 'comune-salerno')!.id;
  lineaAmicaId = organisations.find((o) => o.slug === 'linea-amica')!.id;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

async function newTicket(client: Client, subject: string): Promise<string> {
  const res = await client.post('/api/v1/tickets', ticketInput(client, { subject }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().code as string;
}

const ticketRow = (code: string) => db().selectFrom('tickets').select(['id', 'office_id', 'organisation_id', 'assignee_id', 'status']).where('code', '=', code).executeTakeFirstOrThrow();
const historyActions = async (code: string) => {
  const { id } = await ticketRow(code);
  return (await db().selectFrom('ticket_history').select(['action', 'changes']).where('ticket_id', '=', id).orderBy('id').execute());
};
const snapshot = async () => ({
  napoliTickets: await db().selectFrom('tickets').select(['id', 'code']).where('organisation_id', '=', napoliOperator.organisationId).orderBy('id').execute(),
  napoliUsers: await db().selectFrom('users').select(['id', 'active']).where('home_organisation_id', '=', napoliOperator.organisationId).orderBy('id').execute(),
  faqs: await db().selectFrom('faq_articles').select(['id', 'status', 'version']).orderBy('id').execute(),
  salernoTicketCount: (await db().selectFrom('tickets').select('id').where('organisation_id', '=', salernoId).execute()).length,
});

describe('a body leaves the network', () => {
  const codes: Record<'participating' | 'pendingTransfer' | 'fromCelano' | 'sharedBySalerno' | 'salernoOnly', string> = {
    participating: '', pendingTransfer: '', fromCelano: '', sharedBySalerno: '', salernoOnly: '',
  };
  let dualUserId = '';

  it('is refused to organisation administrators and operators, unknown for a missing body, and needs its confirmation', async () => {
    for (const caller of [salernoAdmin, napoliAdmin, salernoOperator]) {
      const res = await caller.post(`/api/v1/organisations/${salernoId}/leave?dryRun=true`);
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().code).toBe('auth.forbidden');
      expect((await caller.post(`/api/v1/organisations/${salernoId}/rejoin`)).statusCode).toBe(403);
    }
    expect((await coordinator.post(`/api/v1/organisations/${randomUUID()}/leave?dryRun=true`)).json()).toMatchObject({ status: 404, code: 'organisation.not_found' });
    expect((await coordinator.post(`/api/v1/organisations/${randomUUID()}/rejoin`)).statusCode).toBe(404);
    const own = await coordinator.post(`/api/v1/organisations/${lineaAmicaId}/leave?dryRun=true`);
    expect(own.statusCode).toBe(409);
    expect(own.json().code).toBe('organisation.coordinating_body');
    // Switching a body off is not a field of the organisation: not even its own administrator may do it that way.
    const patch = await salernoAdmin.patch(`/api/v1/organisations/${salernoId}`, { active: false }, { 'if-match': '*' });
    expect(patch.statusCode, patch.body).toBe(422);
    expect(patch.json().code).toBe('organisation.active_through_exit');
  });

  it('previews, then hands back its open shared tickets, switches off its people and offices, keeps its data', async () => {
    // Napoli's ticket that Salerno collaborates on, with a task for Salerno.
    codes.participating = await newTicket(napoliOperator, 'Uscita: ticket di Napoli condiviso con Salerno');
    const share = await napoliOperator.post(`/api/v1/tickets/${codes.participating}/shares`, { officeId: salernoOperator.officeId, mode: 'collaborate', reason: 'Serve Salerno' });
    expect(share.statusCode, share.body).toBe(201);
    expect((await salernoOperator.post(`/api/v1/shares/${share.json().id}/accept`)).statusCode).toBe(200);
    const task = await napoliOperator.post(`/api/v1/tickets/${codes.participating}/tasks`, { officeId: salernoOperator.officeId, title: 'Verifica a Salerno' });
    expect(task.statusCode, task.body).toBe(201);
    // Napoli's ticket with a transfer to Salerno still pending.
    codes.pendingTransfer = await newTicket(napoliOperator, 'Uscita: trasferimento in attesa verso Salerno');
    const pending = await napoliOperator.post(`/api/v1/tickets/${codes.pendingTransfer}/transfers`, { officeId: salernoOperator.officeId, kind: 'transfer', reasonCode: 'not_competent', reason: 'Competenza di Salerno' });
    expect(pending.statusCode, pending.body).toBe(201);
    // Celano's ticket transferred to Salerno and accepted: Salerno owns it, Celano follows it.
    codes.fromCelano = await newTicket(celanoOperator, 'Uscita: ticket trasferito da Celano a Salerno');
    const transfer = await celanoOperator.post(`/api/v1/tickets/${codes.fromCelano}/transfers`, { officeId: salernoOperator.officeId, kind: 'transfer', reasonCode: 'not_competent', reason: 'Competenza di Salerno' });
    expect(transfer.statusCode, transfer.body).toBe(201);
    expect((await salernoOperator.post(`/api/v1/transfers/${transfer.json().id}/accept`)).statusCode).toBe(200);
    expect((await ticketRow(codes.fromCelano)).organisation_id).toBe(salernoId);
    // Salerno's own ticket shared with Napoli, and one nobody else follows.
    codes.sharedBySalerno = await newTicket(salernoOperator, 'Uscita: ticket di Salerno condiviso con Napoli');
    expect((await salernoOperator.post(`/api/v1/tickets/${codes.sharedBySalerno}/shares`, { officeId: napoliOperator.officeId, mode: 'consult', reason: 'Per conoscenza' })).statusCode).toBe(201);
    codes.salernoOnly = await newTicket(salernoOperator, 'Uscita: ticket solo di Salerno');
    // A person of both bodies, and an agreement between them.
    const dual = await coordinator.post('/api/v1/users', {
      email: 'doppio.ente@example.org', name: 'Funzionario Distaccato', password: 'una-password-lunga',
      roles: [{ role: 'operator', organisationId: salernoId }, { role: 'operator', organisationId: napoliOperator.organisationId }],
    });
    expect(dual.statusCode, dual.body).toBe(201);
    dualUserId = dual.json().id;
    const agreement = await napoliAdmin.post('/api/v1/agreements', { fromOrganisationId: napoliOperator.organisationId, toOrganisationId: salernoId, kinds: ['share'] });
    expect(agreement.statusCode, agreement.body).toBe(201);
    const directoryBefore = (await napoliOperator.get('/api/v1/directory?territory=065116&limit=50')).json().results as { office: { id: string } }[];

    const before = await snapshot();
    const preview = await coordinator.post(`/api/v1/organisations/${salernoId}/leave?dryRun=true`);
    expect(preview.statusCode, preview.body).toBe(200);
    const salernoOffices = (await db().selectFrom('offices').select('id').where('organisation_id', '=', salernoId).execute()).length;
    expect(preview.json()).toMatchObject({
      dryRun: true, organisation: { id: salernoId, ipaCode: 'c_h703' }, confirmation: 'c_h703',
      ticketsToFormerOwners: 1, ticketsToCoordinator: 1, participationsEnded: 2, usersDisabled: 4, membershipsEnded: 1, officesDeactivated: salernoOffices, agreementsEnded: 1,
    });
    expect(preview.json().openTicketsKept).toBeGreaterThanOrEqual(1);
    const planned = new Map((preview.json().tickets as { code: string; action: string; officeId: string | null }[]).map((x) => [x.code, x]));
    expect(planned.get(codes.fromCelano)).toMatchObject({ action: 'former_owner', officeId: celanoOperator.officeId });
    expect(planned.get(codes.sharedBySalerno)?.action).toBe('coordinator');
    expect(planned.get(codes.participating)?.action).toBe('participation_ended');
    expect(planned.get(codes.pendingTransfer)?.action).toBe('participation_ended');
    expect(planned.has(codes.salernoOnly)).toBe(false);
    // The preview changed nothing.
    expect((await salernoOperator.get('/api/v1/tickets')).statusCode).toBe(200);
    expect((await ticketRow(codes.fromCelano)).organisation_id).toBe(salernoId);

    const unconfirmed = await coordinator.post(`/api/v1/organisations/${salernoId}/leave`, { confirm: 'c_f839' });
    expect(unconfirmed.statusCode).toBe(422);
    expect(unconfirmed.json().code).toBe('organisation.exit_unconfirmed');
    expect((await coordinator.post(`/api/v1/organisations/${salernoId}/leave`)).json().code).toBe('organisation.exit_unconfirmed');

    const done = await coordinator.post(`/api/v1/organisations/${salernoId}/leave`, { confirm: 'C_H703' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ dryRun: false, ticketsToFormerOwners: 1, ticketsToCoordinator: 1, participationsEnded: 2, usersDisabled: 4, membershipsEnded: 1 });

    // Back to the former owner, with the change in its timeline.
    const fromCelano = await ticketRow(codes.fromCelano);
    expect(fromCelano).toMatchObject({ office_id: celanoOperator.officeId, organisation_id: celanoOperator.organisationId, assignee_id: null });
    expect((await historyActions(codes.fromCelano)).at(-1)).toMatchObject({ action: 'handed_back', changes: { reason: { from: null, to: 'former_owner' } } });
    // Celano's office is told, in the reader's language, by whom and why.
    await t.events.drain();
    const told = (await celanoOperator.get('/api/v1/notifications')).json().items.filter((n: { kind: string; ticketCode: string }) => n.kind === 'ticket.handed_back' && n.ticketCode === codes.fromCelano);
    expect(told).toHaveLength(1);
    expect(told[0].params).toMatchObject({ code: codes.fromCelano, organisation: expect.stringContaining('Salerno') });
    const seenByCelano = await celanoOperator.get(`/api/v1/tickets/${codes.fromCelano}`);
    expect(seenByCelano.statusCode).toBe(200);
    expect(seenByCelano.json().requester).not.toBeNull();
    // Salerno's shared ticket goes to the coordinating body; the one nobody followed stays as Salerno's data.
    const coordinated = await ticketRow(codes.sharedBySalerno);
    expect(coordinated.organisation_id).toBe(lineaAmicaId);
    expect((await historyActions(codes.sharedBySalerno)).at(-1)).toMatchObject({ action: 'handed_back', changes: { reason: { to: 'coordinator' } } });
    // Napoli's share (still awaiting its answer) goes with the ticket to its new owner.
    const shares = await db().selectFrom('ticket_participants').select(['office_id', 'status']).where('ticket_id', '=', coordinated.id).execute();
    expect(shares).toEqual([{ office_id: napoliOperator.officeId, status: 'pending' }]);
    expect((await ticketRow(codes.salernoOnly)).organisation_id).toBe(salernoId);
    // Napoli keeps its tickets; Salerno's share, task and pending transfer there end.
    const participating = await napoliOperator.get(`/api/v1/tickets/${codes.participating}/participants`);
    expect(participating.json().shares.find((s: { officeId: string }) => s.officeId === salernoOperator.officeId).status).toBe('revoked');
    expect(participating.json().tasks[0].status).toBe('cancelled');
    expect((await historyActions(codes.participating)).at(-1)?.action).toBe('participant_left');
    const pendingAfter = await napoliOperator.get(`/api/v1/tickets/${codes.pendingTransfer}/participants`);
    expect(pendingAfter.json().transfers[0].status).toBe('cancelled');
    expect((await ticketRow(codes.pendingTransfer)).organisation_id).toBe(napoliOperator.organisationId);

    // Its people are switched off at once; a person of another body keeps the account there.
    expect((await salernoOperator.get('/api/v1/tickets')).statusCode).toBe(401);
    expect((await salernoAdmin.get(`/api/v1/users?organisationId=${salernoId}`)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: demoEmail('operatore', 'comune-salerno'), password: DEMO_PASSWORD } })).statusCode).toBe(401);
    const dualUser = await login(t.app, 'doppio.ente@example.org', 'una-password-lunga');
    expect(dualUser.memberships.map((m) => m.organisationId)).toEqual([napoliOperator.organisationId]);
    expect(await db().selectFrom('organisation_members').select('organisation_id').where('user_id', '=', dualUserId).execute()).toEqual([{ organisation_id: napoliOperator.organisationId }]);
    // Its offices and agreements end; its competences no longer answer.
    const offices = (await coordinator.get(`/api/v1/organisations/${salernoId}/offices`)).json().items as { active: boolean }[];
    expect(offices.every((o) => !o.active)).toBe(true);
    expect((await coordinator.get(`/api/v1/organisations/${salernoId}`)).json().active).toBe(false);
    expect((await db().selectFrom('network_agreements').select('status').where('to_organisation_id', '=', salernoId).execute()).map((a) => a.status)).toEqual(['revoked']);
    const directoryAfter = (await napoliOperator.get('/api/v1/directory?territory=065116&limit=50')).json().results as { office: { id: string } }[];
    expect(directoryBefore.map((r) => r.office.id)).toContain(salernoOperator.officeId);
    expect(directoryAfter.map((r) => r.office.id)).not.toContain(salernoOperator.officeId);
    expect((await napoliOperator.post('/api/v1/tickets', ticketInput(napoliOperator, { officeId: salernoOperator.officeId }))).statusCode).not.toBe(201);

    // Nothing of another body is lost, and the leaving body's data stays.
    const after = await snapshot();
    expect(after.napoliTickets).toEqual(before.napoliTickets);
    expect(after.napoliUsers).toEqual(before.napoliUsers);
    expect(after.faqs).toEqual(before.faqs);
    expect(after.salernoTicketCount).toBe(before.salernoTicketCount - 2);
    expect((await db().selectFrom('users').select('id').where('home_organisation_id', '=', salernoId).execute()).length).toBeGreaterThanOrEqual(4);

    const again = await coordinator.post(`/api/v1/organisations/${salernoId}/leave`, { confirm: 'c_h703' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('organisation.inactive');
  }, 60_000);

  it('comes back when a coordinator brings it back, without the tickets it handed back', async () => {
    const back = await coordinator.post(`/api/v1/organisations/${salernoId}/rejoin`);
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ organisation: { id: salernoId }, usersReactivated: 4 });
    expect(back.json().officesReactivated).toBeGreaterThanOrEqual(1);
    const operator = await login(t.app, demoEmail('operatore', 'comune-salerno'));
    expect((await operator.get('/api/v1/tickets')).statusCode).toBe(200);
    expect((await operator.get(`/api/v1/tickets/${codes.salernoOnly}`)).statusCode).toBe(200);
    expect((await operator.get(`/api/v1/tickets/${codes.fromCelano}`)).statusCode).toBe(404);
    expect((await ticketRow(codes.fromCelano)).organisation_id).toBe(celanoOperator.organisationId);
    expect((await coordinator.get(`/api/v1/organisations/${salernoId}`)).json().active).toBe(true);
    const twice = await coordinator.post(`/api/v1/organisations/${salernoId}/rejoin`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('organisation.active');
  });
});
