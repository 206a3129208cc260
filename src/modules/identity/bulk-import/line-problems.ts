/**
 * Why a line of an onboarding file is refused: a stable code (part of the API contract, like
 * problem codes) and the reason in Italian and English, written from the case's parameters.
 */

type Params = Record<string, string>;
interface LineProblemSpec {
  it: (p: Params) => string;
  en: (p: Params) => string;
}

const ROLE_LIST = 'operator, back_office, supervisor, org_admin, analyst';

const CATALOGUE = {
  missing_field: { it: (p) => `manca ${p.field}`, en: (p) => `${p.fieldEn} is missing` },
  invalid_ipa_code: {
    it: (p) => `codice IPA «${p.value}» non valido: da 2 a 20 caratteri tra lettere minuscole, cifre e _`,
    en: (p) => `invalid IPA code “${p.value}”: 2 to 20 characters among lower-case letters, digits and _`,
  },
  invalid_name: { it: (p) => `denominazione troppo ${p.what === 'short' ? 'corta' : 'lunga'} (da 2 a 200 caratteri)`, en: (p) => `name too ${p.what} (2 to 200 characters)` },
  duplicate_in_file: {
    it: (p) => `${p.what} «${p.value}» ripetuto: compare già alla riga ${p.firstLine}`,
    en: (p) => `${p.whatEn} “${p.value}” repeated: it already appears on line ${p.firstLine}`,
  },
  unknown_istat_code: { it: (p) => `codice ISTAT del comune «${p.code}» sconosciuto`, en: (p) => `unknown ISTAT code of a comune “${p.code}”` },
  comune_merged: {
    it: (p) => `il comune ${p.oldName} (${p.oldCode}) non esiste più${p.since ? ` dal ${p.since}` : ''}: è confluito in ${p.newName} (codice ISTAT ${p.newCode}); usa il nuovo codice`,
    en: (p) => `the comune ${p.oldName} (${p.oldCode}) no longer exists${p.since ? ` since ${p.since}` : ''}: it merged into ${p.newName} (ISTAT code ${p.newCode}); use the new code`,
  },
  unknown_cadastral_code: {
    it: (p) => `codice catastale «${p.code}» sconosciuto tra i comuni attuali (forse un comune soppresso: usa il codice del comune che lo ha sostituito)`,
    en: (p) => `cadastral code “${p.code}” matches no current comune (perhaps a comune merged away: use the code of the comune that replaced it)`,
  },
  unknown_province: { it: (p) => `provincia «${p.value}» sconosciuta (usa la sigla, es. AQ)`, en: (p) => `unknown province “${p.value}” (use its abbreviation, e.g. AQ)` },
  unknown_region: { it: (p) => `regione «${p.value}» sconosciuta`, en: (p) => `unknown region “${p.value}”` },
  territory_mismatch: {
    it: (p) => `il comune ${p.comune} è in provincia di ${p.actual}, non «${p.declared}»`,
    en: (p) => `the comune ${p.comune} lies in the province of ${p.actual}, not “${p.declared}”`,
  },
  territory_missing: {
    it: (p) => `impossibile collocare l'ente (tipo ${p.type}): indica il codice ISTAT del comune, la provincia o la regione`,
    en: (p) => `cannot place the body (type ${p.type}): give the ISTAT code of the comune, the province or the region`,
  },
  invalid_type: {
    it: (p) => `tipo «${p.value}» sconosciuto (ammessi: regione, provincia, citta_metropolitana, comune, asl, ente_nazionale, altro)`,
    en: (p) => `unknown type “${p.value}” (allowed: regione, provincia, citta_metropolitana, comune, asl, ente_nazionale, altro)`,
  },
  invalid_tax_code: { it: (p) => `codice fiscale «${p.value}» non valido: 11 cifre`, en: (p) => `invalid tax code “${p.value}”: 11 digits` },
  invalid_email: { it: (p) => `indirizzo email «${p.value}» non valido`, en: (p) => `invalid e-mail address “${p.value}”` },
  unknown_organisation: {
    it: (p) => `ente con codice IPA «${p.value}» inesistente: importalo prima con «urpnet import organisations»`,
    en: (p) => `no body with IPA code “${p.value}”: import it first with “urpnet import organisations”`,
  },
  other_organisation: {
    it: (p) => `la riga è di un altro ente («${p.value}»): puoi importare solo righe di ${p.organisation}`,
    en: (p) => `the line belongs to another body (“${p.value}”): you can import only lines of ${p.organisation}`,
  },
  invalid_office_code: {
    it: (p) => `codice ufficio «${p.value}» non valido: da 2 a 63 caratteri tra lettere minuscole, cifre e trattini`,
    en: (p) => `invalid office code “${p.value}”: 2 to 63 characters among lower-case letters, digits and dashes`,
  },
  office_code_taken: {
    it: (p) => `il codice ufficio «${p.value}» è già usato da un ufficio di ${p.organisation}: i codici degli uffici sono unici nella rete (es. ${p.suggestion})`,
    en: (p) => `the office code “${p.value}” is already used by an office of ${p.organisation}: office codes are unique in the network (e.g. ${p.suggestion})`,
  },
  unknown_office: {
    it: (p) => `ufficio «${p.value}» inesistente in ${p.organisation}: importalo prima con «urpnet import offices»`,
    en: (p) => `no office “${p.value}” in ${p.organisation}: import it first with “urpnet import offices”`,
  },
  invalid_kind: { it: (p) => `tipo di ufficio «${p.value}» sconosciuto (ammessi: urp, back_office, contact_centre)`, en: (p) => `unknown office kind “${p.value}” (allowed: urp, back_office, contact_centre)` },
  invalid_channel: {
    it: (p) => `canale «${p.value}» sconosciuto (ammessi: telefono, email, pec, web, sportello, chat, app, social)`,
    en: (p) => `unknown channel “${p.value}” (allowed: telefono, email, pec, web, sportello, chat, app, social)`,
  },
  invalid_phone: { it: (p) => `telefono «${p.value}» non valido`, en: (p) => `invalid phone number “${p.value}”` },
  field_too_long: { it: (p) => `${p.field} troppo lungo (massimo ${p.max} caratteri)`, en: (p) => `${p.fieldEn} too long (at most ${p.max} characters)` },
  invalid_hours: { it: (p) => `orari non validi: ${p.detail}`, en: (p) => `invalid opening hours: ${p.detailEn}` },
  overlapping_hours: {
    it: (p) => `orari sovrapposti ${p.day}: ${p.first} e ${p.second}`,
    en: (p) => `overlapping opening hours on ${p.dayEn}: ${p.first} and ${p.second}`,
  },
  invalid_role: { it: (p) => `ruolo «${p.value}» sconosciuto (ammessi: ${ROLE_LIST})`, en: (p) => `unknown role “${p.value}” (allowed: ${ROLE_LIST})` },
  coordinator_cli_only: {
    it: () => 'il ruolo network_coordinator si assegna solo da riga di comando (urpnet import users), mai da un caricamento sul web',
    en: () => 'the network_coordinator role is granted only from the command line (urpnet import users), never by a web upload',
  },
  role_needs_organisation: {
    it: (p) => `il ruolo ${p.role} vale per tutto l'ente: lascia vuoto l'ufficio`,
    en: (p) => `the role ${p.role} applies to the whole body: leave the office empty`,
  },
  invalid_locale: { it: (p) => `lingua «${p.value}» non ammessa (it oppure en)`, en: (p) => `language “${p.value}” not allowed (it or en)` },
  conflicting_rows: {
    it: (p) => `${p.field} diverso dalla riga ${p.firstLine} per la stessa persona (${p.value})`,
    en: (p) => `${p.fieldEn} differs from line ${p.firstLine} for the same person (${p.value})`,
  },
  one_invitation_per_body: {
    it: (p) => `per ${p.email} c'è già un invito a ${p.organisation} (riga ${p.firstLine}): un invito porta un solo ruolo, gli altri si assegnano dopo l'accettazione`,
    en: (p) => `${p.email} already gets an invitation to ${p.organisation} (line ${p.firstLine}): an invitation carries one role, the others are granted after it is accepted`,
  },
  invitation_pending: {
    it: (p) => `per ${p.email} c'è già un invito in attesa a ${p.organisation} (ruolo ${p.role}): attendi la risposta o ritiralo prima di importare un altro ruolo`,
    en: (p) => `${p.email} already has a pending invitation to ${p.organisation} (role ${p.role}): wait for the answer or withdraw it before importing another role`,
  },
  coordinator_needs_member: {
    it: (p) => `${p.email} non fa parte di ${p.organisation}: il ruolo network_coordinator si assegna solo a chi ne è già membro`,
    en: (p) => `${p.email} is not a member of ${p.organisation}: the network_coordinator role is granted only to its members`,
  },
  unterminated_quote: { it: () => 'virgolette aperte e mai chiuse', en: () => 'a quote is opened and never closed' },
} satisfies Record<string, LineProblemSpec>;

export type LineProblemCode = keyof typeof CATALOGUE;
export const LINE_PROBLEM_CODES = Object.keys(CATALOGUE) as LineProblemCode[];

/** One refused line: its physical line in the file, a stable code, the reason in Italian and English. */
export interface LineProblem {
  line: number;
  code: LineProblemCode;
  message: string;
  en: string;
}

export function lineProblem(line: number, code: LineProblemCode, params: Params = {}): LineProblem {
  const spec: LineProblemSpec = CATALOGUE[code];
  return { line, code, message: spec.it(params), en: spec.en(params) };
}
