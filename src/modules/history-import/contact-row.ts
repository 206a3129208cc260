/**
 * Column roles declared by the user, and the conversion of one legacy record into a historical
 * contact or a rejection with a reason. Pure functions.
 */
import type { Delimiter } from './csv-sniff.js';
import { type DateFormat, parseLegacyDate } from './legacy-dates.js';
import { type CompiledMapping, combinationOf, splitCategories } from './mapping.js';

export interface ColumnRoles {
  id: string;
  createdAt: string;
  createdFormat: DateFormat;
  closedAt?: string | undefined;
  closedFormat?: DateFormat | undefined;
  channel?: string | undefined;
  /** Free-text columns (subject, description), joined by a blank line: personal data. */
  text?: string[] | undefined;
  category: string;
  /** Separator of a multi-valued category cell (e.g. `;`); absent: one value per cell. */
  categorySeparator?: string | undefined;
  status?: string | undefined;
  /** IANA zone of the legacy dates without an explicit offset. */
  timeZone: string;
}

export const REJECTION_REASONS = ['column_count', 'missing_id', 'duplicate_id', 'bad_date', 'unmapped_category', 'unterminated_quote'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface ContactDraft {
  legacyId: string;
  createdAt: Date;
  closedAt: Date | null;
  legacyChannel: string | null;
  legacyCategory: string | null;
  legacyStatus: string | null;
  classification: Record<string, string>;
  classified: boolean;
  text: string | null;
}

export type RowOutcome =
  | { ok: true; contact: ContactDraft; unmappedCategories: string[]; unmappedChannel: string | null; unmappedStatus: string | null }
  | { ok: false; reason: RejectionReason; message: string; unmappedCategories?: string[] };

export interface ColumnPositions {
  id: number;
  createdAt: number;
  closedAt: number | null;
  channel: number | null;
  text: number[];
  category: number;
  status: number | null;
  count: number;
}

/** Positions of the declared columns; names not among `columns` are returned as errors. */
export function resolveColumns(roles: ColumnRoles, columns: string[]): { positions: ColumnPositions; missing: string[] } {
  const missing: string[] = [];
  const at = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) missing.push(name);
    return i;
  };
  const opt = (name: string | undefined) => (name ? at(name) : null);
  return {
    positions: {
      id: at(roles.id),
      createdAt: at(roles.createdAt),
      closedAt: opt(roles.closedAt),
      channel: opt(roles.channel),
      text: (roles.text ?? []).map(at),
      category: at(roles.category),
      status: opt(roles.status),
      count: columns.length,
    },
    missing,
  };
}

export interface RowContext {
  roles: ColumnRoles;
  positions: ColumnPositions;
  delimiter: Delimiter;
  mapping: CompiledMapping;
  unmappedPolicy: 'skip' | 'unclassified';
}

const blankToNull = (v: string | undefined) => {
  const t = v?.trim() ?? '';
  return t === '' ? null : t;
};

/**
 * The record's cells in column order, or null when the field count is wrong. A row with too many
 * fields is accepted only when the category is the last column and its separator is the file's
 * delimiter (an unquoted multi-valued last cell): the extra fields are then further category values.
 */
export function alignCells(fields: string[], ctx: Pick<RowContext, 'roles' | 'positions' | 'delimiter'>): string[] | null {
  const p = ctx.positions;
  if (fields.length === p.count) return fields;
  const spill = fields.length > p.count && p.category === p.count - 1 && ctx.roles.categorySeparator === ctx.delimiter;
  return spill ? [...fields.slice(0, p.count - 1), fields.slice(p.count - 1).join(ctx.delimiter)] : null;
}

/** Converts one record (see `alignCells` for rows with extra fields). */
export function convertRow(fields: string[], ctx: RowContext): RowOutcome {
  const { roles, positions: p } = ctx;
  const cells = alignCells(fields, ctx);
  if (!cells) return { ok: false, reason: 'column_count', message: `${fields.length} campi invece di ${p.count}` };
  const legacyId = cells[p.id]?.trim() ?? '';
  if (legacyId === '') return { ok: false, reason: 'missing_id', message: `identificativo vuoto nella colonna «${roles.id}»` };
  const createdRaw = cells[p.createdAt] ?? '';
  const createdAt = parseLegacyDate(createdRaw, roles.createdFormat, roles.timeZone);
  if (!createdAt) return { ok: false, reason: 'bad_date', message: `data di apertura «${createdRaw.slice(0, 40)}» non nel formato ${roles.createdFormat}` };
  let closedAt: Date | null = null;
  if (p.closedAt !== null) {
    const raw = cells[p.closedAt] ?? '';
    if (raw.trim() !== '') {
      closedAt = parseLegacyDate(raw, roles.closedFormat ?? roles.createdFormat, roles.timeZone);
      if (!closedAt) return { ok: false, reason: 'bad_date', message: `data di chiusura «${raw.slice(0, 40)}» non nel formato ${roles.closedFormat ?? roles.createdFormat}` };
    }
  }
  const values = splitCategories(cells[p.category] ?? '', roles.categorySeparator ?? null);
  const channel = p.channel === null ? null : blankToNull(cells[p.channel]);
  const status = p.status === null ? null : blankToNull(cells[p.status]);
  const resolved = ctx.mapping.classify(values, channel, status);
  if (!resolved.classification && ctx.unmappedPolicy === 'skip') {
    const shown = values.length === 0 ? 'vuota' : `«${combinationOf(values).slice(0, 80)}»`;
    return { ok: false, reason: 'unmapped_category', message: `categoria ${shown} senza mappatura`, unmappedCategories: resolved.unmappedCategories };
  }
  const text = p.text.map((i) => cells[i]?.trim() ?? '').filter((t) => t !== '').join('\n\n');
  return {
    ok: true,
    contact: {
      legacyId,
      createdAt,
      closedAt,
      legacyChannel: channel,
      legacyCategory: values.length === 0 ? null : combinationOf(values),
      legacyStatus: status,
      classification: resolved.classification ?? resolved.partial,
      classified: resolved.classification !== null,
      text: text === '' ? null : text,
    },
    unmappedCategories: resolved.unmappedCategories,
    unmappedChannel: resolved.unmappedChannel,
    unmappedStatus: resolved.unmappedStatus,
  };
}
