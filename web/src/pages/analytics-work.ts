/**
 * Pure helpers of the analytics work pages (issue 14): alarms, action plans and staffing.
 * Sentences and numbers as the user reads them, URLs of the pages, and the conversions between
 * the forms and the API's bodies. No DOM, no I/O.
 */
import type { ApiRequestBody, ApiResponseBody, Schemas } from '../api/client.js';
import type { Membership } from '../api/types.js';
import type { Translate } from '../i18n/index.js';
import { hasRole } from '../lib/session.js';

export type Alarm = Schemas['Alarm'];
export type AlarmSlice = Schemas['AlarmSlice'];
export type AlarmKind = Alarm['kind'];
export type AlarmStatus = Alarm['status'];
export type AlarmWatch = Schemas['AlarmWatch'];
export type AlarmScan = ApiResponseBody<'/analytics/alarms/scans'>['items'][number];
export type AlarmChartDay = ApiResponseBody<'/analytics/alarms/{id}'>['chart'][number];
export type ActionPlan = Schemas['ActionPlan'];
export type ActionSlice = Schemas['ActionSlice'];
export type ActionStatus = ActionPlan['status'];
export type ActionKind = ActionPlan['kind'];
export type ActionType = ActionPlan['actionType'];
export type ActionOrigin = ActionPlan['origin'];
export type NewAction = ApiRequestBody<'/analytics/actions', 'post'>;
export type Effect = NonNullable<Schemas['ActionEffect']['effect']>;
export type StaffingPlan = Schemas['StaffingPlan'];
export type StaffingRequest = ApiRequestBody<'/analytics/staffing', 'post'>;

export const ALARMS_PATH = '/analisi/allarmi';
export const ACTIONS_PATH = '/analisi/azioni';
export const STAFFING_PATH = '/analisi/turni';

export const ALARM_KINDS = ['spike', 'level_shift', 'trend', 'drop', 'emerging_term'] as const satisfies readonly AlarmKind[];
export const ALARM_STATUSES = ['open', 'acknowledged', 'dismissed'] as const satisfies readonly AlarmStatus[];
export const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const satisfies readonly ActionStatus[];
export const ACTION_KINDS = ['corrective', 'preventive'] as const satisfies readonly ActionKind[];
export const ACTION_TYPES = ['publish_faq', 'fix_online_form', 'extend_hours', 'inform_body', 'other'] as const satisfies readonly ActionType[];

/** Who reads the alarms (the server checks the same roles). */
export function canReadAlarms(memberships: readonly Membership[]): boolean {
  return hasRole(memberships, ['supervisor', 'org_admin', 'analyst', 'network_coordinator']);
}

/** Who may ask for a scan outside the schedule. */
export function canRunScans(memberships: readonly Membership[]): boolean {
  return hasRole(memberships, ['analyst', 'network_coordinator']);
}

/** Who plans actions (in some organisation): the form is offered to them only; the server checks the organisation. */
export function canPlanActions(memberships: readonly Membership[]): boolean {
  return hasRole(memberships, ['supervisor', 'org_admin', 'analyst', 'network_coordinator']);
}

const localeTag = (locale: string) => (locale === 'en' ? 'en-GB' : 'it-IT');

/** A count or a mean in the user's language (at most one decimal). */
export function formatNumber(value: number, locale: string, digits = 1): string {
  return value.toLocaleString(localeTag(locale), { maximumFractionDigits: digits });
}

