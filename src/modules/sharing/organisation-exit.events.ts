/** Events of a body leaving the network (organisation-exit.ts), one per ticket it hands back. */
declare module '../../platform/event-catalogue.js' {
  interface EventCatalogue {
    /**
     * A body left the network and an open ticket it owned changed owner: back to the office that had
     * transferred it (`reason: former_owner`), or to the coordinating body (`coordinator`).
     */
    'ticket.handed_back': { ticketId: string; code: string; from: string; to: string; reason: 'former_owner' | 'coordinator'; leavingOrganisationId: string; actorId: string };
    /** A body left the network: its shares, pending transfers and open tasks on another body's ticket ended. */
    'ticket.participant_left': { ticketId: string; code: string; leavingOrganisationId: string; sharesEnded: number; transfersCancelled: number; tasksCancelled: number; actorId: string };
  }
}

export {};
