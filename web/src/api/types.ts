/**
 * Names for the API's shapes as the web app uses them. Every type here is derived from the
 * generated web/src/api/schema.d.ts (the server's OpenAPI document, `npm run gen:client`): none is
 * written by hand, so a server change shows up here as a type error, not as drift.
 * The constant lists are the UI's order of the server's enums, checked against them.
 */
import type { ApiRequestBody, ApiResponseBody, Schemas } from './client.js';

export type { Problem } from './client.js';

type Item<T> = T extends { items: (infer I)[] } ? I : never;

export type Session = ApiResponseBody<'/auth/session'>;
export type Membership = Session['memberships'][number];
export type Locale = Session['user']['locale'];
export type Role = Membership['role'];
export const ROLES: readonly Role[] = ['operator', 'back_office', 'supervisor', 'org_admin', 'network_coordinator', 'analyst'];

export type Taxonomy = ApiResponseBody<'/taxonomy'>;
export type TaxonomyFacet = Taxonomy['facets'][number];
export type TaxonomyNode = TaxonomyFacet['nodes'][number];
export type LocalizedText = TaxonomyNode['label'];

export type Ticket = ApiResponseBody<'/tickets/{code}'>;
export type Priority = Ticket['priority'];
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];
/** Statuses the UI knows labels for; a ticket may carry a newer one (the server sends a plain string). */
export const KNOWN_STATUSES = ['new', 'open', 'pending_citizen', 'pending_office', 'resolved', 'closed'] as const;
export type PersonRef = NonNullable<Ticket['assignee']>;
export type Requester = NonNullable<Ticket['requester']>;
export type TicketSummary = Item<ApiResponseBody<'/tickets'>>;

export type Message = Item<ApiResponseBody<'/tickets/{code}/messages'>>;
export type Attachment = Message['attachments'][number];
export type HistoryEntry = Item<ApiResponseBody<'/tickets/{code}/history'>>;

export type OfficeUser = Item<ApiResponseBody<'/offices/{id}/users'>>;
export type Organisation = ApiResponseBody<'/organisations/{id}'>;
export type Office = Schemas['Office'];
export type OfficeCalendar = Office['calendar'];
export type Weekday = keyof OfficeCalendar['weekly'];
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const satisfies readonly Weekday[];
export type Shift = NonNullable<OfficeCalendar['weekly'][Weekday]>[number];
export type Closure = OfficeCalendar['closures'][number];

export type AdminUser = Item<ApiResponseBody<'/users'>>;
export type ApiToken = Item<ApiResponseBody<'/me/tokens'>>;
export type TokenScope = ApiToken['scopes'][number];
export const TOKEN_SCOPES: readonly TokenScope[] = ['tickets:read', 'tickets:write', 'admin', 'profile', 'notifications', 'faq:feedback', 'routing', 'cti'];

// ---------------------------------------------------------------- the network: sharing, transfers, tasks

export type TicketAccess = NonNullable<Ticket['myAccess']>;
export type TicketAction = TicketAccess['actions'][number];
export type TicketRelation = TicketAccess['relation'];
export const TICKET_ACTIONS = ['read_thread', 'read_requester', 'write_reply', 'write_note', 'edit', 'change_status', 'resolve', 'reshare', 'transfer', 'manage_tasks'] as const satisfies readonly TicketAction[];

export type Participants = ApiResponseBody<'/tickets/{code}/participants'>;
export type Share = Participants['shares'][number];
export type ShareMode = Share['mode'];
export type Transfer = Participants['transfers'][number];
export type TransferKind = Transfer['kind'];
export const TRANSFER_REASONS = ['not_competent', 'needs_authority', 'complaint_other_body', 'overflow', 'other'] as const satisfies readonly Transfer['reasonCode'][];
export type TransferReason = (typeof TRANSFER_REASONS)[number];
export type Task = Participants['tasks'][number];

export type DirectoryResult = ApiResponseBody<'/directory'>;
export type DirectoryHit = DirectoryResult['results'][number];
export type DirectoryOffice = DirectoryHit['office'];

export type IncomingRequests = ApiResponseBody<'/requests/incoming'>;
export type RequestTicketSummary = IncomingRequests['shares'][number]['ticket'];

export type AppNotification = Item<ApiResponseBody<'/notifications'>>;
export type InboxCounts = ApiResponseBody<'/tickets/counts'>;
export type Competence = Item<ApiResponseBody<'/offices/{id}/competences'>>;

export type Agreement = Item<ApiResponseBody<'/agreements'>>;
export type AgreementKind = ApiRequestBody<'/agreements', 'post'>['kinds'][number];
export const AGREEMENT_KINDS: readonly AgreementKind[] = ['share', 'transfer', 'escalation'];
