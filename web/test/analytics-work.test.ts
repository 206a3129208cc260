import { describe, expect, it } from 'vitest';
import type { Membership, Role } from '../src/api/types.js';
import { menuEntries } from '../src/components/Layout.js';
import { translator } from '../src/i18n/index.js';
import {
  actionFromAlarmUrl,
  alignIntervals,
  actionPrefill,
  alarmSentence,
  assumptionParams,
  busyIntervals,
  canReadAlarms,
  DEFAULT_ASSUMPTIONS,
  effectSentence,
  formatPercent,
  halfHourLabel,
  observedCell,
  parseVolumes,
  relativeChange,
  sameSlice,
  sliceLabel,
  sliceOf,
  verdictText,
} from '../src/pages/analytics-work.js';

const it_ = translator('it');
const en = translator('en');
const names = {
  topic: (code: string) => ({ 'tributi.tari': 'TARI' })[code] ?? code,
  territory: (code: string) => ({ '066032': 'Celano' })[code] ?? code,
  channel: (code: string) => ({ phone: 'telefono' })[code] ?? code,
};
const alarm = { kind: 'spike' as const, slice: { topic: 'tributi.tari', territory: '066032', channel: 'phone' }, term: null, observed: 42, expected: 12, day: '2026-12-03', since: '2026-12-01' };

describe('alarms in words', () => {
  it('says what rose, where, by how much against what was expected, and since when', () => {
    expect(alarmSentence(alarm, names, it_, 'it')).toBe('Picco — TARI, Celano, telefono: 42 contatti il 03/12/2026 contro 12 attesi (+250%); anomalia iniziata il 01/12/2026.');
    expect(alarmSentence(alarm, names, en, 'en')).toBe('Spike — TARI, Celano, telefono: 42 contacts on 03/12/2026 against 12 expected (+250%); anomaly started on 01/12/2026.');
  });

  it('names the missing parts of a slice as "all", a drop with a minus sign, an emerging term by its word', () => {
    const drop = { ...alarm, kind: 'drop' as const, slice: {}, observed: 3, expected: 10.25 };
    expect(alarmSentence(drop, names, it_, 'it')).toBe('Calo — Tutti i temi, tutto il territorio, tutti i canali: 3 contatti il 03/12/2026 contro 10,3 attesi (−71%); anomalia iniziata il 01/12/2026.');
    const term = { ...alarm, kind: 'emerging_term' as const, term: 'bonus idrico', slice: { territory: '066032' }, expected: 0 };
    expect(alarmSentence(term, names, it_, 'it')).toBe('Argomento emergente «bonus idrico» — Celano, tutti i canali: 42 contatti il 03/12/2026 contro 0 attesi (nessuno atteso); dal 01/12/2026.');
  });

  it('labels slices and compares them part by part', () => {
    expect(sliceLabel({ topic: 'tributi.tari', channel: 'phone' }, names, it_)).toBe('TARI · telefono');
    expect(sliceLabel({}, names, it_)).toBe('Tutti i temi');
    expect(sameSlice({ topic: 'a' }, { topic: 'a', territory: undefined })).toBe(true);
    expect(sameSlice({ topic: 'a' }, { topic: 'a', channel: 'phone' })).toBe(false);
    expect(sliceOf({ topic: '', territory: ' 066 ', channel: 'phone' })).toEqual({ territory: '066', channel: 'phone' });
  });

  it('is for supervisors, administrators, analysts and the coordination', () => {
    const m = (role: Role) => [{ role, organisationId: 'o', organisationName: 'Ente', officeId: null, officeName: null }] as unknown as Membership[];
    expect(canReadAlarms(m('supervisor'))).toBe(true);
    expect(canReadAlarms(m('analyst'))).toBe(true);
    expect(canReadAlarms(m('operator'))).toBe(false);
  });
});

describe("an alarm's action", () => {
  it('prefills the action form with the alarm as origin and its slice', () => {
    const url = actionFromAlarmUrl({ id: 'a1', slice: { topic: 'tributi.tari', territory: '066032' } });
    expect(url.startsWith('/analisi/azioni?')).toBe(true);
    expect(actionPrefill(url.slice(url.indexOf('?')))).toEqual({ origin: 'alarm', originRef: 'a1', slice: { topic: 'tributi.tari', territory: '066032' } });
    expect(actionPrefill('?status=done')).toBeNull();
    expect(actionPrefill('?nuova=1&origin=bogus')).toEqual({ slice: {} });
  });
});

