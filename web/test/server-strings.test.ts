import { describe, expect, it } from 'vitest';
import type { AppNotification } from '../src/api/types.js';
import { DICTIONARIES, translator } from '../src/i18n/index.js';
import { formatChangeValue, historyCodeLabel } from '../src/lib/history.js';
import { notificationText } from '../src/lib/notifications.js';
import { problemText } from '../src/lib/problems.js';

const en = translator('en');
const it_ = translator('it');

/** Words that only Italian text has: none may reach an English screen. */
const ITALIAN = /\b(ha|il|della|condivisione|trasferimento|richiesta|nuova|attività|riaperto|assegnato|annullato|rifiutato|accettato|dati|non|campo)\b/i;

const note = (over: Partial<AppNotification>): AppNotification => ({
  id: 1, kind: 'share.requested', ticketCode: 'K7M2-Q9X4-B', link: null, title: 'Richiesta di condivisione K7M2-Q9X4-B: Esenzione', body: 'Da URP Celano: Serve il vostro parere',
  createdAt: '2026-01-01T10:00:00Z', readAt: null, params: {}, ...over,
});

describe('notifications in the user’s language', () => {
  const samples: AppNotification[] = [
    note({ params: { code: 'K7M2-Q9X4-B', subject: 'Esenzione', office: 'URP Celano', mode: 'collaborate', reason: 'Serve il vostro parere', shareId: 'x' } }),
    note({ kind: 'share.accepted', params: { code: 'K7M2-Q9X4-B', office: 'ASL', reason: null, shareId: 'x' }, title: 'ASL ha accettato la condivisione di K7M2-Q9X4-B', body: null }),
    note({ kind: 'transfer.requested', params: { code: 'K7M2-Q9X4-B', subject: 'Esenzione', office: 'URP Celano', transferKind: 'escalation', reasonCode: 'needs_authority', reason: 'Serve la Regione', transferId: 'y' } }),
    note({ kind: 'transfer.cancelled', params: { code: 'K7M2-Q9X4-B', office: 'URP Celano', transferId: 'y' }, body: null }),
    note({ kind: 'task.assigned', params: { code: 'K7M2-Q9X4-B', task: 'Verify' }, body: null }),
    note({ kind: 'ticket.partner_reply', params: { code: 'K7M2-Q9X4-B', subject: 'Exemption', office: 'ASL' }, body: null }),
    note({ kind: 'ticket.assigned', params: { code: 'K7M2-Q9X4-B', subject: 'Exemption' }, body: null }),
    note({ kind: 'ticket.reopened', params: { code: 'K7M2-Q9X4-B', subject: 'Exemption', status: 'open' }, body: null }),
    note({ kind: 'ticket.citizen_message', params: { code: 'K7M2-Q9X4-B', subject: 'Exemption' }, body: null }),
    note({ kind: 'taxonomy.proposal_approved', params: { version: '1.1.0', rationale: null }, body: null, link: '/taxonomia', ticketCode: null }),
  ];

  it('writes every structured notification in English from its kind and parameters', () => {
    for (const n of samples) {
      const { title, body } = notificationText(n, en);
      expect(title, n.kind).not.toMatch(ITALIAN);
      expect(title, n.kind).not.toMatch(/\{\w+\}/);
      if (n.params?.code) expect(title, n.kind).toContain('K7M2-Q9X4-B');
      if (body) expect(body.replace(/Serve (il vostro parere|la Regione)/, ''), n.kind).not.toMatch(ITALIAN);
    }
    expect(notificationText(samples[2]!, en).title).toBe('Escalation to accept: K7M2-Q9X4-B — Esenzione');
    expect(notificationText(samples[0]!, en).body).toBe('From URP Celano: Serve il vostro parere');
  });

  it('writes them in Italian too, as the server did', () => {
    expect(notificationText(samples[0]!, it_)).toEqual({ title: 'Richiesta di condivisione K7M2-Q9X4-B: Esenzione', body: 'Da URP Celano: Serve il vostro parere' });
  });

  it('shows older notifications (no parameters) and unknown kinds as stored', () => {
    const old = note({});
    expect(notificationText(old, en)).toEqual({ title: old.title, body: old.body });
    const unknown = note({ kind: 'something.new', params: { code: 'X' } });
    expect(notificationText(unknown, en).title).toBe(unknown.title);
  });

  it('has an English entry for every Italian notification kind', () => {
    const kinds = Object.keys(DICTIONARIES.it).filter((k) => k.startsWith('notification.'));
    for (const k of kinds) expect(DICTIONARIES.en[k as keyof typeof DICTIONARIES.en], k).not.toMatch(ITALIAN);
  });
});

describe('history values as words', () => {
  it('shows share modes, share and transfer statuses, reasons and booleans in the user’s language', () => {
    const word = (action: string, field: string, value: unknown) => formatChangeValue(value, (c) => historyCodeLabel(en, action, field, c));
    expect(word('shared', 'mode', 'collaborate')).toBe('collaboration');
    expect(word('share_accepted', 'status', 'pending')).toBe('Pending');
    expect(word('share_accepted', 'status', 'active')).toBe('Active');
    expect(word('shared', 'requesterShared', false)).toBe('no');
    expect(word('shared', 'requesterShared', true)).toBe('yes');
    expect(word('transfer_requested', 'reasonCode', 'not_competent')).toBe('Not our competence');
    expect(word('status_changed', 'status', 'pending_citizen')).toBe('Waiting for the citizen');
    expect(word('task_updated', 'taskStatus', 'done')).toBe('Done');
    expect(formatChangeValue(false, (c) => historyCodeLabel(it_, 'shared', 'requesterShared', c))).toBe('no');
    expect(formatChangeValue(true, (c) => historyCodeLabel(it_, 'shared', 'requesterShared', c))).toBe('sì');
    // Free text and unknown codes stay as recorded.
    expect(word('shared', 'reason', 'Serve il parere')).toBe('Serve il parere');
  });
});

describe('problem details in the user’s language', () => {
  const problem = { status: 404, code: 'ticket.not_found', detail: 'No ticket with code K7M2-Q9X4-B.', title: 'Not found' };

  it('shows the detail the API wrote in the language the app asked for', () => {
    expect(problemText(problem, en, 'x')).toBe(problem.detail);
    const italian = { ...problem, detail: 'Nessun ticket con codice K7M2-Q9X4-B.', title: 'Non trovato' };
    expect(problemText(italian, it_, 'x')).toBe(italian.detail);
  });

  it('says an error answer that is not an API problem (a proxy page) by its status, in the user’s language', () => {
    const gateway = { status: 502, title: 'Bad Gateway' };
    expect(problemText(gateway, en, 'x')).toBe('The service is not answering: try again shortly.');
    expect(problemText(gateway, it_, 'x')).toBe('Il servizio non risponde: riprova tra poco.');
    expect(problemText({ status: 418, title: "I'm a teapot" }, en, 'fallback')).toBe('fallback');
  });

  it('words every status sentence in both languages', () => {
    const keys = Object.keys(DICTIONARIES.it).filter((k) => k.startsWith('problem.status.'));
    expect(keys.length).toBeGreaterThan(3);
    for (const k of keys) {
      expect(DICTIONARIES.en[k as keyof typeof DICTIONARIES.en], k).not.toMatch(ITALIAN);
      expect(DICTIONARIES.en[k as keyof typeof DICTIONARIES.en], k).not.toBe(DICTIONARIES.it[k as keyof typeof DICTIONARIES.it]);
    }
  });
});
