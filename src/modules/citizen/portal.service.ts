import type { Database } from '../../db/database.js';
import type { RequestFieldDefinition } from '../../db/tables/citizen.js';
import type { Trx } from '../../platform/http.js';
import * as identity from '../identity/index.js';
import { searchDirectory } from '../sharing/index.js';
import { currentTaxonomy } from '../taxonomy/index.js';
import * as tickets from '../tickets/index.js';
import { citizenErrors as errors } from './citizen.errors.js';
import * as repo from './citizen.repository.js';
import { challengeHash, checkProof } from './proof-of-work.js';
import { hashTrackingToken, isTrackingToken, newTokenSeed, trackingExpired, trackingToken } from './tracking-token.js';

/**
 * The citizen's side of a ticket on the portal: the request form (which office receives it, which
 * fields it asks for), filing a request, the private tracking page, answering and rating.
 */

type Lang = 'it' | 'en';

/** Files a citizen may send on one request (the form's and later replies' together). */
export const MAX_CITIZEN_ATTACHMENTS = 10;

const text = (l: { it: string; en?: string | undefined }, lang: Lang) => (lang === 'en' ? (l.en ?? l.it) : l.it);

export interface ReceivingOffice {
  id: string;
  name: string;
  organisationId: string;
  organisation: string;
}

/**
 * The office a portal request goes to. For a chosen body: its office competent for the topic at the
 * place, else its URP, else its first active office. For the whole network: the office the
 * competence directory ranks first for the topic and place (or for what the text talks about).
 */
export async function receivingOffice(db: Database, q: { organisationId?: string | undefined; place?: string | undefined; topic?: string | undefined; text?: string | undefined }): Promise<ReceivingOffice | null> {
  if (q.organisationId) {
    const org = await identity.findOrganisation(db, q.organisationId);
    if (!org?.active) return null;
    const offices = (await identity.listOffices(db, org.id)).filter((o) => o.active);
    if (offices.length === 0) return null;
    let chosen = offices.find((o) => o.kind === 'urp') ?? offices[0]!;
    if (q.topic) {
      const hits = await searchDirectory(db, { topic: q.topic, territory: q.place, limit: 20 });
      const own = hits.results.find((h) => h.office.organisationId === org.id);
      if (own) chosen = offices.find((o) => o.id === own.office.id) ?? chosen;
    }
    return { id: chosen.id, name: chosen.name, organisationId: org.id, organisation: org.name };
  }
  // The whole network: the topic or the place must say where it belongs (free text alone could land anywhere).
  if (!q.topic && !q.place) return null;
  const hits = await searchDirectory(db, { topic: q.topic, territory: q.place, q: q.topic ? undefined : q.text, limit: 1 });
  const top = hits.results[0];
  if (!top) return null;
  return { id: top.office.id, name: top.office.name, organisationId: top.office.organisationId, organisation: top.organisationName };
}

/** The fields an office asks for on a topic: its own for the topic, else for the nearest ancestor topic that has some. */
export async function fieldsFor(db: Database, officeId: string, topic: string | undefined): Promise<RequestFieldDefinition[]> {
  if (!topic) return [];
  const parts = topic.split('.');
  const candidates = parts.map((_p, i) => parts.slice(0, i + 1).join('.'));
  const rows = await repo.findRequestFields(db, officeId, candidates);
  for (const c of candidates.reverse()) {
    const hit = rows.find((r) => r.topic === c);
    if (hit) return hit.fields;
  }
  return [];
}

export async function requestForm(db: Database, q: { organisationId?: string | undefined; place?: string | undefined; topic?: string | undefined; lang: Lang }) {
  const notices = await repo.findPrivacyNotices(db);
  const organisations = (await identity.listOrganisations(db)).filter((o) => o.active).map((o) => ({ id: o.id, name: o.name, privacyNoticeUrl: notices.get(o.id)?.url ?? null }));
  const tax = await currentTaxonomy(db);
  const topics = [...tax.nodes.values()]
    .filter((n) => n.facet === 'tema' && !n.deprecated && n.depth <= 1)
    .map((n) => ({ code: n.code, label: text(n.label, q.lang), parent: n.parentCode }));
  const office = q.organisationId || q.topic || q.place ? await receivingOffice(db, q) : null;
  const fields = office ? await fieldsFor(db, office.id, q.topic) : [];
  return {
    organisations, topics,
    office: office ? { id: office.id, name: office.name, organisation: office.organisation, privacyNoticeUrl: notices.get(office.organisationId)?.url ?? null } : null,
    fields: fields.map((f) => ({
      key: f.key, label: text(f.label, q.lang), type: f.type, required: f.required,
      ...(f.options ? { options: f.options.map((o) => ({ value: o.value, label: text(o.label, q.lang) })) } : {}),
    })),
  };
}

