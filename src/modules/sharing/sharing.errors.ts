import { defineErrors } from '../../platform/errors.js';
import type { CompetenceLineProblem } from './competence-rows.js';

/* Errors of sharing, transfers, tasks, agreements, competences and incidents. Codes are part of the API contract. */

type Status = { status: string };
const statusExample = { status: 'accepted' };

export const sharingErrors = defineErrors('share', {
  shareNotFound: { code: 'share.not_found', status: 404, it: () => 'Condivisione non trovata.', en: () => 'Share not found.' },
  transferNotFound: { code: 'transfer.not_found', status: 404, it: () => 'Trasferimento non trovato.', en: () => 'Transfer not found.' },
  taskNotFound: { code: 'task.not_found', status: 404, it: () => 'Attività non trovata.', en: () => 'Task not found.' },
  agreementNotFound: { code: 'agreement.not_found', status: 404, it: () => 'Accordo non trovato.', en: () => 'Agreement not found.' },
  /** Thrown when sharing/transferring to the office that already owns the ticket. */
  sameOffice: {
    code: 'share.same_office',
    status: 422,
    it: () => "L'ufficio indicato è già l'ufficio titolare del ticket.",
    en: () => 'The given office already owns the ticket.',
  },
  unknownOffice: {
    code: 'share.unknown_office',
    status: 422,
    it: () => "L'ufficio indicato non esiste o non è attivo.",
    en: () => 'The given office does not exist or is not active.',
  },
  /** Thrown when the office already takes part in the ticket (pending or active). */
  alreadyParticipant: {
    code: 'share.already_participant',
    status: 409,
    it: () => "L'ufficio partecipa già al ticket o ha già una richiesta in attesa.",
    en: () => 'The office already takes part in the ticket or already has a pending request.',
  },
  /** Thrown when acting on a share that is no longer pending/active (accepted twice, revoked, declined). */
  shareNotPending: {
    code: 'share.not_pending',
    status: 409,
    example: statusExample,
    it: (p: Status) => `La richiesta non è più in attesa (stato attuale: ${p.status}): nessuna modifica effettuata.`,
    en: (p: Status) => `The request is no longer pending (current status: ${p.status}): nothing was changed.`,
  },
  shareNotActive: {
    code: 'share.not_active',
    status: 409,
    example: statusExample,
    it: (p: Status) => `La condivisione non è attiva (stato attuale: ${p.status}).`,
    en: (p: Status) => `The share is not active (current status: ${p.status}).`,
  },
  declineReasonRequired: {
    code: 'share.decline_reason_required',
    status: 400,
    it: () => "Indica il motivo del rifiuto: sarà visibile all'ufficio richiedente.",
    en: () => 'Give the reason for declining: the requesting office will see it.',
  },
  transferNotPending: {
    code: 'transfer.not_pending',
    status: 409,
    example: statusExample,
    it: (p: Status) => `Il trasferimento non è più in attesa (stato attuale: ${p.status}): nessuna modifica effettuata.`,
    en: (p: Status) => `The transfer is no longer pending (current status: ${p.status}): nothing was changed.`,
  },
  /** Thrown when transferring a resolved or closed ticket. */
  ticketNotTransferable: {
    code: 'transfer.ticket_closed',
    status: 409,
    example: { status: 'resolved' },
    it: (p: Status) => `Un ticket in stato «${p.status}» non può essere trasferito: riaprilo prima.`,
    en: (p: Status) => `A ticket in status “${p.status}” cannot be transferred: reopen it first.`,
  },
  transferAlreadyPending: {
    code: 'transfer.already_pending',
    status: 409,
    it: () => 'Il ticket ha già un trasferimento in attesa: annullalo prima di chiederne un altro.',
    en: () => 'The ticket already has a pending transfer: cancel it before asking for another.',
  },
  /** Thrown when an escalation would send the ticket back to an office it was escalated from. */
  circularEscalation: {
    code: 'transfer.circular',
    status: 409,
    example: { officeName: 'URP Celano' },
    it: (p: { officeName: string }) => `Inoltro circolare: il ticket è già stato inoltrato da «${p.officeName}». Usa una condivisione per consultarlo.`,
    en: (p: { officeName: string }) => `Circular escalation: the ticket was already escalated from “${p.officeName}”. Use a share to consult that office.`,
  },
  notReceivingOffice: {
    code: 'share.not_recipient',
    status: 403,
    it: () => "Solo l'ufficio destinatario può accettare o rifiutare la richiesta.",
    en: () => 'Only the receiving office can accept or decline the request.',
  },
  taskOfficeNotParticipant: {
    code: 'task.office_not_participant',
    status: 422,
    it: () => "L'attività può essere assegnata solo all'ufficio titolare o a un ufficio che collabora al ticket.",
    en: () => 'The task can be assigned only to the owning office or to an office collaborating on the ticket.',
  },
  taskNotYours: {
    code: 'task.forbidden',
    status: 403,
    it: () => "Puoi aggiornare solo le attività del tuo ufficio (o tutte se sei l'ufficio titolare).",
    en: () => 'You can update only the tasks of your office (or all of them if your office owns the ticket).',
  },
  taskAssigneeInvalid: {
    code: 'task.invalid_assignee',
    status: 422,
    it: () => "L'assegnatario deve lavorare nell'ufficio dell'attività.",
    en: () => 'The assignee must work in the task’s office.',
  },
  agreementForbidden: {
    code: 'agreement.forbidden',
    status: 403,
    it: () => "Solo l'amministratore dell'ente interessato può gestire l'accordo.",
    en: () => 'Only the administrator of the organisation concerned can manage the agreement.',
  },
  agreementSameOrganisation: {
    code: 'agreement.same_organisation',
    status: 422,
    it: () => 'Un accordo di rete lega due enti diversi.',
    en: () => 'A network agreement binds two different organisations.',
  },
  agreementNotProposed: {
    code: 'agreement.not_proposed',
    status: 409,
    example: { status: 'active' },
    it: (p: Status) => `L'accordo non è in attesa di approvazione (stato: ${p.status}).`,
    en: (p: Status) => `The agreement is not awaiting approval (status: ${p.status}).`,
  },
  /** Thrown when declaring an office's competences without managing the office. */
  competenceForbidden: {
    code: 'auth.forbidden',
    status: 403,
    it: () => "Solo il responsabile dell'ufficio o l'amministratore dell'ente possono dichiarare le competenze.",
    en: () => 'Only the office’s supervisor or the organisation’s administrator can declare its competences.',
  },
  competenceUnknownTopics: {
    code: 'competence.unknown_topic',
    status: 422,
    example: { topics: ['tributi.xyz', 'abc'] },
    it: (p: { topics: string[] }) => `Argomenti inesistenti nella tassonomia: ${p.topics.join(', ')}`,
    en: (p: { topics: string[] }) => `Topics that do not exist in the taxonomy: ${p.topics.join(', ')}`,
  },
});

