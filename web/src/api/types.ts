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

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: { path: string; message: string }[];
}

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

export type TokenScope = 'tickets:read' | 'tickets:write' | 'admin';
export const TOKEN_SCOPES: readonly TokenScope[] = ['tickets:read', 'tickets:write', 'admin'];

export interface ApiToken {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}
