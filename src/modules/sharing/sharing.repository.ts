import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import { TICKET_ROLES } from '../../platform/actor.js';
import type { Language } from '../../platform/messages.js';
import { renderNotification } from '../../platform/notification-texts.js';
import type { NotificationParams } from '../../platform/notifications.js';
import * as identity from '../identity/index.js';

type Db = Database | Trx;

export interface Agreement {
  id: string;
  fromOrganisationId: string;
  fromOrganisationName: string;
  toOrganisationId: string;
  toOrganisationName: string;
  kinds: string[];
  topics: string[];
  autoAccept: boolean;
  status: 'proposed' | 'active' | 'rejected' | 'revoked';
  note: string | null;
  proposedAt: Date;
  decidedAt: Date | null;
}

function agreementQuery(db: Db) {
  return db
    .selectFrom('network_agreements as a')
    .innerJoin(identity.organisationDirectory().as('f'), 'f.id', 'a.from_organisation_id')
    .innerJoin(identity.organisationDirectory().as('t'), 't.id', 'a.to_organisation_id')
    .select([
      'a.id', 'a.from_organisation_id', 'f.name as from_name', 'a.to_organisation_id', 't.name as to_name', 'a.kinds', 'a.topics', 'a.auto_accept', 'a.status',
      'a.note', 'a.proposed_at', 'a.decided_at',
    ]);
}

type AgreementRow = Awaited<ReturnType<ReturnType<typeof agreementQuery>['executeTakeFirstOrThrow']>>;

function toAgreement(r: AgreementRow): Agreement {
  return {
    id: r.id, fromOrganisationId: r.from_organisation_id, fromOrganisationName: r.from_name, toOrganisationId: r.to_organisation_id, toOrganisationName: r.to_name,
    kinds: r.kinds, topics: r.topics, autoAccept: r.auto_accept, status: r.status as Agreement['status'], note: r.note, proposedAt: r.proposed_at, decidedAt: r.decided_at,
  };
}

export async function findAgreement(db: Db, id: string): Promise<Agreement | null> {
  const row = await agreementQuery(db).where('a.id', '=', id).executeTakeFirst();
  return row ? toAgreement(row) : null;
}

export async function listAgreements(db: Db, organisationIds: readonly string[]): Promise<Agreement[]> {
  if (organisationIds.length === 0) return [];
  const rows = await agreementQuery(db)
    .where((eb) => eb.or([eb('a.from_organisation_id', 'in', organisationIds), eb('a.to_organisation_id', 'in', organisationIds)]))
    .orderBy('a.proposed_at', 'desc')
    .execute();
  return rows.map(toAgreement);
}

/** The active agreement from one body to another covering a kind of hand-over and a topic, if any. */
export async function findCoveringAgreement(db: Db, fromOrganisationId: string, toOrganisationId: string, kind: string, topic: string | null): Promise<Agreement | null> {
  const rows = await agreementQuery(db)
    .where('a.from_organisation_id', '=', fromOrganisationId)
    .where('a.to_organisation_id', '=', toOrganisationId)
    .where('a.status', '=', 'active')
    .execute();
  return (
    rows.map(toAgreement).find(
      (a) => a.kinds.includes(kind) && (a.topics.length === 0 || (topic !== null && a.topics.some((t) => topic === t || topic.startsWith(`${t}.`)))),
    ) ?? null
  );
}

