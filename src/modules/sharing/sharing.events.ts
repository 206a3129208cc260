/** The ticket as every sharing event names it. */
interface TicketRef {
  ticketId: string;
  code: string;
}

declare module '../../platform/event-catalogue.js' {
  interface EventCatalogue {
    /** A ticket was shared with another office: `active` at once (same body, auto-accept agreement) or `pending` its answer. */
    'ticket.shared': TicketRef & { shareId: string; officeId: string; ownerOfficeId: string; mode: 'consult' | 'collaborate'; status: 'active' | 'pending'; reason: string; actorId: string };
    /** The receiving office accepted a pending share. */
    'ticket.share_accepted': TicketRef & { shareId: string; officeId: string; ownerOfficeId: string; actorId: string };
    /** The receiving office declined a pending share, with a reason. */
    'ticket.share_declined': TicketRef & { shareId: string; officeId: string; ownerOfficeId: string; reason: string; actorId: string };
    /** The owner ended a share (pending or active). */
    'ticket.share_revoked': TicketRef & { shareId: string; officeId: string; ownerOfficeId: string; previousStatus: string; actorId: string };
    /** A transfer or escalation was requested; `autoAccept` when it is applied at once (a `ticket.transferred` follows). */
    'ticket.transfer_requested': TicketRef & {
      transferId: string; kind: 'transfer' | 'escalation'; fromOfficeId: string; toOfficeId: string; reasonCode: string; reason: string; autoAccept: boolean; actorId: string;
    };
    /** A transfer was accepted (or auto-accepted): the ticket changed owner office. */
    'ticket.transferred': TicketRef & { transferId: string; kind: 'transfer' | 'escalation'; from: string; to: string; actorId: string };
    /** The receiving office declined a transfer, with a reason. */
    'ticket.transfer_declined': TicketRef & { transferId: string; fromOfficeId: string; toOfficeId: string; reason: string; actorId: string };
    /** The owner withdrew a pending transfer. */
    'ticket.transfer_cancelled': TicketRef & { transferId: string; fromOfficeId: string; toOfficeId: string; actorId: string };
    /** A task was created on a ticket for one of its offices. */
    'ticket.task_created': TicketRef & { taskId: string; officeId: string; title: string; assigneeId: string | null; actorId: string; actorOfficeId: string };
    /** A task's status or assignee changed. */
    'ticket.task_updated': TicketRef & {
      taskId: string; officeId: string; ownerOfficeId: string; title: string; status: string; previousStatus: string; assigneeId: string | null; fields: ('status' | 'assignee')[]; actorId: string;
    };
    /** A ticket was closed as a duplicate of another. */
    'ticket.duplicate': TicketRef & { duplicateOf: string };
    /** A network incident was opened (title scrubbed of personal data). */
    'incident.created': { incidentId: string; title: string };
    /** Another office asks the owner of a similar ticket to link, share or open an incident (message scrubbed of personal data). */
    'ticket.similar_requested': TicketRef & {
      requestId: string; requestKind: 'link' | 'share' | 'incident'; ownerOfficeId: string; fromOfficeId: string; message: string | null; actorId: string;
    };
  }
}

export {};
