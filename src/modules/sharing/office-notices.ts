import type { Database } from '../../db/database.js';
import type { EventPayload, EventTopic } from '../../platform/events.js';
import type { NotificationParams } from '../../platform/notifications.js';
import * as identity from '../identity/index.js';
import { findShare, findTicketById, findTransfer } from '../tickets/index.js';

/** What one office is told about an event: in the app (each of its workers) and by e-mail (its mailbox). */
export interface OfficeNotice {
  officeId: string;
  ticketId: string;
  kind: string;
  params: NotificationParams;
  /** A request already answered when the handler ran: recorded, but as handled (read), and not e-mailed. */
  handled?: boolean;
}

/** Reads handlers need: names at the time of reading, the ticket's subject. */
export interface NoticeContext {
  db: Database;
  officeName(id: string): Promise<string>;
  subject(ticketId: string): Promise<string>;
}

export function noticeContext(db: Database): NoticeContext {
  return {
    db,
    officeName: async (id) => (await identity.findOffice(db, id))?.name ?? '',
    subject: async (ticketId) => (await findTicketById(db, ticketId))?.subject ?? '',
  };
}

/**
 * One row per event an office is told about: the handler's name (`onShareAccepted` becomes the
 * handlers `onShareAccepted_notifyOffice` and `onShareAccepted_mailOffice`) and the notice, or null
 * when this occurrence tells nobody. The parameters are what the reader's language needs
 * (platform/notification-texts.ts and the web dictionary), never a rendered sentence.
 */
type NoticeOf<T extends EventTopic> = { topic: T; name: string; notice: (p: EventPayload<T>, ctx: NoticeContext) => Promise<OfficeNotice | null> };

const notice = <T extends EventTopic>(topic: T, name: string, fn: NoticeOf<T>['notice']) => ({ topic, name, notice: fn }) as unknown as NoticeOf<EventTopic>;

export const OFFICE_NOTICES: readonly NoticeOf<EventTopic>[] = [
  notice('ticket.shared', 'onTicketShared', async (p, ctx) => {
    // A request answered before this handler ran is recorded as handled (see markRequestNotificationsHandled).
    const handled = p.status === 'pending' && (await findShare(ctx.db, p.shareId))?.status !== 'pending';
    return {
      officeId: p.officeId, ticketId: p.ticketId, kind: p.status === 'active' ? 'share.active' : 'share.requested', handled,
      params: { code: p.code, subject: await ctx.subject(p.ticketId), office: await ctx.officeName(p.ownerOfficeId), mode: p.mode, reason: p.reason, shareId: p.shareId },
    };
  }),
  notice('ticket.share_accepted', 'onShareAccepted', async (p, ctx) => ({
    officeId: p.ownerOfficeId, ticketId: p.ticketId, kind: 'share.accepted', params: { code: p.code, office: await ctx.officeName(p.officeId), reason: null, shareId: p.shareId },
  })),
  notice('ticket.share_declined', 'onShareDeclined', async (p, ctx) => ({
    officeId: p.ownerOfficeId, ticketId: p.ticketId, kind: 'share.declined', params: { code: p.code, office: await ctx.officeName(p.officeId), reason: p.reason, shareId: p.shareId },
  })),
  notice('ticket.share_revoked', 'onShareRevoked', async (p, ctx) => ({
    officeId: p.officeId, ticketId: p.ticketId, kind: 'share.revoked', params: { code: p.code, office: await ctx.officeName(p.ownerOfficeId), shareId: p.shareId },
  })),
  notice('ticket.transfer_requested', 'onTransferRequested', async (p, ctx) => {
    const handled = !p.autoAccept && (await findTransfer(ctx.db, p.transferId))?.status !== 'pending';
    return {
      officeId: p.toOfficeId, ticketId: p.ticketId, kind: p.autoAccept ? 'transfer.received' : 'transfer.requested', handled,
      params: {
        code: p.code, subject: await ctx.subject(p.ticketId), office: await ctx.officeName(p.fromOfficeId), transferKind: p.kind, reasonCode: p.reasonCode, reason: p.reason,
        transferId: p.transferId,
      },
    };
  }),
  notice('ticket.transferred', 'onTicketTransferred', async (p, ctx) => ({
    officeId: p.from, ticketId: p.ticketId, kind: 'transfer.accepted', params: { code: p.code, office: await ctx.officeName(p.to), transferId: p.transferId },
  })),
  notice('ticket.transfer_declined', 'onTransferDeclined', async (p, ctx) => ({
    officeId: p.fromOfficeId, ticketId: p.ticketId, kind: 'transfer.declined', params: { code: p.code, office: await ctx.officeName(p.toOfficeId), reason: p.reason, transferId: p.transferId },
  })),
  notice('ticket.transfer_cancelled', 'onTransferCancelled', async (p, ctx) => ({
    officeId: p.toOfficeId, ticketId: p.ticketId, kind: 'transfer.cancelled', params: { code: p.code, office: await ctx.officeName(p.fromOfficeId), transferId: p.transferId },
  })),
  // A task for another office tells it; a task of one's own office tells nobody.
  notice('ticket.task_created', 'onTaskCreated', async (p) =>
    p.officeId === p.actorOfficeId ? null : { officeId: p.officeId, ticketId: p.ticketId, kind: 'task.assigned', params: { code: p.code, task: p.title, taskId: p.taskId } },
  ),
  // A partner's task done tells the owner office.
  notice('ticket.task_updated', 'onTaskUpdated', async (p) =>
    p.status === 'done' && p.previousStatus !== 'done' && p.officeId !== p.ownerOfficeId
      ? { officeId: p.ownerOfficeId, ticketId: p.ticketId, kind: 'task.done', params: { code: p.code, task: p.title, taskId: p.taskId } }
      : null,
  ),
  notice('ticket.similar_requested', 'onSimilarRequested', async (p, ctx) => {
    const from = await identity.findOffice(ctx.db, p.fromOfficeId);
    const organisation = from ? await identity.findOrganisation(ctx.db, from.organisationId) : null;
    return {
      officeId: p.ownerOfficeId, ticketId: p.ticketId, kind: 'similar.requested',
      params: {
        code: p.code, requestId: p.requestId, requestKind: p.requestKind, fromOfficeId: p.fromOfficeId, fromOfficeName: from?.name ?? '', fromOrganisationName: organisation?.name ?? '',
        message: p.message,
      },
    };
  }),
];
