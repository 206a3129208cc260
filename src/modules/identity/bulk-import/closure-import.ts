/**
 * Patron saints and local closures of offices in bulk (issue 11), for `urpnet import closures` and
 * the admin page, with the conventions of the other onboarding imports (bulk-import.service.ts):
 * the whole file is read and checked, each bad line reported with its number and reason, then all
 * or nothing is written — or the good lines only, when asked — and a dry run writes nothing.
 *
 * What the SLA clocks see: the entries go into the office calendar (`patronDays`, `closures`), which
 * `addBusinessMinutes` (office-calendar.ts) skips like a national holiday.
 *
 * Re-importing the same file changes nothing: an entry already in the calendar is left alone
 * (a patron day is the same day-month, a closure the same first and last day; a new name or reason
 * updates it). Overlapping closures of one office are reported, never merged: merging would rewrite
 * what the office entered by hand and lose one of the two reasons, and a report says exactly which
 * dates to fix. Two lines giving the same office the same day under different names are reported
 * too (the file would otherwise not say the same thing twice in a row).
 */
import { sql } from 'kysely';
import type { Database } from '../../../db/database.js';
import type { Trx } from '../../../platform/http.js';
import { bulkImportErrors } from './bulk-import.errors.js';
import * as repo from './bulk-import.repository.js';
import type { ImportContext, ImportOptions, OnBadLine } from './bulk-import.service.js';
import { canManageNetwork } from '../../../platform/policy.js';
import { assertCanManageOrganisation } from '../identity.service.js';
import { closureImportErrors as errors } from './closure-import.errors.js';
import { type CalendarEntry, type ClosureProblem, type ClosureRow, closureProblem, readClosureRows, shownDate } from './closure-rows.js';
import { type CsvInput, type FileEncoding, readCsvInput, SEPARATOR_NAMES } from './csv-input.js';
import { parseCalendar } from '../identity.repository.js';
import type { Closure, OfficeCalendar } from '../office-calendar.js';

export interface ClosureImportReport {
  kind: 'closures';
  dryRun: boolean;
  onBadLine: OnBadLine;
  written: boolean;
  encoding: FileEncoding;
  separator: 'tab' | 'comma' | 'semicolon';
  columns: { used: string[]; ignored: string[]; unknown: string[] };
  /** Data lines read (the header excluded). */
  rows: number;
  /** Lines without problems (written unless a dry run). */
  accepted: number;
  /** Entries (one per office a line applies to) added to a calendar, renamed, or already there. */
  inserted: number;
  updated: number;
  unchanged: number;
  /** Offices whose calendar changes. */
  offices: number;
  problems: ClosureProblem[];
}

type PatronDay = NonNullable<OfficeCalendar['patronDays']>[number];

interface OfficeState {
  id: string;
  slug: string;
  name: string;
  organisationId: string;
  closures: Closure[];
  patronDays: PatronDay[];
  /** Which line of the file last gave each entry (`p:MM-DD`, `c:FROM:TO`): the others are stored. */
  fromLine: Map<string, number>;
  changed: boolean;
}

const keyOf = (e: CalendarEntry) => (e.kind === 'patron' ? `p:${e.month}-${e.day}` : `c:${e.from}:${e.to}`);

function readFile(bytes: Uint8Array): CsvInput {
  const read = readCsvInput(bytes);
  if (read.ok) return read.input;
  switch (read.failure.kind) {
    case 'empty':
      throw bulkImportErrors.emptyFile();
    case 'utf16':
      throw bulkImportErrors.utf16File();
    case 'binary':
      throw bulkImportErrors.binaryFile();
    case 'record_too_long':
      throw bulkImportErrors.recordTooLong({ line: read.failure.line });
  }
}

/** Who imports: as for the other imports, but no job is ever queued. */
export type ClosureImportContext = Omit<ImportContext, 'jobs'>;

/**
 * A coordinator (or the command line) imports for the whole network; an organisation's administrator
 * names their body (`organisationId`). Checked before the file is read.
 */
export function checkClosureImportScope(ctx: ClosureImportContext): void {
  if (ctx.actor === null || canManageNetwork(ctx.actor)) return;
  if (ctx.organisationId === null) throw bulkImportErrors.networkScope();
  assertCanManageOrganisation(ctx.actor, ctx.organisationId);
}

