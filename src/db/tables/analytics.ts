import type { ColumnType, Generated } from 'kysely';

/* Tables of the analytics module (migration 0036): action plans, live contact counts, alarms, watches and scans. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `date` column: written as 'YYYY-MM-DD', read back as a Date (pg) or a string; normalised by the repository. */
type NullableDate = ColumnType<Date | string | null, string | null | undefined, string | null>;
type Json<T> = ColumnType<T, string | T | undefined, string | T>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export interface ActionPlansTable {
  id: Generated<string>;
  organisation_id: string;
  title: string;
  description: Generated<string>;
  kind: 'preventive' | 'corrective';
  action_type: 'publish_faq' | 'fix_online_form' | 'extend_hours' | 'inform_body' | 'other';
  origin: 'alarm' | 'trend' | 'faq_gap' | 'manual';
  origin_ref: string | null;
  slice: Json<Record<string, string>>;
  owner_user_id: string | null;
  due_date: NullableDate;
  status: Generated<'planned' | 'in_progress' | 'done' | 'cancelled'>;
  effective_date: NullableDate;
  counterfactual: NullableJson<unknown>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface ContactCountsTable {
  day: string;
  organisation_id: string;
  office_id: string;
  topic_code: string;
  territory_code: string;
  channel: string;
  contacts: number;
}

export type AlarmKind = 'spike' | 'level_shift' | 'trend' | 'drop' | 'emerging_term';

export interface AnalyticsAlarmsTable {
  id: Generated<string>;
  series_key: string;
  slice: Json<Record<string, string>>;
  kind: AlarmKind;
  day: string;
  since: string;
  term: Generated<string>;
  observed: number;
  expected: number;
  score: number;
  created_at: Timestamp;
}

/** The status a body gave an alarm (no row: open for that body). */
export interface AnalyticsAlarmStatesTable {
  alarm_id: string;
  organisation_id: string;
  status: 'acknowledged' | 'dismissed';
  status_by: string | null;
  status_at: ColumnType<Date, Date | string, Date | string>;
}

export interface AlarmWatchesTable {
  id: Generated<string>;
  user_id: string;
  slice: Json<Record<string, string>>;
  slice_key: string;
  digest: Generated<boolean>;
  created_at: Timestamp;
}

export interface AlarmScansTable {
  id: Generated<string>;
  trigger: 'schedule' | 'manual';
  started_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  series_scanned: Generated<number>;
  alarms_found: Generated<number>;
  records_read: Generated<number>;
  through_day: string | null;
  error: string | null;
}

export interface AnalyticsTables {
  action_plans: ActionPlansTable;
  contact_counts: ContactCountsTable;
  analytics_alarms: AnalyticsAlarmsTable;
  analytics_alarm_states: AnalyticsAlarmStatesTable;
  alarm_watches: AlarmWatchesTable;
  alarm_scans: AlarmScansTable;
}
