import { AppError, badRequest, conflict, unprocessable } from '../../platform/errors.js';
import type { WorkflowAction } from './faq-workflow.js';

const STATE_LABEL: Record<string, string> = { draft: 'bozza', in_review: 'in revisione', published: 'pubblicata', archived: 'archiviata' };
const ACTION_HINT: Record<WorkflowAction, string> = {
  submit: 'si invia in revisione solo una bozza',
  reject: 'si respinge solo una FAQ (o una modifica) in revisione',
  publish: 'si pubblica solo una FAQ (o una modifica) in revisione: inviala prima in revisione',
  archive: 'la FAQ è già archiviata',
  unarchive: 'si ripristina solo una FAQ archiviata',
  discard: 'non c’è una modifica in corso da scartare',
};

/** Thrown when a workflow action is not allowed in the FAQ's current state (details: from, action). */
export const invalidTransition = (from: string, action: WorkflowAction) =>
  conflict('faq.invalid_transition', `Azione «${action}» non consentita su una FAQ ${STATE_LABEL[from] ?? from}: ${ACTION_HINT[action]}.`, { from, action });
/** Thrown when the caller may read the FAQ but not do this to it (details: action). */
export const editorialForbidden = (what: string) => new AppError(403, 'faq.forbidden', `Non puoi ${what}: serve il ruolo di responsabile o amministratore dell’ente titolare (o della redazione di rete per le FAQ di rete).`);
/** Thrown when creating an FAQ for an organisation (or the network) the caller does not author for. */
export const createForbidden = () => new AppError(403, 'faq.forbidden', 'Non puoi creare FAQ per questo ente: crea FAQ per il tuo ente (le FAQ di rete sono della redazione di rete).');
/** Thrown when editing content of an archived FAQ. */
export const archivedReadOnly = () => conflict('faq.archived', 'La FAQ è archiviata: ripristinala (unarchive) prima di modificarla.');
/** Thrown when the organisation of a new organisation FAQ is missing or ambiguous. */
export const organisationRequired = () => badRequest('faq.organisation_required', 'Indica organisationId: l’ente titolare della FAQ (sei membro di più enti, o di nessuno).');
/** Thrown when the scheduled publication is set on an FAQ that is already live. */
export const publishAtOnLive = () =>
  conflict('faq.already_live', 'La FAQ è già pubblicata e visibile: la data di pubblicazione programmata si imposta solo prima della pubblicazione.');
/** Thrown when expiresAt is not after publishAt. */
export const scheduleInvalid = () => unprocessable('faq.schedule_invalid', 'La data di scadenza (expiresAt) deve essere successiva alla data di pubblicazione (publishAt).');
/** Thrown when publishing an FAQ whose expiry has already passed. */
export const alreadyExpired = () => conflict('faq.expired', 'La data di scadenza (expiresAt) è già passata: spostala in avanti o toglila prima di pubblicare.');
export const versionNotFound = (version: number) => unprocessable('faq.version_not_found', `La FAQ non ha una versione ${version}: scegline una dall’elenco delle versioni.`);
/** Thrown when adopting something that is not a network FAQ in Italian (a local FAQ, a translation, an adoption). */
export const notAdoptable = () => unprocessable('faq.not_adoptable', 'Si adottano solo FAQ di rete canoniche (non traduzioni né FAQ di un ente).');
export const alreadyAdopted = (id: string | null) =>
  conflict('faq.already_adopted', `L’ente ha già adottato questa FAQ${id ? ` (id ${id})` : ''}: modifica i suoi campi locali.`, id ? { id } : {});
export const notAnAdoption = () => conflict('faq.not_adoption', 'Questa FAQ non è un’adozione di una FAQ di rete.');
/** Thrown when editing the shared text through an organisation's adoption. */
export const adoptionReadOnly = () =>
  conflict('faq.adoption_readonly', 'Il testo di una FAQ adottata segue la FAQ di rete: modifica solo i campi locali (localFields).');
export const unknownLocalFields = (names: string[]) =>
  unprocessable('faq.unknown_local_field', `Campi locali sconosciuti: ${names.join(', ')}. Usa i campi indicati nel testo della FAQ di rete tra doppie graffe.`);
export const localFieldsOnlyOnAdoption = () => unprocessable('faq.local_fields_not_allowed', 'I campi locali (localFields) si compilano solo su una FAQ adottata.');
/** Thrown when translating a translation or into Italian. */
export const translationInvalid = (message: string) => unprocessable('faq.translation_invalid', message);
export const translationExists = (lang: string, id: string | null) =>
  conflict('faq.translation_exists', `Esiste già la traduzione «${lang}» di questa FAQ${id ? ` (id ${id})` : ''}: modificala.`, id ? { id } : {});
export const taxonomyCodeInvalid = (facet: string, code: string) =>
  unprocessable('faq.taxonomy_invalid', `Il codice «${code}» non è un codice attivo della faccetta «${facet}» della tassonomia corrente.`);
export const ownerInvalid = () => unprocessable('faq.owner_invalid', 'Il referente (ownerId) deve essere un utente attivo dell’ente titolare (o un coordinatore di rete per le FAQ di rete).');
/** Thrown when the title is shorter than 3 characters once surrounding spaces are removed. */
export const titleTooShort = () => badRequest('faq.title_invalid', 'Il titolo deve avere almeno 3 caratteri (spazi esclusi): scrivi la domanda per intero.');
