import { describe, expect, it } from 'vitest';
import type { Membership, Role } from '../src/api/types.js';
import { translator } from '../src/i18n/index.js';
import { menuEntries } from '../src/components/Layout.js';
import { DEFAULT_STATUSES, EMPTY_FILTERS } from '../src/lib/filters.js';
import { landingPath } from '../src/lib/landing.js';
import { incidentsForTopic, type Incident, normaliseSimilar } from '../src/lib/network.js';
import { affectsIncomingRequests } from '../src/lib/notifications.js';
import { narrowsDefaultView } from '../src/pages/InboxPage.js';

const member = (role: Role, officeId: string | null = null): Membership =>
  ({ role, organisationId: 'org', organisationName: 'Ente', officeId, officeName: officeId ? 'URP' : null }) as unknown as Membership;

describe('each role lands on a page it can use (issue 9, point 18)', () => {
  it('sends ticket workers to the inbox and the others to a page of their role', () => {
    expect(landingPath([member('operator', 'o1')])).toBe('/');
    expect(landingPath([member('supervisor', 'o1'), member('org_admin')])).toBe('/');
    expect(landingPath([member('org_admin')])).toBe('/admin');
    expect(landingPath([member('network_coordinator')])).toBe('/faq/redazione');
    expect(landingPath([member('analyst')])).toBe('/faq/lacune');
  });

  it('offers the ticket pages only to those who work on tickets, and groups administration in one entry', () => {
    const t = translator('it');
    const labels = (roles: Membership[]) => menuEntries(roles, t, 0).map((e) => ('items' in e ? `${e.label}▾` : e.label));
    expect(labels([member('network_coordinator')])).not.toContain('Casella ufficio');
    expect(labels([member('analyst')])).toEqual(['Analisi FAQ', expect.any(String), 'Cruscotti', 'Archivio anonimo', 'Allarmi', 'Azioni', 'Turni']);
    const operator = labels([member('operator', 'o1')]);
    expect(operator.slice(0, 4)).toEqual(['Casella ufficio', 'Nuovo ticket', 'Richieste', 'Incidenti']);
    // However many roles, the menu keeps to one line: administration folds into one entry when needed.
    for (const roles of [[member('org_admin')], [member('network_coordinator')], [member('supervisor', 'o1'), member('org_admin'), member('analyst')]]) {
      expect(menuEntries(roles, t, 0).length).toBeLessThanOrEqual(7);
    }
    const everything = menuEntries([member('supervisor', 'o1'), member('network_coordinator')], t, 0);
    expect(everything.filter((e) => 'items' in e)).toHaveLength(1);
    // A supervisor reads the dashboard of their own body, not the archive behind it.
    const flat = (roles: Membership[]) => menuEntries(roles, t, 0).flatMap((e) => ('items' in e ? e.items.map((i) => i.label) : [e.label]));
    expect(flat([member('supervisor', 'o1')])).toContain('Cruscotti');
    expect(flat([member('supervisor', 'o1')])).not.toContain('Archivio anonimo');
    expect(flat([member('operator', 'o1')])).not.toContain('Cruscotti');
    // Tokens are in the user's area of the header, not in the menu.
    expect(labels([member('operator', 'o1')])).not.toContain('Token API');
  });
});

describe('the empty inbox says why it is empty (point 18)', () => {
  const base = { ...EMPTY_FILTERS, officeId: 'o1', status: [...DEFAULT_STATUSES] };
  it('tells "nothing to do" from "nothing matches"', () => {
    expect(narrowsDefaultView(base)).toBe(false);
    expect(narrowsDefaultView({ ...base, q: 'rossi' })).toBe(true);
    expect(narrowsDefaultView({ ...base, view: 'mine' })).toBe(true);
    expect(narrowsDefaultView({ ...base, status: ['resolved'] })).toBe(true);
    expect(narrowsDefaultView({ ...base, topic: 'sanita' })).toBe(true);
  });
});

describe('similar tickets of the network (point 10)', () => {
  it('reads the private shape: no code for an unreadable ticket, an opaque reference to ask its office', () => {
    const hidden = normaliseSimilar({
      ref: 'opaque-1', readable: false, code: 'SHOULD-NOT', subject: 'Lampioni spenti in via [luogo]', topic: { code: 'viabilita', label: 'Viabilità' },
      office: { id: 'x', name: 'URP Napoli' }, organisation: { id: 'y', name: 'Comune di Napoli' }, createdAt: '2026-01-01T00:00:00Z', status: 'open', score: 0.8, incidentId: null,
    });
    expect(hidden).toMatchObject({ ref: 'opaque-1', readable: false, code: null, officeName: 'URP Napoli', organisationName: 'Comune di Napoli', topicCode: 'viabilita', topicLabel: 'Viabilità' });
    const readable = normaliseSimilar({
      ref: 'opaque-2', code: 'ABCD-EFGH-1', readable: true, subject: 's', topic: { code: 'tributi', label: 'Tributi' },
      office: { id: 'x', name: 'URP' }, organisation: { id: 'y', name: 'Comune' }, createdAt: '', status: 'new', score: 1, incidentId: null,
    });
    expect(readable).toMatchObject({ ref: 'opaque-2', readable: true, code: 'ABCD-EFGH-1', topicCode: 'tributi', officeName: 'URP' });
  });

  it('offers the open incidents of the same topic branch', () => {
    const incident = (id: string, topic: string | null, status = 'open') => ({ id, topic, status }) as Incident;
    const all = [incident('a', 'viabilita'), incident('b', 'tributi.tari'), incident('c', 'viabilita.illuminazione', 'resolved')];
    expect(incidentsForTopic(all, 'viabilita.illuminazione').map((i) => i.id)).toEqual(['a']);
    expect(incidentsForTopic(all, 'tributi').map((i) => i.id)).toEqual(['b']);
    expect(incidentsForTopic(all, undefined).map((i) => i.id)).toEqual(['a', 'b']);
  });
});

describe('incoming requests follow only the notifications that can change them', () => {
  it('reloads on share and transfer events and on requests, not on tasks, replies or FAQs', () => {
    for (const kind of ['share.requested', 'share.revoked', 'transfer.requested', 'transfer.cancelled', 'similar.requested']) expect(affectsIncomingRequests({ kind }), kind).toBe(true);
    for (const kind of ['task.assigned', 'ticket.partner_reply', 'ticket.assigned', 'faq.stale']) expect(affectsIncomingRequests({ kind }), kind).toBe(false);
  });
});
