import { type AppError, defineErrors, type ErrorSpec } from '../../platform/errors.js';
import { inLanguage } from '../../platform/messages.js';
import { CHANGE_PROBLEM_CODES, type ChangeProblem, type ChangeProblemCode, type OperationProblem } from './taxonomy-changes.js';

/* Errors of the taxonomy: versions, drafts, publication, proposals, local nodes, crosswalk. Codes are part of the API contract. */

/** The next patch version after `current` (for the hint of a version that is not greater). */
const nextPatch = (current: string) => current.replace(/\.\d+$/, (m) => `.${Number(m.slice(1)) + 1}`);
/** A problem of a change or of an operation, in `lang`. */

/** What was refused because of change problems: a draft change, a publication or a proposal. */
export type RejectedChange = 'change' | 'publication' | 'proposal';
const REJECTED_PREFIX: Record<RejectedChange, { it: string; en: string }> = {
  change: { it: 'Modifica non valida', en: 'Invalid change' },
  publication: { it: 'Pubblicazione annullata, correggi la bozza', en: 'Publication cancelled, correct the draft' },
  proposal: { it: 'Proposta non valida', en: 'Invalid proposal' },
};

type Version = { version: string };
type Status = { status: string };
type Rejected = { problems: ChangeProblem[]; what: RejectedChange };

