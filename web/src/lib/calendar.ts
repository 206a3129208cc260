import { type Closure, type OfficeCalendar, type Shift, WEEKDAYS, type Weekday } from '../api/types.js';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Problems of a weekly calendar as `day` → indexes of bad shifts (bad time, close ≤ open, overlapping). */
export function invalidShifts(weekly: OfficeCalendar['weekly']): Partial<Record<Weekday, number[]>> {
  const out: Partial<Record<Weekday, number[]>> = {};
  for (const day of WEEKDAYS) {
    const shifts = weekly[day] ?? [];
    const bad = new Set<number>();
    shifts.forEach((s, i) => {
      if (!TIME.test(s.open) || !TIME.test(s.close) || s.close <= s.open) bad.add(i);
    });
    const order = shifts.map((s, i) => ({ s, i })).sort((a, b) => a.s.open.localeCompare(b.s.open));
    for (let k = 1; k < order.length; k++) {
      const prev = order[k - 1];
      const cur = order[k];
      if (prev && cur && cur.s.open < prev.s.close) bad.add(cur.i);
    }
    if (bad.size) out[day] = [...bad].sort();
  }
  return out;
}

export function invalidClosures(closures: readonly Closure[]): number[] {
  const DATE = /^\d{4}-\d{2}-\d{2}$/;
  return closures.flatMap((c, i) => (!DATE.test(c.from) || !DATE.test(c.to) || c.to < c.from ? [i] : []));
}

/** The calendar as sent to the server: shifts sorted, empty days dropped, blank reasons removed. */
export function normaliseCalendar(calendar: OfficeCalendar): OfficeCalendar {
  const weekly: OfficeCalendar['weekly'] = {};
  for (const day of WEEKDAYS) {
    const shifts: Shift[] = [...(calendar.weekly[day] ?? [])].sort((a, b) => a.open.localeCompare(b.open));
    if (shifts.length) weekly[day] = shifts;
  }
  const closures = calendar.closures.map((c) => (c.reason?.trim() ? { from: c.from, to: c.to, reason: c.reason.trim() } : { from: c.from, to: c.to }));
  return { timeZone: calendar.timeZone || 'Europe/Rome', weekly, closures };
}
