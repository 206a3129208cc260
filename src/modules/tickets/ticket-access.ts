/**
 * Who may do what on a ticket, as one pure policy. A caller relates to a ticket through the office
 * that owns it or through a participation (share) of one of their offices; the relation and the
 * share's grants decide each action. Every route of the tickets and sharing modules asks `can`.
 */
import { scopeIncludes, type TicketScope } from '../../platform/policy.js';

export const TICKET_ACTIONS = [
  'read_thread',
  'read_requester',
  'write_reply',
  'write_note',
  'edit',
  'change_status',
  'resolve',
  'reshare',
  'transfer',
  'manage_tasks',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** owner: the office handling the ticket; collaborate/consult: an office it is shared with. */
export type TicketRelation = 'owner' | 'collaborate' | 'consult';

export interface Participation {
  officeId: string;
  organisationId: string;
  mode: 'consult' | 'collaborate';
  status: 'pending' | 'active' | 'declined' | 'revoked';
  shareRequester: boolean;
  /**
   * The follow-up share of an office that owned the ticket and handed it over (an accepted transfer
   * or escalation from it). It keeps reading the requester data it recorded as owner.
   */
  formerOwner?: boolean;
  /** The former owner's copy of the requester, once the new owner changed the data (else null). */
  keptRequesterId?: string | null;
}

export interface TicketAccess {
  relation: TicketRelation;
  /** The office and organisation through which the caller works on this ticket. */
  officeId: string;
  organisationId: string;
  /** False for read-only credentials (a token without tickets:write). */
  writable: boolean;
  /** Whether the requester's personal data may be shown. */
  requesterVisible: boolean;
  /** A consultation that follows a ticket this office owned before a transfer ("ex titolare"). */
  formerOwner: boolean;
  /** For a former owner: the requester record it kept when the new owner changed the data (null: the ticket's). */
  keptRequesterId: string | null;
}

const WRITE_ACTIONS: ReadonlySet<TicketAction> = new Set(['write_reply', 'write_note', 'edit', 'change_status', 'resolve', 'reshare', 'transfer', 'manage_tasks']);

/**
 * The matrix. A collaborating office answers the citizen and works its own task; a consulted office
 * only reads the shared thread and writes its own internal notes. Only the owner changes status,
 * resolves, reshares or transfers.
 */
const MATRIX: Record<TicketRelation, ReadonlySet<TicketAction>> = {
  owner: new Set(TICKET_ACTIONS),
  collaborate: new Set<TicketAction>(['read_thread', 'read_requester', 'write_reply', 'write_note', 'manage_tasks']),
  consult: new Set<TicketAction>(['read_thread', 'write_note']),
};

export function can(access: TicketAccess | null, action: TicketAction): boolean {
  if (!access) return false;
  if (WRITE_ACTIONS.has(action) && !access.writable) return false;
  if (action === 'read_requester') return access.requesterVisible;
  return MATRIX[access.relation].has(action);
}

export interface ActorTicketScope {
  /** Offices/organisations where the caller holds a ticket role (operator, back office, supervisor). */
  read: TicketScope;
  write: TicketScope;
}

const inScope = (scope: TicketScope, officeId: string, organisationId: string) => scopeIncludes(scope, { officeId, organisationId });

/**
 * The caller's strongest relation to a ticket, or null when they may not see it at all. Pending,
 * declined and revoked participations give no access to the ticket itself.
 */
export function resolveTicketAccess(scope: ActorTicketScope, ticket: { officeId: string; organisationId: string }, participants: readonly Participation[]): TicketAccess | null {
  if (inScope(scope.read, ticket.officeId, ticket.organisationId)) {
    return {
      relation: 'owner', officeId: ticket.officeId, organisationId: ticket.organisationId,
      writable: inScope(scope.write, ticket.officeId, ticket.organisationId), requesterVisible: true, formerOwner: false, keptRequesterId: null,
    };
  }
  let best: TicketAccess | null = null;
  for (const p of participants) {
    if (p.status !== 'active' || !inScope(scope.read, p.officeId, p.organisationId)) continue;
    const candidate: TicketAccess = {
      relation: p.mode, officeId: p.officeId, organisationId: p.organisationId,
      writable: inScope(scope.write, p.officeId, p.organisationId),
      // Privacy by default: a consultation never shows the requester, a collaboration only if granted;
      // the office that owned the ticket before a transfer keeps what it recorded (it already had it).
      requesterVisible: (p.mode === 'collaborate' && p.shareRequester) || p.formerOwner === true,
      formerOwner: p.formerOwner === true,
      keptRequesterId: p.formerOwner ? (p.keptRequesterId ?? null) : null,
    };
    if (!best || rank(candidate) > rank(best)) best = candidate;
  }
  return best;
}

function rank(a: TicketAccess): number {
  return (a.relation === 'collaborate' ? 2 : 1) + (a.requesterVisible ? 0.5 : 0);
}
