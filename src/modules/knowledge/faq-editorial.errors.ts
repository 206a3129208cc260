import { defineErrors } from '../../platform/errors.js';
import type { Language } from '../../platform/messages.js';
import type { WorkflowAction } from './faq-workflow.js';

/* Errors of the FAQ editorial workflow, adoptions and translations. Codes are part of the API contract. */

const STATE_LABEL: Record<Language, Record<string, string>> = {
  it: { draft: 'bozza', in_review: 'in revisione', published: 'pubblicata', archived: 'archiviata' },
  en: { draft: 'draft', in_review: 'under review', published: 'published', archived: 'archived' },
};
const ACTION_HINT: Record<Language, Record<WorkflowAction, string>> = {
  it: {
    submit: 'si invia in revisione solo una bozza',
    reject: 'si respinge solo una FAQ (o una modifica) in revisione',
    publish: 'si pubblica solo una FAQ (o una modifica) in revisione: inviala prima in revisione',
    archive: 'la FAQ è già archiviata',
    unarchive: 'si ripristina solo una FAQ archiviata',
    discard: 'non c’è una modifica in corso da scartare',
  },
  en: {
    submit: 'only a draft can be submitted for review',
    reject: 'only an FAQ (or a change) under review can be rejected',
    publish: 'only an FAQ (or a change) under review can be published: submit it for review first',
    archive: 'the FAQ is already archived',
    unarchive: 'only an archived FAQ can be restored',
    discard: 'there is no change in progress to discard',
  },
};

/** What the caller tried to do, for the refusal's message. */
export type EditorialAction = WorkflowAction | 'edit' | 'adopt' | 'adopt_here' | 'revoke_adoption' | 'translate';
const ACTION_VERB: Record<Language, Record<EditorialAction, string>> = {
  it: {
    submit: 'inviare in revisione questa FAQ',
    reject: 'respingere questa FAQ',
    publish: 'pubblicare questa FAQ',
    archive: 'archiviare questa FAQ',
    unarchive: 'ripristinare questa FAQ',
    discard: 'scartare la modifica di questa FAQ',
    edit: 'modificare questa FAQ',
    adopt: 'adottare FAQ di rete',
    adopt_here: 'adottare FAQ per questo ente',
    revoke_adoption: 'revocare l’adozione',
    translate: 'tradurre questa FAQ',
  },
  en: {
    submit: 'submit this FAQ for review',
    reject: 'reject this FAQ',
    publish: 'publish this FAQ',
    archive: 'archive this FAQ',
    unarchive: 'restore this FAQ',
    discard: 'discard the change to this FAQ',
    edit: 'edit this FAQ',
    adopt: 'adopt network FAQs',
    adopt_here: 'adopt FAQs for this organisation',
    revoke_adoption: 'revoke the adoption',
    translate: 'translate this FAQ',
  },
};

type Transition = { from: string; action: WorkflowAction };
type MaybeId = { id: string | null };
type Facet = { facet: string; code: string };

