/** Similar tickets and incidents of the network, as the web app uses them. Pure functions. */

import type { ApiResponseBody } from '../api/client.js';

export type IncidentDetail = ApiResponseBody<'/incidents/{id}'>;
export type Incident = IncidentDetail['incident'];

/** A similar open ticket of the network; `code` only when the caller may read the ticket. */
export interface SimilarTicket {
  /** Opaque reference for asking the owning office (the code itself on servers that only give codes). */
  ref: string;
  readable: boolean;
  code: string | null;
  subject: string;
  topicCode: string | null;
  topicLabel: string | null;
  officeName: string;
  organisationName: string;
  createdAt: string;
  status: string;
  score: number;
  incidentId: string | null;
}

/** One item of `GET /tickets/similar` as the server sends it. */
export type SimilarTicketWire = ApiResponseBody<'/tickets/similar'>['items'][number];

export function normaliseSimilar(item: SimilarTicketWire): SimilarTicket {
  const code = item.readable ? (item.code ?? null) : null;
  return {
    ref: item.ref,
    readable: item.readable && code !== null,
    code,
    subject: item.subject,
    topicCode: item.topic?.code ?? null,
    topicLabel: item.topic?.label ?? null,
    officeName: item.office.name,
    organisationName: item.organisation.name,
    createdAt: item.createdAt,
    status: item.status,
    score: item.score,
    incidentId: item.incidentId,
  };
}

/** A ticket the operator named by its code instead of picking it among the similar ones: readable, nothing else known. */
export function similarByCode(code: string): SimilarTicket {
  return { ref: code, readable: true, code, subject: '', topicCode: null, topicLabel: null, officeName: '', organisationName: '', createdAt: '', status: '', score: 0, incidentId: null };
}

/** What the operator asks the office owning a similar ticket they cannot read. */
export type AskKind = 'link' | 'share' | 'incident';

/** What the operator decided to link the contact being recorded to (applied once the ticket exists). */
export type PendingLink =
  | { kind: 'duplicate'; target: SimilarTicket }
  | { kind: 'ask'; target: SimilarTicket }
  | { kind: 'incident'; incident: Incident };

/** Open incidents relevant to a topic: same topic or one above/below it in the taxonomy. */
export function incidentsForTopic(incidents: readonly Incident[], topic: string | null | undefined): Incident[] {
  const open = incidents.filter((i) => i.status === 'open');
  if (!topic) return open;
  return open.filter((i) => i.topic !== null && (i.topic === topic || topic.startsWith(`${i.topic}.`) || i.topic.startsWith(`${topic}.`)));
}
