/** Shapes of the FAQ editorial API (/api/v1/faq…), as the editorial page uses them. */
export type FaqStatus = 'draft' | 'in_review' | 'published' | 'archived';
export type FaqFlag = 'stale' | 'taxonomy_changed' | 'expiring_soon';
export type FaqAction = 'submit' | 'reject' | 'publish' | 'archive' | 'unarchive' | 'discard';
export const FAQ_STATUSES: readonly FaqStatus[] = ['draft', 'in_review', 'published', 'archived'];
export const FAQ_FLAGS: readonly FaqFlag[] = ['stale', 'taxonomy_changed', 'expiring_soon'];
export const TRANSLATION_LANGS = ['en', 'de', 'fr', 'sl'] as const;

export interface FaqPermissions {
  edit: boolean;
  publish: boolean;
  translate: boolean;
}

export interface FaqSummary {
  id: string;
  externalId: string | null;
  title: string;
  workingTitle: string;
  lang: string;
  scope: 'network' | 'organisation';
  owner: string;
  organisation: { id: string; name: string } | null;
  ownerUser: { id: string; name: string } | null;
  tema: string | null;
  tipo: string | null;
  status: FaqStatus;
  workflowState: FaqStatus;
  hasRevision: boolean;
  live: boolean;
  version: number;
  publishedVersion: number | null;
  reviewBy: string | null;
  publishAt: string | null;
  expiresAt: string | null;
  updatedAt: string;
  adoptedFrom: { id: string; title: string } | null;
  flags: FaqFlag[];
  permissions: FaqPermissions;
}

export interface FaqContent {
  title: string;
  body: string;
  tema: string | null;
  tipo: string | null;
  enteCompetente: string | null;
  tags: string[];
}

export interface FaqTranslationInfo {
  id: string;
  lang: string;
  title: string;
  status: string;
  workflowState: FaqStatus;
  version: number;
  sourceVersion: number | null;
  outdated: boolean;
  updatedAt: string;
}

export interface EditorialFaq extends FaqSummary, FaqContent {
  /** The stored text, with the {{local_fields}} of network templates (title/body are rendered). */
  source: { title: string; body: string };
  canonicalId: string | null;
  revision: (FaqContent & { status: 'draft' | 'in_review' }) | null;
  reviewNote: string | null;
  publishedAt: string | null;
  createdAt: string;
  localFields: Record<string, string>;
  templateFields: { name: string; default: string | null }[];
  adoptions: { id: string; organisation: { id: string; name: string } }[];
  translations: FaqTranslationInfo[];
  canonical: { id: string; title: string; publishedVersion: number | null } | null;
  sourceVersion: number | null;
  outdated: boolean | null;
}

export interface FaqVersion extends FaqContent {
  version: number;
  status: string;
  changedBy: { id: string; name: string } | null;
  changedAt: string;
  note: string | null;
}

export interface DiffSegment {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface FaqDiff {
  from: number;
  to: number;
  title: DiffSegment[];
  body: DiffSegment[];
  changes: { field: string; from: unknown; to: unknown }[];
}

/** The content editors work on: the working copy when there is one. */
export function workingContent(faq: EditorialFaq): FaqContent {
  return faq.revision ?? { ...faq, title: faq.source.title, body: faq.source.body };
}