export async function insertAgreement(trx: Trx, a: { from: string; to: string; kinds: string[]; topics: string[]; autoAccept: boolean; note: string | null; by: string; now: Date }): Promise<string> {
  const row = await trx
    .insertInto('network_agreements')
    .values({
      from_organisation_id: a.from, to_organisation_id: a.to, kinds: JSON.stringify(a.kinds), topics: JSON.stringify(a.topics), auto_accept: a.autoAccept,
      status: 'proposed', note: a.note, proposed_by: a.by, proposed_at: a.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function transitionAgreement(trx: Trx, id: string, from: readonly Agreement['status'][], to: Agreement['status'], by: string, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('network_agreements')
    .set((eb) => ({ status: to, decided_by: by, decided_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface Competence {
  officeId: string;
  topic: string;
  territory: string[];
}

export async function listCompetences(db: Db, officeId?: string): Promise<Competence[]> {
  let q = db.selectFrom('office_competences').select(['office_id', 'topic', 'territory']);
  if (officeId) q = q.where('office_id', '=', officeId);
  return (await q.execute()).map((r) => ({ officeId: r.office_id, topic: r.topic, territory: r.territory }));
}

export async function replaceCompetences(trx: Trx, officeId: string, competences: { topic: string; territory: string[] }[]): Promise<void> {
  await trx.deleteFrom('office_competences').where('office_id', '=', officeId).execute();
  if (competences.length === 0) return;
  await trx
    .insertInto('office_competences')
    .values(competences.map((c) => ({ office_id: officeId, topic: c.topic, territory: JSON.stringify(c.territory) })))
    .execute();
}

export interface Notification {
  id: number;
  kind: string;
  ticketId: string | null;
  ticketCode: string | null;
  link: string | null;
  title: string;
  body: string | null;
  params: NotificationParams;
  createdAt: Date;
  readAt: Date | null;
}

/**
 * The user's notifications, newest first, written in `lang` from kind + params; rows stored before
 * that (migration 0024) or of a kind the server cannot write keep their stored text.
 */
export async function listNotifications(db: Db, userId: string, options: { afterId?: number; unreadOnly?: boolean; limit: number; lang?: Language }): Promise<Notification[]> {
  let q = selectNotifications(db).where('n.user_id', '=', userId);
  if (options.afterId !== undefined) q = q.where('n.id', '>', options.afterId);
  if (options.unreadOnly) q = q.where('n.read_at', 'is', null);
  const rows = await q.orderBy('n.id', 'desc').limit(options.limit).execute();
  return rows.map((r) => presentNotification(toStoredNotification(r), options.lang ?? 'it'));
}

/** A notification as stored, before it is written in the reader's language. */
export interface StoredNotification {
  id: number;
  userId: string;
  kind: string;
  ticketId: string | null;
  ticketCode: string | null;
  link: string | null;
  title: string | null;
  body: string | null;
  params: NotificationParams;
  createdAt: Date;
  readAt: Date | null;
}

const selectNotifications = (db: Db) =>
  db
    .selectFrom('notifications as n')
    .leftJoin('tickets as t', 't.id', 'n.ticket_id')
    .select(['n.id', 'n.user_id', 'n.kind', 'n.ticket_id', 't.code', 'n.link', 'n.title', 'n.body', 'n.params', 'n.created_at', 'n.read_at']);

function toStoredNotification(r: { id: number; user_id: string; kind: string; ticket_id: string | null; code: string | null; link: string | null; title: string | null; body: string | null; params: unknown; created_at: Date; read_at: Date | null }): StoredNotification {
  return {
    id: Number(r.id), userId: r.user_id, kind: r.kind, ticketId: r.ticket_id, ticketCode: r.code, link: r.link, title: r.title, body: r.body,
    params: (r.params ?? {}) as NotificationParams, createdAt: r.created_at, readAt: r.read_at,
  };
}

/** Written in `lang` from kind + params; rows stored before structured kinds keep their stored text. */
export function presentNotification(n: StoredNotification, lang: Language): Notification {
  const text = renderNotification(lang, n.kind, n.params);
  return {
    id: n.id, kind: n.kind, ticketId: n.ticketId, ticketCode: n.ticketCode, link: n.link, title: text?.title ?? n.title ?? n.kind, body: text?.body ?? n.body ?? null, params: n.params,
    createdAt: n.createdAt, readAt: n.readAt,
  };
}

/** Notifications of every user after `afterId`, oldest first: what the realtime hub fans out to open streams. */
export async function listNotificationsAfter(db: Db, afterId: number, limit: number): Promise<StoredNotification[]> {
  const rows = await selectNotifications(db).where('n.id', '>', afterId).orderBy('n.id', 'asc').limit(limit).execute();
  return rows.map(toStoredNotification);
}

export async function latestNotificationId(db: Db): Promise<number> {
  const row = await db.selectFrom('notifications').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

export async function countUnread(db: Db, userId: string): Promise<number> {
  const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markRead(db: Db, userId: string, ids: number[] | 'all', now: Date): Promise<void> {
  let q = db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') q = q.where('id', 'in', ids.length > 0 ? ids : [-1]);
  await q.execute();
}