export const incidentErrors = defineErrors('incident', {
  incidentNotFound: { code: 'incident.not_found', status: 404, it: () => 'Incidente non trovato.', en: () => 'Incident not found.' },
  ticketChanged: {
    code: 'precondition.failed',
    status: 412,
    it: () => 'Il ticket è stato modificato nel frattempo: riprova.',
    en: () => 'The ticket was changed in the meantime: try again.',
  },
  similarNotFound: {
    code: 'similar.not_found',
    status: 404,
    it: () => 'Nessun ticket simile con questo riferimento.',
    en: () => 'No similar ticket with this reference.',
  },
  /** Thrown when the caller's office does not own the ticket (no existence leak). */
  ownTicketNotFound: {
    code: 'ticket.not_found',
    status: 404,
    example: { ticketCode: 'K7M2-Q9X4-B' },
    it: (p: { ticketCode: string }) => `Nessun ticket con codice ${p.ticketCode} tra quelli del tuo ufficio.`,
    en: (p: { ticketCode: string }) => `No ticket with code ${p.ticketCode} among those of your office.`,
  },
  similarSameTicket: {
    code: 'similar.same_ticket',
    status: 422,
    it: () => 'Il ticket indicato è quello simile stesso.',
    en: () => 'The given ticket is the similar one itself.',
  },
  officeForbidden: {
    code: 'incident.office_forbidden',
    status: 403,
    it: () => 'Puoi aprire un incidente solo per un ufficio in cui lavori.',
    en: () => 'You can open an incident only for an office you work in.',
  },
  unknownTopic: {
    code: 'incident.unknown_topic',
    status: 422,
    example: { topic: 'tributi.xyz' },
    it: (p: { topic: string }) => `Argomento «${p.topic}» inesistente nella tassonomia.`,
    en: (p: { topic: string }) => `Topic “${p.topic}” does not exist in the taxonomy.`,
  },
  resolved: { code: 'incident.resolved', status: 409, it: () => "L'incidente è già chiuso.", en: () => 'The incident is already closed.' },
  forbidden: {
    code: 'incident.forbidden',
    status: 403,
    it: () => "Solo l'ufficio che ha aperto l'incidente può chiuderlo.",
    en: () => 'Only the office that opened the incident can close it.',
  },
});

