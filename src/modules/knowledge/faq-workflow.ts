/**
 * The FAQ editorial workflow as a pure state machine, and the editorial flags.
 *
 *   draft ──submit──▶ in_review ──publish──▶ published ──archive──▶ archived
 *     ▲                  │ reject                                     │ unarchive
 *     └──────────────────┘◀───────────────────────────────────────────┘ (back to draft)
 *
 * A published FAQ is never taken offline by an edit: the edit goes into a working copy (its own
 * draft/in_review state) and the published text stays live until the working copy is published
 * (which replaces the live text) or discarded. Draft, in-review and published FAQs can be archived;
 * archiving drops a pending working copy (its text stays in the version history).
 */
import { localIsoDate, ROME } from '../../platform/time-zone.js';

export const WORKFLOW_ACTIONS = ['submit', 'reject', 'publish', 'archive', 'unarchive', 'discard'] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];
export type ArticleStatus = 'draft' | 'in_review' | 'published' | 'archived';
export type RevisionStatus = 'draft' | 'in_review';

export interface WorkflowState {
  status: ArticleStatus;
  /** State of the working copy of a published FAQ; null when there is none. */
  revisionStatus: RevisionStatus | null;
}

export interface TransitionResult extends WorkflowState {
  /** Publishing a working copy: its content replaces the live content. */
  applyRevision: boolean;
  /** The working copy is dropped (discard, archive). */
  dropRevision: boolean;
}

/** The state the editors work on: the working copy's when there is one, else the article's. */
export function editorialState(s: WorkflowState): ArticleStatus {
  return s.status === 'published' && s.revisionStatus !== null ? s.revisionStatus : s.status;
}

/** The next state, or null when the action is not allowed in this state. */
export function transition(s: WorkflowState, action: WorkflowAction): TransitionResult | null {
  const keep = { applyRevision: false, dropRevision: false };
  const rev = s.status === 'published' ? s.revisionStatus : null;
  switch (action) {
    case 'submit':
      if (rev === 'draft') return { status: 'published', revisionStatus: 'in_review', ...keep };
      if (rev === null && s.status === 'draft') return { status: 'in_review', revisionStatus: null, ...keep };
      return null;
    case 'reject':
      if (rev === 'in_review') return { status: 'published', revisionStatus: 'draft', ...keep };
      if (rev === null && s.status === 'in_review') return { status: 'draft', revisionStatus: null, ...keep };
      return null;
    case 'publish':
      if (rev === 'in_review') return { status: 'published', revisionStatus: null, applyRevision: true, dropRevision: false };
      if (rev === null && s.status === 'in_review') return { status: 'published', revisionStatus: null, ...keep };
      return null;
    case 'archive':
      if (s.status === 'archived') return null;
      return { status: 'archived', revisionStatus: null, applyRevision: false, dropRevision: rev !== null };
    case 'unarchive':
      return s.status === 'archived' ? { status: 'draft', revisionStatus: null, ...keep } : null;
    case 'discard':
      return rev !== null ? { status: 'published', revisionStatus: null, applyRevision: false, dropRevision: true } : null;
  }
}

/**
 * Where a content edit goes: into the working copy of a published FAQ (the live text stays), or
 * into the article itself (a draft, or an FAQ in review, which goes back to draft). Archived FAQs
 * are not edited: unarchive first. Null when editing is not allowed.
 */
export function editTarget(s: WorkflowState): { target: 'revision' | 'article'; next: WorkflowState } | null {
  if (s.status === 'archived') return null;
  if (s.status === 'published') return { target: 'revision', next: { status: 'published', revisionStatus: 'draft' } };
  return { target: 'article', next: { status: 'draft', revisionStatus: null } };
}

export const FAQ_FLAGS = ['stale', 'taxonomy_changed', 'expiring_soon'] as const;
export type FaqFlag = (typeof FAQ_FLAGS)[number];

/** FAQs expiring within this many days are flagged. */
export const EXPIRING_SOON_DAYS = 14;

export interface FlagInput {
  status: ArticleStatus;
  reviewBy: string | null;
  tema: string | null;
  tipo: string | null;
  expiresAt: Date | null;
}

export interface FlagContext {
  now: Date;
  /** Is the code an active (present, not deprecated) code of the facet in the current taxonomy? */
  isActiveCode(facet: 'tema' | 'tipo', code: string): boolean;
}

/** The calendar day of an instant in Italy (review-by dates are Italian calendar days). */
export function italianDay(at: Date): string {
  return localIsoDate(at, ROME);
}

/** The flags of an FAQ: review-by passed, topic no longer in the taxonomy, expiring soon. Archived FAQs have none. */
export function flagsOf(f: FlagInput, ctx: FlagContext): FaqFlag[] {
  if (f.status === 'archived') return [];
  const flags: FaqFlag[] = [];
  if (f.reviewBy !== null && f.reviewBy < italianDay(ctx.now)) flags.push('stale');
  if ((f.tema !== null && !ctx.isActiveCode('tema', f.tema)) || (f.tipo !== null && !ctx.isActiveCode('tipo', f.tipo))) flags.push('taxonomy_changed');
  if (f.expiresAt !== null && f.expiresAt.getTime() > ctx.now.getTime() && f.expiresAt.getTime() - ctx.now.getTime() <= EXPIRING_SOON_DAYS * 86_400_000) {
    flags.push('expiring_soon');
  }
  return flags;
}

/**
 * What identifies one occurrence of a flag, so that its owner is notified once: a new review-by
 * date, a new expiry or another taxonomy change is a new occurrence.
 */
export function flagOccurrence(flag: FaqFlag, f: FlagInput, taxonomyVersion: string): string {
  switch (flag) {
    case 'stale':
      return `review_by:${f.reviewBy}`;
    case 'expiring_soon':
      return `expires_at:${f.expiresAt?.toISOString()}`;
    case 'taxonomy_changed':
      return `taxonomy:${taxonomyVersion}:${f.tema ?? ''}|${f.tipo ?? ''}`;
  }
}

/** Is the FAQ visible to search at this instant (published, scheduled time reached, not expired)? */
export function isLive(f: { status: string; publishAt: Date | null; expiresAt: Date | null }, now: Date): boolean {
  return f.status === 'published' && (f.publishAt === null || f.publishAt <= now) && (f.expiresAt === null || f.expiresAt > now);
}
