/**
 * Parsing of the FAQ exchange format (JSON Lines, one FAQ per line, as in
 * shared/data/faq/corpus.jsonl): `id, title, body, tema, tipo, ente_competente, scope, owner, tags,
 * lang` and, for translations, `translation_of`. Every problem is reported with its line number;
 * the valid lines are returned for import. Pure, no I/O.
 */
import { SEARCH_LANGUAGES, type SearchLanguage } from '../../platform/text/text-analysis.js';

/** Scopes found in exchange files: network-wide, or the kind of body that owns a local FAQ. */
export const FILE_SCOPES = ['network', 'organisation', 'comune', 'regione', 'provincia', 'citta_metropolitana', 'asl', 'ente_nazionale', 'altro'] as const;

export interface FaqRecord {
  line: number;
  id: string;
  title: string;
  body: string;
  tema: string | null;
  tipo: string | null;
  enteCompetente: string | null;
  scope: (typeof FILE_SCOPES)[number];
  owner: string;
  tags: string[];
  lang: SearchLanguage;
  translationOf: string | null;
}

/** A problem of one line of an import file: `message` in Italian, `en` in English. */
export interface LineProblem {
  line: number;
  id?: string;
  message: string;
  en: string;
}

/** One problem's text in both languages, joined per line into a LineProblem. */
interface Problem {
  it: string;
  en: string;
}

const joined = (problems: Problem[]) => ({ message: problems.map((p) => p.it).join('; '), en: problems.map((p) => p.en).join('; ') });

const EXTERNAL_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
const CODE = /^[a-z0-9_.]{1,120}$/;
const KNOWN_FIELDS = new Set(['id', 'title', 'body', 'tema', 'tipo', 'ente_competente', 'scope', 'owner', 'tags', 'lang', 'translation_of', 'status', 'version']);

function text(v: unknown, field: string, min: number, max: number, problems: Problem[]): string {
  if (typeof v !== 'string') {
    problems.push({ it: `«${field}» mancante o non testuale`, en: `“${field}” is missing or not text` });
    return '';
  }
  const s = v.trim();
  if (s.length < min || s.length > max) problems.push({ it: `«${field}» deve avere da ${min} a ${max} caratteri (ne ha ${s.length})`, en: `“${field}” must have ${min} to ${max} characters (it has ${s.length})` });
  return s;
}

function code(v: unknown, field: string, problems: Problem[]): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || !CODE.test(v)) {
    problems.push({ it: `«${field}» non è un codice di tassonomia valido`, en: `“${field}” is not a valid taxonomy code` });
    return null;
  }
  return v;
}

/** Parses one JSONL document; blank lines are skipped, duplicates of an id are refused after the first. */
export function parseFaqLines(content: string): { records: FaqRecord[]; errors: LineProblem[] } {
  const records: FaqRecord[] = [];
  const errors: LineProblem[] = [];
  const seen = new Map<string, number>();
  const lines = content.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const source = raw.trim();
    if (source === '') return;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (err) {
      errors.push({ line, message: `JSON non valido: ${(err as Error).message}`, en: `Invalid JSON: ${(err as Error).message}` });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      errors.push({ line, message: 'ogni riga deve essere un oggetto JSON', en: 'every line must be a JSON object' });
      return;
    }
    const o = value as Record<string, unknown>;
    const problems: Problem[] = [];
    const id = typeof o.id === 'string' ? o.id.trim() : '';
    if (!EXTERNAL_ID.test(id)) problems.push({ it: '«id» mancante o non valido (lettere, cifre, _ . : -, massimo 100 caratteri)', en: '“id” is missing or invalid (letters, digits, _ . : -, at most 100 characters)' });
    const unknown = Object.keys(o).filter((k) => !KNOWN_FIELDS.has(k));
    if (unknown.length > 0) problems.push({ it: `campi sconosciuti: ${unknown.join(', ')}`, en: `unknown fields: ${unknown.join(', ')}` });
    const title = text(o.title, 'title', 3, 300, problems);
    const body = text(o.body, 'body', 1, 20_000, problems);
    const scope = o.scope ?? 'network';
    if (!FILE_SCOPES.includes(scope as FaqRecord['scope'])) problems.push({ it: `«scope» non ammesso: valori ammessi ${FILE_SCOPES.join(', ')}`, en: `“scope” not allowed: allowed values ${FILE_SCOPES.join(', ')}` });
    const owner = o.owner === undefined || o.owner === null ? 'Rete URP' : text(o.owner, 'owner', 1, 200, problems);
    const lang = o.lang ?? 'it';
    if (!SEARCH_LANGUAGES.includes(lang as SearchLanguage)) problems.push({ it: `«lang» non ammessa: lingue ammesse ${SEARCH_LANGUAGES.join(', ')}`, en: `“lang” not allowed: allowed languages ${SEARCH_LANGUAGES.join(', ')}` });
    let tags: string[] = [];
    if (o.tags !== undefined && o.tags !== null) {
      if (!Array.isArray(o.tags) || o.tags.some((t) => typeof t !== 'string' || t.trim() === '' || t.length > 100) || o.tags.length > 50) {
        problems.push({ it: '«tags» deve essere un elenco di al massimo 50 etichette testuali', en: '“tags” must be a list of at most 50 text labels' });
      } else tags = [...new Set((o.tags as string[]).map((t) => t.trim()))];
    }
    const translationOf = o.translation_of === undefined || o.translation_of === null ? null : String(o.translation_of);
    if (translationOf !== null && !EXTERNAL_ID.test(translationOf)) problems.push({ it: '«translation_of» non è un id valido', en: '“translation_of” is not a valid id' });
    if (translationOf !== null && translationOf === id) problems.push({ it: '«translation_of» non può indicare la FAQ stessa', en: '“translation_of” cannot point to the FAQ itself' });
    const record: FaqRecord = {
      line, id, title, body, scope: scope as FaqRecord['scope'], owner, tags, lang: lang as SearchLanguage, translationOf,
      tema: code(o.tema, 'tema', problems), tipo: code(o.tipo, 'tipo', problems), enteCompetente: code(o.ente_competente, 'ente_competente', problems),
    };
    if (problems.length === 0 && seen.has(id)) problems.push({ it: `«id» ${id} già presente alla riga ${seen.get(id)}: riga ignorata`, en: `“id” ${id} already present on line ${seen.get(id)}: line skipped` });
    if (problems.length > 0) {
      errors.push({ line, ...(id ? { id } : {}), ...joined(problems) });
      return;
    }
    seen.set(id, line);
    records.push(record);
  });
  return { records, errors };
}
