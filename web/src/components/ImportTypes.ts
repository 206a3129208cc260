/** Names for the historical-import API's shapes, all taken from the generated schema. */
import type { ApiRequestBody, ApiResponseBody } from '../api/client.js';

export type HistoryImport = ApiResponseBody<'/history-imports/{id}'>;
export type ImportReport = NonNullable<HistoryImport['report']>;
export type ValueCount = ImportReport['unmappedCategories'][number];
export type ColumnRoles = ApiRequestBody<'/history-imports/{id}/columns', 'put'>;
export type DateFormat = ColumnRoles['createdFormat'];
export const DATE_FORMATS = ['iso', 'dmy', 'mdy'] as const satisfies readonly DateFormat[];

export type HistoryMapping = ApiResponseBody<'/history-mappings/{id}'>;
export type CategoryRule = HistoryMapping['categories'][number];

export type DistinctValues = ApiResponseBody<'/history-imports/{id}/values'>;
export type LegacyValue = DistinctValues['categories'][number];

/** Same normalisation as the server (mapping.ts legacyKey). */
export function legacyKey(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function delimiterLabel(d: string): string {
  return d === '\t' ? 'TAB' : d;
}
