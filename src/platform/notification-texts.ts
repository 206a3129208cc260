import type { Language } from './messages.js';
import type { NotificationParams } from './notifications.js';

/**
 * How the server writes a notification from its `kind` and `params`: for the office e-mail (in
 * Italian) and for API clients that read `title`/`body` (in the caller's language). The web app has
 * the same sentences in its own dictionary (web/src/i18n/server-strings.ts). Nothing rendered is
 * stored: a notification row holds only its kind and parameters.
 */
interface Template {
  title: Record<Language, string>;
  body?: Record<Language, string>;
}

const FROM = { it: 'Da {office}: {reason}', en: 'From {office}: {reason}' };
const REASON = { it: '{reason}', en: '{reason}' };
const QUOTED = { it: '«{title}»', en: '“{title}”' };

const TEMPLATES: Record<string, Template> = {
  'share.requested': { title: { it: 'Richiesta di condivisione {code}: {subject}', en: 'Share request {code}: {subject}' }, body: FROM },
  'share.active': { title: { it: 'Ticket condiviso {code}: {subject}', en: 'Ticket shared with you {code}: {subject}' }, body: FROM },
  'share.accepted': { title: { it: '{office} ha accettato la condivisione di {code}', en: '{office} accepted the share of {code}' } },
  'share.declined': { title: { it: '{office} ha rifiutato la condivisione di {code}', en: '{office} declined the share of {code}' }, body: REASON },
  'share.revoked': { title: { it: 'Condivisione del ticket {code} revocata', en: 'Share of ticket {code} revoked' } },
  'transfer.requested': { title: { it: 'Trasferimento da accettare: {code} — {subject}', en: 'Transfer to accept: {code} — {subject}' }, body: FROM },
  'transfer.received': { title: { it: 'Trasferimento ricevuto: {code} — {subject}', en: 'Transfer received: {code} — {subject}' }, body: FROM },
  'escalation.requested': { title: { it: 'Inoltro da accettare: {code} — {subject}', en: 'Escalation to accept: {code} — {subject}' }, body: FROM },
  'escalation.received': { title: { it: 'Inoltro ricevuto: {code} — {subject}', en: 'Escalation received: {code} — {subject}' }, body: FROM },
  'transfer.accepted': { title: { it: '{office} ha preso in carico {code}', en: '{office} took over {code}' } },
  'transfer.declined': { title: { it: '{office} ha rifiutato {code}', en: '{office} declined {code}' }, body: REASON },
  'transfer.cancelled': { title: { it: 'Trasferimento di {code} annullato da {office}', en: 'Transfer of {code} cancelled by {office}' } },
  'task.assigned': { title: { it: 'Nuova attività su {code}: {task}', en: 'New task on {code}: {task}' } },
  'task.done': { title: { it: 'Attività completata su {code}: {task}', en: 'Task done on {code}: {task}' } },
  'ticket.partner_reply': { title: { it: 'Nuova risposta su {code} da {office}: {subject}', en: 'New reply on {code} from {office}: {subject}' } },
  'ticket.partner_note': { title: { it: 'Nuova nota interna su {code} da {office}: {subject}', en: 'New internal note on {code} from {office}: {subject}' } },
  'ticket.citizen_message': { title: { it: 'Nuovo messaggio del cittadino su {code}: {subject}', en: 'New message from the citizen on {code}: {subject}' } },
  'ticket.assigned': { title: { it: 'Ti è stato assegnato il ticket {code}: {subject}', en: 'Ticket {code} was assigned to you: {subject}' } },
  'ticket.reopened': { title: { it: 'Ticket {code} riaperto: {subject}', en: 'Ticket {code} reopened: {subject}' } },
  'ticket.handed_back': { title: { it: 'Ticket {code} restituito al vostro ufficio ({organisation} ha lasciato la rete): {subject}', en: 'Ticket {code} handed back to your office ({organisation} left the network): {subject}' } },
  'faq.stale': { title: { it: 'FAQ da rivedere: data di revisione superata', en: 'FAQ to review: its review date has passed' }, body: QUOTED },
  'faq.taxonomy_changed': { title: { it: 'FAQ da riclassificare: il codice di tassonomia non è più attivo', en: 'FAQ to reclassify: its taxonomy code is no longer active' }, body: QUOTED },
  'faq.expiring_soon': { title: { it: 'FAQ in scadenza', en: 'FAQ about to expire' }, body: QUOTED },
  'taxonomy.proposal_approved': { title: { it: 'Proposta di modifica della tassonomia approvata (versione {version})', en: 'Taxonomy change proposal approved (version {version})' }, body: { it: '{rationale}', en: '{rationale}' } },
  'similar.requested.link': {
    title: { it: '{fromOfficeName} ({fromOrganisationName}) chiede di collegare un proprio contatto a {code}: ha un contatto sullo stesso problema', en: '{fromOfficeName} ({fromOrganisationName}) asks to link a contact of theirs to {code}: they have a contact about the same problem' },
    body: { it: '{message}', en: '{message}' },
  },
  'similar.requested.share': {
    title: { it: '{fromOfficeName} ({fromOrganisationName}) chiede di condividere {code}: ha un contatto sullo stesso problema', en: '{fromOfficeName} ({fromOrganisationName}) asks you to share {code}: they have a contact about the same problem' },
    body: { it: '{message}', en: '{message}' },
  },
  'similar.requested.incident': {
    title: { it: '{fromOfficeName} ({fromOrganisationName}) chiede di aprire un incidente comune per {code}: ha un contatto sullo stesso problema', en: '{fromOfficeName} ({fromOrganisationName}) asks to open a joint incident for {code}: they have a contact about the same problem' },
    body: { it: '{message}', en: '{message}' },
  },
  'alarm.spike': { title: { it: 'Picco di contatti: {slice}, {day} — {observed} contro {expected} attesi', en: 'Spike in contacts: {slice}, {day} — {observed} against {expected} expected' } },
  'alarm.level_shift': { title: { it: 'Contatti saliti di livello: {slice}, dal {since} — {observed} contro {expected} attesi', en: 'Contacts up to a new level: {slice}, since {since} — {observed} against {expected} expected' } },
  'alarm.trend': { title: { it: 'Contatti in crescita costante: {slice}, dal {since} — {observed} contro {expected} attesi', en: 'Contacts rising steadily: {slice}, since {since} — {observed} against {expected} expected' } },
  'alarm.drop': { title: { it: 'Calo dei contatti: {slice}, dal {since} — {observed} contro {expected} attesi', en: 'Drop in contacts: {slice}, since {since} — {observed} against {expected} expected' } },
  'alarm.emerging_term': { title: { it: 'Argomento emergente nei contatti: «{term}» ({slice}) — {observed} contro {expected} attesi', en: 'Emerging subject in contacts: “{term}” ({slice}) — {observed} against {expected} expected' } },
  'taxonomy.proposal_rejected': { title: { it: 'Proposta di modifica della tassonomia respinta', en: 'Taxonomy change proposal rejected' }, body: REASON },
};

/** Transfers and escalations read differently, under one kind; so do the requests about a similar ticket. */
function templateKey(kind: string, params: NotificationParams): string {
  if (params.transferKind === 'escalation' && (kind === 'transfer.requested' || kind === 'transfer.received')) return kind.replace('transfer.', 'escalation.');
  if (kind === 'similar.requested') return `${kind}.${params.requestKind}`;
  return kind;
}

function fill(template: string, params: NotificationParams): string | null {
  let missing = false;
  const text = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === '') missing = true;
    return String(value ?? '');
  });
  return missing ? null : text;
}

/**
 * A notification's title and body in `lang`, or null when the kind is unknown or a parameter its
 * title needs is missing (older rows: the caller falls back to the stored text). A body whose
 * parameters are missing (no reason given) is left out.
 */
export function renderNotification(lang: Language, kind: string, params: NotificationParams): { title: string; body: string | null } | null {
  const template = TEMPLATES[templateKey(kind, params)];
  if (!template) return null;
  const title = fill(template.title[lang], params);
  if (title === null) return null;
  return { title, body: template.body ? fill(template.body[lang], params) : null };
}