describe('the effect of an action', () => {
  const effect = { observed: 168, expected: 280, relative: -0.4, relativeLo80: -0.48, relativeHi80: -0.31 };
  it('reads as one sentence with its 80% interval', () => {
    expect(effectSentence(effect, it_, 'it')).toBe('Dopo l’azione: 168 contatti contro 280 attesi (−40%, intervallo 80%: −48% … −31%).');
    expect(effectSentence(effect, en, 'en')).toBe('After the action: 168 contacts against 280 expected (−40%, 80% interval: −48% … −31%).');
    expect(effectSentence({ ...effect, observed: 12000, expected: 10000.4, relative: 0.2, relativeLo80: 0.1, relativeHi80: 0.3 }, it_, 'it')).toBe('Dopo l’azione: 12.000 contatti contro 10.000 attesi (+20%, intervallo 80%: +10% … +30%).');
  });

  it('never gives a withheld total away, and says the verdict in words', () => {
    expect(effectSentence({ ...effect, observed: null, relative: null, relativeLo80: null, relativeHi80: null }, it_, 'it')).toBe('Dopo l’azione: 280 contatti attesi; il totale osservato non è mostrato perché troppo piccolo.');
    expect(effectSentence({ ...effect, expected: 0, relative: null }, it_, 'it')).toBe('Dopo l’azione: 168 contatti contro 0 attesi.');
    expect(verdictText('reduced', it_)).toContain('diminuiti');
    expect(verdictText('pending', en)).toContain('Too early');
  });

  it('shows a withheld day as ≤3 and a day the archive does not cover yet as such', () => {
    expect(observedCell({ date: '2026-11-02', observed: 7 }, '2026-11-30', it_)).toBe(7);
    expect(observedCell({ date: '2026-11-02', observed: null }, '2026-11-30', it_)).toBe('≤3');
    expect(observedCell({ date: '2026-12-02', observed: null }, '2026-11-30', it_)).toBe('non ancora');
  });

  it('signs percentages with a true minus', () => {
    expect(formatPercent(-0.4, 'it', true)).toBe('−40%');
    expect(formatPercent(0, 'it', true)).toBe('±0%');
    expect(formatPercent(0.856, 'en')).toBe('86%');
    expect(relativeChange(5, 0)).toBeNull();
  });
});

describe('staffing', () => {
  it('sends percentages as shares and no patience when empty (Erlang C)', () => {
    expect(assumptionParams(DEFAULT_ASSUMPTIONS)).toEqual({ handleSeconds: 300, targetSeconds: 20, serviceLevel: 0.8, shrinkage: 0.3 });
    expect(assumptionParams({ ...DEFAULT_ASSUMPTIONS, patienceSeconds: '90' })).toMatchObject({ patienceSeconds: 90 });
  });

  it('shows the half hours from the first to the last busy one', () => {
    const i = (start: string, volume: number, rostered: number) => ({ start, volume, rostered });
    const plan = [i('2026-12-07T08:00:00+01:00', 0, 0), i('2026-12-07T08:30:00+01:00', 4, 2), i('2026-12-07T09:00:00+01:00', 0, 0), i('2026-12-07T09:30:00+01:00', 1, 1), i('2026-12-07T10:00:00+01:00', 0, 0)];
    expect(busyIntervals(plan).map((x) => halfHourLabel(x.start))).toEqual(['08:30', '09:00', '09:30']);
    expect(busyIntervals([i('08:00', 0, 0)])).toEqual([]);
    expect(halfHourLabel('14:30')).toBe('14:30');
  });

  it('reads contacts per half hour typed by hand, and names the lines it cannot read', () => {
    expect(parseVolumes('9:00 12\n\n09.30;7,5\n10:00\t3')).toEqual({ intervals: [{ start: '09:00', volume: 12 }, { start: '09:30', volume: 7.5 }, { start: '10:00', volume: 3 }], bad: [] });
    expect(parseVolumes('09:00 12\nciao\n25:00 3').bad).toEqual([2, 3]);
  });

  it('puts the offices of a pooling what-if on the same half hours, a closed one with no contacts', () => {
    const a = { label: 'A', intervals: [{ start: '2026-12-09T09:00:00+01:00', volume: 4 }, { start: '2026-12-09T09:30:00+01:00', volume: 2 }] };
    const b = { label: 'B', intervals: [{ start: '2026-12-09T08:30:00+01:00', volume: 1 }] };
    const closed = { label: 'C', intervals: [] };
    const [x, y, z] = alignIntervals([a, b, closed]);
    expect(x?.intervals.map((i) => i.volume)).toEqual([0, 4, 2]);
    expect(y?.intervals.map((i) => i.volume)).toEqual([1, 0, 0]);
    expect(z?.intervals.map((i) => i.start)).toEqual(['2026-12-09T08:30:00+01:00', '2026-12-09T09:00:00+01:00', '2026-12-09T09:30:00+01:00']);
    expect(alignIntervals([closed])[0]?.intervals).toEqual([]);
  });
});

describe('the menu', () => {
  const member = (role: Role, officeId: string | null = null) => ({ role, organisationId: 'org', organisationName: 'Ente', officeId, officeName: officeId ? 'URP' : null }) as unknown as Membership;
  const hrefs = (roles: Membership[]) => menuEntries(roles, it_, 0).flatMap((e) => ('items' in e ? e.items.map((i) => i.href) : [e.href]));

  it('offers alarms to supervisors and analysts, actions and staffing to every member, on one line', () => {
    expect(hrefs([member('supervisor', 'o1')])).toEqual(expect.arrayContaining(['/analisi/allarmi', '/analisi/azioni', '/analisi/turni']));
    expect(hrefs([member('operator', 'o1')])).not.toContain('/analisi/allarmi');
    expect(hrefs([member('operator', 'o1')])).toEqual(expect.arrayContaining(['/analisi/azioni', '/analisi/turni']));
    expect(hrefs([member('org_admin')])).toEqual(expect.arrayContaining(['/analisi/allarmi', '/analisi/azioni', '/analisi/turni']));
    for (const roles of [[member('supervisor', 'o1')], [member('analyst')], [member('operator', 'o1')], [member('org_admin')], [member('supervisor', 'o1'), member('org_admin'), member('analyst')]]) {
      expect(menuEntries(roles, it_, 0).length).toBeLessThanOrEqual(7);
    }
  });
});
