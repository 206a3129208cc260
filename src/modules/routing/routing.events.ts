declare module '../../platform/event-catalogue.js' {
  interface EventCatalogue {
    /** An item was offered to an operator (their console shows it until `expiresAt`). */
    'routing.offer_made': { offerId: string; itemId: string; userId: string; officeId: string; itemOfficeId: string; channel: string; expiresAt: string; overflow: boolean };
    /** An offer ended without being accepted (declined, expired, withdrawn): the console drops it. */
    'routing.offer_closed': { offerId: string; itemId: string; userId: string; officeId: string; itemOfficeId: string | null; status: 'declined' | 'expired' | 'withdrawn' };
    /** An operator accepted an item: for a call, the PBX bridges it to the operator's extension. */
    'routing.item_assigned': { itemId: string; userId: string; officeId: string; itemOfficeId: string; channel: string; callId: string | null; extension: string | null };
    /** A contact joined an office's queue (or was recorded there already ended: a call to a closed office). */
    'routing.item_queued': { itemId: string; officeId: string; channel: string; status: string };
    /** An operator's presence changed (the wallboards count operators by state). `previousOfficeId` when they moved office. */
    'routing.presence_changed': { userId: string; officeId: string; presence: string; previousOfficeId: string | null };
    /** An item left the queue for good (completed, abandoned, cancelled). */
    'routing.item_ended': { itemId: string; officeId: string; outcome: string };
  }
}

export {};