/**
 * Imports patron days and closures; a coordinator (or the command line) for any body, an
 * organisation's administrator only for theirs (`ctx.organisationId`: other bodies' lines are refused).
 */
export async function importClosures(db: Database, bytes: Uint8Array, options: ImportOptions, ctx: ClosureImportContext): Promise<ClosureImportReport> {
  checkClosureImportScope(ctx);
  const input = readFile(bytes);
  const read = readClosureRows(input);
  if (read.missingColumns.length > 0) throw bulkImportErrors.missingColumns({ missing: read.missingColumns, found: input.header.filter((h) => h !== '') });
  const now = ctx.now ?? new Date();
  const report = (p: Plan, written: boolean): ClosureImportReport => ({
    kind: 'closures', dryRun: options.dryRun, onBadLine: options.onBadLine, written, encoding: input.encoding, separator: SEPARATOR_NAMES[input.separator],
    columns: read.columns, rows: input.records.length, accepted: p.accepted, inserted: p.inserted, updated: p.updated, unchanged: p.unchanged,
    offices: p.offices.length, problems: p.problems.sort((a, b) => a.line - b.line),
  });
  if (options.dryRun) return report(await plan(db, read.rows, read.problems, ctx, false), false);
  return db.transaction().execute(async (trx) => {
    // The offices import rewrites calendars too: one lock for both, so neither overwrites the other.
    if (!(await repo.tryLockImport(trx, 'offices'))) throw errors.inProgress();
    const p = await plan(trx, read.rows, read.problems, ctx, true);
    if (p.problems.length > 0 && options.onBadLine === 'abort') throw errors.badLines({ count: p.problems.length, problems: p.problems.sort((a, b) => a.line - b.line).slice(0, 1000) });
    await writeCalendars(trx, p.offices, now);
    return report(p, true);
  });
}

interface Plan {
  accepted: number;
  inserted: number;
  updated: number;
  unchanged: number;
  problems: ClosureProblem[];
  /** The offices whose calendar changes, with their new closures and patron days. */
  offices: OfficeState[];
}

async function plan(q: Database | Trx, rows: readonly ClosureRow[], fileProblems: readonly ClosureProblem[], ctx: ClosureImportContext, lock: boolean): Promise<Plan> {
  const problems = [...fileProblems];
  const organisations = await repo.organisationsByIpa(q, [...new Set(rows.map((r) => r.organisationIpa))]);
  const scopeName = ctx.organisationId === null ? '' : ((await repo.organisationNames(q, [ctx.organisationId])).get(ctx.organisationId) ?? '');
  const offices = await officesOf(q, [...new Set([...organisations.values()].map((o) => o.id))], lock);
  const byOrganisation = new Map<string, OfficeState[]>();
  for (const o of offices.values()) byOrganisation.set(o.organisationId, [...(byOrganisation.get(o.organisationId) ?? []), o]);
  const out: Plan = { accepted: 0, inserted: 0, updated: 0, unchanged: 0, problems, offices: [] };
  for (const r of rows) {
    const organisation = organisations.get(r.organisationIpa);
    if (!organisation) {
      problems.push(closureProblem(r.line, 'unknown_organisation', { value: r.organisationIpa }));
      continue;
    }
    if (ctx.organisationId !== null && organisation.id !== ctx.organisationId) {
      problems.push(closureProblem(r.line, 'other_organisation', { value: r.organisationIpa, organisation: scopeName }));
      continue;
    }
    const targets = r.officeCode === null ? (byOrganisation.get(organisation.id) ?? []) : [offices.get(r.officeCode)].filter((o) => o?.organisationId === organisation.id) as OfficeState[];
    if (targets.length === 0) {
      problems.push(closureProblem(r.line, 'unknown_office', { value: r.officeCode ?? '*', organisation: organisation.name }));
      continue;
    }
    // A line applies to all its offices or to none: its problem is found before anything changes.
    const refused = targets.map((o) => conflictOf(o, r)).find((p) => p !== null);
    if (refused) {
      problems.push(refused);
      continue;
    }
    out.accepted++;
    for (const office of targets) {
      const outcome = apply(office, r);
      out[outcome]++;
    }
  }
  out.offices = [...offices.values()].filter((o) => o.changed);
  return out;
}