export interface FileRequestInput {
  organisationId?: string | undefined;
  place?: string | undefined;
  topic?: string | undefined;
  subject: string;
  description: string;
  fields?: Record<string, string> | undefined;
  requester: { name: string; email: string; phone?: string | undefined };
  replyChannel: 'email' | 'pec';
  lang: Lang;
  consent: boolean;
  website: string;
  challenge: string;
  nonce: string;
  submissionKey: string;
}

export interface FiledRequest {
  code: string;
  trackingToken: string;
  office: { name: string; organisation: string };
  ticketId: string;
  /** true when the same form had been filed already: nothing new was recorded. */
  repeated: boolean;
}


const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** `citizen_links.consent_notice` when the body has no notice of its own: the network's (/privacy). */
export const NETWORK_NOTICE = 'network';

/** Files the portal form as a ticket on channel `web`, with the citizen's link, once per submission key. */
export async function fileRequest(db: Database, secret: string, input: FileRequestInput, now: Date): Promise<FiledRequest> {
  const existing = await repo.findLinkBySubmission(db, input.submissionKey);
  if (existing) return repeatedRequest(db, secret, existing);
  if (input.website.trim() !== '') throw errors.challengeFailed({ problem: 'honeypot' });
  const problem = checkProof(secret, input.challenge, input.nonce, now);
  if (problem) throw errors.challengeFailed({ problem });
  if (!input.consent) throw errors.consentRequired();
  if (!EMAIL.test(input.requester.email.trim())) throw errors.contactRequired();
  const office = await receivingOffice(db, { organisationId: input.organisationId, place: input.place, topic: input.topic, text: `${input.subject} ${input.description}` });
  if (!office) throw errors.noOfficeForRequest();
  const fields = await fieldsFor(db, office.id, input.topic);
  const given = input.fields ?? {};
  for (const f of fields) if (f.required && !(given[f.key] ?? '').trim()) throw errors.fieldRequired({ field: text(f.label, input.lang) });
  const extra = fields.filter((f) => (given[f.key] ?? '').trim()).map((f) => `${text(f.label, 'it')}: ${given[f.key]!.trim()}`);
  const description = extra.length > 0 ? `${input.description.trim()}\n\n— Dati indicati nel modulo —\n${extra.join('\n')}` : input.description.trim();
  // The submission key seeds the token: the same form posted again gets the same link back.
  const { token, hash } = trackingToken(secret, input.submissionKey);
  // The notice consented to is the one of the body that receives the request (the form showed it).
  const consentNotice = (await repo.findPrivacyNotices(db, [office.organisationId])).get(office.organisationId)?.url ?? NETWORK_NOTICE;
  try {
    return await db.transaction().execute(async (trx) => {
      if (!(await repo.spendChallenge(trx, challengeHash(input.challenge), now))) throw errors.challengeFailed({ problem: 'spent' });
      const ticket = await tickets.createCitizenTicket(trx, {
        officeId: office.id, channel: 'web', subject: input.subject.trim(), description,
        requester: { name: input.requester.name, email: input.requester.email, phone: input.requester.phone ?? null },
        ...(input.topic ? { classification: { tema: input.topic } } : {}),
      }, now);
      await repo.insertLink(trx, { ticketId: ticket.id, tokenHash: hash, tokenSeed: input.submissionKey, replyChannel: input.replyChannel, lang: input.lang, submissionKey: input.submissionKey, consentNotice, now });
      return { code: ticket.code, trackingToken: token, office: { name: office.name, organisation: office.organisation }, ticketId: ticket.id, repeated: false };
    });
  } catch (err) {
    // Two copies of the same form racing: the loser answers with the winner's request.
    const raced = await repo.findLinkBySubmission(db, input.submissionKey);
    if (raced) return repeatedRequest(db, secret, raced);
    throw err;
  }
}

async function repeatedRequest(db: Database, secret: string, link: repo.CitizenLink): Promise<FiledRequest> {
  const ticket = await tickets.findTicketById(db, link.ticketId);
  if (!ticket) throw errors.trackingNotFound();
  return { code: ticket.code, trackingToken: trackingToken(secret, link.tokenSeed).token, office: { name: ticket.officeName, organisation: ticket.organisationName }, ticketId: ticket.id, repeated: true };
}

/** Links a ticket opened by e-mail or PEC intake to its citizen (a random seed). */
export async function linkTicket(trx: Trx, secret: string, ticketId: string, l: { replyChannel: 'email' | 'pec'; lang: Lang }, now: Date): Promise<string> {
  const seed = newTokenSeed();
  const { token, hash } = trackingToken(secret, seed);
  await repo.insertLink(trx, { ticketId, tokenHash: hash, tokenSeed: seed, replyChannel: l.replyChannel, lang: l.lang, submissionKey: null, now });
  return token;
}

