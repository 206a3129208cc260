import type { ApiQuery } from '../api/client.js';
/** Inbox filters ⇄ the page's query string ⇄ the API's query parameters. Pure functions. */

export type AssigneeFilter = '' | 'me' | 'none' | string;

/** The inbox views of the API (`GET /tickets?view=`): everything, mine, owned by my office, shared with it, waiting on another office. */
export const INBOX_VIEWS = ['all', 'mine', 'office', 'shared', 'waiting'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

export function isInboxView(value: string | null | undefined): value is InboxView {
  return (INBOX_VIEWS as readonly string[]).includes(value ?? '');
}

type TicketsQuery = ApiQuery<'/tickets'>;

export interface InboxFilters {
  /** `all` (the default) is left out of the URL. */
  view?: InboxView;
  officeId: string;
  status: string[];
  channel: string;
  topic: string;
  assignee: AssigneeFilter;
  q: string;
}

/** `office=all` in the page URL: every office the user works in (no officeId sent to the API). */
export const ALL_OFFICES = 'all';

export const EMPTY_FILTERS: InboxFilters = { officeId: '', status: [], channel: '', topic: '', assignee: '', q: '' };

/** What an operator wants to see by default: the work still to do. */
export const DEFAULT_STATUSES = ['new', 'open', 'pending_citizen', 'pending_office'];

function splitList(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseFilters(search: string): InboxFilters {
  const params = new URLSearchParams(search);
  const view = params.get('view');
  return {
    ...(isInboxView(view) && view !== 'all' && { view }),
    officeId: params.get('office') ?? '',
    status: params.has('status') ? splitList(params.get('status')) : [...DEFAULT_STATUSES],
    channel: params.get('channel') ?? '',
    topic: params.get('topic') ?? '',
    assignee: params.get('assignee') ?? '',
    q: params.get('q') ?? '',
  };
}

/** The query string for a set of filters; a status list equal to the default is left out to keep URLs short. */
export function filtersToSearch(filters: InboxFilters): string {
  const params = new URLSearchParams();
  if (filters.view && filters.view !== 'all') params.set('view', filters.view);
  if (filters.officeId) params.set('office', filters.officeId);
  const sameAsDefault =
    filters.status.length === DEFAULT_STATUSES.length && DEFAULT_STATUSES.every((s) => filters.status.includes(s));
  if (!sameAsDefault) params.set('status', filters.status.join(','));
  if (filters.channel) params.set('channel', filters.channel);
  if (filters.topic) params.set('topic', filters.topic);
  if (filters.assignee) params.set('assignee', filters.assignee);
  if (filters.q.trim()) params.set('q', filters.q.trim());
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

export function filtersToApiQuery(filters: InboxFilters, cursor?: string | null, limit = 25): TicketsQuery {
  const query: TicketsQuery = { limit };
  if (filters.view && filters.view !== 'all') query.view = filters.view;
  if (filters.officeId && filters.officeId !== ALL_OFFICES) query.officeId = filters.officeId;
  if (filters.status.length) query.status = filters.status.join(',');
  // The page URL may carry any channel: the server checks it against its list (and says which).
  if (filters.channel) query.channel = filters.channel as TicketsQuery['channel'];
  if (filters.topic) query.topic = filters.topic;
  if (filters.assignee) query.assignee = filters.assignee;
  if (filters.q.trim()) query.q = filters.q.trim();
  if (cursor) query.cursor = cursor;
  return query;
}

export function toggleStatus(filters: InboxFilters, status: string): InboxFilters {
  const has = filters.status.includes(status);
  return { ...filters, status: has ? filters.status.filter((s) => s !== status) : [...filters.status, status] };
}

const CLOSED_STATUSES = new Set(['resolved', 'closed', 'cancelled']);

/** A ticket is overdue when its SLA due time has passed and it is still being worked on. */
export function isOverdue(dueAt: string | null, status: string, now: Date = new Date()): boolean {
  if (!dueAt || CLOSED_STATUSES.has(status)) return false;
  const due = new Date(dueAt);
  return !Number.isNaN(due.getTime()) && due.getTime() < now.getTime();
}
