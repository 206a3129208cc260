import { describe, expect, it } from 'vitest';
import { estimatedWaitSeconds, isSaturated, type OfficeState, type OverflowRoute, overflowOfficesFor } from './overflow-policy.js';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const office = (id: string, over: Partial<OfficeState> = {}): OfficeState => ({
  officeId: id, open: true, waiting: 0, staffed: 2, handleSeconds: 180, thresholds: { maxQueue: null, maxWaitSeconds: null }, ...over,
});
const route = (to: string, over: Partial<OverflowRoute> = {}): OverflowRoute => ({ toOfficeId: to, afterSeconds: 30, topics: [], cap: null, when: ['wait', 'closed'], ...over });
const partners = (...states: OfficeState[]) => new Map(states.map((s) => [s.officeId, s]));

describe('overflow policy', () => {
  it('estimates the wait from the queue, the staff and the handle time', () => {
    expect(estimatedWaitSeconds(4, 2, 180)).toBe(360);
    expect(estimatedWaitSeconds(1, 0, 180)).toBe(Number.POSITIVE_INFINITY);
    expect(estimatedWaitSeconds(0, 0, 180)).toBe(0);
  });

  it('opens a wait route after afterSeconds, at once when the estimate is over the limit', () => {
    const home = office('a', { waiting: 3 });
    const p = partners(office('b'));
    expect(overflowOfficesFor({ enqueuedAt: NOW - 10_000, topic: null }, home, [route('b')], p, new Map(), NOW)).toEqual([]);
    expect(overflowOfficesFor({ enqueuedAt: NOW - 30_000, topic: null }, home, [route('b')], p, new Map(), NOW)).toEqual(['b']);
    const slow = office('a', { waiting: 10, thresholds: { maxQueue: null, maxWaitSeconds: 300 } });
    expect(overflowOfficesFor({ enqueuedAt: NOW, topic: null }, slow, [route('b')], p, new Map(), NOW)).toEqual(['b']);
  });

  it('opens closed and queue routes only on their trigger', () => {
    const closed = office('a', { open: false });
    expect(overflowOfficesFor({ enqueuedAt: NOW, topic: null }, closed, [route('b', { when: ['closed'] })], partners(office('b')), new Map(), NOW)).toEqual(['b']);
    const long = office('a', { waiting: 6, thresholds: { maxQueue: 5, maxWaitSeconds: null } });
    expect(overflowOfficesFor({ enqueuedAt: NOW, topic: null }, long, [route('b', { when: ['queue'] })], partners(office('b')), new Map(), NOW)).toEqual(['b']);
    expect(overflowOfficesFor({ enqueuedAt: NOW, topic: null }, long, [route('b', { when: ['closed'] })], partners(office('b')), new Map(), NOW)).toEqual([]);
  });

  it('never sends to a closed or saturated partner, over the cap or outside the route topics', () => {
    const home = office('a');
    const waited = { enqueuedAt: NOW - 60_000, topic: 'tributi.tari' };
    expect(overflowOfficesFor(waited, home, [route('b')], partners(office('b', { open: false })), new Map(), NOW)).toEqual([]);
    const busy = office('b', { waiting: 50, thresholds: { maxQueue: 10, maxWaitSeconds: null } });
    expect(isSaturated(busy)).toBe(true);
    expect(overflowOfficesFor(waited, home, [route('b')], partners(busy), new Map(), NOW)).toEqual([]);
    expect(overflowOfficesFor(waited, home, [route('b', { cap: 2 })], partners(office('b')), new Map([['b', 2]]), NOW)).toEqual([]);
    expect(overflowOfficesFor(waited, home, [route('b', { cap: 2 })], partners(office('b')), new Map([['b', 1]]), NOW)).toEqual(['b']);
    expect(overflowOfficesFor(waited, home, [route('b', { topics: ['anagrafe'] })], partners(office('b')), new Map(), NOW)).toEqual([]);
    expect(overflowOfficesFor(waited, home, [route('b', { topics: ['tributi'] })], partners(office('b')), new Map(), NOW)).toEqual(['b']);
  });
});
