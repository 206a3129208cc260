/**
 * The rows of a people file: e-mail, name, organisation (IPA code), office code (optional), role
 * and language, checked as pure functions of the file. A person may have several rows (one role
 * each); the rows of one person must agree on name and language.
 */
import { type Role, ROLES } from '../../../platform/actor.js';
import { ORGANISATION_WIDE_ROLES } from '../identity.service.js';
import { type ColumnMatch, cell, type CsvInput, matchColumns, missingColumnsOf, wellFormedRecords } from './csv-input.js';
import { type LineProblem, lineProblem } from './line-problems.js';
import { officeCodeOf } from './office-rows.js';
import { EMAIL, IPA_CODE } from './organisation-rows.js';

const ALIASES = {
  email: ['email', 'e_mail', 'mail', 'indirizzo_email'],
  name: ['nome_cognome', 'nome_e_cognome', 'nominativo', 'nome_completo', 'nome', 'name'],
  lastName: ['cognome', 'surname'],
  organisation: ['codice_ipa', 'cod_amm', 'ipa', 'ente', 'codice_ipa_ente', 'organizzazione', 'organisation'],
  office: ['codice_ufficio', 'ufficio', 'office', 'slug_ufficio'],
  role: ['ruolo', 'role'],
  locale: ['lingua', 'locale', 'language'],
} as const;
type Field = keyof typeof ALIASES;

export interface UserRow {
  line: number;
  /** As written (trimmed); accounts are matched on its lower case (`key`). */
  email: string;
  key: string;
  name: string;
  organisationIpa: string;
  officeSlug: string | null;
  role: Role;
  locale: 'it' | 'en';
}

export interface UserRows {
  columns: Pick<ColumnMatch<Field>, 'used' | 'ignored' | 'unknown'>;
  missingColumns: string[];
  rows: UserRow[];
  problems: LineProblem[];
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/[\s-]+/g, ' ');

const ROLE_WORDS: Record<string, Role> = {
  operatore: 'operator', operatrice: 'operator', 'back office': 'back_office', backoffice: 'back_office', supervisore: 'supervisor',
  responsabile: 'supervisor', 'responsabile urp': 'supervisor', amministratore: 'org_admin', amministratrice: 'org_admin', 'amministratore ente': 'org_admin',
  analista: 'analyst', 'coordinatore di rete': 'network_coordinator', coordinatore: 'network_coordinator', coordinatrice: 'network_coordinator',
};

export function roleOf(text: string): Role | null {
  const key = fold(text);
  const asCode = key.replace(/ /g, '_');
  if ((ROLES as readonly string[]).includes(asCode)) return asCode as Role;
  return ROLE_WORDS[key] ?? null;
}

const LOCALES: Record<string, 'it' | 'en'> = { '': 'it', it: 'it', italiano: 'it', ita: 'it', en: 'en', inglese: 'en', english: 'en', eng: 'en' };

/**
 * Checks every row. `allowCoordinator`: the network coordinator role may be given (the command
 * line only, never a web upload).
 */
export function readUserRows(input: CsvInput, options: { allowCoordinator: boolean }): UserRows {
  const match = matchColumns(input.header, ALIASES);
  const missingColumns = missingColumnsOf(match, { email: 'email', name: 'nome', organisation: 'codice_ipa (ente)', role: 'ruolo' });
  const out: UserRows = { columns: { used: match.used, ignored: match.ignored, unknown: match.unknown }, missingColumns, rows: [], problems: [] };
  if (missingColumns.length > 0) return out;
  const firstOfPerson = new Map<string, UserRow>();
  const firstOfGrant = new Map<string, number>();
  for (const record of wellFormedRecords(input, out.problems)) {
    const line = record.line;
    const get = (f: Field) => cell(record, match, f);
    const problem = (p: LineProblem) => out.problems.push(p);
    const email = get('email');
    if (email === '') {
      problem(lineProblem(line, 'missing_field', { field: "l'email", fieldEn: 'the e-mail address' }));
      continue;
    }
    if (!EMAIL.test(email) || email.length > 254) {
      problem(lineProblem(line, 'invalid_email', { value: email }));
      continue;
    }
    const name = [get('name'), get('lastName')].filter((p) => p !== '').join(' ').replace(/\s+/g, ' ');
    if (name === '') {
      problem(lineProblem(line, 'missing_field', { field: 'il nome', fieldEn: 'the name' }));
      continue;
    }
    if (name.length < 2 || name.length > 120) {
      problem(lineProblem(line, 'invalid_name', { what: name.length < 2 ? 'short' : 'long' }));
      continue;
    }
    const organisationIpa = get('organisation').toLowerCase();
    if (organisationIpa === '') {
      problem(lineProblem(line, 'missing_field', { field: "il codice IPA dell'ente", fieldEn: 'the IPA code of the body' }));
      continue;
    }
    if (!IPA_CODE.test(organisationIpa)) {
      problem(lineProblem(line, 'invalid_ipa_code', { value: get('organisation') }));
      continue;
    }
    const roleText = get('role');
    const role = roleOf(roleText);
    if (roleText === '') {
      problem(lineProblem(line, 'missing_field', { field: 'il ruolo', fieldEn: 'the role' }));
      continue;
    }
    if (role === null) {
      problem(lineProblem(line, 'invalid_role', { value: roleText }));
      continue;
    }
    if (role === 'network_coordinator' && !options.allowCoordinator) {
      problem(lineProblem(line, 'coordinator_cli_only'));
      continue;
    }
    const officeText = get('office');
    const officeSlug = officeText === '' ? null : officeCodeOf(officeText);
    if (officeSlug !== null && ORGANISATION_WIDE_ROLES.includes(role)) {
      problem(lineProblem(line, 'role_needs_organisation', { role }));
      continue;
    }
    const locale = LOCALES[fold(get('locale'))];
    if (!locale) {
      problem(lineProblem(line, 'invalid_locale', { value: get('locale') }));
      continue;
    }
    const key = email.toLowerCase();
    const grantKey = `${key}|${organisationIpa}|${officeSlug ?? ''}|${role}`;
    const repeated = firstOfGrant.get(grantKey);
    if (repeated !== undefined) {
      problem(lineProblem(line, 'duplicate_in_file', { what: 'ruolo', whatEn: 'role', value: `${email} ${role}`, firstLine: String(repeated) }));
      continue;
    }
    const person = firstOfPerson.get(key);
    if (person && person.name !== name) {
      problem(lineProblem(line, 'conflicting_rows', { field: 'nome', fieldEn: 'name', firstLine: String(person.line), value: email }));
      continue;
    }
    if (person && person.locale !== locale) {
      problem(lineProblem(line, 'conflicting_rows', { field: 'lingua', fieldEn: 'language', firstLine: String(person.line), value: email }));
      continue;
    }
    const row: UserRow = { line, email, key, name, organisationIpa, officeSlug, role, locale };
    firstOfGrant.set(grantKey, line);
    if (!person) firstOfPerson.set(key, row);
    out.rows.push(row);
  }
  return out;
}
