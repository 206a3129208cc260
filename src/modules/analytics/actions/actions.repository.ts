import { sql } from 'kysely';
import type { Database as Db } from '../../../db/database.js';
import type { ForecastDay } from './action-effect.js';
import type { ActionStatus } from './action-status.js';

/** The targeted slice of contacts: the archive filter the effect is measured on. */
export interface ActionSlice {
  topic?: string;
  territory?: string;
  channel?: string;
  officeId?: string;
  organisationId?: string;
}

/** The forecast of the slice made from the archive before the action took effect. */
export interface Counterfactual {
  madeAt: string;
  /** The history it was made from (inclusive days). */
  historyFrom: string | null;
  historyTo: string | null;
  days: ForecastDay[];
}

export interface ActionPlan {
  id: string;
  organisationId: string;
  title: string;
  description: string;
  kind: 'preventive' | 'corrective';
  actionType: 'publish_faq' | 'fix_online_form' | 'extend_hours' | 'inform_body' | 'other';
  origin: 'alarm' | 'trend' | 'faq_gap' | 'manual';
  originRef: string | null;
  slice: ActionSlice;
  ownerUserId: string | null;
  dueDate: string | null;
  status: ActionStatus;
  effectiveDate: string | null;
  counterfactual: Counterfactual | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

type Row = {
  id: string;
  organisation_id: string;
  title: string;
  description: string;
  kind: ActionPlan['kind'];
  action_type: ActionPlan['actionType'];
  origin: ActionPlan['origin'];
  origin_ref: string | null;
  slice: unknown;
  owner_user_id: string | null;
  due_date: string | null;
  status: ActionStatus;
  effective_date: string | null;
  counterfactual: unknown;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
};

/** Dates are read as text (YYYY-MM-DD), so no driver or time zone turns them into instants. */
const COLUMNS = [
  'id', 'organisation_id', 'title', 'description', 'kind', 'action_type', 'origin', 'origin_ref', 'slice', 'owner_user_id', 'status', 'counterfactual', 'created_by', 'created_at', 'updated_at', 'version',
  sql<string | null>`due_date::text`.as('due_date'),
  sql<string | null>`effective_date::text`.as('effective_date'),
] as const;
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

const toAction = (r: Row): ActionPlan => ({
  id: r.id,
  organisationId: r.organisation_id,
  title: r.title,
  description: r.description,
  kind: r.kind,
  actionType: r.action_type,
  origin: r.origin,
  originRef: r.origin_ref,
  slice: json<ActionSlice>(r.slice),
  ownerUserId: r.owner_user_id,
  dueDate: r.due_date,
  status: r.status,
  effectiveDate: r.effective_date,
  counterfactual: r.counterfactual === null ? null : json<Counterfactual>(r.counterfactual),
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

export interface NewAction {
  organisationId: string;
  title: string;
  description: string;
  kind: ActionPlan['kind'];
  actionType: ActionPlan['actionType'];
  origin: ActionPlan['origin'];
  originRef: string | null;
  slice: ActionSlice;
  ownerUserId: string | null;
  dueDate: string | null;
  createdBy: string;
}

export async function insertAction(db: Db, a: NewAction): Promise<ActionPlan> {
  const row = await db
    .insertInto('action_plans')
    .values({
      organisation_id: a.organisationId,
      title: a.title,
      description: a.description,
      kind: a.kind,
      action_type: a.actionType,
      origin: a.origin,
      origin_ref: a.originRef,
      slice: JSON.stringify(a.slice),
      owner_user_id: a.ownerUserId,
      due_date: a.dueDate,
      created_by: a.createdBy,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toAction(row as Row);
}

export async function findAction(db: Db, id: string): Promise<ActionPlan | null> {
  const row = await db.selectFrom('action_plans').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toAction(row as Row) : null;
}

/** Actions of some organisations ('all': the network), the open ones first, by due date. */
export async function listActions(db: Db, organisations: readonly string[] | 'all', filter: { status?: ActionStatus; organisationId?: string }, limit: number): Promise<ActionPlan[]> {
  if (organisations !== 'all' && organisations.length === 0) return [];
  let q = db.selectFrom('action_plans').select(COLUMNS);
  if (organisations !== 'all') q = q.where('organisation_id', 'in', organisations);
  if (filter.organisationId) q = q.where('organisation_id', '=', filter.organisationId);
  if (filter.status) q = q.where('status', '=', filter.status);
  const rows = await q
    .orderBy((eb) => eb.case().when('status', 'in', ['done', 'cancelled']).then(1).else(0).end())
    .orderBy('due_date', (o) => o.asc().nullsLast())
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => toAction(r as Row));
}

export interface ActionChange {
  title?: string;
  description?: string;
  kind?: ActionPlan['kind'];
  actionType?: ActionPlan['actionType'];
  slice?: ActionSlice;
  ownerUserId?: string | null;
  dueDate?: string | null;
  status?: ActionStatus;
  effectiveDate?: string | null;
  counterfactual?: Counterfactual | null;
}

/** Applies a change if the action is still at `expectedVersion`; null when it moved on. */
export async function updateAction(db: Db, id: string, expectedVersion: number, c: ActionChange, now: Date): Promise<ActionPlan | null> {
  const row = await db
    .updateTable('action_plans')
    .set((eb) => ({
      ...(c.title !== undefined && { title: c.title }),
      ...(c.description !== undefined && { description: c.description }),
      ...(c.kind !== undefined && { kind: c.kind }),
      ...(c.actionType !== undefined && { action_type: c.actionType }),
      ...(c.slice !== undefined && { slice: JSON.stringify(c.slice) }),
      ...(c.ownerUserId !== undefined && { owner_user_id: c.ownerUserId }),
      ...(c.dueDate !== undefined && { due_date: c.dueDate }),
      ...(c.status !== undefined && { status: c.status }),
      ...(c.effectiveDate !== undefined && { effective_date: c.effectiveDate }),
      ...(c.counterfactual !== undefined && { counterfactual: c.counterfactual === null ? null : JSON.stringify(c.counterfactual) }),
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returning(COLUMNS)
    .executeTakeFirst();
  return row ? toAction(row as Row) : null;
}