/** A share (0.4 → "40%"), with a sign when `signed` (a true minus sign, U+2212, for decreases). */
export function formatPercent(share: number, locale: string, signed = false): string {
  const value = Math.round(share * 100);
  const digits = Math.abs(value).toLocaleString(localeTag(locale));
  if (!signed) return `${value < 0 ? '−' : ''}${digits}%`;
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${digits}%`;
}

/** A day `YYYY-MM-DD` as dd/mm/yyyy (both languages write it so): no time zone involved. */
export function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : day;
}

/** The relative change of observed against expected, signed ("+250%"), or null when nothing was expected. */
export function relativeChange(observed: number, expected: number): number | null {
  return expected > 0 ? (observed - expected) / expected : null;
}

/** Names of a slice's parts, as the page resolves them (taxonomy labels, place names). */
export interface SliceNames {
  topic: (code: string) => string;
  territory: (code: string) => string;
  channel: (code: string) => string;
}

/** The parts of a slice in words: what (topic), where (territory), through which channel; "all" for a missing part. */
export function sliceWords(slice: AlarmSlice, names: SliceNames, t: Translate): { what: string; where: string; channel: string } {
  return {
    what: slice.topic ? names.topic(slice.topic) : t('analyticsWork.allTopics'),
    where: slice.territory ? names.territory(slice.territory) : t('analyticsWork.everywhere'),
    channel: slice.channel ? names.channel(slice.channel) : t('analyticsWork.allChannels'),
  };
}

/** A slice as one short label ("TARI · Celano · telefono"), only the parts it has. */
export function sliceLabel(slice: ActionSlice, names: SliceNames, t: Translate): string {
  const parts = [slice.topic && names.topic(slice.topic), slice.territory && names.territory(slice.territory), slice.channel && names.channel(slice.channel)].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(' · ') : t('analyticsWork.allTopics');
}

/**
 * What an alarm says, in one sentence: what rose (or fell), where, by how much against what was
 * expected, and since when. An emerging term names the word instead of a topic.
 */
export function alarmSentence(alarm: Pick<Alarm, 'kind' | 'slice' | 'term' | 'observed' | 'expected' | 'day' | 'since'>, names: SliceNames, t: Translate, locale: string): string {
  const words = sliceWords(alarm.slice, names, t);
  const change = relativeChange(alarm.observed, alarm.expected);
  const params = {
    kind: t(`analyticsWork.alarmKind.${alarm.kind}`),
    ...words,
    observed: formatNumber(alarm.observed, locale),
    expected: formatNumber(alarm.expected, locale),
    change: change === null ? t('analyticsWork.alarms.noChange') : formatPercent(change, locale, true),
    day: formatDay(alarm.day),
    since: formatDay(alarm.since),
    term: alarm.term ?? '',
  };
  return alarm.kind === 'emerging_term' && alarm.term ? t('analyticsWork.alarms.sentenceTerm', params) : t('analyticsWork.alarms.sentence', params);
}

/**
 * The effect of a done action in one sentence, like "Dopo l'azione: 168 contatti contro 280 attesi
 * (−40%, intervallo 80%: −48% … −31%)". A withheld total (a small count) is not given away.
 */
export function effectSentence(effect: Pick<Effect, 'observed' | 'expected' | 'relative' | 'relativeLo80' | 'relativeHi80'>, t: Translate, locale: string): string {
  const expected = formatNumber(effect.expected, locale, 0);
  if (effect.observed === null) return t('analyticsWork.actions.effectWithheld', { expected });
  const observed = formatNumber(effect.observed, locale, 0);
  if (effect.relative === null || effect.relativeLo80 === null || effect.relativeHi80 === null) return t('analyticsWork.actions.effectSentenceNoRelative', { observed, expected });
  return t('analyticsWork.actions.effectSentence', {
    observed,
    expected,
    relative: formatPercent(effect.relative, locale, true),
    lo: formatPercent(effect.relativeLo80, locale, true),
    hi: formatPercent(effect.relativeHi80, locale, true),
  });
}

/** The verdict of an effect in words. */
export function verdictText(verdict: Effect['verdict'], t: Translate): string {
  return t(`analyticsWork.verdict.${verdict}`);
}

/**
 * A day's observed count as shown: the number, `≤3` when withheld (a small count, the archive's
 * rule), or "not yet" after the last day the archive covers.
 */
export function observedCell(day: { date: string; observed: number | null }, observedThrough: string, t: Translate): number | string {
  if (day.observed !== null) return day.observed;
  return day.date <= observedThrough ? t('analyticsWork.withheldShort') : t('analyticsWork.notYet');
}

/** The action form's prefill from the query of "Crea un'azione" (origin, reference and slice of an alarm). */
export function actionPrefill(search: string): Partial<Pick<NewAction, 'origin' | 'originRef' | 'slice'>> | null {
  const params = new URLSearchParams(search);
  if (params.get('nuova') === null) return null;
  const origin = params.get('origin');
  const slice: ActionSlice = {};
  for (const key of ['topic', 'territory', 'channel'] as const) {
    const value = params.get(key);
    if (value) slice[key] = value;
  }
  return {
    ...(origin === 'alarm' || origin === 'trend' || origin === 'faq_gap' || origin === 'manual' ? { origin } : {}),
    ...(params.get('originRef') ? { originRef: params.get('originRef') } : {}),
    slice,
  };
}

/** The URL of the action form, prefilled from an alarm. */
export function actionFromAlarmUrl(alarm: Pick<Alarm, 'id' | 'slice'>): string {
  const params = new URLSearchParams({ nuova: '1', origin: 'alarm', originRef: alarm.id });
  for (const key of ['topic', 'territory', 'channel'] as const) {
    const value = alarm.slice[key];
    if (value) params.set(key, value);
  }
  return `${ACTIONS_PATH}?${params.toString()}`;
}

/** A slice from the form's fields: empty fields left out. */
export function sliceOf(form: { topic: string; territory: string; channel: string }): AlarmSlice {
  return {
    ...(form.topic && { topic: form.topic }),
    ...(form.territory.trim() && { territory: form.territory.trim() }),
    ...(form.channel && { channel: form.channel }),
  };
}

/** Whether two slices are the same (the same parts, the same values). */
export function sameSlice(a: AlarmSlice, b: AlarmSlice): boolean {
  return (a.topic ?? '') === (b.topic ?? '') && (a.territory ?? '') === (b.territory ?? '') && (a.channel ?? '') === (b.channel ?? '');
}

/** The staffing assumptions as the user types them: seconds, percentages. */
export interface Assumptions {
  handleSeconds: string;
  targetSeconds: string;
  serviceLevel: string;
  shrinkage: string;
  patienceSeconds: string;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = { handleSeconds: '300', targetSeconds: '20', serviceLevel: '80', shrinkage: '30', patienceSeconds: '' };

/** The assumptions as the API's parameters: percentages as shares; an empty patience means Erlang C. */
export function assumptionParams(a: Assumptions): Pick<StaffingRequest, 'handleSeconds' | 'targetSeconds' | 'serviceLevel' | 'shrinkage' | 'patienceSeconds'> {
  const patience = Number(a.patienceSeconds);
  return {
    handleSeconds: Number(a.handleSeconds),
    targetSeconds: Number(a.targetSeconds),
    serviceLevel: Number(a.serviceLevel) / 100,
    shrinkage: Number(a.shrinkage) / 100,
    ...(a.patienceSeconds.trim() !== '' && Number.isFinite(patience) && patience > 0 && { patienceSeconds: patience }),
  };
}

/** The half hour of an interval's start ("2026-12-07T08:30:00+01:00" or "08:30") as "08:30". */
export function halfHourLabel(start: string): string {
  const m = /(\d{2}:\d{2})/.exec(start.includes('T') ? start.slice(start.indexOf('T')) : start);
  return m?.[1] ?? start;
}

/** The half hours of a plan worth showing: from the first to the last with contacts or agents. */
export function busyIntervals<I extends { volume: number; rostered: number }>(intervals: readonly I[]): I[] {
  const busy = (i: I) => i.volume > 0 || i.rostered > 0;
  const first = intervals.findIndex(busy);
  if (first < 0) return [];
  let last = intervals.length - 1;
  while (last > first && !busy(intervals[last] as I)) last--;
  return intervals.slice(first, last + 1);
}

/**
 * The members of a pooling what-if on the same half hours: the union of their starts, a member's
 * missing half hour (its office is closed then) counted as no contacts. The server compares
 * interval by interval, so every member must list the same ones.
 */
export function alignIntervals<M extends { intervals: readonly { start: string; volume: number }[] }>(members: readonly M[]): (Omit<M, 'intervals'> & { intervals: { start: string; volume: number }[] })[] {
  const starts = [...new Set(members.flatMap((m) => m.intervals.map((i) => i.start)))].sort((a, b) => Date.parse(a) - Date.parse(b) || a.localeCompare(b));
  return members.map((m) => {
    const volume = new Map(m.intervals.map((i) => [i.start, i.volume]));
    return { ...m, intervals: starts.map((start) => ({ start, volume: volume.get(start) ?? 0 })) };
  });
}

/**
 * Contacts per half hour typed by hand, one line each: "09:00 12" (a time, then the contacts;
 * spaces, tabs, commas or semicolons between). Blank lines are skipped; `bad` lists the numbers of the
 * lines that could not be read.
 */
export function parseVolumes(text: string): { intervals: { start: string; volume: number }[]; bad: number[] } {
  const intervals: { start: string; volume: number }[] = [];
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const m = /^\s*(\d{1,2})[:.](\d{2})\s*[\s,;]\s*(\d+(?:[.,]\d+)?)\s*$/.exec(line);
    const hour = Number(m?.[1]);
    const minute = Number(m?.[2]);
    if (!m || hour > 23 || minute > 59) {
      bad.push(i + 1);
      return;
    }
    intervals.push({ start: `${String(hour).padStart(2, '0')}:${m[2]}`, volume: Number(m[3]!.replace(',', '.')) });
  });
  return { intervals, bad };
}
