/**
 * The rows of an offices file: organisation (IPA code), office code, name, kind, contacts,
 * channels («telefono|email|sportello») and weekly hours («lun-ven 09:00-13:00; mar,gio 15:00-17:00»),
 * checked as pure functions of the file. Whether the organisation and the code exist is the
 * service's business (it reads the database).
 */
import type { OFFICE_CHANNELS, OFFICE_KINDS } from '../identity.schemas.js';
import { validateCalendar, type WeeklyHours } from '../office-calendar.js';
import { type ColumnMatch, cell, type CsvInput, matchColumns, missingColumnsOf, wellFormedRecords } from './csv-input.js';
import { type LineProblem, lineProblem } from './line-problems.js';
import { EMAIL, IPA_CODE } from './organisation-rows.js';
import { DAY_LABELS, parseWeeklyHours } from './weekly-hours.js';

export type OfficeKind = (typeof OFFICE_KINDS)[number];
export type OfficeChannel = (typeof OFFICE_CHANNELS)[number];

const ALIASES = {
  organisation: ['codice_ipa', 'cod_amm', 'ipa', 'ente', 'codice_ipa_ente', 'organizzazione', 'organisation'],
  code: ['codice_ufficio', 'ufficio', 'codice', 'slug', 'office', 'office_code'],
  name: ['nome', 'nome_ufficio', 'denominazione', 'descrizione_uo', 'name'],
  kind: ['tipo', 'tipo_ufficio', 'kind'],
  email: ['email', 'mail'],
  pec: ['pec'],
  phone: ['telefono', 'tel', 'phone'],
  address: ['indirizzo', 'address'],
  channels: ['canali', 'channels'],
  hours: ['orari', 'orario', 'orari_settimanali', 'orario_settimanale', 'hours', 'weekly_hours'],
} as const;
type Field = keyof typeof ALIASES;

export interface OfficeRow {
  line: number;
  organisationIpa: string;
  slug: string;
  name: string;
  kind: OfficeKind;
  /** null: the cell is empty, the office keeps its current value (a new office gets none). */
  email: string | null;
  pec: string | null;
  phone: string | null;
  address: string | null;
  channels: OfficeChannel[] | null;
  weekly: WeeklyHours | null;
}

