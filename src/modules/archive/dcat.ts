/**
 * The DCAT-AP_IT description of an open-data export of the archive (issue 13): `catalog.jsonld`,
 * next to the files, ready for harvesting by dati.gov.it (CKAN with ckanext-dcatapit) or any DCAT
 * harvester. Pure: it describes what archive-export.ts wrote.
 *
 * Mandatory properties of DCAT-AP_IT covered:
 * - dcatapit:Catalog: dct:title, dct:description, dct:publisher, dct:modified, dcat:dataset
 *   (and dct:language, foaf:homepage, recommended);
 * - dcatapit:Dataset: dct:identifier (`<IPA>:<dataset>`, the national pattern `codiceIPA:D.n` is
 *   assigned by dati.gov.it on harvest), dct:title and dct:description in Italian and English,
 *   dct:modified, dcat:theme (EU data theme GOVE), dct:rightsHolder (a dcatapit:Agent whose
 *   dct:identifier is the IPA code), dct:accrualPeriodicity (EU frequency vocabulary),
 *   dcat:distribution; recommended: dct:publisher, dct:issued, dcat:contactPoint
 *   (dcatapit:Organization, a vcard:Organization), dct:language, dct:temporal, dcat:keyword;
 * - dcatapit:Distribution: dct:format (EU file-type vocabulary: CSV, PARQUET), dcat:accessURL,
 *   dct:license (dcatapit:LicenseDocument, CC BY 4.0, with its ADMS licence type); recommended:
 *   dcat:downloadURL, dct:title, dct:description, dcat:byteSize, dct:modified.
 */

export const DCATAPIT = 'http://dati.gov.it/onto/dcatapit#';
const EU = 'http://publications.europa.eu/resource/authority';
export const FILE_TYPES = { csv: `${EU}/file-type/CSV`, parquet: `${EU}/file-type/PARQUET` } as const;
export const MEDIA_TYPES = { csv: 'text/csv', parquet: 'application/vnd.apache.parquet' } as const;
export const CC_BY_4 = 'https://creativecommons.org/licenses/by/4.0/';
export const CATALOG_FILE = 'catalog.jsonld';

const CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dcatapit: DCATAPIT,
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  schema: 'http://schema.org/',
};

export interface DcatAgent {
  /** IPA code of the body (dct:identifier of the dcatapit:Agent). */
  ipaCode: string;
  name: string;
}

export interface DcatDistributionInput {
  /** File name relative to the export directory (`month=2026-01/part-0.parquet`, `archive-2026-01.csv`). */
  name: string;
  format: 'csv' | 'parquet';
  rows: number;
  bytes: number;
  /** The period the file covers (`2026-01`, `2026-Q1`, `2026`). */
  period: string;
}

export interface CatalogInput {
  /** Public address of the platform (distributions and identifiers are URLs under it). */
  baseUrl: string;
  /** Where the files are served (accessURL/downloadURL are `${filesUrl}/${name}`). */
  filesUrl: string;
  /** Local identifier of the dataset. */
  datasetId: string;
  rightsHolder: DcatAgent;
  /** Publisher of the catalog and dataset (default: the rights holder). */
  publisher?: DcatAgent;
  contact: { name: string; email: string | null };
  modified: Date;
  issued?: Date;
  /** First and last day (YYYY-MM-DD) of the contacts released. */
  temporal: { start: string | null; end: string | null };
  distributions: readonly DcatDistributionInput[];
  k: number;
  /** The granularity of the released period, `day`…`year`, stated in the description. */
  periodGranularity: string;
  includesText: boolean;
}

const it = (value: string) => ({ '@language': 'it', '@value': value });
const en = (value: string) => ({ '@language': 'en', '@value': value });
const date = (d: Date) => ({ '@type': 'xsd:date', '@value': d.toISOString().slice(0, 10) });
const trimSlash = (s: string) => s.replace(/\/+$/, '');

function agent(baseUrl: string, a: DcatAgent) {
  return {
    '@id': `${trimSlash(baseUrl)}/api/v1/archive/agents/${encodeURIComponent(a.ipaCode)}`,
    '@type': ['foaf:Agent', 'dcatapit:Agent'],
    'dct:identifier': a.ipaCode,
    'foaf:name': it(a.name),
  };
}

