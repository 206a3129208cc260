import { describe, expect, it, vi } from 'vitest';
import type { OpenedDatabase } from '../src/db/database.js';
import { startRealtimeHub } from '../src/platform/realtime.js';

/** The hub's feeds against a fake LISTEN connection and an in-memory source (no database). */
function fakeDatabase() {
  let notify: (channel: string) => void = () => undefined;
  const database = {
    async listen(_channels: readonly string[], onNotify: (channel: string) => void) {
      notify = onNotify;
      return { close: async () => undefined };
    },
  } as unknown as OpenedDatabase;
  return { database, notify: (channel: string) => notify(channel) };
}

const settle = () => new Promise((r) => setTimeout(r, 30));

describe('realtime hub feeds', () => {
  it('hands on a row whose transaction committed after a later id, once, and tells the source which rows are new', async () => {
    const { database, notify } = fakeDatabase();
    const hub = await startRealtimeHub(database, { settleMs: 200, recheckMs: 0 });
    const rows: { id: number; userId: string; item: string }[] = [];
    const freshAsked: { id: number; fresh: boolean }[] = [];
    const feed = hub.addFeed({
      channel: 'test_feed',
      latestId: async () => 0,
      fetchAfter: async (afterId, limit, fresh) => {
        const out = rows.filter((r) => r.id > afterId).sort((a, b) => a.id - b.id).slice(0, limit);
        for (const r of out) freshAsked.push({ id: r.id, fresh: fresh(r.id) });
        return out;
      },
    });
    const got: number[] = [];
    const other: number[] = [];
    feed.subscribe('u1', (_item, id) => got.push(id));
    feed.subscribe('u2', (_item, id) => other.push(id));
    try {
      rows.push({ id: 2, userId: 'u1', item: 'due' });
      notify('test_feed');
      await settle();
      expect(got).toEqual([2]);
      // Id 1 was taken first but committed now (its own NOTIFY): still delivered, 2 not again.
      rows.push({ id: 1, userId: 'u1', item: 'uno' }, { id: 3, userId: 'u2', item: 'tre' });
      notify('test_feed');
      await settle();
      notify('test_feed');
      await settle();
      expect(got).toEqual([2, 1]);
      expect(other).toEqual([3]);
      expect(freshAsked.filter((f) => f.id === 2).map((f) => f.fresh)).toEqual([true, false, false]);
      // Once settled, old rows are no longer read again.
      await new Promise((r) => setTimeout(r, 250));
      notify('test_feed');
      await settle();
      freshAsked.length = 0;
      notify('test_feed');
      await settle();
      expect(freshAsked).toEqual([]);
      expect(got).toEqual([2, 1]);
    } finally {
      await hub.close();
    }
  });

  it('reads nothing for a feed nobody listens to, and starts its first listener from the newest row', async () => {
    const { database, notify } = fakeDatabase();
    const hub = await startRealtimeHub(database, { settleMs: 200, recheckMs: 0 });
    const rows: { id: number; userId: string; item: string }[] = [];
    let fetches = 0;
    let anchors = 0;
    const feed = hub.addFeed({
      channel: 'test_feed',
      latestId: async () => {
        anchors += 1;
        return rows.reduce((max, r) => Math.max(max, r.id), 0);
      },
      fetchAfter: async (afterId, limit) => {
        fetches += 1;
        return rows.filter((r) => r.id > afterId).sort((a, b) => a.id - b.id).slice(0, limit);
      },
    });
    try {
      await settle();
      expect(anchors).toBe(1);
      rows.push({ id: 1, userId: 'u1', item: 'uno' }, { id: 2, userId: 'u1', item: 'due' });
      notify('test_feed');
      notify('test_feed');
      await settle();
      expect(fetches).toBe(0);
      const got: number[] = [];
      const unsubscribe = feed.subscribe('u1', (_item, id) => got.push(id));
      rows.push({ id: 3, userId: 'u1', item: 'tre' });
      notify('test_feed');
      await settle();
      // Anchored again when it got its listener: rows 1 and 2 came before it, row 3 after.
      expect(anchors).toBe(2);
      expect(got).toEqual([3]);
      unsubscribe();
      rows.push({ id: 4, userId: 'u1', item: 'quattro' });
      const before = fetches;
      notify('test_feed');
      await settle();
      expect(fetches).toBe(before);
      feed.subscribe('u1', (_item, id) => got.push(id));
      rows.push({ id: 5, userId: 'u1', item: 'cinque' });
      notify('test_feed');
      await settle();
      expect(got).toEqual([3, 5]);
    } finally {
      await hub.close();
    }
  });

  it('between re-reads of the settle window, a wake-up reads only past the newest row, and a row committed late arrives by the scheduled re-read', async () => {
    const { database, notify } = fakeDatabase();
    const hub = await startRealtimeHub(database, { settleMs: 5000, recheckMs: 1500 });
    const rows: { id: number; userId: string; item: string }[] = [];
    const asked: number[] = [];
    const feed = hub.addFeed({
      channel: 'test_feed',
      latestId: async () => 0,
      fetchAfter: async (afterId, limit) => {
        asked.push(afterId);
        return rows.filter((r) => r.id > afterId).sort((a, b) => a.id - b.id).slice(0, limit);
      },
    });
    const got: number[] = [];
    feed.subscribe('u1', (_item, id) => got.push(id));
    try {
      rows.push({ id: 2, userId: 'u1', item: 'due' });
      notify('test_feed'); // the first wake-up re-reads the window
      await settle();
      for (const id of [4, 5, 6]) {
        rows.push({ id, userId: 'u1', item: String(id) });
        notify('test_feed');
        await settle();
      }
      // A burst of wake-ups within `recheckMs`: each read starts after the newest row seen.
      expect(asked).toEqual([0, 2, 4, 5]);
      expect(got).toEqual([2, 4, 5, 6]);
      // Ids 1 and 3 commit late; their wake-up reads past 6 and misses them, the scheduled re-read finds them.
      rows.push({ id: 1, userId: 'u1', item: 'uno' }, { id: 3, userId: 'u1', item: 'tre' });
      notify('test_feed');
      await settle();
      expect(got).toEqual([2, 4, 5, 6]);
      await vi.waitFor(() => expect(got).toEqual([2, 4, 5, 6, 1, 3]), { timeout: 5000, interval: 50 });
      expect(asked.at(-1)).toBe(0);
    } finally {
      await hub.close();
    }
  });

  it('reads on past a full fetch whose rows are mostly for nobody, in the same wake-up', async () => {
    const { database, notify } = fakeDatabase();
    const hub = await startRealtimeHub(database, { recheckMs: 0 });
    // 2,500 rows: one in three for a console user, the others read for nobody (userId null).
    const rows = Array.from({ length: 2500 }, (_, i) => (i % 3 === 0 ? { id: i + 1, userId: 'u1' as string | null, item: `r${i + 1}` as string | null } : { id: i + 1, userId: null, item: null }));
    const feed = hub.addFeed<string>({
      channel: 'test_feed',
      latestId: async () => 0,
      fetchAfter: async (afterId, limit) => rows.filter((r) => r.id > afterId).slice(0, limit) as { id: number; userId: string; item: string }[],
    });
    const got: number[] = [];
    feed.subscribe('u1', (_item, id) => got.push(id));
    try {
      notify('test_feed');
      await vi.waitFor(() => expect(got).toHaveLength(834), { timeout: 2000, interval: 10 });
      expect(got.at(-1)).toBe(2500);
    } finally {
      await hub.close();
    }
  });

  it('hands a row filed under several keys to the listeners of each key, once per key even if named twice', async () => {
    const { database, notify } = fakeDatabase();
    const hub = await startRealtimeHub(database, { recheckMs: 0 });
    const rows = [
      { id: 1, userId: ['office-a', 'office-b'] as readonly string[], item: 'overflowed offer' },
      { id: 2, userId: ['office-b', 'office-b'] as readonly string[], item: 'same office twice' },
      { id: 3, userId: 'office-c', item: 'elsewhere' },
    ];
    const feed = hub.addFeed<string>({ channel: 'test_feed', latestId: async () => 0, fetchAfter: async (afterId, limit) => rows.filter((r) => r.id > afterId).slice(0, limit) });
    const a: number[] = [];
    const b: number[] = [];
    feed.subscribe('office-a', (_item, id) => a.push(id));
    feed.subscribe('office-b', (_item, id) => b.push(id));
    try {
      notify('test_feed');
      await vi.waitFor(() => expect(b).toEqual([1, 2]), { timeout: 2000, interval: 10 });
      expect(a).toEqual([1]);
    } finally {
      await hub.close();
    }
  });

  it('hands every row of a broadcast feed to every subscriber and counts them', async () => {
    const { database, notify } = fakeDatabase();
    const hub = await startRealtimeHub(database);
    const rows = [{ id: 5, item: 'cinque' }];
    const feed = hub.addBroadcastFeed({ channel: 'test_broadcast', latestId: async () => 4, fetchAfter: async (afterId) => rows.filter((r) => r.id > afterId) });
    const a: string[] = [];
    const b: string[] = [];
    const stopA = feed.subscribe((item) => a.push(item));
    feed.subscribe((item) => b.push(item));
    expect(feed.subscribers()).toBe(2);
    try {
      notify('test_broadcast');
      await settle();
      expect([a, b]).toEqual([['cinque'], ['cinque']]);
      stopA();
      stopA();
      expect(feed.subscribers()).toBe(1);
    } finally {
      await hub.close();
    }
  });
});
