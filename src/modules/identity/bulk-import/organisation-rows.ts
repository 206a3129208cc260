/**
 * The rows of an organisations file — the IPA open-data «amministrazioni» export, in its old
 * tab-separated layout (cod_amm, des_amm, Comune, Provincia, Regione, tipologia_istat, Cf,
 * mail1…5/tipo_mail1…5) or its newer CSV layout (Codice_IPA, Denominazione_ente,
 * Codice_fiscale_ente, Tipologia, Codice_Categoria, Codice_comune_ISTAT, Mail1…) — checked and
 * turned into organisations, as pure functions of the file and the territory.
 */
import { slugOf } from '../network-setup.js';
import type { ORGANISATION_TYPES } from '../identity.schemas.js';
import { type ColumnMatch, cell, type CsvInput, headerKey, matchColumns, missingColumnsOf, wellFormedRecords } from './csv-input.js';
import { type LineProblem, lineProblem } from './line-problems.js';
import type { PlaceComune, PlaceProvince, PlaceRegion, TerritoryLookup } from './territory-lookup.js';

export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

const MAIL_FIELDS = ['mail1', 'mail2', 'mail3', 'mail4', 'mail5'] as const;
const MAIL_KIND_FIELDS = ['mailKind1', 'mailKind2', 'mailKind3', 'mailKind4', 'mailKind5'] as const;

const ALIASES = {
  ipaCode: ['cod_amm', 'codice_ipa', 'ipa', 'codice_amministrazione'],
  name: ['des_amm', 'denominazione_ente', 'denominazione', 'nome_ente'],
  comuneName: ['comune', 'denominazione_comune'],
  province: ['provincia', 'sigla_provincia'],
  region: ['regione'],
  comuneIstat: ['codice_comune_istat', 'cod_comune_istat', 'istat_comune', 'codice_istat_comune'],
  cadastral: ['codice_catastale_comune', 'codice_catastale'],
  category: ['tipologia_istat', 'categoria', 'tipologia'],
  categoryCode: ['codice_categoria'],
  type: ['tipo', 'tipo_ente', 'type'],
  taxCode: ['cf', 'codice_fiscale_ente', 'codice_fiscale'],
  email: ['email'],
  pec: ['pec'],
  mail1: ['mail1'], mail2: ['mail2'], mail3: ['mail3'], mail4: ['mail4'], mail5: ['mail5'],
  mailKind1: ['tipo_mail1'], mailKind2: ['tipo_mail2'], mailKind3: ['tipo_mail3'], mailKind4: ['tipo_mail4'], mailKind5: ['tipo_mail5'],
} as const;
type Field = keyof typeof ALIASES;

/** Columns of the IPA exports that an organisation in urpnet does not hold (people, addresses, web pages). */
const KNOWN_IGNORED = [
  'nome_resp', 'cogn_resp', 'cap', 'sito_istituzionale', 'indirizzo', 'titolo_resp', 'tipologia_amm', 'acronimo', 'cf_validato',
  'url_facebook', 'url_twitter', 'url_googleplus', 'url_youtube', 'url_linkedin', 'liv_accessibili', 'codice_natura', 'codice_ateco',
  'ente_in_liquidazione', 'codice_miur', 'codice_istat', 'nome_responsabile', 'cognome_responsabile', 'titolo_responsabile',
  'data_aggiornamento', 'data_accreditamento',
];

export type OrganisationLayout = 'ipa_old' | 'ipa_new' | 'urpnet';

export interface OrganisationRow {
  line: number;
  ipaCode: string;
  name: string;
  type: OrganisationType;
  istatCode: string | null;
  regionIstat: string | null;
  taxCode: string | null;
  email: string | null;
  pec: string | null;
}

export interface OrganisationRows {
  layout: OrganisationLayout;
  columns: Pick<ColumnMatch<Field>, 'used' | 'ignored' | 'unknown'>;
  /** Required columns the header lacks (the file cannot be read at all). */
  missingColumns: string[];
  rows: OrganisationRow[];
  problems: LineProblem[];
}

export const IPA_CODE = /^[a-z0-9_]{2,20}$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TAX_CODE = /^\d{11}$/;

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** A body inside a category «X e loro Consorzi e Associazioni» is X unless its name says it is an association of X. */
const ASSOCIATION = /\b(consorzi[oa]?|unione|unioni|associazion[ei]|comunita|federazione|ambito|azienda|agenzia|ente)\b/;

/** IPA category codes (Codice_Categoria) that name one of urpnet's types. */
const CATEGORY_CODES: Record<string, OrganisationType> = { L4: 'regione', L5: 'provincia', L6: 'comune', L45: 'citta_metropolitana', L7: 'asl' };

const TYPE_WORDS: Record<string, OrganisationType> = {
  regione: 'regione', provincia: 'provincia', 'provincia autonoma': 'provincia', 'citta metropolitana': 'citta_metropolitana', citta_metropolitana: 'citta_metropolitana',
  comune: 'comune', asl: 'asl', 'azienda sanitaria locale': 'asl', 'ente nazionale': 'ente_nazionale', ente_nazionale: 'ente_nazionale', altro: 'altro',
};

