/**
 * Action plans (issue 14): create, change and follow preventive and corrective actions, and measure
 * the effect of those done against the forecast of their slice made before they took effect.
 */
import type { Database as Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { platformErrors } from '../../../platform/errors.js';
import { canManageNetwork } from '../../../platform/policy.js';
import { localIsoDate, ROME } from '../../../platform/time-zone.js';
import { suppressCounts } from '../../archive/index.js';
import * as identity from '../../identity/index.js';
import { type ActionEffect, measureEffect } from './action-effect.js';
import { type ActionStatus, canMoveAction } from './action-status.js';
import { addDays, type ArchiveSeriesReader, daysBetween, forecastSlice } from '../archive-series.js';
import { analyticsErrors as errors } from '../analytics.errors.js';
import * as repo from './actions.repository.js';

/** Days after the action that its effect is followed for. */
export const EFFECT_HORIZON_DAYS = 28;
/** History the counterfactual forecast is made from. */
export const HISTORY_DAYS = 365;

const PLANNING_ROLES = new Set(['supervisor', 'org_admin', 'analyst']);

/** The organisations whose actions the actor sees: every one they hold a role in; the coordination sees the network. */
export function visibleOrganisations(actor: Actor): readonly string[] | 'all' {
  if (canManageNetwork(actor)) return 'all';
  return [...new Set(actor.grants.map((g) => g.organisationId))];
}

/** Supervisors, administrators and analysts of an organisation, and the network coordination, plan its actions. */
export function canPlanActions(actor: Actor, organisationId: string): boolean {
  if (actor.scopes !== null) return false;
  return canManageNetwork(actor) || actor.grants.some((g) => g.organisationId === organisationId && PLANNING_ROLES.has(g.role));
}

async function checkOwner(db: Db, ownerUserId: string | null | undefined, organisationId: string): Promise<void> {
  if (ownerUserId && !(await identity.holdsRoleIn(db, ownerUserId, organisationId))) throw errors.ownerNotMember();
}

/** Whom an organisation's actions may be given to (its active members), for those who plan its actions. */
export async function possibleOwners(db: Db, actor: Actor, organisationId: string): Promise<{ id: string; name: string }[]> {
  if (!canPlanActions(actor, organisationId)) throw errors.cannotPlan();
  return identity.peopleOfOrganisation(db, organisationId);
}

export async function readableAction(db: Db, actor: Actor, id: string): Promise<repo.ActionPlan> {
  const found = await repo.findAction(db, id);
  const visible = visibleOrganisations(actor);
  if (!found || (visible !== 'all' && !visible.includes(found.organisationId))) throw errors.actionNotFound({ id });
  return found;
}

export type NewActionInput = Omit<repo.NewAction, 'createdBy' | 'organisationId' | 'originRef' | 'ownerUserId' | 'dueDate' | 'description'> & {
  organisationId?: string;
  originRef?: string | null;
  ownerUserId?: string | null;
  dueDate?: string | null;
  description?: string;
};

export async function createAction(db: Db, actor: Actor, input: NewActionInput): Promise<repo.ActionPlan> {
  const organisationId = input.organisationId ?? actor.grants.find((g) => PLANNING_ROLES.has(g.role))?.organisationId ?? actor.grants[0]?.organisationId;
  if (!organisationId || !(await identity.findOrganisation(db, organisationId))) throw errors.cannotPlan();
  if (!canPlanActions(actor, organisationId)) throw errors.cannotPlan();
  await checkOwner(db, input.ownerUserId, organisationId);
  return repo.insertAction(db, {
    ...input,
    organisationId,
    description: input.description ?? '',
    originRef: input.originRef ?? null,
    ownerUserId: input.ownerUserId ?? null,
    dueDate: input.dueDate ?? null,
    createdBy: actor.userId,
  });
}

export interface ActionDeps {
  archive: ArchiveSeriesReader;
  now: () => Date;
}

/**
 * The forecast of the slice from the day the action took effect, made from the archive's complete
 * history before it: what the slice would have seen without the action.
 */
export async function makeCounterfactual(deps: ActionDeps, slice: repo.ActionSlice, effectiveDate: string): Promise<repo.Counterfactual> {
  const today = localIsoDate(deps.now(), ROME);
  const complete = await deps.archive.observedThrough(today);
  const historyTo = addDays(effectiveDate, -1) < complete ? addDays(effectiveDate, -1) : complete;
  const madeAt = deps.now().toISOString();
  const horizon = daysBetween(historyTo, effectiveDate) + EFFECT_HORIZON_DAYS - 1;
  const { historyFrom, forecast } = await forecastSlice(deps.archive, slice, historyTo, HISTORY_DAYS, horizon);
  if (historyFrom === null) return { madeAt, historyFrom: null, historyTo: null, days: [] };
  return { madeAt, historyFrom, historyTo, days: forecast.filter((d) => d.date >= effectiveDate) };
}

export interface ActionChangeInput extends Omit<repo.ActionChange, 'counterfactual'> {}

export async function changeAction(db: Db, deps: ActionDeps, actor: Actor, id: string, expectedVersion: number | null, input: ActionChangeInput): Promise<repo.ActionPlan> {
  const current = await readableAction(db, actor, id);
  if (!canPlanActions(actor, current.organisationId)) throw errors.cannotPlan();
  if (expectedVersion !== null && expectedVersion !== current.version) throw platformErrors.preconditionFailed();
  const to: ActionStatus = input.status ?? current.status;
  if (!canMoveAction(current.status, to)) throw errors.invalidTransition({ from: current.status, to });
  await checkOwner(db, input.ownerUserId, current.organisationId);
  const change: repo.ActionChange = { ...input };
  const today = localIsoDate(deps.now(), ROME);
  if (to === 'done') {
    const effective = input.effectiveDate ?? current.effectiveDate ?? today;
    if (effective > today) throw errors.effectiveInFuture();
    const slice = input.slice ?? current.slice;
    // The counterfactual is frozen once, when the action is done; it is made again only if what it depends on changes.
    if (current.status !== 'done' || effective !== current.effectiveDate || input.slice !== undefined) {
      change.effectiveDate = effective;
      change.counterfactual = await makeCounterfactual(deps, slice, effective);
    }
  } else {
    change.effectiveDate = null;
    change.counterfactual = null;
  }
  const saved = await repo.updateAction(db, id, current.version, change, deps.now());
  if (!saved) throw platformErrors.preconditionFailed();
  return saved;
}

export interface PublishedEffect extends Omit<ActionEffect, 'observed' | 'difference' | 'differenceLo80' | 'differenceHi80' | 'relative' | 'relativeLo80' | 'relativeHi80'> {
  observedThrough: string;
  observed: number | null;
  difference: number | null;
  differenceLo80: number | null;
  differenceHi80: number | null;
  relative: number | null;
  relativeLo80: number | null;
  relativeHi80: number | null;
  /** Days whose count is withheld (1–3 contacts, or a count that would reveal one). */
  withheldDays: number;
}

/**
 * The effect as shown: like every published count of the archive, days of 1–3 contacts (and those
 * that would reveal them through the total) are withheld; if the total itself is, so are the figures
 * derived from it.
 */
export function publishEffect(effect: ActionEffect, observedThrough: string): PublishedEffect {
  const compared = effect.days.filter((d) => d.observed !== null);
  const published = suppressCounts(compared.map((d) => d.date), compared.map((d) => d.observed!));
  const shown = new Map(compared.map((d, i) => [d.date, published.counts[i] ?? null]));
  const totalShown = published.total !== null;
  const keep = (x: number | null) => (totalShown ? x : null);
  return {
    ...effect,
    days: effect.days.map((d) => ({ ...d, observed: d.observed === null ? null : (shown.get(d.date) ?? null) })),
    observed: keep(effect.observed),
    difference: keep(effect.difference),
    differenceLo80: keep(effect.differenceLo80),
    differenceHi80: keep(effect.differenceHi80),
    relative: keep(effect.relative),
    relativeLo80: keep(effect.relativeLo80),
    relativeHi80: keep(effect.relativeHi80),
    verdict: totalShown ? effect.verdict : 'pending',
    withheldDays: compared.filter((d) => shown.get(d.date) === null).length,
    observedThrough,
  };
}

/** The effect of a done action so far (null for actions not done). */
export async function actionEffect(deps: ActionDeps, action: repo.ActionPlan): Promise<PublishedEffect | null> {
  if (action.status !== 'done' || !action.counterfactual || !action.effectiveDate) return null;
  const days = action.counterfactual.days;
  const observedThrough = await deps.archive.observedThrough(localIsoDate(deps.now(), ROME));
  const last = days.at(-1)?.date ?? action.effectiveDate;
  const observed = await deps.archive.dailyCounts(action.slice, action.effectiveDate, last);
  return publishEffect(measureEffect(days, observed, observedThrough), observedThrough);
}

export async function listActions(db: Db, actor: Actor, filter: { status?: ActionStatus; organisationId?: string }, limit: number) {
  return repo.listActions(db, visibleOrganisations(actor), filter, limit);
}

/** The actions of some organisations ('all': the network), for reports (no caller to check). */
export async function listActionsOf(db: Db, organisations: readonly string[] | 'all', limit: number) {
  return repo.listActions(db, organisations, {}, limit);
}