export interface OfficeRows {
  columns: Pick<ColumnMatch<Field>, 'used' | 'ignored' | 'unknown'>;
  missingColumns: string[];
  rows: OfficeRow[];
  problems: LineProblem[];
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
const PHONE = /^[0-9+][0-9 ()./-]{2,39}$/;
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

/** An office code as the network stores it: lower case, accents and spaces folded into dashes. */
export function officeCodeOf(value: string): string {
  return fold(value).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

const CHANNEL_WORDS: Record<string, OfficeChannel> = {
  telefono: 'telefono', tel: 'telefono', phone: 'telefono', telefonico: 'telefono',
  email: 'email', 'e-mail': 'email', mail: 'email', posta: 'email',
  pec: 'pec',
  web: 'web', sito: 'web', online: 'web', portale: 'web', modulo: 'web',
  sportello: 'sportello', 'di persona': 'sportello', 'front office': 'sportello', 'in presenza': 'sportello',
  chat: 'chat', app: 'app', social: 'social',
};

const KIND_WORDS: Record<string, OfficeKind> = {
  urp: 'urp', back_office: 'back_office', 'back office': 'back_office', 'back-office': 'back_office', backoffice: 'back_office',
  contact_centre: 'contact_centre', 'contact centre': 'contact_centre', 'contact center': 'contact_centre', contact_center: 'contact_centre', 'call center': 'contact_centre',
};

/** «telefono|email|sportello» (also with `,` or `;` between the channels). */
export function parseChannels(text: string): OfficeChannel[] | { invalid: string } {
  const channels: OfficeChannel[] = [];
  for (const word of text.split(/\s*[|,;+]\s*/).map(fold).filter((w) => w !== '')) {
    const channel = CHANNEL_WORDS[word];
    if (!channel) return { invalid: word };
    if (!channels.includes(channel)) channels.push(channel);
  }
  return channels;
}

export function readOfficeRows(input: CsvInput): OfficeRows {
  const match = matchColumns(input.header, ALIASES);
  const missingColumns = missingColumnsOf(match, { organisation: 'codice_ipa (ente)', code: 'codice_ufficio', name: 'nome' });
  const out: OfficeRows = { columns: { used: match.used, ignored: match.ignored, unknown: match.unknown }, missingColumns, rows: [], problems: [] };
  if (missingColumns.length > 0) return out;
  const firstLineOf = new Map<string, number>();
  for (const record of wellFormedRecords(input, out.problems)) {
    const line = record.line;
    const get = (f: Field) => cell(record, match, f);
    const problem = (p: LineProblem) => out.problems.push(p);
    const organisationIpa = get('organisation').toLowerCase();
    if (organisationIpa === '') {
      problem(lineProblem(line, 'missing_field', { field: "il codice IPA dell'ente", fieldEn: 'the IPA code of the body' }));
      continue;
    }
    if (!IPA_CODE.test(organisationIpa)) {
      problem(lineProblem(line, 'invalid_ipa_code', { value: get('organisation') }));
      continue;
    }
    const rawCode = get('code');
    if (rawCode === '') {
      problem(lineProblem(line, 'missing_field', { field: "il codice dell'ufficio", fieldEn: 'the office code' }));
      continue;
    }
    const slug = officeCodeOf(rawCode);
    if (!SLUG.test(slug)) {
      problem(lineProblem(line, 'invalid_office_code', { value: rawCode }));
      continue;
    }
    const first = firstLineOf.get(slug);
    if (first !== undefined) {
      problem(lineProblem(line, 'duplicate_in_file', { what: 'codice ufficio', whatEn: 'office code', value: slug, firstLine: String(first) }));
      continue;
    }
    firstLineOf.set(slug, line);
    const name = get('name').replace(/\s+/g, ' ');
    if (name === '') {
      problem(lineProblem(line, 'missing_field', { field: "il nome dell'ufficio", fieldEn: 'the office name' }));
      continue;
    }
    if (name.length < 2 || name.length > 200) {
      problem(lineProblem(line, 'invalid_name', { what: name.length < 2 ? 'short' : 'long' }));
      continue;
    }
    const kindText = get('kind');
    const kind = kindText === '' ? 'urp' : KIND_WORDS[fold(kindText)];
    if (!kind) {
      problem(lineProblem(line, 'invalid_kind', { value: kindText }));
      continue;
    }
    const [email, pec] = [get('email'), get('pec')];
    const badMail = [email, pec].find((m) => m !== '' && (!EMAIL.test(m) || m.length > 254));
    if (badMail) {
      problem(lineProblem(line, 'invalid_email', { value: badMail }));
      continue;
    }
    const phone = get('phone');
    if (phone !== '' && !PHONE.test(phone)) {
      problem(lineProblem(line, 'invalid_phone', { value: phone }));
      continue;
    }
    const address = get('address');
    if (address.length > 300) {
      problem(lineProblem(line, 'field_too_long', { field: "l'indirizzo", fieldEn: 'the address', max: '300' }));
      continue;
    }
    const channelsText = get('channels');
    const channels = channelsText === '' ? null : parseChannels(channelsText);
    if (channels !== null && !Array.isArray(channels)) {
      problem(lineProblem(line, 'invalid_channel', { value: channels.invalid }));
      continue;
    }
    const hours = parseWeeklyHours(get('hours'));
    if (hours !== null && !hours.ok) {
      const p = hours.problem;
      if (p.kind === 'overlap') {
        const range = (r: { open: string; close: string }) => `${r.open}-${r.close}`;
        problem(lineProblem(line, 'overlapping_hours', { day: DAY_LABELS[p.day].it, dayEn: DAY_LABELS[p.day].en, first: range(p.first), second: range(p.second) }));
      } else problem(lineProblem(line, 'invalid_hours', { detail: p.it, detailEn: p.en }));
      continue;
    }
    if (hours !== null) {
      // The calendar's own rules have the last word (at most six ranges a day, …).
      const checked = validateCalendar({ weekly: hours.weekly, closures: [] });
      if (!checked.ok) {
        problem(lineProblem(line, 'invalid_hours', { detail: checked.errors.join('; '), detailEn: checked.en.join('; ') }));
        continue;
      }
    }
    out.rows.push({
      line, organisationIpa, slug, name, kind, email: email || null, pec: pec || null, phone: phone || null, address: address || null,
      channels, weekly: hours?.ok ? hours.weekly : null,
    });
  }
  return out;
}
