import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../platform/seeded-random.js';
import { EventQueue } from './event-queue.js';

describe('EventQueue', () => {
  it('pops events in time order, ties in push order', () => {
    const random = mulberry32(11);
    const q = new EventQueue<{ time: number; n: number }>();
    const pushed: { time: number; n: number }[] = [];
    for (let n = 0; n < 2000; n++) {
      // Few distinct times, so many ties.
      const e = { time: Math.floor(random() * 50), n };
      pushed.push(e);
      q.push(e.time, e);
      // Interleave pops, as the simulation does.
      if (n % 7 === 0) pushed.splice(pushed.indexOf(q.pop()!), 1);
    }
    const expected = [...pushed].sort((a, b) => a.time - b.time || a.n - b.n);
    const out: { time: number; n: number }[] = [];
    while (q.size > 0) {
      const t = q.peekTime();
      const e = q.pop()!;
      expect(e.time).toBe(t);
      out.push(e);
    }
    expect(out).toEqual(expected);
    expect(q.pop()).toBeUndefined();
    expect(q.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });
});