/** urpnet's type of a body from an explicit type column, the IPA category code or its description, or the code's shape. */
export function organisationTypeOf(input: { explicit: string; categoryCode: string; category: string; ipaCode: string; name: string }): OrganisationType | { invalid: string } {
  if (input.explicit !== '') {
    const key = fold(input.explicit);
    return TYPE_WORDS[key] ?? TYPE_WORDS[key.replace(/ /g, '_')] ?? { invalid: input.explicit };
  }
  const name = fold(input.name);
  const associated = ASSOCIATION.test(name);
  const byCode = CATEGORY_CODES[input.categoryCode.toUpperCase()];
  const category = fold(input.category);
  let type: OrganisationType | null = byCode ?? null;
  if (type === null && category !== '') {
    if (category.includes('citta metropolitan')) type = 'citta_metropolitana';
    else if (category.startsWith('regioni')) type = 'regione';
    else if (category.startsWith('province')) type = 'provincia';
    else if (category.startsWith('comuni')) type = 'comune';
    else if (category.includes('aziende sanitarie locali')) type = 'asl';
    else if (/^(ministeri|presidenza del consiglio|organi costituzionali|agenzie fiscali|enti nazionali|autorita amministrative indipendenti)/.test(category)) type = 'ente_nazionale';
    else type = 'altro';
  }
  if (type === null) {
    // No category at all: the shape of the IPA code (c_h501 is a comune, r_abruzz a region).
    if (/^c_[a-z]\d{3}$/.test(input.ipaCode)) return 'comune';
    if (/^r_[a-z]+$/.test(input.ipaCode)) return 'regione';
    return 'altro';
  }
  // «Regioni, Province Autonome e loro Consorzi»: the autonomous provinces of Trento and Bolzano are provinces.
  if (type === 'regione' && name.includes('provincia autonoma')) return 'provincia';
  if ((type === 'regione' || type === 'provincia' || type === 'comune') && associated) return 'altro';
  return type;
}

/** ISTAT codes lose their leading zeros in spreadsheets (66031 for 066031): restored. */
export function istatComuneCode(value: string): string {
  return /^\d{4,5}$/.test(value) ? value.padStart(6, '0') : value;
}

interface Placed {
  comune: PlaceComune | null;
  province: PlaceProvince | null;
  region: PlaceRegion | null;
}

/** Where the body sits, from the comune (ISTAT or cadastral code), the province and the region columns. */
function place(line: number, values: { comuneIstat: string; cadastral: string; province: string; region: string; ipaCode: string; type: OrganisationType }, territory: TerritoryLookup): Placed | LineProblem {
  let comune: PlaceComune | null = null;
  if (values.comuneIstat !== '') {
    const code = istatComuneCode(values.comuneIstat);
    comune = territory.comune(code) ?? null;
    if (!comune) {
      const merged = territory.successor(code);
      if (merged) {
        const s = merged.succession;
        return lineProblem(line, 'comune_merged', { oldName: s.oldName, oldCode: s.oldCode, since: s.since ?? '', newName: merged.current.name, newCode: merged.current.code });
      }
      return lineProblem(line, 'unknown_istat_code', { code: values.comuneIstat });
    }
  } else {
    // A comune's own IPA code carries its cadastral code: c_h501 is Roma.
    const cadastral = values.cadastral !== '' ? values.cadastral : values.type === 'comune' && /^c_[a-z]\d{3}$/.test(values.ipaCode) ? values.ipaCode.slice(2) : '';
    if (cadastral !== '') {
      comune = territory.comuneByCadastral(cadastral.toUpperCase()) ?? null;
      if (!comune) return lineProblem(line, 'unknown_cadastral_code', { code: cadastral.toUpperCase() });
    }
  }
  let province: PlaceProvince | null = null;
  if (values.province !== '') {
    province = territory.province(values.province.toUpperCase()) ?? territory.province(values.province) ?? null;
    if (!province) return lineProblem(line, 'unknown_province', { value: values.province });
    if (comune && comune.provinceCode !== province.code) {
      return lineProblem(line, 'territory_mismatch', { comune: comune.name, actual: territory.province(comune.provinceCode)?.sigla ?? comune.provinceCode, declared: values.province });
    }
  } else if (comune) province = territory.province(comune.provinceCode) ?? null;
  let region: PlaceRegion | null = null;
  const regionCode = comune?.regionCode ?? province?.regionCode;
  if (regionCode !== undefined) region = territory.region(regionCode) ?? null;
  else if (values.region !== '') {
    region = territory.region(values.region) ?? null;
    if (!region) return lineProblem(line, 'unknown_region', { value: values.region });
  }
  return { comune, province, region };
}

/**
 * Checks every row. Bad rows are reported with their line and reason; a repeated IPA code is
 * reported on every occurrence after the first.
 */
