import type { FaqFlag, WorkflowAction } from './faq-workflow.js';

/** Payload of the editorial workflow events (`faq.submitted`, `faq.published`…). */
export interface FaqWorkflowEvent {
  id: string;
  action: WorkflowAction;
  by: string;
}

/** The event topic of each workflow action, in the past tense like every other event. */
export const FAQ_ACTION_TOPIC = {
  submit: 'faq.submitted',
  reject: 'faq.rejected',
  publish: 'faq.published',
  archive: 'faq.archived',
  unarchive: 'faq.unarchived',
  discard: 'faq.discarded',
} as const satisfies Record<WorkflowAction, string>;

declare module '../../platform/event-catalogue.js' {
  interface EventCatalogue {
    'faq.created': { id: string; scope: string; organisationId: string | null };
    'faq.updated': { id: string; version: number };
    'faq.submitted': FaqWorkflowEvent;
    'faq.rejected': FaqWorkflowEvent;
    /** A FAQ (or its revision) was published: the answer every office and the portal show changed. */
    'faq.published': FaqWorkflowEvent;
    'faq.archived': FaqWorkflowEvent;
    'faq.unarchived': FaqWorkflowEvent;
    'faq.discarded': FaqWorkflowEvent;
    'faq.adopted': { id: string; sourceId: string; organisationId: string };
    'faq.unadopted': { id: string; sourceId: string | null; organisationId: string | null };
    'faq.translation_created': { id: string; canonicalId: string; lang: string };
    /** The editorial clock archived a FAQ whose expiry passed. */
    'faq.expired': { id: string };
    'faq.gap_decided': { id: string; status: string; faqId: string | null };
    'faq.thesaurus_changed': { id: string; deleted?: boolean };
    'faq.drafted_from_ticket': { faqId: string; ticketId: string };
    'faq.imported': { inserted: number; updated: number };
    /** The editorial clock found a new occurrence of a flag on a FAQ (stale, taxonomy changed, expiring soon). */
    'faq.flagged': { id: string; flag: FaqFlag; ownerId: string; title: string };
  }
}
