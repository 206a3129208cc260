import { type ApiQuery, type ApiResponseBody, apiGet, client, unwrap } from '../api/client.js';

/** The archive's release routes (aggregates, records, open-data exports), typed from the generated schema. */

export type ArchiveAggregatesView = ApiResponseBody<'/archive/aggregates'>;
export type ArchiveRecordsView = ApiResponseBody<'/archive/records'>;
export type ArchiveExportView = ApiResponseBody<'/archive/exports/{id}'>;
export type ArchiveFilterQuery = Omit<ApiQuery<'/archive/records'>, 'limit' | 'offset'>;
export type AggregateDimension = ApiQuery<'/archive/aggregates'>['dimension'];
export type PeriodGranularity = ApiQuery<'/archive/aggregates'>['granularity'];

export const CATALOG_FILE = 'catalog.jsonld';

export async function fetchAggregates(query: ApiQuery<'/archive/aggregates'>): Promise<ArchiveAggregatesView> {
  return (await apiGet('/archive/aggregates', { query })).data;
}

export async function fetchRecords(query: ApiQuery<'/archive/records'>): Promise<ArchiveRecordsView> {
  return (await apiGet('/archive/records', { query })).data;
}

export async function startExport(body: { format: 'csv' | 'parquet'; includeText: boolean }): Promise<ArchiveExportView> {
  return (await unwrap(client.POST('/archive/exports', { body }))).data;
}

export async function fetchExport(id: string): Promise<ArchiveExportView> {
  return (await apiGet('/archive/exports/{id}', { path: { id } })).data;
}

/** Where a file of an export is downloaded: the server's own link, else built (a name may hold a `/`: `month=2026-01/part-0.parquet`). */
export function exportFileUrl(exp: Pick<ArchiveExportView, 'id' | 'files'>, name: string): string {
  return exp.files.find((f) => f.name === name)?.url ?? `/api/v1/archive/exports/${encodeURIComponent(exp.id)}/files/${name.split('/').map(encodeURIComponent).join('/')}`;
}
