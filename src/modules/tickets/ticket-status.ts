import type { TicketStatusValue } from '../../db/schema.js';

/**
 * The ticket status machine, as pure functions: callers load the ticket, ask
 * for a plan, and persist what the plan says.
 */

export const TICKET_STATUSES = ['new', 'open', 'pending_citizen', 'pending_office', 'resolved', 'closed'] as const satisfies readonly TicketStatusValue[];
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const STATUS_LABELS: Record<TicketStatus, { it: string; en: string }> = {
  new: { it: 'Nuovo', en: 'New' },
  open: { it: 'Aperto', en: 'Open' },
  pending_citizen: { it: 'In attesa del cittadino', en: 'Waiting for the citizen' },
  pending_office: { it: 'In attesa di altro ufficio', en: 'Waiting for another office' },
  resolved: { it: 'Risolto', en: 'Resolved' },
  closed: { it: 'Chiuso', en: 'Closed' },
};

export const DEFAULT_REOPEN_WINDOW_DAYS = 14;

export interface StatusChangeOptions {
  /** Days after `resolvedAt` during which a resolved or closed ticket may be reopened. */
  reopenWindowDays?: number;
}

export type StatusChangeErrorCode =
  /** Thrown when the target status is not reachable from the current one (including same-status). */
  | 'ticket.illegal_transition'
  /** Thrown when resolving without an outcome code. */
  | 'ticket.outcome_required'
  /** Thrown when reopening a resolved/closed ticket after the reopen window. */
  | 'ticket.reopen_window_expired';

export type StatusChangePlan =
  | {
      ok: true;
      from: TicketStatus;
      to: TicketStatus;
      isReopen: boolean;
      /** `now` when resolving, null when reopening (clear it), undefined to leave unchanged. */
      setResolvedAt: Date | null | undefined;
      /** `now` when closing, null when reopening (clear it), undefined to leave unchanged. */
      setClosedAt: Date | null | undefined;
    }
  | {
      ok: false;
      code: StatusChangeErrorCode;
      /** Italian, for the operator: says what went wrong and which statuses are allowed. */
      message: string;
      allowed: TicketStatus[];
      /** The reopen window, when it has passed. */
      days?: number;
    };

/** Transitions that are always legal, whatever the clock says. */
const STATIC_TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending_citizen', 'pending_office', 'resolved'],
  open: ['pending_citizen', 'pending_office', 'resolved'],
  pending_citizen: ['open', 'pending_office', 'resolved'],
  pending_office: ['open', 'pending_citizen', 'resolved'],
  resolved: ['closed'],
  closed: [],
};

const REOPENABLE: readonly TicketStatus[] = ['resolved', 'closed'];
const DAY_MS = 86_400_000;

function isReopen(from: TicketStatus, to: TicketStatus): boolean {
  return to === 'open' && REOPENABLE.includes(from);
}

function reopenWindowDays(options: StatusChangeOptions | undefined): number {
  const days = options?.reopenWindowDays ?? DEFAULT_REOPEN_WINDOW_DAYS;
  if (!Number.isFinite(days) || days < 0) throw new RangeError(`reopenWindowDays must be a non-negative number, got ${days}`);
  return days;
}

/**
 * The window is inclusive: reopening exactly `reopenWindowDays` after `resolvedAt`
 * is still allowed. A resolved/closed ticket without `resolvedAt` cannot prove it
 * is inside the window, so it is treated as expired.
 */
function withinReopenWindow(resolvedAt: Date | null, now: Date, options: StatusChangeOptions | undefined): boolean {
  if (resolvedAt === null) return false;
  return now.getTime() - resolvedAt.getTime() <= reopenWindowDays(options) * DAY_MS;
}

/** Statuses reachable from `status` at `now`, in TICKET_STATUSES order. */
export function allowedTransitions(
  status: TicketStatus,
  resolvedAt: Date | null,
  now: Date,
  options?: StatusChangeOptions,
): TicketStatus[] {
  const reachable = new Set<TicketStatus>(STATIC_TRANSITIONS[status]);
  if (REOPENABLE.includes(status) && withinReopenWindow(resolvedAt, now, options)) reachable.add('open');
  return TICKET_STATUSES.filter((candidate) => reachable.has(candidate));
}

function label(status: TicketStatus): string {
  return STATUS_LABELS[status].it.toLowerCase();
}

function allowedSentence(allowed: readonly TicketStatus[]): string {
  return allowed.length === 0 ? 'nessun cambio di stato ammesso' : `stati ammessi: ${allowed.map(label).join(', ')}`;
}

/**
 * Decides whether `current` may move to `change.to` at `now`, and which
 * timestamps the caller must write if so.
 */
export function planStatusChange(
  current: { status: TicketStatus; resolvedAt: Date | null },
  change: { to: TicketStatus; outcome?: string | null },
  now: Date,
  options?: StatusChangeOptions,
): StatusChangePlan {
  const from = current.status;
  const { to } = change;
  const allowed = allowedTransitions(from, current.resolvedAt, now, options);
  const transition = `Impossibile passare da «${label(from)}» a «${label(to)}»`;

  if (!allowed.includes(to)) {
    if (isReopen(from, to)) {
      const days = reopenWindowDays(options);
      return {
        ok: false,
        code: 'ticket.reopen_window_expired',
        message: `${transition}: il termine di ${days} giorni dalla risoluzione per riaprire la pratica è scaduto; ${allowedSentence(allowed)}.`,
        allowed,
        days,
      };
    }
    return {
      ok: false,
      code: 'ticket.illegal_transition',
      message: `${transition}: ${allowedSentence(allowed)}.`,
      allowed,
    };
  }

  if (to === 'resolved' && (change.outcome ?? '').trim() === '') {
    return {
      ok: false,
      code: 'ticket.outcome_required',
      message: `Per passare a «${label(to)}» occorre indicare l'esito della pratica.`,
      allowed,
    };
  }

  const reopen = isReopen(from, to);
  return {
    ok: true,
    from,
    to,
    isReopen: reopen,
    setResolvedAt: to === 'resolved' ? now : reopen ? null : undefined,
    setClosedAt: to === 'closed' ? now : reopen ? null : undefined,
  };
}