export const faqEditorialErrors = defineErrors('faq', {
  /** Thrown when a workflow action is not allowed in the FAQ's current state (members: from, action). */
  invalidTransition: {
    code: 'faq.invalid_transition',
    status: 409,
    example: { from: 'draft', action: 'publish' },
    it: (p: Transition) => `Azione «${p.action}» non consentita su una FAQ ${STATE_LABEL.it[p.from] ?? p.from}: ${ACTION_HINT.it[p.action]}.`,
    en: (p: Transition) => `Action “${p.action}” is not allowed on a ${STATE_LABEL.en[p.from] ?? p.from} FAQ: ${ACTION_HINT.en[p.action]}.`,
    members: (p: Transition) => ({ from: p.from, action: p.action }),
  },
  /** Thrown when the caller may read the FAQ but not do this to it. */
  editorialForbidden: {
    code: 'faq.forbidden',
    status: 403,
    example: { action: 'publish' },
    it: (p: { action: EditorialAction }) =>
      `Non puoi ${ACTION_VERB.it[p.action]}: serve il ruolo di responsabile o amministratore dell’ente titolare (o della redazione di rete per le FAQ di rete).`,
    en: (p: { action: EditorialAction }) =>
      `You cannot ${ACTION_VERB.en[p.action]}: it takes a supervisor or administrator of the owning organisation (or the network editorial board for network FAQs).`,
  },
  /** Thrown when creating an FAQ for an organisation (or the network) the caller does not author for. */
  createForbidden: {
    code: 'faq.forbidden',
    status: 403,
    it: () => 'Non puoi creare FAQ per questo ente: crea FAQ per il tuo ente (le FAQ di rete sono della redazione di rete).',
    en: () => 'You cannot create FAQs for this organisation: create them for your own (network FAQs belong to the network editorial board).',
  },
  /** Thrown when editing content of an archived FAQ. */
  archivedReadOnly: {
    code: 'faq.archived',
    status: 409,
    it: () => 'La FAQ è archiviata: ripristinala (unarchive) prima di modificarla.',
    en: () => 'The FAQ is archived: restore it (unarchive) before editing it.',
  },
  /** Thrown when the organisation of a new organisation FAQ is missing or ambiguous. */
  organisationRequired: {
    code: 'faq.organisation_required',
    status: 400,
    it: () => 'Indica organisationId: l’ente titolare della FAQ (sei membro di più enti, o di nessuno).',
    en: () => 'Give organisationId: the organisation that owns the FAQ (you belong to several organisations, or to none).',
  },
  /** Thrown when the scheduled publication is set on an FAQ that is already live. */
  publishAtOnLive: {
    code: 'faq.already_live',
    status: 409,
    it: () => 'La FAQ è già pubblicata e visibile: la data di pubblicazione programmata si imposta solo prima della pubblicazione.',
    en: () => 'The FAQ is already published and visible: a scheduled publication date can be set only before publication.',
  },
  /** Thrown when expiresAt is not after publishAt. */
  scheduleInvalid: {
    code: 'faq.schedule_invalid',
    status: 422,
    it: () => 'La data di scadenza (expiresAt) deve essere successiva alla data di pubblicazione (publishAt).',
    en: () => 'The expiry date (expiresAt) must come after the publication date (publishAt).',
  },
  /** Thrown when publishing an FAQ whose expiry has already passed. */
  alreadyExpired: {
    code: 'faq.expired',
    status: 409,
    it: () => 'La data di scadenza (expiresAt) è già passata: spostala in avanti o toglila prima di pubblicare.',
    en: () => 'The expiry date (expiresAt) has already passed: move it forward or remove it before publishing.',
  },
  versionNotFound: {
    code: 'faq.version_not_found',
    status: 422,
    example: { version: 7 },
    it: (p: { version: number }) => `La FAQ non ha una versione ${p.version}: scegline una dall’elenco delle versioni.`,
    en: (p: { version: number }) => `The FAQ has no version ${p.version}: choose one from the list of versions.`,
  },
  /** Thrown when adopting something that is not a network FAQ in Italian (a local FAQ, a translation, an adoption). */
  notAdoptable: {
    code: 'faq.not_adoptable',
    status: 422,
    it: () => 'Si adottano solo FAQ di rete canoniche (non traduzioni né FAQ di un ente).',
    en: () => 'Only canonical network FAQs can be adopted (not translations or FAQs of an organisation).',
  },
  alreadyAdopted: {
    code: 'faq.already_adopted',
    status: 409,
    example: { id: '0199a1b2-0000-7000-8000-000000000001' },
    it: (p: MaybeId) => `L’ente ha già adottato questa FAQ${p.id ? ` (id ${p.id})` : ''}: modifica i suoi campi locali.`,
    en: (p: MaybeId) => `The organisation has already adopted this FAQ${p.id ? ` (id ${p.id})` : ''}: edit its local fields.`,
    members: (p: MaybeId) => (p.id ? { id: p.id } : {}),
  },
  notAnAdoption: {
    code: 'faq.not_adoption',
    status: 409,
    it: () => 'Questa FAQ non è un’adozione di una FAQ di rete.',
    en: () => 'This FAQ is not an adoption of a network FAQ.',
  },
  /** Thrown when editing the shared text through an organisation's adoption. */
  adoptionReadOnly: {
    code: 'faq.adoption_readonly',
    status: 409,
    it: () => 'Il testo di una FAQ adottata segue la FAQ di rete: modifica solo i campi locali (localFields).',
    en: () => 'The text of an adopted FAQ follows the network FAQ: edit only the local fields (localFields).',
  },
  unknownLocalFields: {
    code: 'faq.unknown_local_field',
    status: 422,
    example: { names: ['orario_sportello'] },
    it: (p: { names: string[] }) => `Campi locali sconosciuti: ${p.names.join(', ')}. Usa i campi indicati nel testo della FAQ di rete tra doppie graffe.`,
    en: (p: { names: string[] }) => `Unknown local fields: ${p.names.join(', ')}. Use the fields named in the network FAQ’s text between double braces.`,
  },
  localFieldsOnlyOnAdoption: {
    code: 'faq.local_fields_not_allowed',
    status: 422,
    it: () => 'I campi locali (localFields) si compilano solo su una FAQ adottata.',
    en: () => 'Local fields (localFields) are filled in only on an adopted FAQ.',
  },
  /** Thrown when listing the translations of a translation. */
  translationsOfTranslation: {
    code: 'faq.translation_invalid',
    status: 422,
    it: () => 'Questa FAQ è una traduzione: le traduzioni si elencano sulla FAQ canonica (italiana).',
    en: () => 'This FAQ is a translation: translations are listed on the canonical (Italian) FAQ.',
  },
  /** Thrown when translating a translation, an adoption or a FAQ not in Italian. */
  translationSourceInvalid: {
    code: 'faq.translation_invalid',
    status: 422,
    it: () => 'Si traduce solo la FAQ canonica in italiano (non una traduzione né un’adozione).',
    en: () => 'Only the canonical Italian FAQ can be translated (not a translation or an adoption).',
  },
  /** Thrown when translating into Italian. */
  translationIntoItalian: {
    code: 'faq.translation_invalid',
    status: 422,
    it: () => 'La FAQ canonica è già in italiano: scegli en, de, fr o sl.',
    en: () => 'The canonical FAQ is already in Italian: choose en, de, fr or sl.',
  },
  translationExists: {
    code: 'faq.translation_exists',
    status: 409,
    example: { lang: 'en', id: '0199a1b2-0000-7000-8000-000000000001' },
    it: (p: { lang: string } & MaybeId) => `Esiste già la traduzione «${p.lang}» di questa FAQ${p.id ? ` (id ${p.id})` : ''}: modificala.`,
    en: (p: { lang: string } & MaybeId) => `The “${p.lang}” translation of this FAQ already exists${p.id ? ` (id ${p.id})` : ''}: edit it.`,
    members: (p: { lang: string } & MaybeId) => (p.id ? { id: p.id } : {}),
  },
  taxonomyCodeInvalid: {
    code: 'faq.taxonomy_invalid',
    status: 422,
    example: { facet: 'tema', code: 'tributi.xyz' },
    it: (p: Facet) => `Il codice «${p.code}» non è un codice attivo della faccetta «${p.facet}» della tassonomia corrente.`,
    en: (p: Facet) => `“${p.code}” is not an active code of the facet “${p.facet}” in the current taxonomy.`,
  },
  ownerInvalid: {
    code: 'faq.owner_invalid',
    status: 422,
    it: () => 'Il referente (ownerId) deve essere un utente attivo dell’ente titolare (o un coordinatore di rete per le FAQ di rete).',
    en: () => 'The owner (ownerId) must be an active user of the owning organisation (or a network coordinator for network FAQs).',
  },
  /** Thrown when the title is shorter than 3 characters once surrounding spaces are removed. */
  titleTooShort: {
    code: 'faq.title_invalid',
    status: 400,
    example: { minLength: 3 },
    it: (p: { minLength: number }) => `Il titolo deve avere almeno ${p.minLength} caratteri (spazi esclusi): scrivi la domanda per intero.`,
    en: (p: { minLength: number }) => `The title must be at least ${p.minLength} characters long (not counting spaces): write the whole question.`,
  },
});