export function readOrganisationRows(input: CsvInput, territory: TerritoryLookup): OrganisationRows {
  const match = matchColumns(input.header, ALIASES, KNOWN_IGNORED);
  const keys = new Set(input.header.map(headerKey));
  const layout: OrganisationLayout = keys.has('codamm') ? 'ipa_old' : keys.has('codiceipa') ? 'ipa_new' : 'urpnet';
  const columns = { used: match.used, ignored: match.ignored, unknown: match.unknown };
  const missingColumns = missingColumnsOf(match, { ipaCode: 'cod_amm / Codice_IPA', name: 'des_amm / Denominazione_ente' });
  const out: OrganisationRows = { layout, columns, missingColumns, rows: [], problems: [] };
  if (missingColumns.length > 0) return out;
  const firstLineOf = new Map<string, number>();
  for (const record of wellFormedRecords(input, out.problems)) {
    const line = record.line;
    const get = (f: Field) => cell(record, match, f);
    const ipaCode = get('ipaCode').toLowerCase();
    const name = get('name').replace(/\s+/g, ' ');
    if (ipaCode === '') {
      out.problems.push(lineProblem(line, 'missing_field', { field: 'il codice IPA', fieldEn: 'the IPA code' }));
      continue;
    }
    if (!IPA_CODE.test(ipaCode)) {
      out.problems.push(lineProblem(line, 'invalid_ipa_code', { value: get('ipaCode') }));
      continue;
    }
    const first = firstLineOf.get(ipaCode);
    if (first !== undefined) {
      out.problems.push(lineProblem(line, 'duplicate_in_file', { what: 'codice IPA', whatEn: 'IPA code', value: ipaCode, firstLine: String(first) }));
      continue;
    }
    firstLineOf.set(ipaCode, line);
    if (name === '') {
      out.problems.push(lineProblem(line, 'missing_field', { field: 'la denominazione', fieldEn: 'the name' }));
      continue;
    }
    if (name.length < 2 || name.length > 200) {
      out.problems.push(lineProblem(line, 'invalid_name', { what: name.length < 2 ? 'short' : 'long' }));
      continue;
    }
    const type = organisationTypeOf({ explicit: get('type'), categoryCode: get('categoryCode'), category: get('category'), ipaCode, name });
    if (typeof type !== 'string') {
      out.problems.push(lineProblem(line, 'invalid_type', { value: type.invalid }));
      continue;
    }
    const placed = place(line, { comuneIstat: get('comuneIstat'), cadastral: get('cadastral'), province: get('province'), region: get('region'), ipaCode, type }, territory);
    if ('code' in placed) {
      out.problems.push(placed);
      continue;
    }
    const istatCode =
      type === 'regione' ? (placed.region?.code ?? null)
      : type === 'provincia' || type === 'citta_metropolitana' ? (placed.province?.code ?? null)
      : type === 'comune' ? (placed.comune?.code ?? null)
      : (placed.comune?.code ?? placed.province?.code ?? placed.region?.code ?? null);
    if (istatCode === null && type !== 'altro' && type !== 'ente_nazionale' && type !== 'asl') {
      out.problems.push(lineProblem(line, 'territory_missing', { type }));
      continue;
    }
    const taxCode = get('taxCode');
    if (taxCode !== '' && !TAX_CODE.test(taxCode)) {
      out.problems.push(lineProblem(line, 'invalid_tax_code', { value: taxCode }));
      continue;
    }
    const mails = mailsOf(get);
    const bad = [mails.email, mails.pec].find((m) => m !== null && !EMAIL.test(m));
    if (bad) {
      out.problems.push(lineProblem(line, 'invalid_email', { value: bad }));
      continue;
    }
    out.rows.push({ line, ipaCode, name, type, istatCode, regionIstat: placed.region?.code ?? null, taxCode: taxCode === '' ? null : taxCode, ...mails });
  }
  return out;
}

/** The e-mail and PEC of a body: the explicit columns, else the first mailN of each kind (tipo_mailN «pec» marks a PEC). */
function mailsOf(get: (f: Field) => string): { email: string | null; pec: string | null } {
  let email = get('email') || null;
  let pec = get('pec') || null;
  MAIL_FIELDS.forEach((f, i) => {
    const address = get(f);
    if (address === '') return;
    const isPec = get(MAIL_KIND_FIELDS[i]!).toLowerCase() === 'pec';
    if (isPec) pec ??= address;
    else email ??= address;
  });
  return { email, pec };
}

/** The slugs a new body may get, in order of preference: from its name, then followed by its IPA code. */
export function slugCandidates(name: string, ipaCode: string): [string, string] {
  const base = slugOf(name);
  return [base, slugOf(`${base.slice(0, 40)}-${ipaCode}`)];
}

/** The slug of a new body: the first free candidate, else the second followed by a number. */
export function organisationSlug(name: string, ipaCode: string, taken: (slug: string) => boolean): string {
  const [base, withCode] = slugCandidates(name, ipaCode);
  if (!taken(base)) return base;
  if (!taken(withCode)) return withCode;
  for (let n = 2; ; n++) {
    const candidate = `${withCode.slice(0, 55)}-${n}`;
    if (!taken(candidate)) return candidate;
  }
}