export const taxonomyErrors = defineErrors('taxonomy', {
  /** Thrown when a non-coordinator touches drafts, publication or the decision on proposals. */
  coordinatorOnly: {
    code: 'taxonomy.coordinator_only',
    status: 403,
    it: () => 'Solo il coordinamento di rete può modificare e pubblicare la tassonomia.',
    en: () => 'Only the network coordination can change and publish the taxonomy.',
  },
  draftNotFound: { code: 'taxonomy.draft_not_found', status: 404, it: () => 'Bozza della tassonomia non trovata.', en: () => 'Taxonomy draft not found.' },
  /** Thrown when opening a draft while another one is open. */
  draftAlreadyOpen: {
    code: 'taxonomy.draft_exists',
    status: 409,
    example: { version: '1.2.0' },
    it: (p: Version) => `È già aperta la bozza della versione ${p.version}: pubblicala o scartala prima di aprirne un'altra.`,
    en: (p: Version) => `The draft of version ${p.version} is already open: publish or discard it before opening another one.`,
  },
  /** Thrown when acting on a draft that was published or discarded. */
  draftNotOpen: {
    code: 'taxonomy.draft_not_open',
    status: 409,
    example: { status: 'published' },
    it: (p: Status) => `La bozza non è più modificabile (stato: ${p.status}).`,
    en: (p: Status) => `The draft can no longer be changed (status: ${p.status}).`,
  },
  /** Thrown when the new version number is not above the current one. */
  versionNotGreater: {
    code: 'taxonomy.version_not_greater',
    status: 422,
    example: { version: '1.0.0', current: '1.1.0' },
    it: (p: Version & { current: string }) =>
      `La versione ${p.version} deve essere successiva alla versione corrente ${p.current} (es. ${nextPatch(p.current)}).`,
    en: (p: Version & { current: string }) => `Version ${p.version} must come after the current version ${p.current} (e.g. ${nextPatch(p.current)}).`,
  },
  versionExists: {
    code: 'taxonomy.version_exists',
    status: 409,
    example: { version: '1.1.0' },
    it: (p: Version) => `La versione ${p.version} esiste già: scegli un altro numero di versione.`,
    en: (p: Version) => `Version ${p.version} already exists: choose another version number.`,
  },
  /** Thrown when publishing a draft whose base is no longer the current version. */
  draftStale: {
    code: 'taxonomy.draft_stale',
    status: 409,
    example: { base: '1.0.0', current: '1.1.0' },
    it: (p: { base: string; current: string }) =>
      `La bozza parte dalla versione ${p.base}, ma la versione corrente è ${p.current}: scarta la bozza e aprine una nuova.`,
    en: (p: { base: string; current: string }) => `The draft starts from version ${p.base}, but the current version is ${p.current}: discard the draft and open a new one.`,
  },
  noOperations: {
    code: 'taxonomy.no_operations',
    status: 422,
    it: () => 'La bozza non contiene modifiche: applica almeno una modifica prima di pubblicare.',
    en: () => 'The draft contains no change: apply at least one change before publishing.',
  },
  nothingToUndo: {
    code: 'taxonomy.nothing_to_undo',
    status: 409,
    it: () => 'La bozza non contiene modifiche da annullare.',
    en: () => 'The draft contains no change to undo.',
  },
  /** Thrown when operations sent to a draft or a proposal are malformed (each mistake in `errors`, in Italian). */
  invalidOperations: {
    code: 'taxonomy.invalid_operation',
    status: 400,
    example: { issues: [{ path: 'operations[0].parent', message: 'operations[0].parent: indica il nuovo nodo padre', en: 'operations[0].parent: give the new parent node' }] },
    it: (p: { issues: OperationProblem[] }) => `Operazioni non valide: ${p.issues.map((i) => i.message).join('; ')}.`,
    en: (p: { issues: OperationProblem[] }) => `Invalid operations: ${p.issues.map((i) => i.en).join('; ')}.`,
    members: (p: { issues: OperationProblem[] }, lang) => ({ errors: p.issues.map((i) => ({ path: i.path, message: inLanguage(i, lang) })) }),
  },
  proposalNotFound: {
    code: 'taxonomy.proposal_not_found',
    status: 404,
    it: () => 'Proposta di modifica non trovata.',
    en: () => 'Change proposal not found.',
  },
  proposalNotPending: {
    code: 'taxonomy.proposal_not_pending',
    status: 409,
    example: { status: 'approved' },
    it: (p: Status) => `La proposta è già stata decisa (stato: ${p.status}): nessuna modifica effettuata.`,
    en: (p: Status) => `The proposal was already decided (status: ${p.status}): nothing was changed.`,
  },
  /** Thrown when approving a proposal while no draft is open. */
  noOpenDraft: {
    code: 'taxonomy.no_open_draft',
    status: 409,
    it: () => 'Nessuna bozza aperta: apri la bozza della prossima versione prima di approvare la proposta.',
    en: () => 'No open draft: open the draft of the next version before approving the proposal.',
  },
  /** Thrown when proposing for an organisation where the caller is neither org admin nor supervisor. */
  proposalForbidden: {
    code: 'taxonomy.proposal_forbidden',
    status: 403,
    it: () => "Possono proporre modifiche solo l'amministratore o un responsabile dell'ente indicato.",
    en: () => 'Only the administrator or a supervisor of the given organisation can propose changes.',
  },
  localNodeNotFound: { code: 'taxonomy.local_node_not_found', status: 404, it: () => 'Nodo locale non trovato.', en: () => 'Local node not found.' },
  /** Thrown when managing local nodes of an organisation the caller does not administer. */
  localNodeForbidden: {
    code: 'taxonomy.local_forbidden',
    status: 403,
    it: () => "Solo l'amministratore dell'ente può gestire i suoi nodi locali.",
    en: () => 'Only the organisation’s administrator can manage its local nodes.',
  },
  /** Thrown when a local node would hang under something that is not an active network node. */
  localParentInvalid: {
    code: 'taxonomy.local_parent_invalid',
    status: 422,
    example: { parentCode: 'tributi.xyz', version: '1.1.0' },
    it: (p: { parentCode: string } & Version) =>
      `I nodi locali si aggiungono solo sotto un nodo di rete attivo: «${p.parentCode}» non esiste o è deprecato nella versione ${p.version}.`,
    en: (p: { parentCode: string } & Version) =>
      `Local nodes go only under an active network node: “${p.parentCode}” does not exist or is deprecated in version ${p.version}.`,
  },
  localCodeTaken: {
    code: 'taxonomy.duplicate_code',
    status: 409,
    example: { code: 'tributi.tari.celano' },
    it: (p: { code: string }) => `Il codice «${p.code}» esiste già: scegli un altro codice locale.`,
    en: (p: { code: string }) => `The code “${p.code}” already exists: choose another local code.`,
  },
  versionNotFound: {
    code: 'taxonomy.version_not_found',
    status: 404,
    example: { version: '9.0.0' },
    it: (p: Version) => `La versione ${p.version} della tassonomia non esiste.`,
    en: (p: Version) => `Version ${p.version} of the taxonomy does not exist.`,
  },
  codeNotFound: {
    code: 'taxonomy.unknown_code',
    status: 404,
    example: { facet: 'tema', code: 'tributi.xyz', version: '1.0.0' },
    it: (p: { facet: string; code: string } & Version) => `Il codice «${p.code}» non esiste nella faccetta «${p.facet}» della versione ${p.version}.`,
    en: (p: { facet: string; code: string } & Version) => `The code “${p.code}” does not exist in the facet “${p.facet}” of version ${p.version}.`,
  },
  /** Thrown by the final in-transaction check of a publication; the whole publication is rolled back. */
  publicationInconsistent: {
    code: 'taxonomy.crosswalk_target_missing',
    status: 422,
    example: { facet: 'tema', from: 'tributi.ici', to: 'tributi.imu', version: '1.1.0' },
    it: (p: { facet: string; from: string; to: string } & Version) =>
      `Pubblicazione annullata, nulla è stato modificato: la corrispondenza di «${p.from}» (${p.facet}) punta a «${p.to}», che non esiste nella versione ${p.version}. Correggi la corrispondenza e riprova.`,
    en: (p: { facet: string; from: string; to: string } & Version) =>
      `Publication cancelled, nothing was changed: the crosswalk of “${p.from}” (${p.facet}) points to “${p.to}”, which does not exist in version ${p.version}. Correct the crosswalk and try again.`,
  },
  /** Thrown when asking to translate a code towards an older version (the crosswalk only goes forward). */
  translateBackwards: {
    code: 'taxonomy.translate_backwards',
    status: 400,
    example: { fromVersion: '1.1.0', toVersion: '1.0.0' },
    it: (p: { fromVersion: string; toVersion: string }) =>
      `Le corrispondenze vanno dalle versioni precedenti alle successive: «toVersion» (${p.toVersion}) deve essere uguale o successiva a «fromVersion» (${p.fromVersion}).`,
    en: (p: { fromVersion: string; toVersion: string }) =>
      `The crosswalk goes from earlier to later versions: “toVersion” (${p.toVersion}) must be equal to or later than “fromVersion” (${p.fromVersion}).`,
  },
  /** Thrown when exporting an organisation's local nodes without belonging to it (unknown organisations answer alike). */
  organisationNotFound: {
    code: 'organisation.not_found',
    status: 404,
    it: () => 'Ente non trovato tra quelli di cui fai parte.',
    en: () => 'Organisation not found among those you belong to.',
  },
});