/** The catalog of one export as JSON-LD (a dcatapit:Catalog with one dcatapit:Dataset). */
export function buildCatalog(input: CatalogInput): Record<string, unknown> {
  const base = trimSlash(input.baseUrl);
  const files = trimSlash(input.filesUrl);
  const publisher = input.publisher ?? input.rightsHolder;
  const datasetUri = `${base}/api/v1/archive/datasets/${encodeURIComponent(input.datasetId)}`;
  const license = {
    '@id': CC_BY_4,
    '@type': ['dct:LicenseDocument', 'dcatapit:LicenseDocument'],
    'dct:type': { '@id': 'http://purl.org/adms/licencetype/Attribution' },
    'foaf:name': 'Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)',
    'dcatapit:hasVersionInfo': '4.0',
  };
  const textNote = input.includesText
    ? { it: ' Include il testo delle richieste con i dati personali sostituiti da segnaposto: uso interno, non pubblicare.', en: ' It includes the text of the requests with personal data replaced by placeholders: internal use, do not publish.' }
    : { it: '', en: '' };
  // Hive partition directories keep their `=` (`month=2026-01/part-0.parquet`): valid in a path, and what readers expect.
  const fileUrl = (name: string) => `${files}/${name.split('/').map((seg) => encodeURIComponent(seg).replaceAll('%3D', '=')).join('/')}`;
  const distributions = input.distributions.map((d) => ({
    '@id': `${datasetUri}/distributions/${encodeURIComponent(d.name)}`,
    '@type': ['dcat:Distribution', 'dcatapit:Distribution'],
    'dct:title': [it(`Contatti URP anonimizzati, ${d.period} (${d.format.toUpperCase()})`), en(`Anonymised URP contacts, ${d.period} (${d.format.toUpperCase()})`)],
    'dct:description': [it(`${d.rows} contatti del periodo ${d.period}.`), en(`${d.rows} contacts of the period ${d.period}.`)],
    'dct:format': { '@id': FILE_TYPES[d.format] },
    'dcat:mediaType': MEDIA_TYPES[d.format],
    'dcat:accessURL': { '@id': fileUrl(d.name) },
    'dcat:downloadURL': { '@id': fileUrl(d.name) },
    'dcat:byteSize': { '@type': 'xsd:decimal', '@value': String(d.bytes) },
    'dct:license': license,
    'dct:modified': date(input.modified),
  }));
  const temporal =
    input.temporal.start && input.temporal.end
      ? {
          '@type': 'dct:PeriodOfTime',
          'dcat:startDate': { '@type': 'xsd:date', '@value': input.temporal.start },
          'dcat:endDate': { '@type': 'xsd:date', '@value': input.temporal.end },
          'schema:startDate': { '@type': 'xsd:date', '@value': input.temporal.start },
          'schema:endDate': { '@type': 'xsd:date', '@value': input.temporal.end },
        }
      : undefined;
  const dataset = {
    '@id': datasetUri,
    '@type': ['dcat:Dataset', 'dcatapit:Dataset'],
    'dct:identifier': `${input.rightsHolder.ipaCode}:${input.datasetId}`,
    'dct:title': [it('Contatti con gli Uffici Relazioni con il Pubblico (archivio anonimizzato)'), en('Contacts with the public relations offices (URP), anonymised archive')],
    'dct:description': [
      it(
        `Richieste dei cittadini agli URP della rete, classificate con la tassonomia comune: canale, tema, territorio, periodo, tempi di risposta e di risoluzione, esito e soddisfazione. I dati sono anonimi: nessun dato personale; ogni combinazione di ufficio, periodo (${input.periodGranularity}), tema, territorio e canale riguarda almeno ${input.k} contatti (k-anonimato), le combinazioni più rare sono omesse.${textNote.it}`,
      ),
      en(
        `Citizens' requests to the network's URP offices, classified with the common taxonomy: channel, topic, territory, period, response and resolution times, outcome and satisfaction. The data are anonymous: no personal data; every combination of office, period (${input.periodGranularity}), topic, territory and channel covers at least ${input.k} contacts (k-anonymity), the rarest combinations are left out.${textNote.en}`,
      ),
    ],
    'dct:modified': date(input.modified),
    ...(input.issued && { 'dct:issued': date(input.issued) }),
    'dcat:theme': { '@id': `${EU}/data-theme/GOVE`, '@type': 'skos:Concept', 'skos:prefLabel': it('Governo e settore pubblico') },
    'dcat:keyword': [it('URP'), it('relazioni con il pubblico'), it('contact center'), it('pubblica amministrazione'), en('public services')],
    'dct:rightsHolder': agent(base, input.rightsHolder),
    'dct:publisher': agent(base, publisher),
    'dct:accrualPeriodicity': { '@id': `${EU}/frequency/MONTHLY` },
    'dct:language': { '@id': `${EU}/language/ITA` },
    'dcat:contactPoint': {
      '@id': `${datasetUri}/contact`,
      '@type': ['vcard:Organization', 'dcatapit:Organization', 'vcard:Kind'],
      'vcard:fn': input.contact.name,
      ...(input.contact.email && { 'vcard:hasEmail': { '@id': `mailto:${input.contact.email}` } }),
    },
    ...(temporal && { 'dct:temporal': temporal }),
    'dcat:distribution': distributions,
  };
  return {
    '@context': CONTEXT,
    '@id': `${base}/api/v1/archive/catalog`,
    '@type': ['dcat:Catalog', 'dcatapit:Catalog'],
    'dct:title': [it('Catalogo dei dati aperti della rete degli URP'), en('Open data catalogue of the URP network')],
    'dct:description': [it("Dati aperti dell'archivio anonimizzato dei contatti della rete degli URP."), en('Open data from the anonymised archive of contacts of the URP network.')],
    'dct:publisher': agent(base, publisher),
    'dct:modified': date(input.modified),
    'dct:language': { '@id': `${EU}/language/ITA` },
    'foaf:homepage': { '@id': `${base}/` },
    'dcat:dataset': [dataset],
  };
}
