/** Shapes of the urpnet REST API (`/api/v1`) as the web console consumes them. */

export type Locale = 'it' | 'en';

export type Role = 'operator' | 'back_office' | 'supervisor' | 'org_admin' | 'network_coordinator' | 'analyst';

export const ROLES: readonly Role[] = ['operator', 'back_office', 'supervisor', 'org_admin', 'network_coordinator', 'analyst'];

export interface Membership {
  role: Role;
  officeId: string | null;
  officeName: string | null;
  organisationId: string;
  organisationName: string;
}

export interface Session {
  user: { id: string; email: string; name: string; locale: Locale };
  memberships: Membership[];
  csrfToken: string;
}

export type { Problem } from './client.js';

export interface LocalizedText {
  it: string;
  en?: string;
}

export interface TaxonomyNode {
  code: string;
  label: LocalizedText;
  description?: LocalizedText;
  children?: TaxonomyNode[];
}

export interface TaxonomyFacet {
  code: string;
  label: LocalizedText;
  description?: LocalizedText;
  required: boolean;
  multi: boolean;
  nodes: TaxonomyNode[];
}

export interface Taxonomy {
  scheme: string;
  version: string;
  facets: TaxonomyFacet[];
}

export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

/** Statuses the console knows labels for; the server's `allowedTransitions` stays the authority. */
export const KNOWN_STATUSES = ['new', 'open', 'pending_citizen', 'pending_office', 'resolved', 'closed'] as const;

export interface PersonRef {
  id: string;
  name: string;
}

export interface Requester {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  fiscalCode?: string | null;
}

export interface Ticket {
  /** The caller's relation to the ticket and the actions it allows (absent on old servers). */
  myAccess?: TicketAccess;
  id: string;
  code: string;
  version: number;
  officeId: string;
  officeName: string;
  organisationId: string;
  organisationName: string;
  channel: string;
  subject: string;
  description: string;
  priority: Priority;
  status: string;
  outcome: string | null;
  classification: Record<string, string>;
  taxonomyVersion: string;
  assignee: PersonRef | null;
  requester: Requester | null;
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  createdBy: PersonRef | null;
  allowedTransitions: string[];
}

export interface TicketSummary {
  id: string;
  code: string;
  subject: string;
  status: string;
  priority: Priority;
  channel: string;
  classification: Record<string, string>;
  assignee: PersonRef | null;
  requesterName: string | null;
  officeId: string;
  createdAt: string;
  updatedAt: string;
  dueAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  createdAt: string;
}

export interface Message {
  id: string;
  kind: 'reply' | 'note';
  body: string;
  author: PersonRef | null;
  createdAt: string;
  attachments: Attachment[];
}

export interface HistoryEntry {
  id: string;
  action: string;
  actor: PersonRef | null;
  at: string;
  changes: Record<string, { from: unknown; to: unknown }>;
}

export interface OfficeUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export interface Organisation {
  id: string;
  slug: string;
  name: string;
  type: string;
  ipaCode: string | null;
  istatCode: string | null;
  taxCode: string | null;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface Shift {
  open: string;
  close: string;
}

export interface Closure {
  from: string;
  to: string;
  reason?: string | null;
}

export interface OfficeCalendar {
  timeZone: string;
  weekly: Partial<Record<Weekday, Shift[]>>;
  closures: Closure[];
}

export interface Office {
  id: string;
  organisationId: string;
  slug: string;
  name: string;
  kind: string;
  email: string | null;
  pec: string | null;
  phone: string | null;
  address: string | null;
  channels: string[];
  calendar: OfficeCalendar;
}

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  roles: { id?: string; role: Role; officeId: string | null; organisationId: string }[];
}

export type TokenScope = 'tickets:read' | 'tickets:write' | 'admin' | 'profile' | 'notifications' | 'faq:feedback';
export const TOKEN_SCOPES: readonly TokenScope[] = ['tickets:read', 'tickets:write', 'admin', 'profile', 'notifications', 'faq:feedback'];

