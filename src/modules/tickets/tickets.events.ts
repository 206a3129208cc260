import type { TicketStatus } from './ticket-status.js';

/** Payload of `ticket.<status>`: the ticket moved from one status to another. */
export interface TicketStatusChanged {
  ticketId: string;
  code: string;
  /** Absent when the platform changed it (auto-close). */
  actorId?: string;
  from: TicketStatus;
  to: TicketStatus;
  automatic?: boolean;
}

/** Payload of `ticket.reply_added`, `ticket.note_added` and `ticket.citizen_added`. */
export interface TicketMessageAdded {
  ticketId: string;
  code: string;
  messageId: string;
  /** `citizen`: written by the requester (no author user). */
  kind: 'reply' | 'note' | 'citizen';
  authorId: string | null;
  /** The organisation a note belongs to (only its members see it). */
  organisationId: string | null;
}

declare module '../../platform/event-catalogue.js' {
  interface EventCatalogue {
    /** A ticket was opened (any channel). Written by the creation CTE in tickets.repository.ts. */
    'ticket.created': {
      ticketId: string; code: string; officeId: string; actorId: string | null; assigneeId: string | null;
      /** The classification it was opened with (network codes by facet). */
      classification: Record<string, string>;
      /** The classification suggestion the operator started from, if any (its outcome feeds the suggester). */
      classificationSuggestionId: string | null;
    };
    /** Fields of a ticket changed; `assigneeId` is present when the assignee is one of them. */
    'ticket.updated': { ticketId: string; code: string; actorId: string; fields: string[]; assigneeId?: string | null };
    /** The assignee changed (also listed in the `ticket.updated` of the same change). */
    'ticket.assigned': { ticketId: string; code: string; actorId: string; assigneeId: string | null; previousAssigneeId: string | null };
    'ticket.new': TicketStatusChanged;
    'ticket.open': TicketStatusChanged;
    'ticket.pending_citizen': TicketStatusChanged;
    'ticket.pending_office': TicketStatusChanged;
    'ticket.resolved': TicketStatusChanged;
    'ticket.closed': TicketStatusChanged;
    'ticket.reply_added': TicketMessageAdded;
    'ticket.note_added': TicketMessageAdded;
    'ticket.citizen_added': TicketMessageAdded;
    /** The platform classified a ticket the citizen filed without codes (the suggester filled `facets`). */
    'ticket.classified': { ticketId: string; code: string; facets: string[]; classification: Record<string, string> };
    /** The citizen rated the answer to a resolved ticket (1-5). */
    'ticket.rated': { ticketId: string; code: string; score: number; withComment: boolean };
  }
}