/** The ticket a tracking token opens; 404 for a token nobody holds, 410 for a request closed long ago. */
export async function ticketOfToken(db: Database | Trx, token: string, now: Date): Promise<{ ticket: tickets.Ticket; link: repo.CitizenLink }> {
  if (!isTrackingToken(token)) throw errors.trackingNotFound();
  const link = await repo.findLinkByTokenHash(db, hashTrackingToken(token));
  if (!link) throw errors.trackingNotFound();
  const ticket = await tickets.findTicketById(db, link.ticketId);
  if (!ticket) throw errors.trackingNotFound();
  if (trackingExpired(ticket.closedAt, now)) throw errors.trackingExpired({ code: ticket.code });
  return { ticket, link };
}

export type Expected = 'wait_office' | 'answer_office' | 'rate' | 'none';

/** What the citizen should do now, from the status and whether they rated. */
export function expectedOfCitizen(status: tickets.TicketStatus, rated: boolean): Expected {
  if (status === 'pending_citizen') return 'answer_office';
  if (status === 'resolved' || status === 'closed') return rated ? 'none' : 'rate';
  return 'wait_office';
}

const presentFile = (a: tickets.Attachment) => ({ id: a.id, filename: a.filename, size: a.size, contentType: a.contentType });

export async function trackingView(db: Database, token: string, now: Date) {
  const { ticket } = await ticketOfToken(db, token, now);
  const [office, messages, uploads, rating] = await Promise.all([
    identity.findOffice(db, ticket.officeId),
    tickets.listMessages(db, ticket.id, null),
    tickets.citizenUploads(db, ticket.id),
    repo.findRating(db, ticket.id),
  ]);
  const offices = new Map<string, string>();
  for (const m of messages) if (m.organisationId && !offices.has(m.organisationId)) offices.set(m.organisationId, (await identity.findOrganisation(db, m.organisationId))?.name ?? '');
  const rated = rating !== null;
  return {
    code: ticket.code, subject: ticket.subject, description: ticket.description, status: ticket.status,
    expected: expectedOfCitizen(ticket.status, rated),
    handledBy: {
      name: ticket.officeName, organisation: ticket.organisationName, phone: office?.phone ?? null, email: office?.email ?? null,
      openNow: office ? identity.isOpenAt(office.calendar, now) : false,
    },
    createdAt: ticket.createdAt, updatedAt: ticket.updatedAt, resolvedAt: ticket.resolvedAt,
    canReply: ticket.status !== 'closed',
    canRate: (ticket.status === 'resolved' || ticket.status === 'closed') && !rated,
    rating: rating ? { score: rating.score, comment: rating.comment, ratedAt: rating.ratedAt } : null,
    attachments: uploads.map(presentFile),
    messages: messages.map((m) => ({
      id: m.id, from: m.kind === 'citizen' ? ('citizen' as const) : ('office' as const),
      office: m.kind === 'citizen' ? null : (m.organisationId ? offices.get(m.organisationId) ?? null : null),
      body: m.body, createdAt: m.createdAt, attachments: m.attachments.map(presentFile),
    })),
  };
}

/** The citizen answers from the tracking page. */
export async function replyFromPortal(db: Database, token: string, input: { body: string; attachmentIds?: string[] | undefined }, now: Date): Promise<{ id: string }> {
  return db.transaction().execute(async (trx) => {
    const { ticket } = await ticketOfToken(trx, token, now);
    if (ticket.status === 'closed') throw errors.requestClosed();
    const { messageId } = await tickets.addCitizenMessage(trx, ticket.id, { body: input.body.trim(), channel: 'web', attachmentIds: input.attachmentIds ?? [] }, now);
    return { id: messageId };
  });
}

export async function rateFromPortal(db: Database, token: string, input: { score: number; comment?: string | undefined }, now: Date) {
  return db.transaction().execute(async (trx) => {
    const { ticket } = await ticketOfToken(trx, token, now);
    if (ticket.status !== 'resolved' && ticket.status !== 'closed') throw errors.notYetResolved();
    const comment = input.comment?.trim() ? input.comment.trim() : null;
    if (!(await repo.insertRating(trx, { ticketId: ticket.id, score: input.score, comment, via: 'portal', now }))) throw errors.alreadyRated();
    await tickets.recordCitizenRating(trx, ticket.id, { score: input.score, comment }, now);
    return { score: input.score, comment, ratedAt: now };
  });
}
