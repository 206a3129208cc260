/** Shapes of the historical-import API (src/modules/history-import/history-import.schemas.ts). */
export type DateFormat = 'iso' | 'dmy' | 'mdy';
export const DATE_FORMATS: readonly DateFormat[] = ['iso', 'dmy', 'mdy'];

export interface ColumnRoles {
  id: string;
  createdAt: string;
  createdFormat: DateFormat;
  closedAt?: string;
  closedFormat?: DateFormat;
  channel?: string;
  text?: string[];
  category: string;
  categorySeparator?: string;
  status?: string;
  timeZone: string;
}

export interface ValueCount {
  value: string;
  count: number;
}

export interface ImportReport {
  mode: 'dry_run' | 'commit';
  unmappedPolicy: 'skip' | 'unclassified';
  totalRows: number;
  imported: number;
  unclassified: number;
  alreadyPresent: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  rejectedRows: { line: number; reason: string; message: string }[];
  unmappedCategories: ValueCount[];
  unmappedChannels: ValueCount[];
  unmappedStatuses: ValueCount[];
  truncated: boolean;
}

export interface HistoryImport {
  id: string;
  organisationId: string;
  source: string;
  filename: string;
  size: number;
  compression: string;
  encoding: string;
  delimiter: string;
  hasHeader: boolean;
  columns: string[];
  rowCount: number;
  settings: ColumnRoles | null;
  mappingId: string | null;
  unmappedPolicy: 'skip' | 'unclassified' | null;
  status: 'uploaded' | 'configured' | 'checked' | 'committing' | 'committed' | 'failed';
  report: ImportReport | null;
  importedCount: number;
  fileAvailable: boolean;
  createdAt: string;
  committedAt: string | null;
  /** Commit progress: rows read out of the file's rows (null before any commit). */
  progress: { done: number; total: number } | null;
  error: { code: string; message: string } | null;
  preview?: { rows: { line: number; cells: string[] }[]; dateFormats: Record<string, DateFormat[]> } | null;
}

export interface CategoryRule {
  legacy: string;
  tema: string;
  tipo?: string;
  canale?: string;
  esito?: string;
}

export interface HistoryMapping {
  id: string;
  organisationId: string;
  name: string;
  version: number;
  taxonomyVersion: string;
  description: string | null;
  categories: CategoryRule[];
  channels: { legacy: string; canale: string }[];
  statuses: { legacy: string; esito: string }[];
  createdAt: string;
}

export interface LegacyValue {
  value: string;
  count: number;
  mapped: boolean | null;
}

export interface DistinctValues {
  categories: LegacyValue[];
  combinations: LegacyValue[];
  channels: LegacyValue[];
  statuses: LegacyValue[];
  truncated: boolean;
}

/** Same normalisation as the server (mapping.ts legacyKey). */
export function legacyKey(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function delimiterLabel(d: string): string {
  return d === '\t' ? 'TAB' : d;
}
