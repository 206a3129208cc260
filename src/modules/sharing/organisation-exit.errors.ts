import { defineErrors } from '../../platform/errors.js';

/* Errors of a body leaving the network and coming back (organisation-exit.ts). Codes are part of the API contract. */

export const organisationExitErrors = defineErrors('organisation', {
  /** Thrown for an unknown organisation id. */
  notFound: { code: 'organisation.not_found', status: 404, it: () => 'Organizzazione non trovata.', en: () => 'Organisation not found.' },
  /**
   * Thrown when the exit is asked without its confirmation: `confirm` must repeat the body's IPA code
   * (what the preview, `?dryRun=true`, shows as `confirmation`).
   */
  unconfirmed: {
    code: 'organisation.exit_unconfirmed',
    status: 422,
    example: { ipaCode: 'c_c426', name: 'Comune di Celano' },
    it: (p: { ipaCode: string; name: string }) => `Per far uscire ${p.name} dalla rete conferma scrivendo il suo codice IPA «${p.ipaCode}» nel campo confirm (prima guarda l'anteprima con dryRun=true).`,
    en: (p: { ipaCode: string; name: string }) => `To take ${p.name} out of the network, confirm by writing its IPA code “${p.ipaCode}” in the confirm field (look at the preview with dryRun=true first).`,
  },
  /** Thrown when the body has already left (it is inactive). */
  alreadyLeft: {
    code: 'organisation.inactive',
    status: 409,
    example: { name: 'Comune di Celano' },
    it: (p: { name: string }) => `${p.name} è già fuori dalla rete: per riportarlo usa il rientro.`,
    en: (p: { name: string }) => `${p.name} has already left the network: use the return to bring it back.`,
  },
  /** Thrown when bringing back a body that is active. */
  notLeft: {
    code: 'organisation.active',
    status: 409,
    example: { name: 'Comune di Celano' },
    it: (p: { name: string }) => `${p.name} fa già parte della rete.`,
    en: (p: { name: string }) => `${p.name} is already part of the network.`,
  },
  /** Thrown when the coordinator's own body would leave: it takes over the tickets of the bodies that leave. */
  coordinatingBody: {
    code: 'organisation.coordinating_body',
    status: 409,
    example: { name: 'Linea Amica' },
    it: (p: { name: string }) => `${p.name} coordina la rete e riceve i ticket degli enti che escono: non può uscire.`,
    en: (p: { name: string }) => `${p.name} coordinates the network and takes over the tickets of bodies that leave: it cannot leave.`,
  },
});
