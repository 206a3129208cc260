/** Names for the FAQ editorial API's shapes (/api/v1/faq…), all taken from the generated schema. */
import type { ApiRequestBody, ApiResponseBody } from '../api/client.js';

export type FaqSummary = ApiResponseBody<'/faq'>['items'][number];
export type FaqStatus = FaqSummary['status'];
export type FaqFlag = FaqSummary['flags'][number];
export type FaqPermissions = FaqSummary['permissions'];
export type FaqAction = ApiRequestBody<'/faq/{id}/transitions', 'post'>['action'];
export const FAQ_STATUSES = ['draft', 'in_review', 'published', 'archived'] as const satisfies readonly FaqStatus[];
export const FAQ_FLAGS = ['stale', 'taxonomy_changed', 'expiring_soon'] as const satisfies readonly FaqFlag[];
export const TRANSLATION_LANGS = ['en', 'de', 'fr', 'sl'] as const satisfies readonly ApiRequestBody<'/faq/{id}/translations', 'post'>['lang'][];

export type EditorialFaq = ApiResponseBody<'/faq/{id}'>;
/** The editable content of a FAQ (of its working copy when it has one). */
export type FaqContent = Pick<EditorialFaq, 'title' | 'body' | 'tema' | 'tipo' | 'enteCompetente' | 'tags'>;
export type FaqTranslationInfo = EditorialFaq['translations'][number];
export type FaqVersion = ApiResponseBody<'/faq/{id}/versions'>['items'][number];
export type FaqDiff = ApiResponseBody<'/faq/{id}/diff'>;
export type DiffSegment = FaqDiff['title'][number];

/** The content editors work on: the working copy when there is one. */
export function workingContent(faq: EditorialFaq): FaqContent {
  return faq.revision ?? { ...faq, title: faq.source.title, body: faq.source.body };
}
