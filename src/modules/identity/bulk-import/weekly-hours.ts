/**
 * Opening hours as an office writes them in a spreadsheet — «lun-ven 09:00-13:00; mar,gio 15:00-17:00»
 * — read into the weekly hours of the office calendar (office-calendar.ts). Groups are separated by
 * `;`; each group is days (names or ranges, separated by commas) and one or more time ranges. Times
 * may be written 9, 9:00, 09.00; dashes may be en dashes. «sab chiuso» says Saturday is closed.
 * Two ranges of the same day that overlap are an error, named with the day and both ranges.
 */
import type { TimeRange, Weekday, WeeklyHours } from '../office-calendar.js';

const ORDER: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const DAY_NAMES: Record<string, Weekday> = {
  lun: 'mon', lunedi: 'mon', mon: 'mon', monday: 'mon',
  mar: 'tue', martedi: 'tue', tue: 'tue', tuesday: 'tue',
  mer: 'wed', mercoledi: 'wed', wed: 'wed', wednesday: 'wed',
  gio: 'thu', giovedi: 'thu', thu: 'thu', thursday: 'thu',
  ven: 'fri', venerdi: 'fri', fri: 'fri', friday: 'fri',
  sab: 'sat', sabato: 'sat', sat: 'sat', saturday: 'sat',
  dom: 'sun', domenica: 'sun', sun: 'sun', sunday: 'sun',
};

/** Day names for messages. */
export const DAY_LABELS: Record<Weekday, { it: string; en: string }> = {
  mon: { it: 'il lunedì', en: 'Monday' },
  tue: { it: 'il martedì', en: 'Tuesday' },
  wed: { it: 'il mercoledì', en: 'Wednesday' },
  thu: { it: 'il giovedì', en: 'Thursday' },
  fri: { it: 'il venerdì', en: 'Friday' },
  sat: { it: 'il sabato', en: 'Saturday' },
  sun: { it: 'la domenica', en: 'Sunday' },
};

export type HoursProblem =
  | { kind: 'syntax'; it: string; en: string }
  | { kind: 'overlap'; day: Weekday; first: TimeRange; second: TimeRange };

export type HoursResult = { ok: true; weekly: WeeklyHours } | { ok: false; problem: HoursProblem };

const syntax = (it: string, en: string): HoursResult => ({ ok: false, problem: { kind: 'syntax', it, en } });

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function dayOf(word: string): Weekday | undefined {
  return DAY_NAMES[fold(word).replace(/\.$/, '')];
}

/** The days of «lun-ven», «mar,gio», «sab». */
function parseDays(text: string): Weekday[] | string {
  const days: Weekday[] = [];
  for (const part of text.split(/\s*[,/]\s*|\s+e\s+|\s+and\s+/).filter((p) => p !== '')) {
    const range = part.split(/\s*[-–—]\s*|\s+a\s+/);
    if (range.length === 1) {
      const d = dayOf(part);
      if (!d) return part;
      days.push(d);
      continue;
    }
    const [fromWord = '', toWord = ''] = range;
    const from = dayOf(fromWord);
    const to = dayOf(toWord);
    if (!from) return fromWord;
    if (!to || range.length > 2) return toWord;
    // lun-ven, and also ven-lun across the week end (rare but unambiguous).
    for (let i = ORDER.indexOf(from); ; i = (i + 1) % 7) {
      days.push(ORDER[i]!);
      if (ORDER[i] === to) break;
    }
  }
  return days;
}

/** «9», «9:00», «09.30», «24:00» → «HH:MM», or null. */
function parseTime(text: string): string | null {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2] ?? '0');
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Reads the weekly hours; an empty text is «no weekly hours given» (null). */
export function parseWeeklyHours(text: string): HoursResult | null {
  const source = text.trim();
  if (source === '') return null;
  const weekly: WeeklyHours = {};
  const closed = new Set<Weekday>();
  for (const rawGroup of source.split(/\s*;\s*|\n+/)) {
    const group = rawGroup.trim();
    if (group === '') continue;
    // The days end where the first time (a digit) or the word «chiuso» begins.
    const start = group.search(/\d|\bchius[oa]\b|\bclosed\b/i);
    if (start <= 0) return syntax(`«${group}»: indica i giorni e poi gli orari, es. «lun-ven 09:00-13:00»`, `“${group}”: give the days, then the hours, e.g. “lun-ven 09:00-13:00”`);
    const days = parseDays(group.slice(0, start).trim().replace(/[:,]$/, '').trim());
    if (typeof days === 'string') return syntax(`giorno «${days}» sconosciuto in «${group}» (usa lun, mar, mer, gio, ven, sab, dom)`, `unknown day “${days}” in “${group}” (use lun, mar, mer, gio, ven, sab, dom)`);
    const timesText = group.slice(start).trim().replace(/\s*[-–—]\s*/g, '-');
    if (/^(chius[oa]|closed)$/i.test(timesText)) {
      for (const d of days) closed.add(d);
      continue;
    }
    const ranges: TimeRange[] = [];
    for (const piece of timesText.split(/\s*[,/]\s*|\s+e\s+|\s+and\s+|\s+/).filter((p) => p !== '')) {
      const [openText = '', closeText = '', ...rest] = piece.split('-');
      const open = parseTime(openText);
      const close = parseTime(closeText);
      if (rest.length > 0 || !open || !close) return syntax(`fascia oraria «${piece}» non valida: scrivi ad es. 09:00-13:00`, `invalid time range “${piece}”: write e.g. 09:00-13:00`);
      if (open === '24:00' || minutes(open) >= minutes(close)) return syntax(`nella fascia «${piece}» l'apertura deve precedere la chiusura`, `in the range “${piece}” the opening must come before the closing`);
      ranges.push({ open, close });
    }
    for (const d of days) weekly[d] = [...(weekly[d] ?? []), ...ranges];
  }
  for (const d of closed) {
    if (weekly[d]?.length) return syntax(`${DAY_LABELS[d].it} è indicato sia chiuso sia con orari`, `${DAY_LABELS[d].en} is given both as closed and with hours`);
  }
  for (const d of ORDER) {
    const ranges = weekly[d];
    if (!ranges) continue;
    ranges.sort((a, b) => minutes(a.open) - minutes(b.open));
    for (let i = 1; i < ranges.length; i++) {
      const previous = ranges[i - 1]!;
      const current = ranges[i]!;
      if (minutes(current.open) < minutes(previous.close)) return { ok: false, problem: { kind: 'overlap', day: d, first: previous, second: current } };
    }
  }
  return { ok: true, weekly };
}