/** Why the line cannot go into this office's calendar, or null. */
function conflictOf(office: OfficeState, r: ClosureRow): ClosureProblem | null {
  const e = r.entry;
  const firstLine = office.fromLine.get(keyOf(e));
  if (e.kind === 'patron') {
    const same = office.patronDays.find((p) => p.month === e.month && p.day === e.day);
    if (same && firstLine !== undefined && e.name !== null && (same.name ?? null) !== e.name) {
      return closureProblem(r.line, 'conflicting_entry', { what: 'patrono', whatEn: 'patron day', office: office.slug, firstLine: String(firstLine), other: same.name ?? '' });
    }
    return null;
  }
  const same = office.closures.find((c) => c.from === e.from && c.to === e.to);
  if (same) {
    if (firstLine !== undefined && e.reason !== null && (same.reason ?? null) !== e.reason) {
      return closureProblem(r.line, 'conflicting_entry', { what: 'chiusura', whatEn: 'closure', office: office.slug, firstLine: String(firstLine), other: same.reason ?? '' });
    }
    return null;
  }
  const overlap = office.closures.find((c) => c.from <= e.to && e.from <= c.to);
  if (!overlap) return null;
  const where = office.fromLine.get(`c:${overlap.from}:${overlap.to}`);
  return closureProblem(r.line, 'overlapping_closure', {
    from: shownDate(e.from), to: shownDate(e.to), otherFrom: shownDate(overlap.from), otherTo: shownDate(overlap.to), office: office.slug, where: where === undefined ? 'stored' : String(where),
  });
}

/** Puts the line's entry into the office's calendar (checked by `conflictOf`). */
function apply(office: OfficeState, r: ClosureRow): 'inserted' | 'updated' | 'unchanged' {
  const e = r.entry;
  office.fromLine.set(keyOf(e), r.line);
  if (e.kind === 'patron') {
    const i = office.patronDays.findIndex((p) => p.month === e.month && p.day === e.day);
    const entry: PatronDay = e.name === null ? { month: e.month, day: e.day } : { month: e.month, day: e.day, name: e.name };
    if (i < 0) {
      office.patronDays.push(entry);
      office.changed = true;
      return 'inserted';
    }
    if (e.name === null || office.patronDays[i]!.name === e.name) return 'unchanged';
    office.patronDays[i] = entry;
    office.changed = true;
    return 'updated';
  }
  const i = office.closures.findIndex((c) => c.from === e.from && c.to === e.to);
  const entry: Closure = e.reason === null ? { from: e.from, to: e.to } : { from: e.from, to: e.to, reason: e.reason };
  if (i < 0) {
    office.closures.push(entry);
    office.closures.sort((a, b) => a.from.localeCompare(b.from));
    office.changed = true;
    return 'inserted';
  }
  if (e.reason === null || office.closures[i]!.reason === e.reason) return 'unchanged';
  office.closures[i] = entry;
  office.changed = true;
  return 'updated';
}

/** Every office of the bodies, by code, with its closures and patron days (locked for the write when `lock`). */
async function officesOf(q: Database | Trx, organisationIds: readonly string[], lock: boolean): Promise<Map<string, OfficeState>> {
  const out = new Map<string, OfficeState>();
  if (organisationIds.length === 0) return out;
  let query = q.selectFrom('offices').select(['id', 'slug', 'name', 'organisation_id', 'calendar']).where('organisation_id', 'in', organisationIds).orderBy('slug');
  if (lock) query = query.forUpdate();
  for (const r of await query.execute()) {
    const calendar = parseCalendar(r.calendar);
    out.set(r.slug, {
      id: r.id, slug: r.slug, name: r.name, organisationId: r.organisation_id, closures: [...calendar.closures], patronDays: [...(calendar.patronDays ?? [])], fromLine: new Map(), changed: false,
    });
  }
  return out;
}

/** Writes the new closures and patron days of each office; the rest of its calendar (weekly hours, time zone) is left as stored. */
async function writeCalendars(trx: Trx, offices: readonly OfficeState[], now: Date): Promise<void> {
  for (const o of offices) {
    await trx
      .updateTable('offices')
      .set((eb) => ({
        calendar: sql`jsonb_set(jsonb_set(${eb.ref('calendar')}, '{closures}', ${JSON.stringify(o.closures)}::jsonb), '{patronDays}', ${JSON.stringify(o.patronDays)}::jsonb)`,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', o.id)
      .execute();
  }
}
