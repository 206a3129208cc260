import type { Database } from '../../db/database.js';
import { recordEvent } from '../../platform/events.js';
import type { Trx } from '../../platform/http.js';
import { listOrganisations, type Organisation } from '../identity/index.js';
import { type FaqRecord, type LineProblem, parseFaqLines } from './faq-import.js';
import { renderTemplate } from './faq-template.js';
import { knowledgeErrors as errors } from './knowledge.errors.js';
import * as repo from './knowledge.repository.js';
import { placeOfOrganisationName } from './place-names.js';
import { analyseTerms, normaliseText } from '../../platform/text/text-analysis.js';
import type { ThesaurusEntry } from '../../platform/text/thesaurus.js';

type Db = Database | Trx;

export interface ImportReport {
  /** Non-blank lines read. */
  lines: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errors: LineProblem[];
  warnings: LineProblem[];
}

/**
 * Who owns an imported FAQ. A local FAQ ("scope": "comune", "owner": "Comune di Celano") belongs to
 * the organisation of the network with that name; when the owner is not a member of the network the
 * FAQ is kept network-wide with its owner's name as label (and its place still drives the local
 * boost), and a warning says so.
 */
function ownership(record: FaqRecord, byName: Map<string, Organisation>): { scope: repo.FaqScope; organisationId: string | null; warning: { message: string; en: string } | null } {
  if (record.scope === 'network') return { scope: 'network', organisationId: null, warning: null };
  const org = byName.get(normaliseText(record.owner));
  if (org) return { scope: 'organisation', organisationId: org.id, warning: null };
  return { scope: 'network', organisationId: null, warning: { message: `«${record.owner}» non è un ente della rete: la FAQ è trattata come FAQ di rete con questo titolare`, en: `“${record.owner}” is not a body of the network: the FAQ is treated as a network FAQ with this owner` } };
}

function sameContent(a: repo.Faq, b: repo.FaqWrite): boolean {
  return (
    a.title === b.title && a.body === b.body && a.tema === b.tema && a.tipo === b.tipo && a.enteCompetente === b.enteCompetente &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags) && a.lang === b.lang && a.ownerLabel === b.ownerLabel && a.scope === b.scope &&
    a.organisationId === b.organisationId && a.canonicalId === b.canonicalId && a.status === b.status
  );
}

/**
 * Imports FAQs from JSON Lines: new external ids are inserted, known ones updated in place (new
 * version, snapshot kept) or left alone when nothing changed. Malformed lines are reported with
 * their line number and skipped; the valid ones are imported, published, in one transaction.
 */
export async function importFaqs(trx: Trx, content: string, options: { actorId?: string | null; now?: Date } = {}): Promise<ImportReport> {
  const now = options.now ?? new Date();
  const actorId = options.actorId ?? null;
  const { records, errors: parseErrors } = parseFaqLines(content);
  const report: ImportReport = { lines: records.length + parseErrors.length, inserted: 0, updated: 0, unchanged: 0, errors: [...parseErrors], warnings: [] };
  if (report.lines === 0) throw errors.importEmpty();
  const byName = new Map((await listOrganisations(trx)).map((o) => [normaliseText(o.name), o]));
  const existing = new Map<string, repo.Faq>();
  for (const f of await repo.listFaqs(trx, repo.FAQ_STATUSES)) if (f.externalId) existing.set(f.externalId, f);

  const idOf = new Map<string, string>([...existing].map(([ext, f]) => [ext, f.id]));
  const changedIds: string[] = [];
  const updated: { id: string; record: FaqRecord }[] = [];
  // Canonical articles first, so that translations in the same file find them.
  for (const group of [records.filter((r) => r.translationOf === null), records.filter((r) => r.translationOf !== null)]) {
    const inserts: { record: FaqRecord; write: repo.FaqWrite }[] = [];
    for (const record of group) {
      let canonicalId: string | null = null;
      if (record.translationOf !== null) {
        canonicalId = idOf.get(record.translationOf) ?? null;
        if (!canonicalId) {
          report.errors.push({ line: record.line, id: record.id, message: `«translation_of»: nessuna FAQ con id ${record.translationOf}`, en: `“translation_of”: no FAQ with id ${record.translationOf}` });
          continue;
        }
      }
      const owner = ownership(record, byName);
      if (owner.warning) report.warnings.push({ line: record.line, id: record.id, ...owner.warning });
      const write: repo.FaqWrite = {
        externalId: record.id, organisationId: owner.organisationId, scope: owner.scope, ownerLabel: record.owner, canonicalId, lang: record.lang,
        title: record.title, body: record.body, tema: record.tema, tipo: record.tipo, enteCompetente: record.enteCompetente, tags: record.tags,
        status: 'published',
      };
      const current = existing.get(record.id);
      if (!current) {
        inserts.push({ record, write });
      } else if (sameContent(current, write)) {
        report.unchanged++;
      } else {
        const version = await repo.updateFaq(trx, current.id, current.version, write, actorId, now);
        if (version === null) throw new Error(`FAQ ${record.id} changed during the import`);
        changedIds.push(current.id);
        updated.push({ id: current.id, record });
        report.updated++;
      }
    }
    const ids = await repo.insertFaqs(trx, inserts.map((i) => i.write), actorId, now);
    ids.forEach((id, k) => {
      idOf.set(inserts[k]!.record.id, id);
    });
    changedIds.push(...ids);
    report.inserted += ids.length;
  }
  await repo.snapshotVersions(trx, changedIds, actorId, 'importazione');
  // The import replaces the live text; an edit in progress in the editorial workflow was based on the
  // previous one and would replace the imported text when published: tell who imports.
  const pending = await repo.withPendingRevision(trx, updated.map((u) => u.id));
  for (const u of updated) {
    if (pending.has(u.id)) {
      report.warnings.push({ line: u.record.line, id: u.record.id, message: 'la FAQ ha una modifica in corso in redazione, scritta sul testo precedente: rivedila prima di pubblicarla', en: 'the FAQ has an editorial change in progress, written on the previous text: review it before publishing' });
    }
  }
  report.warnings.sort((a, b) => a.line - b.line);
  report.errors.sort((a, b) => a.line - b.line);
  if (changedIds.length > 0) {
    await recordEvent(trx, 'faq.imported', { payload: { inserted: report.inserted, updated: report.updated } });
  }
  return report;
}

