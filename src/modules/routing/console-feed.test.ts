import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../../platform/realtime.js';
import { consoleFeedRows } from './routing.routes.js';

const row = (id: number, topic: string, payload: Record<string, unknown>): OutboxRow => ({ id, topic, aggregateId: 'item', organisationId: 'org', payload, createdAt: new Date(0) });

describe('console stream rows', () => {
  it('keeps one row per routing event read, events for no console included, so the hub reads on past a full page', () => {
    const events = [
      row(1, 'routing.offer_made', { offerId: 'o1', userId: 'u1', expiresAt: '2026-12-07T10:00:00Z' }),
      row(2, 'routing.item_ended', { itemId: 'i1', officeId: 'f1', outcome: 'answered' }),
      row(3, 'routing.offer_closed', { offerId: 'o1', userId: 'u1', status: 'declined' }),
      row(4, 'routing.item_assigned', { itemId: 'i2', userId: 'u2', channel: 'email' }),
    ];
    const rows = consoleFeedRows(events);
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(rows.map((r) => [r.userId, r.item?.event ?? null])).toEqual([['u1', 'offer'], [null, null], ['u1', 'offer_closed'], ['u2', 'assigned']]);
  });
});