const exampleCompetenceProblem: CompetenceLineProblem = {
  line: 4, code: 'unknown_topic', message: 'argomento «tributi.tassa» inesistente nella tassonomia (usa il codice del tema, es. tributi.tari)',
  en: 'topic “tributi.tassa” does not exist in the taxonomy (use the topic code, e.g. tributi.tari)',
};

/* Errors of the competence matrix and its coverage report (issue 11). */
export const competenceErrors = defineErrors('competence', {
  /**
   * Thrown when an all-or-nothing matrix import finds bad lines: nothing was written. Same code and
   * shape as the onboarding imports: `errors` lists each line with its stable code and reason.
   */
  badLines: {
    code: 'import.bad_lines',
    status: 422,
    example: { count: 1, problems: [exampleCompetenceProblem] },
    it: (p: { count: number; problems: CompetenceLineProblem[] }) =>
      `Importazione delle competenze annullata, nulla è stato scritto: ${p.count === 1 ? '1 riga non valida' : `${p.count} righe non valide`}. Correggile, oppure importa solo le righe valide.`,
    en: (p: { count: number; problems: CompetenceLineProblem[] }) =>
      `Import of competences cancelled, nothing was written: ${p.count === 1 ? '1 invalid line' : `${p.count} invalid lines`}. Fix them, or import the valid lines only.`,
    members: (p: { problems: CompetenceLineProblem[] }, lang) => ({
      errors: p.problems.map((x) => ({ path: `${lang === 'en' ? 'line' : 'riga'} ${x.line}`, code: x.code, message: lang === 'en' ? x.en : x.message, params: { line: x.line } })),
    }),
  },
  /** Thrown when the coverage report names a region that does not exist. */
  unknownRegion: {
    code: 'competence.unknown_region',
    status: 404,
    example: { region: '21' },
    it: (p: { region: string }) => `Regione «${p.region}» inesistente: usa il codice ISTAT a due cifre (es. 13 per l'Abruzzo).`,
    en: (p: { region: string }) => `Region “${p.region}” does not exist: use its two-digit ISTAT code (e.g. 13 for Abruzzo).`,
  },
  /** Thrown when the coverage report is asked as CSV without a topic: the CSV is the per-comune table of one topic. */
  csvNeedsTopic: {
    code: 'competence.csv_needs_topic',
    status: 400,
    it: () => 'Il CSV della copertura è la tabella per comune di un argomento: indica anche topic.',
    en: () => 'The coverage CSV is the per-comune table of one topic: give a topic as well.',
  },
});
