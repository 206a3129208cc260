import { describe, expect, it } from 'vitest';
import { type ActorTicketScope, can, type Participation, resolveTicketAccess, TICKET_ACTIONS } from './ticket-access.js';

const ticket = { officeId: 'owner-office', organisationId: 'owner-org' };
const scopeOf = (officeId: string, organisationId: string, writable = true): ActorTicketScope => ({
  read: { officeIds: [officeId], organisationIds: [] },
  write: writable ? { officeIds: [officeId], organisationIds: [] } : { officeIds: [], organisationIds: [] },
});
const share = (mode: Participation['mode'], status: Participation['status'] = 'active', shareRequester = false): Participation => ({ officeId: 'partner-office', organisationId: 'partner-org', mode, status, shareRequester });

describe('ticket access policy', () => {
  it('gives the owner office every action', () => {
    const access = resolveTicketAccess(scopeOf('owner-office', 'owner-org'), ticket, []);
    expect(TICKET_ACTIONS.filter((a) => can(access, a))).toEqual([...TICKET_ACTIONS]);
  });

  it('gives organisation-wide roles of the owner organisation owner access', () => {
    const scope: ActorTicketScope = { read: { officeIds: [], organisationIds: ['owner-org'] }, write: { officeIds: [], organisationIds: ['owner-org'] } };
    expect(resolveTicketAccess(scope, ticket, [])?.relation).toBe('owner');
  });

  it('lets a collaborating office reply, note and work tasks, never resolve or reshare', () => {
    const access = resolveTicketAccess(scopeOf('partner-office', 'partner-org'), ticket, [share('collaborate', 'active', true)]);
    expect(TICKET_ACTIONS.filter((a) => can(access, a))).toEqual(['read_thread', 'read_requester', 'write_reply', 'write_note', 'manage_tasks']);
  });

  it('hides the requester from a collaboration that does not grant it, and always from a consultation', () => {
    expect(can(resolveTicketAccess(scopeOf('partner-office', 'partner-org'), ticket, [share('collaborate')]), 'read_requester')).toBe(false);
    const consult = resolveTicketAccess(scopeOf('partner-office', 'partner-org'), ticket, [share('consult', 'active', true)]);
    expect(TICKET_ACTIONS.filter((a) => can(consult, a))).toEqual(['read_thread', 'write_note']);
  });

  it('lets a former owner (after a transfer) read what it recorded, requester included, and change nothing', () => {
    const followUp: Participation = { ...share('consult'), formerOwner: true, keptRequesterId: 'kept-requester' };
    const access = resolveTicketAccess(scopeOf('partner-office', 'partner-org'), ticket, [followUp]);
    expect(access).toMatchObject({ relation: 'consult', formerOwner: true, keptRequesterId: 'kept-requester' });
    expect(TICKET_ACTIONS.filter((a) => can(access, a))).toEqual(['read_thread', 'read_requester', 'write_note']);
    expect(resolveTicketAccess(scopeOf('partner-office', 'partner-org'), ticket, [{ ...followUp, status: 'revoked' }])).toBeNull();
  });

  it('gives nothing through pending, declined or revoked shares, or to other offices', () => {
    for (const status of ['pending', 'declined', 'revoked'] as const) {
      expect(resolveTicketAccess(scopeOf('partner-office', 'partner-org'), ticket, [share('collaborate', status)])).toBeNull();
    }
    expect(resolveTicketAccess(scopeOf('third-office', 'third-org'), ticket, [share('collaborate')])).toBeNull();
  });

  it('makes read-only credentials read-only in every relation', () => {
    const access = resolveTicketAccess(scopeOf('owner-office', 'owner-org', false), ticket, []);
    expect(TICKET_ACTIONS.filter((a) => can(access, a))).toEqual(['read_thread', 'read_requester']);
  });

  it('picks the strongest of several participations', () => {
    const scope: ActorTicketScope = { read: { officeIds: ['a', 'b'], organisationIds: [] }, write: { officeIds: ['a', 'b'], organisationIds: [] } };
    const access = resolveTicketAccess(scope, ticket, [
      { officeId: 'a', organisationId: 'x', mode: 'consult', status: 'active', shareRequester: false },
      { officeId: 'b', organisationId: 'y', mode: 'collaborate', status: 'active', shareRequester: false },
    ]);
    expect(access).toMatchObject({ relation: 'collaborate', officeId: 'b', organisationId: 'y' });
  });
});
