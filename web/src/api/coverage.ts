/**
 * Names for the competence coverage report's shapes (GET /api/v1/competences/coverage), derived from
 * the generated schema like those of api/types.ts: one answer type, whose topic, provinces and comuni
 * are there when a topic was asked for.
 */
import { type ApiResponseBody, buildUrl } from './client.js';

export type RegionCoverage = ApiResponseBody<'/competences/coverage'>;
export type CoverageTopicSummary = RegionCoverage['topics'][number];
export type CoverageProvince = NonNullable<RegionCoverage['provinces']>[number];
export type CoverageComune = NonNullable<RegionCoverage['comuni']>[number];
export type CoverageOffice = CoverageComune['offices'][number];
export type CoverageVia = CoverageOffice['via'];

/** The per-comune CSV of one topic, as a plain link (the session cookie goes with it). */
export function coverageCsvUrl(region: string, topic: string): string {
  return buildUrl('/competences/coverage', { region, topic, format: 'csv' });
}
