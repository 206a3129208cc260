import { describe, expect, it } from 'vitest';
import {
  STATUS_LABELS,
  TICKET_STATUSES,
  type TicketStatus,
  allowedTransitions,
  planStatusChange,
} from './ticket-status.js';

const NOW = new Date('2026-05-20T10:00:00Z');
const DAY = 86_400_000;
const RECENTLY = new Date(NOW.getTime() - 3 * DAY);

/** The expected graph, written out independently of the implementation (reopen window open). */
const LEGAL: Record<TicketStatus, TicketStatus[]> = {
  new: ['open', 'pending_citizen', 'pending_office', 'resolved'],
  open: ['pending_citizen', 'pending_office', 'resolved'],
  pending_citizen: ['open', 'pending_office', 'resolved'],
  pending_office: ['open', 'pending_citizen', 'resolved'],
  resolved: ['open', 'closed'],
  closed: ['open'],
};

function resolvedAtFor(status: TicketStatus): Date | null {
  return status === 'resolved' || status === 'closed' ? RECENTLY : null;
}

describe('planStatusChange: every (from, to) pair', () => {
  const pairs = TICKET_STATUSES.flatMap((from) => TICKET_STATUSES.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s', (from, to) => {
    const plan = planStatusChange({ status: from, resolvedAt: resolvedAtFor(from) }, { to, outcome: 'info_given' }, NOW);
    const legal = LEGAL[from].includes(to);
    expect(plan.ok).toBe(legal);
    if (plan.ok) {
      expect(plan.from).toBe(from);
      expect(plan.to).toBe(to);
      expect(plan.isReopen).toBe(to === 'open' && (from === 'resolved' || from === 'closed'));
    } else {
      expect(plan.code).toBe('ticket.illegal_transition');
      expect(plan.allowed).toEqual(LEGAL[from].slice().sort((a, b) => TICKET_STATUSES.indexOf(a) - TICKET_STATUSES.indexOf(b)));
    }
  });

  it('never allows a same-status transition', () => {
    for (const status of TICKET_STATUSES) {
      const plan = planStatusChange({ status, resolvedAt: resolvedAtFor(status) }, { to: status, outcome: 'x' }, NOW);
      expect(plan.ok).toBe(false);
    }
  });
});

describe('timestamps in the plan', () => {
  it('sets resolvedAt when resolving and leaves closedAt alone', () => {
    const plan = planStatusChange({ status: 'open', resolvedAt: null }, { to: 'resolved', outcome: 'info_given' }, NOW);
    expect(plan).toEqual({ ok: true, from: 'open', to: 'resolved', isReopen: false, setResolvedAt: NOW, setClosedAt: undefined });
  });

  it('sets closedAt when closing and keeps resolvedAt', () => {
    const plan = planStatusChange({ status: 'resolved', resolvedAt: RECENTLY }, { to: 'closed' }, NOW);
    expect(plan).toEqual({ ok: true, from: 'resolved', to: 'closed', isReopen: false, setResolvedAt: undefined, setClosedAt: NOW });
  });

  it('clears both when reopening', () => {
    for (const status of ['resolved', 'closed'] as const) {
      const plan = planStatusChange({ status, resolvedAt: RECENTLY }, { to: 'open' }, NOW);
      expect(plan).toEqual({ ok: true, from: status, to: 'open', isReopen: true, setResolvedAt: null, setClosedAt: null });
    }
  });

  it('touches neither for ordinary moves', () => {
    const plan = planStatusChange({ status: 'pending_citizen', resolvedAt: null }, { to: 'open' }, NOW);
    expect(plan).toMatchObject({ ok: true, isReopen: false, setResolvedAt: undefined, setClosedAt: undefined });
  });
});

describe('outcome required', () => {
  it.each([undefined, null, '', '   '])('refuses to resolve with outcome %j', (outcome) => {
    const plan = planStatusChange({ status: 'new', resolvedAt: null }, { to: 'resolved', outcome }, NOW);
    expect(plan).toMatchObject({ ok: false, code: 'ticket.outcome_required' });
    if (!plan.ok) expect(plan.message).toContain("occorre indicare l'esito");
  });

  it('does not require an outcome for other targets', () => {
    expect(planStatusChange({ status: 'new', resolvedAt: null }, { to: 'open' }, NOW).ok).toBe(true);
  });

  it('reports an illegal transition before a missing outcome', () => {
    const plan = planStatusChange({ status: 'closed', resolvedAt: RECENTLY }, { to: 'resolved' }, NOW);
    expect(plan).toMatchObject({ ok: false, code: 'ticket.illegal_transition' });
  });
});

describe('reopen window', () => {
  const resolvedAt = new Date('2026-05-01T09:00:00Z');
  const edge = new Date(resolvedAt.getTime() + 14 * DAY);

  it.each(['resolved', 'closed'] as const)('allows reopening %s exactly at the 14-day edge', (status) => {
    expect(planStatusChange({ status, resolvedAt }, { to: 'open' }, edge).ok).toBe(true);
  });

  it.each(['resolved', 'closed'] as const)('refuses reopening %s one millisecond later', (status) => {
    const plan = planStatusChange({ status, resolvedAt }, { to: 'open' }, new Date(edge.getTime() + 1));
    expect(plan).toMatchObject({ ok: false, code: 'ticket.reopen_window_expired' });
    if (!plan.ok) {
      expect(plan.message).toContain('14 giorni');
      expect(plan.allowed).toEqual(status === 'resolved' ? ['closed'] : []);
    }
  });

  it('honours a configured window', () => {
    const at = new Date(resolvedAt.getTime() + 20 * DAY);
    expect(planStatusChange({ status: 'closed', resolvedAt }, { to: 'open' }, at).ok).toBe(false);
    expect(planStatusChange({ status: 'closed', resolvedAt }, { to: 'open' }, at, { reopenWindowDays: 30 }).ok).toBe(true);
    expect(allowedTransitions('closed', resolvedAt, resolvedAt, { reopenWindowDays: 0 })).toEqual(['open']);
    expect(allowedTransitions('closed', resolvedAt, new Date(resolvedAt.getTime() + 1), { reopenWindowDays: 0 })).toEqual([]);
  });

  it('treats a missing resolvedAt as outside the window', () => {
    expect(allowedTransitions('closed', null, NOW)).toEqual([]);
    expect(allowedTransitions('resolved', null, NOW)).toEqual(['closed']);
  });

  it('rejects a nonsensical window', () => {
    expect(() => allowedTransitions('closed', resolvedAt, NOW, { reopenWindowDays: -1 })).toThrow(RangeError);
  });
});

describe('messages and labels', () => {
  it('says in Italian what is allowed', () => {
    const plan = planStatusChange({ status: 'closed', resolvedAt: RECENTLY }, { to: 'pending_citizen' }, NOW);
    expect(plan).toMatchObject({
      ok: false,
      message: 'Impossibile passare da «chiuso» a «in attesa del cittadino»: stati ammessi: aperto.',
      allowed: ['open'],
    });
  });

  it('says when nothing is allowed', () => {
    const plan = planStatusChange({ status: 'closed', resolvedAt: null }, { to: 'new' }, NOW);
    if (plan.ok) throw new Error('expected a refusal');
    expect(plan.message).toBe('Impossibile passare da «chiuso» a «nuovo»: nessun cambio di stato ammesso.');
  });

  it('labels every status in both languages', () => {
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...TICKET_STATUSES].sort());
    expect(STATUS_LABELS.pending_office.it).toBe('In attesa di altro ufficio');
  });
});