export interface ApiToken {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

// ---------------------------------------------------------------- the network: sharing, transfers, tasks

export const TICKET_ACTIONS = ['read_thread', 'read_requester', 'write_reply', 'write_note', 'edit', 'change_status', 'resolve', 'reshare', 'transfer', 'manage_tasks'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];
export type TicketRelation = 'owner' | 'collaborate' | 'consult';

/** How the caller relates to a ticket and what they may do on it (`Ticket.myAccess`). */
export interface TicketAccess {
  relation: TicketRelation;
  /** A consultation of the office that owned the ticket before a transfer: keeps the requester data it recorded. */
  formerOwner?: boolean;
  officeId: string;
  actions: TicketAction[];
}

export type ShareMode = 'consult' | 'collaborate';

export interface Share {
  id: string;
  ticketId: string;
  officeId: string;
  officeName: string;
  organisationId: string;
  organisationName: string;
  mode: ShareMode;
  status: 'pending' | 'active' | 'declined' | 'revoked';
  shareRequester: boolean;
  reason: string;
  declineReason: string | null;
  requestedAt: string;
  respondedAt: string | null;
}

export const TRANSFER_REASONS = ['not_competent', 'needs_authority', 'complaint_other_body', 'overflow', 'other'] as const;
export type TransferReason = (typeof TRANSFER_REASONS)[number];
export type TransferKind = 'transfer' | 'escalation';

export interface Transfer {
  id: string;
  ticketId: string;
  kind: TransferKind;
  fromOfficeId: string;
  fromOfficeName: string;
  toOfficeId: string;
  toOfficeName: string;
  reasonCode: string;
  reason: string;
  status: 'pending' | 'accepted' | 'declined' | 'cancelled';
  declineReason: string | null;
  requestedAt: string;
  respondedAt: string | null;
}

export interface Task {
  id: string;
  ticketId: string;
  officeId: string;
  officeName: string;
  title: string;
  description: string | null;
  assignee: PersonRef | null;
  status: 'open' | 'done' | 'cancelled';
  dueAt: string | null;
  createdAt: string;
  completedAt: string | null;
  version: number;
}

export interface Participants {
  shares: Share[];
  transfers: Transfer[];
  tasks: Task[];
}

export interface DirectoryOffice extends Office {
  territory?: string[];
  openNow?: boolean;
}

export interface DirectoryHit {
  office: DirectoryOffice;
  organisationName: string;
  organisationType: string;
  topics: string[];
  score: number;
  reasons: string[];
}

export interface DirectoryResult {
  place: { code: string; name: string } | null;
  topics: { code: string; label: string }[];
  results: DirectoryHit[];
}

export interface RequestTicketSummary {
  code: string;
  subject: string;
  topic: string | null;
  status: string;
  ownerOffice: string;
}

export interface IncomingRequests {
  shares: { share: Share; ticket: RequestTicketSummary }[];
  transfers: { transfer: Transfer; ticket: RequestTicketSummary }[];
}

export interface AppNotification {
  id: number;
  kind: string;
  ticketCode: string | null;
  /** App-relative path of what the notification is about when it is not a ticket (a FAQ, the taxonomy). */
  link: string | null;
  /** Italian text, for notifications whose kind the app does not know (older ones have no params). */
  title: string;
  body: string | null;
  /** What the notification says, as data: the app writes it in the user's language from `kind`. */
  params?: Record<string, string | number | boolean | null>;
  createdAt: string;
  readAt: string | null;
}

export interface InboxCounts {
  all: number;
  mine: number;
  office: number;
  shared: number;
  waiting: number;
}

export interface Competence {
  officeId: string;
  topic: string;
  territory: string[];
}

export type AgreementKind = 'share' | 'transfer' | 'escalation';
export const AGREEMENT_KINDS: readonly AgreementKind[] = ['share', 'transfer', 'escalation'];

export interface Agreement {
  id: string;
  fromOrganisationId: string;
  fromOrganisationName: string;
  toOrganisationId: string;
  toOrganisationName: string;
  kinds: string[];
  topics: string[];
  autoAccept: boolean;
  status: string;
  note: string | null;
  proposedAt: string;
  decidedAt: string | null;
}
