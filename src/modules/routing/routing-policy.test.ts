import { describe, expect, it } from 'vitest';
import { canTake, planOffers, queueOrder, type RoutingItem, type RoutingOperator } from './routing-policy.js';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const item = (id: string, over: Partial<RoutingItem> = {}): RoutingItem => ({
  id, officeId: 'a', channel: 'phone', topic: null, language: null, priority: 0, enqueuedAt: NOW - 60_000, overflowOfficeIds: [], refusedBy: [], ...over,
});
const operator = (id: string, over: Partial<RoutingOperator> = {}): RoutingOperator => ({
  id, officeId: 'a', presence: 'available', idleSince: NOW - 10_000, skills: { topics: [], languages: [], channels: [] }, capacity: {}, load: {}, ...over,
});

describe('routing policy', () => {
  it('serves priority first, then the longest wait; ageing lets old low-priority items through', () => {
    const order = queueOrder([item('old', { enqueuedAt: NOW - 3_600_000 }), item('urgent', { priority: 2 }), item('new', { enqueuedAt: NOW - 1000 })], NOW);
    // priority 2 = 1,200 s of waiting: the hour-old item still goes first.
    expect(order.map((i) => i.id)).toEqual(['old', 'urgent', 'new']);
  });

  it('gives each item to the operator idle longest, never the same slot twice', () => {
    const offers = planOffers([item('1'), item('2'), item('3')], [operator('x', { idleSince: NOW - 5000 }), operator('y', { idleSince: NOW - 50_000 })], NOW);
    expect(offers).toEqual([
      { itemId: '1', operatorId: 'y', overflow: false },
      { itemId: '2', operatorId: 'x', overflow: false },
    ]);
  });

  it('respects skills, languages, channels, capacity and refusals', () => {
    const specialist = operator('s', { skills: { topics: ['tributi'], languages: ['en'], channels: ['email', 'chat'] }, capacity: { email: 2 } });
    expect(canTake(specialist, item('t', { channel: 'email', topic: 'tributi.imu', language: 'en' }))).toBe(true);
    expect(canTake(specialist, item('t', { channel: 'email', topic: 'anagrafe' }))).toBe(false);
    expect(canTake(specialist, item('t', { channel: 'email', language: 'de' }))).toBe(false);
    expect(canTake(specialist, item('t', { channel: 'phone' }))).toBe(false);
    expect(canTake(specialist, item('t', { channel: 'email' }), { email: 2 })).toBe(false);
    expect(canTake(specialist, item('t', { channel: 'email', refusedBy: ['s'] }))).toBe(false);
    expect(canTake(operator('b', { presence: 'break' }), item('t'))).toBe(false);
  });

  it('keeps voice exclusive: no call on top of a chat, nothing on top of a call', () => {
    const o = operator('o');
    expect(canTake(o, item('c'), { chat: 1 })).toBe(false);
    expect(canTake(o, item('c', { channel: 'email' }), { phone: 1 })).toBe(false);
    expect(canTake(o, item('c', { channel: 'email' }), { chat: 2 })).toBe(true);
  });

  it('lets partner operators take overflowed items, after the own office', () => {
    const partner = operator('p', { officeId: 'b', idleSince: NOW - 999_999 });
    expect(planOffers([item('1')], [partner], NOW)).toEqual([]);
    const offers = planOffers([item('1', { overflowOfficeIds: ['b'] }), item('2', { overflowOfficeIds: ['b'] })], [partner, operator('own')], NOW);
    expect(offers).toEqual([
      { itemId: '1', operatorId: 'own', overflow: false },
      { itemId: '2', operatorId: 'p', overflow: true },
    ]);
  });

  it("serves a partner's own callers before contacts overflowed to it, however long those waited", () => {
    const partnerOperator = operator('p', { officeId: 'b' });
    const overflowed = item('from-a', { enqueuedAt: NOW - 600_000, overflowOfficeIds: ['b'] });
    const own = item('own-b', { officeId: 'b', enqueuedAt: NOW - 5000 });
    expect(planOffers([overflowed, own], [partnerOperator], NOW)).toEqual([{ itemId: 'own-b', operatorId: 'p', overflow: false }]);
    expect(planOffers([overflowed], [partnerOperator], NOW)).toEqual([{ itemId: 'from-a', operatorId: 'p', overflow: true }]);
  });
});
