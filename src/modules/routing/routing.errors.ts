import { defineErrors } from '../../platform/errors.js';

/* Errors of routing (issue 12): presence, offers, queues, settings and the telephony interface. Codes are part of the API contract. */

type Id = { id: string };

export const routingErrors = defineErrors('routing', {
  /** Presence or offers from a user who works for no office (no operator, back-office or supervisor role). */
  notAnOperator: {
    code: 'routing.not_an_operator',
    status: 403,
    it: () => 'Solo operatori, addetti di back office e supervisori di un ufficio ricevono contatti: non hai un ruolo di questo tipo.',
    en: () => 'Only operators, back-office staff and supervisors of an office receive contacts: you hold no such role.',
  },
  /** Presence for an office the operator does not work for. */
  officeNotYours: {
    code: 'routing.office_not_yours',
    status: 403,
    example: { officeId: '00000000-0000-0000-0000-000000000000' },
    it: (p: { officeId: string }) => `Non lavori per l'ufficio ${p.officeId}: scegli uno dei tuoi uffici.`,
    en: (p: { officeId: string }) => `You do not work for office ${p.officeId}: choose one of your offices.`,
  },
  /** Presence of someone who never signed in to routing needs the office. */
  officeRequired: {
    code: 'routing.office_required',
    status: 422,
    it: () => "Indica l'ufficio per cui ricevi i contatti (officeId): lavori per più di un ufficio o non hai ancora un profilo.",
    en: () => 'Say which office you take contacts for (officeId): you work for more than one office or have no profile yet.',
  },
  /** Going offline or on break while holding a pending offer: answer it first. */
  offerPending: {
    code: 'routing.offer_pending',
    status: 409,
    example: { offerId: '00000000-0000-0000-0000-000000000000' },
    it: (p: { offerId: string }) => `Hai un contatto in offerta (${p.offerId}): accettalo o rifiutalo prima di cambiare stato.`,
    en: (p: { offerId: string }) => `A contact is on offer to you (${p.offerId}): accept or decline it before changing state.`,
  },
  offerNotFound: {
    code: 'routing.offer_not_found',
    status: 404,
    example: { id: '00000000-0000-0000-0000-000000000000' },
    it: (p: Id) => `Nessuna offerta ${p.id} per te.`,
    en: (p: Id) => `No offer ${p.id} for you.`,
  },
  /** Accepting or declining an offer that expired, was answered already or went to someone else. */
  offerClosed: {
    code: 'routing.offer_closed',
    status: 409,
    example: { id: '00000000-0000-0000-0000-000000000000', status: 'expired' },
    it: (p: { id: string; status: string }) => `L'offerta ${p.id} non è più valida (${p.status}): il contatto è stato offerto di nuovo.`,
    en: (p: { id: string; status: string }) => `Offer ${p.id} is no longer open (${p.status}): the contact has been offered again.`,
  },
  itemNotFound: {
    code: 'routing.item_not_found',
    status: 404,
    example: { id: '00000000-0000-0000-0000-000000000000' },
    it: (p: Id) => `Nessun contatto in coda ${p.id} visibile.`,
    en: (p: Id) => `No visible queued contact ${p.id}.`,
  },
  /** A queued contact may only carry a ticket of the office's own body. */
  ticketNotFound: {
    code: 'routing.ticket_not_found',
    status: 404,
    example: { id: '00000000-0000-0000-0000-000000000000' },
    it: (p: Id) => `Nessun ticket ${p.id} dell'ente di questo ufficio.`,
    en: (p: Id) => `No ticket ${p.id} of this office's body.`,
  },
  /** Completing an item the caller does not hold, or one already ended. */
  itemNotHeld: {
    code: 'routing.item_not_held',
    status: 409,
    example: { id: '00000000-0000-0000-0000-000000000000', status: 'completed' },
    it: (p: { id: string; status: string }) => `Il contatto ${p.id} non è assegnato a te (stato: ${p.status}).`,
    en: (p: { id: string; status: string }) => `Contact ${p.id} is not assigned to you (status: ${p.status}).`,
  },
  /** Queue settings, numbers or work items of an office the caller does not supervise. */
  cannotManageQueue: {
    code: 'routing.cannot_manage_queue',
    status: 403,
    it: () => "Solo i supervisori e gli amministratori dell'ente (o il coordinamento della rete) gestiscono le code dei suoi uffici.",
    en: () => "Only the body's supervisors and administrators (or the network coordination) manage its offices' queues.",
  },
  /** The wallboard of offices the caller may not watch. */
  cannotWatch: {
    code: 'routing.cannot_watch',
    status: 403,
    it: () => "Il pannello mostra solo gli uffici del tuo ente (la rete intera al coordinamento).",
    en: () => "The wallboard shows only your body's offices (the whole network to the coordination).",
  },
  officeNotFound: {
    code: 'routing.office_not_found',
    status: 404,
    example: { id: '00000000-0000-0000-0000-000000000000' },
    it: (p: Id) => `Nessun ufficio ${p.id}.`,
    en: (p: Id) => `No office ${p.id}.`,
  },
  /** A dialled number already leads to another office. */
  numberTaken: {
    code: 'routing.number_taken',
    status: 409,
    example: { numbers: ['+390612345678'] },
    it: (p: { numbers: string[] }) => `Numeri già assegnati a un altro ufficio: ${p.numbers.join(', ')}.`,
    en: (p: { numbers: string[] }) => `Numbers already assigned to another office: ${p.numbers.join(', ')}.`,
  },
  /** A PBX reports a call to a number no office answers. */
  unknownNumber: {
    code: 'routing.unknown_number',
    status: 422,
    example: { dialled: '+390612345678' },
    it: (p: { dialled: string }) => `Il numero chiamato ${p.dialled} non è associato ad alcun ufficio: associalo nelle impostazioni della coda.`,
    en: (p: { dialled: string }) => `The dialled number ${p.dialled} leads to no office: add it in the queue settings.`,
  },
  callNotFound: {
    code: 'routing.call_not_found',
    status: 404,
    example: { callId: 'pbx-1-42' },
    it: (p: { callId: string }) => `Nessuna chiamata ${p.callId}: annuncia prima la chiamata in arrivo.`,
    en: (p: { callId: string }) => `No call ${p.callId}: report the incoming call first.`,
  },
  /** A CTI event that the call's state no longer allows (e.g. `answered` after `ended`). */
  callEventRejected: {
    code: 'routing.call_event_rejected',
    status: 409,
    example: { callId: 'pbx-1-42', event: 'answered', state: 'ended' },
    it: (p: { callId: string; event: string; state: string }) => `Evento ${p.event} non applicabile alla chiamata ${p.callId}, già nello stato ${p.state}.`,
    en: (p: { callId: string; event: string; state: string }) => `Event ${p.event} does not apply to call ${p.callId}, already ${p.state}.`,
  },
  /** A new call reusing the id of a call with other numbers. */
  callIdReused: {
    code: 'routing.call_id_reused',
    status: 409,
    example: { callId: 'pbx-1-42' },
    it: (p: { callId: string }) => `L'identificativo ${p.callId} è già usato da un'altra chiamata (numeri diversi).`,
    en: (p: { callId: string }) => `Call id ${p.callId} is already used by another call (different numbers).`,
  },
  /** The caller has no number to call back. */
  callbackNeedsNumber: {
    code: 'routing.callback_needs_number',
    status: 422,
    it: () => 'Per una richiamata serve il numero del chiamante.',
    en: () => 'A callback needs the caller’s number.',
  },
});