const exampleProblem: ChangeProblem = { code: 'taxonomy.duplicate_code', path: 'operations[0]', message: 'Il codice «tributi.imu» esiste già nella faccetta «tema»: scegline un altro.',
  en: 'The code “tributi.imu” already exists in the facet “tema”: choose another one.',
};

/**
 * A refused change, publication or proposal: one entry per problem code of the planner, since the
 * problem takes the code of the first problem; every problem is in `errors` (the planner's
 * messages, in Italian).
 */
const rejectedSpec = (code: ChangeProblemCode): ErrorSpec<Rejected> => ({
  code,
  status: 422,
  example: { problems: [{ ...exampleProblem, code }], what: 'change' },
  it: (p) => `${REJECTED_PREFIX[p.what].it}: ${p.problems.map((x) => x.message).join(' ')}`,
  en: (p) => `${REJECTED_PREFIX[p.what].en}: ${p.problems.map((x) => x.en).join(' ')}`,
  members: (p, lang) => ({ errors: p.problems.map((x) => ({ path: x.path, message: inLanguage(x, lang) })) }),
});
const rejectedSpecs = {} as Record<ChangeProblemCode, ErrorSpec<Rejected>>;
for (const code of CHANGE_PROBLEM_CODES) rejectedSpecs[code] = rejectedSpec(code);
const changeRejectedErrors = defineErrors('taxonomy_change', rejectedSpecs);

/** The problems of a change as one problem+json, with the code of the first problem. */
export function changeRejected(problems: ChangeProblem[], what: RejectedChange = 'change'): AppError {
  return changeRejectedErrors[problems[0]!.code]({ problems, what });
}