/** One FAQ in the exchange format (re-importable: same fields as the import). */
export interface FaqExportRecord {
  id: string;
  title: string;
  body: string;
  tema: string | null;
  tipo: string | null;
  ente_competente: string | null;
  scope: string;
  owner: string;
  tags: string[];
  lang: string;
  translation_of?: string;
  status: string;
  version: number;
}

/** Every FAQ in the given statuses (default: published), canonical articles before translations. */
export async function exportFaqs(db: Db, statuses: readonly repo.FaqStatus[] = ['published']): Promise<FaqExportRecord[]> {
  const orgs = new Map((await listOrganisations(db)).map((o) => [o.id, o]));
  return (await repo.listFaqs(db, statuses)).map((f) => ({
    id: f.externalId ?? f.id,
    title: f.title,
    body: f.body,
    tema: f.tema,
    tipo: f.tipo,
    ente_competente: f.enteCompetente,
    scope: f.organisationId ? (orgs.get(f.organisationId)?.type ?? 'organisation') : f.ownerLabel === 'Rete URP' || !placeOfOrganisationName(f.ownerLabel) ? 'network' : 'altro',
    owner: f.ownerLabel,
    tags: f.tags,
    lang: f.lang,
    ...(f.canonicalId ? { translation_of: f.canonicalExternalId ?? f.canonicalId } : {}),
    status: f.status,
    version: f.version,
  }));
}

/** A FAQ by internal id; drafts and archived ones only when `includeUnpublished`. */
export async function getFaq(db: Db, id: string, includeUnpublished: boolean, now: Date = new Date()): Promise<repo.Faq & { translations: { id: string; lang: string; title: string }[] }> {
  const faq = await repo.findFaq(db, id);
  if (!faq) throw errors.faqNotFound({ id });
  const linked = (await repo.listTranslations(db, faq.canonicalId ?? faq.id)).filter((t) => t.id !== faq.id);
  if (includeUnpublished) return { ...faq, translations: linked.map(({ id: tid, lang, title }) => ({ id: tid, lang, title })) };
  // Readers see what search sees: live FAQs (scheduled ones from their instant, never expired ones),
  // network templates with their default wording.
  const live = await repo.liveIds(db, [faq.id, ...linked.map((t) => t.id)], now);
  if (!live.has(faq.id)) throw errors.faqNotFound({ id });
  const translations = linked.filter((t) => live.has(t.id));
  return {
    ...faq, title: renderTemplate(faq.title), body: renderTemplate(faq.body),
    translations: translations.map(({ id: tid, lang, title }) => ({ id: tid, lang, title: renderTemplate(title) })),
  };
}

/** Adds a group of equivalent terms to the thesaurus (takes effect at the next index refresh). */
export async function addThesaurusEntry(trx: Trx, actorId: string, entry: ThesaurusEntry & { note?: string | null }): Promise<repo.StoredThesaurusEntry> {
  const terms = [...new Set(entry.terms.map((t) => t.trim()).filter((t) => t !== ''))];
  const distinct = new Set(terms.map((t) => analyseTerms(t, entry.lang).join(' ')).filter((k) => k !== ''));
  if (distinct.size < 2) throw errors.thesaurusEntryInvalid();
  const stored = await repo.insertThesaurusEntry(trx, { kind: entry.kind, lang: entry.lang, terms, note: entry.note ?? null }, actorId);
  await recordEvent(trx, 'faq.thesaurus_changed', { aggregateId: stored.id, payload: { id: stored.id } });
  return stored;
}

export async function removeThesaurusEntry(trx: Trx, id: string): Promise<void> {
  if (!(await repo.deleteThesaurusEntry(trx, id))) throw errors.thesaurusEntryNotFound({ id });
  await recordEvent(trx, 'faq.thesaurus_changed', { aggregateId: id, payload: { id, deleted: true } });
}

/** The whole thesaurus, oldest entries first. */
export function listThesaurus(db: Db): Promise<repo.StoredThesaurusEntry[]> {
  return repo.listThesaurus(db);
}
