import { type AppError, badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.js';
import type { ChangeProblem } from './taxonomy-changes.js';

/** Thrown when a non-coordinator touches drafts, publication or the decision on proposals. */
export const coordinatorOnly = () => forbidden('Solo il coordinamento di rete può modificare e pubblicare la tassonomia.', 'taxonomy.coordinator_only');
export const draftNotFound = () => notFound('taxonomy.draft_not_found', 'Bozza della tassonomia non trovata.');
/** Thrown when opening a draft while another one is open. */
export const draftAlreadyOpen = (version: string) =>
  conflict('taxonomy.draft_exists', `È già aperta la bozza della versione ${version}: pubblicala o scartala prima di aprirne un'altra.`);
/** Thrown when acting on a draft that was published or discarded. */
export const draftNotOpen = (status: string) => conflict('taxonomy.draft_not_open', `La bozza non è più modificabile (stato: ${status}).`);
/** Thrown when the new version number is not above the current one. */
export const versionNotGreater = (version: string, current: string) =>
  unprocessable('taxonomy.version_not_greater', `La versione ${version} deve essere successiva alla versione corrente ${current} (es. ${current.replace(/\.\d+$/, (m) => `.${Number(m.slice(1)) + 1}`)}).`);
export const versionExists = (version: string) => conflict('taxonomy.version_exists', `La versione ${version} esiste già: scegli un altro numero di versione.`);
/** Thrown when publishing a draft whose base is no longer the current version. */
export const draftStale = (base: string, current: string) =>
  conflict('taxonomy.draft_stale', `La bozza parte dalla versione ${base}, ma la versione corrente è ${current}: scarta la bozza e aprine una nuova.`);
export const noOperations = () => unprocessable('taxonomy.no_operations', 'La bozza non contiene modifiche: applica almeno una modifica prima di pubblicare.');
export const nothingToUndo = () => conflict('taxonomy.nothing_to_undo', 'La bozza non contiene modifiche da annullare.');

/** The problems of a change, as one problem+json: the code of the first problem, every problem in `errors`. */
export function changeRejected(problems: ChangeProblem[], prefix = 'Modifica non valida'): AppError {
  const first = problems[0]!;
  return unprocessable(first.code, `${prefix}: ${problems.map((p) => p.message).join(' ')}`, { errors: problems.map((p) => ({ path: p.path, message: p.message })) });
}

export const proposalNotFound = () => notFound('taxonomy.proposal_not_found', 'Proposta di modifica non trovata.');
export const proposalNotPending = (status: string) =>
  conflict('taxonomy.proposal_not_pending', `La proposta è già stata decisa (stato: ${status}): nessuna modifica effettuata.`);
/** Thrown when approving a proposal while no draft is open. */
export const noOpenDraft = () =>
  conflict('taxonomy.no_open_draft', 'Nessuna bozza aperta: apri la bozza della prossima versione prima di approvare la proposta.');
/** Thrown when proposing for an organisation where the caller is neither org admin nor supervisor. */
export const proposalForbidden = () =>
  forbidden("Possono proporre modifiche solo l'amministratore o un responsabile dell'ente indicato.", 'taxonomy.proposal_forbidden');

export const localNodeNotFound = () => notFound('taxonomy.local_node_not_found', 'Nodo locale non trovato.');
/** Thrown when managing local nodes of an organisation the caller does not administer. */
export const localNodeForbidden = () =>
  forbidden("Solo l'amministratore dell'ente può gestire i suoi nodi locali.", 'taxonomy.local_forbidden');
/** Thrown when a local node would hang under something that is not an active network node. */
export const localParentInvalid = (code: string, version: string) =>
  unprocessable('taxonomy.local_parent_invalid', `I nodi locali si aggiungono solo sotto un nodo di rete attivo: «${code}» non esiste o è deprecato nella versione ${version}.`);
export const localCodeTaken = (code: string) =>
  conflict('taxonomy.duplicate_code', `Il codice «${code}» esiste già: scegli un altro codice locale.`);
export const versionNotFound = (version: string) => notFound('taxonomy.version_not_found', `La versione ${version} della tassonomia non esiste.`);
export const codeNotFound = (facet: string, code: string, version: string) =>
  notFound('taxonomy.unknown_code', `Il codice «${code}» non esiste nella faccetta «${facet}» della versione ${version}.`);
/** Thrown by the final in-transaction check of a publication; the whole publication is rolled back. */
export const publicationInconsistent = (facet: string, from: string, to: string, version: string) =>
  unprocessable(
    'taxonomy.crosswalk_target_missing',
    `Pubblicazione annullata, nulla è stato modificato: la corrispondenza di «${from}» (${facet}) punta a «${to}», che non esiste nella versione ${version}. Correggi la corrispondenza e riprova.`,
  );
/** Thrown when asking to translate a code towards an older version (the crosswalk only goes forward). */
export const translateBackwards = (from: string, to: string) =>
  badRequest('taxonomy.translate_backwards', `Le corrispondenze vanno dalle versioni precedenti alle successive: «toVersion» (${to}) deve essere uguale o successiva a «fromVersion» (${from}).`);
