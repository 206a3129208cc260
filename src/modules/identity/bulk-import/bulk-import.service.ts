/**
 * Bulk onboarding of a network (issue 11): bodies from the IPA register, their offices, their
 * people — the same use cases for `urpnet import …` and the admin page. Each import reads the whole
 * file, checks every line against the file itself, the territory and the database, and reports each
 * bad line with its number and reason. Then, in one transaction under an advisory lock (one import
 * of a kind at a time across instances): all or nothing — any bad line and nothing is written —
 * or, when asked, the good lines only. A dry run reports the same without writing.
 *
 * Re-importing updates by IPA code (bodies), by office code (offices) and by e-mail (people) and
 * never duplicates. People: a new account belongs to the body of its first row and gets a link to
 * set its password, queued as a job; an existing account of another body is never added to a body
 * by an import — it gets an invitation it may accept (the account takeover of the first wave is
 * impossible by construction).
 */
import type { Database } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import type { Trx } from '../../../platform/http.js';
import type { JobRunner } from '../../../platform/jobs/index.js';
import { canManageNetwork } from '../../../platform/policy.js';
import { loadTerritory } from '../../territory/index.js';
import { assertCanManageOrganisation } from '../identity.service.js';
import { DEFAULT_TIME_ZONE, type OfficeCalendar, validateCalendar } from '../office-calendar.js';
import { userAdminRights } from '../user-admin.policy.js';
import { type ImportKind, bulkImportErrors as errors } from './bulk-import.errors.js';
import * as repo from './bulk-import.repository.js';
import { type CsvInput, type FileEncoding, readCsvInput, SEPARATOR_NAMES } from './csv-input.js';
import { queueInvitations } from './invitation-links.js';
import { type LineProblem, lineProblem } from './line-problems.js';
import { type OfficeRow, readOfficeRows } from './office-rows.js';
import { type OrganisationLayout, organisationSlug, readOrganisationRows, slugCandidates } from './organisation-rows.js';
import { readUserRows, type UserRow } from './user-rows.js';

export type OnBadLine = 'abort' | 'skip';

export interface ImportOptions {
  dryRun: boolean;
  /** `abort` (default): any bad line and nothing is written; `skip`: the good lines go in. */
  onBadLine: OnBadLine;
}

/**
 * Who imports. `actor` null: the command line (whoever runs it holds the server), the only place
 * where the network coordinator role may be given. `organisationId`: the import is restricted to
 * that body's rows (an organisation administrator's import); null for the whole network.
 */
export interface ImportContext {
  actor: Actor | null;
  organisationId: string | null;
  jobs: JobRunner;
  now?: Date;
}

export interface ImportReport {
  kind: ImportKind;
  dryRun: boolean;
  onBadLine: OnBadLine;
  /** Whether anything was written (false on a dry run). */
  written: boolean;
  encoding: FileEncoding;
  separator: 'tab' | 'comma' | 'semicolon';
  /** Organisations only: which IPA layout the header follows. */
  layout?: OrganisationLayout;
  columns: { used: string[]; ignored: string[]; unknown: string[] };
  /** Data lines read (the header excluded). */
  rows: number;
  /** Lines without problems (written unless a dry run). */
  accepted: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** People: roles given to members of the row's body. */
  rolesGranted?: number;
  /** People: invitations to join a body the person is not a member of (the person accepts). */
  invitations?: number;
  /** People: new accounts whose link to set a password is queued (sent by e-mail or listed for the administrator). */
  passwordLinks?: number;
  problems: LineProblem[];
}

/** The changes an import would write, worked out before any write. */
interface Plan {
  counts: Pick<ImportReport, 'inserted' | 'updated' | 'unchanged' | 'rolesGranted' | 'invitations' | 'passwordLinks'>;
  accepted: number;
  problems: LineProblem[];
  extra?: Partial<ImportReport>;
  write(trx: Trx): Promise<void>;
}

function readFile(bytes: Uint8Array): CsvInput {
  const read = readCsvInput(bytes);
  if (read.ok) return read.input;
  switch (read.failure.kind) {
    case 'empty':
      throw errors.emptyFile();
    case 'utf16':
      throw errors.utf16File();
    case 'binary':
      throw errors.binaryFile();
    case 'record_too_long':
      throw errors.recordTooLong({ line: read.failure.line });
  }
}

/** The skeleton every import shares: plan (read-only), then — unless a dry run — lock, re-plan inside the transaction, write. */
async function runImport(
  db: Database,
  kind: ImportKind,
  input: CsvInput,
  columns: ImportReport['columns'],
  options: ImportOptions,
  plan: (db: Database | Trx) => Promise<Plan>,
): Promise<ImportReport> {
  const report = (p: Plan, written: boolean): ImportReport => ({
    kind, dryRun: options.dryRun, onBadLine: options.onBadLine, written, encoding: input.encoding, separator: SEPARATOR_NAMES[input.separator],
    ...p.extra, columns, rows: input.records.length, accepted: p.accepted, ...p.counts, problems: p.problems.sort((a, b) => a.line - b.line),
  });
  if (options.dryRun) return report(await plan(db), false);
  return db.transaction().execute(async (trx) => {
    if (!(await repo.tryLockImport(trx, kind))) throw errors.inProgress({ kind });
    // Planned under the lock, in the transaction that writes: what is checked is what is written.
    const p = await plan(trx);
    if (p.problems.length > 0 && options.onBadLine === 'abort') {
      throw errors.badLines({ kind, count: p.problems.length, problems: p.problems.sort((a, b) => a.line - b.line).slice(0, 1000) });
    }
    await p.write(trx);
    return report(p, true);
  });
}

function requireColumns(missing: string[], header: string[]): void {
  if (missing.length > 0) throw errors.missingColumns({ missing, found: header.filter((h) => h !== '') });
}

/**
 * An organisation administrator's import names their organisation; only a coordinator (or the
 * command line) imports network-wide. Checked before the file is read.
 */
export function checkImportScope(ctx: ImportContext): void {
  if (ctx.actor === null || canManageNetwork(ctx.actor)) return;
  if (ctx.organisationId === null) throw errors.networkScope();
  assertCanManageOrganisation(ctx.actor, ctx.organisationId);
}

/** JSON with object keys sorted: stored jsonb comes back with its keys in its own order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

// ------------------------------------------------------------------------------ organisations

/** Imports bodies from an IPA «amministrazioni» export (either layout). Network-wide only: a coordinator or the command line. */
export async function importOrganisations(db: Database, bytes: Uint8Array, options: ImportOptions, ctx: ImportContext): Promise<ImportReport> {
  const input = readFile(bytes);
  const territory = await loadTerritory(db);
  const read = readOrganisationRows(input, territory);
  requireColumns(read.missingColumns, input.header);
  const now = ctx.now ?? new Date();
  return runImport(db, 'organisations', input, read.columns, options, async (q) => {
    const existing = await repo.organisationsByIpa(q, read.rows.map((r) => r.ipaCode));
    const inserts = read.rows.filter((r) => !existing.has(r.ipaCode));
    // Slugs of new bodies: from the name, unique among those stored and those of this file.
    const taken = await repo.takenOrganisationSlugs(q, inserts.flatMap((r) => slugCandidates(r.name, r.ipaCode)));
    const writes: repo.OrganisationWrite[] = [];
    let updated = 0;
    let unchanged = 0;
    for (const r of read.rows) {
      const values = { ipaCode: r.ipaCode, name: r.name, type: r.type, istatCode: r.istatCode, regionIstat: r.regionIstat, taxCode: r.taxCode, email: r.email, pec: r.pec };
      const stored = existing.get(r.ipaCode);
      if (stored) {
        const changed = (Object.keys(values) as (keyof typeof values)[]).some((k) => stored[k] !== values[k]);
        if (changed) writes.push({ ...values, slug: stored.slug });
        if (changed) updated++;
        else unchanged++;
        continue;
      }
      const [base, withCode] = slugCandidates(r.name, r.ipaCode);
      // Both candidates taken (rare): the numbered ones in use are read once for this name.
      if (taken.has(base) && taken.has(withCode)) for (const s of await repo.takenOrganisationSlugs(q, [], withCode)) taken.add(s);
      const slug = organisationSlug(r.name, r.ipaCode, (s) => taken.has(s));
      taken.add(slug);
      writes.push({ ...values, slug });
    }
    return {
      counts: { inserted: inserts.length, updated, unchanged },
      accepted: read.rows.length,
      problems: read.problems,
      extra: { layout: read.layout },
      write: (trx) => repo.upsertOrganisations(trx, writes, now),
    };
  });
}

// ------------------------------------------------------------------------------ offices

const EMPTY_CALENDAR: OfficeCalendar = { timeZone: DEFAULT_TIME_ZONE, weekly: {}, closures: [] };

function storedCalendar(raw: unknown): OfficeCalendar {
  const checked = validateCalendar(raw);
  return checked.ok ? checked.calendar : EMPTY_CALENDAR;
}

/** Organisations of the file's rows by IPA code; a row of an unknown body, or of another body than the import's, is a bad line. */
async function rowOrganisations<R extends { line: number; organisationIpa: string }>(q: Database | Trx, rows: readonly R[], ctx: ImportContext, problems: LineProblem[]) {
  const organisations = await repo.organisationsByIpa(q, [...new Set(rows.map((r) => r.organisationIpa))]);
  const scope = ctx.organisationId === null ? null : ([...organisations.values()].find((o) => o.id === ctx.organisationId) ?? null);
  const scopeName = scope?.name ?? (ctx.organisationId === null ? '' : (await repo.organisationNames(q, [ctx.organisationId])).get(ctx.organisationId) ?? '');
  const good: (R & { organisationId: string; organisationName: string })[] = [];
  for (const r of rows) {
    const organisation = organisations.get(r.organisationIpa);
    if (!organisation) problems.push(lineProblem(r.line, 'unknown_organisation', { value: r.organisationIpa }));
    else if (ctx.organisationId !== null && organisation.id !== ctx.organisationId) problems.push(lineProblem(r.line, 'other_organisation', { value: r.organisationIpa, organisation: scopeName }));
    else good.push({ ...r, organisationId: organisation.id, organisationName: organisation.name });
  }
  return good;
}

/** Imports offices with kind, contacts, channels and weekly hours; an organisation administrator only their body's. */
export async function importOffices(db: Database, bytes: Uint8Array, options: ImportOptions, ctx: ImportContext): Promise<ImportReport> {
  checkImportScope(ctx);
  const input = readFile(bytes);
  const read = readOfficeRows(input);
  requireColumns(read.missingColumns, input.header);
  const now = ctx.now ?? new Date();
  return runImport(db, 'offices', input, read.columns, options, async (q) => {
    const problems = [...read.problems];
    const rows = await rowOrganisations(q, read.rows, ctx, problems);
    const existing = await repo.officesBySlug(q, rows.map((r) => r.slug));
    const owners = await repo.organisationNames(q, [...new Set([...existing.values()].map((o) => o.organisationId))]);
    const writes: repo.OfficeWrite[] = [];
    let inserted = 0;
    let updated = 0;
    let unchanged = 0;
    for (const r of rows) {
      const stored = existing.get(r.slug);
      if (stored && stored.organisationId !== r.organisationId) {
        problems.push(lineProblem(r.line, 'office_code_taken', { value: r.slug, organisation: owners.get(stored.organisationId) ?? '?', suggestion: `${r.organisationIpa.replace(/_/g, '-')}-${r.slug}`.slice(0, 63) }));
        continue;
      }
      const write = officeWrite(r, stored);
      if (!stored) inserted++;
      else if (same(write, officeWrite({ ...r, ...fromStored(stored) }, stored))) {
        unchanged++;
        continue;
      } else updated++;
      writes.push(write);
    }
    return { counts: { inserted, updated, unchanged }, accepted: inserted + updated + unchanged, problems, write: (trx) => repo.upsertOffices(trx, writes, now) };
  });
}

/** The stored office as a row (to compare a row with what is there). */
function fromStored(o: repo.StoredOffice): Omit<OfficeRow, 'line' | 'organisationIpa' | 'slug'> {
  return { name: o.name, kind: o.kind as OfficeRow['kind'], email: o.email, pec: o.pec, phone: o.phone, address: o.address, channels: o.channels as OfficeRow['channels'], weekly: storedCalendar(o.calendar).weekly };
}

/** What to write for a row: empty cells keep the stored value; new weekly hours keep the stored closures and patron days. */
function officeWrite(r: OfficeRow & { organisationId: string }, stored: repo.StoredOffice | undefined): repo.OfficeWrite {
  const calendar = stored ? storedCalendar(stored.calendar) : EMPTY_CALENDAR;
  return {
    organisationId: r.organisationId, slug: r.slug, name: r.name, kind: r.kind,
    email: r.email ?? stored?.email ?? null, pec: r.pec ?? stored?.pec ?? null, phone: r.phone ?? stored?.phone ?? null, address: r.address ?? stored?.address ?? null,
    channels: r.channels ?? stored?.channels ?? [],
    calendar: r.weekly === null ? calendar : { ...calendar, weekly: r.weekly },
  };
}

// ------------------------------------------------------------------------------ people

/**
 * Imports people with their role in a body (and office). New accounts belong to the body of their
 * first row and get a link to set their password (a queued job). Existing accounts: their roles in
 * bodies they belong to are added; their name and language change only where the importer manages
 * the account; a body they do not belong to invites them.
 */
export async function importUsers(db: Database, bytes: Uint8Array, options: ImportOptions, ctx: ImportContext): Promise<ImportReport> {
  checkImportScope(ctx);
  const input = readFile(bytes);
  const read = readUserRows(input, { allowCoordinator: ctx.actor === null });
  requireColumns(read.missingColumns, input.header);
  // Set up the queue before the transaction: on PGlite the transaction holds the only connection.
  if (!options.dryRun) await ctx.jobs.start();
  return runImport(db, 'users', input, read.columns, options, (q) => planUsers(q, read.rows, read.problems, ctx));
}

async function planUsers(q: Database | Trx, fileRows: readonly UserRow[], fileProblems: readonly LineProblem[], ctx: ImportContext): Promise<Plan> {
  const problems = [...fileProblems];
  const withOrganisation = await rowOrganisations(q, fileRows, ctx, problems);
  const offices = await repo.officesBySlug(q, [...new Set(withOrganisation.flatMap((r) => (r.officeSlug ? [r.officeSlug] : [])))]);
  const rows: (UserRow & { organisationId: string; organisationName: string; officeId: string | null })[] = [];
  for (const r of withOrganisation) {
    const office = r.officeSlug === null ? null : offices.get(r.officeSlug);
    if (office === undefined || (office !== null && office.organisationId !== r.organisationId)) {
      problems.push(lineProblem(r.line, 'unknown_office', { value: r.officeSlug ?? '', organisation: r.organisationName }));
      continue;
    }
    rows.push({ ...r, officeId: office?.id ?? null });
  }
  const keys = [...new Set(rows.map((r) => r.key))];
  const users = await repo.usersByEmail(q, keys);
  const userIds = [...users.values()].map((u) => u.id);
  const [members, grants, pending] = await Promise.all([repo.membershipsOf(q, userIds), repo.grantsOf(q, userIds), repo.pendingInvitationsOf(q, keys)]);
  const coordinators = new Set([...grants].filter((g) => g.split('|')[1] === 'network_coordinator').map((g) => g.split('|')[0]!));
  const actorId = ctx.actor?.userId ?? null;

  const newAccounts = new Map<string, repo.NewAccount & { line: number }>();
  const accountChanges = new Map<string, { id: string; name: string; locale: string }>();
  const newGrants: (Omit<repo.NewGrant, 'userId'> & { key: string })[] = [];
  const invitations: repo.NewInvitation[] = [];
  const invitedAt = new Map<string, number>();
  let unchanged = 0;
  let accepted = 0;
  for (const r of rows) {
    const user = users.get(r.key);
    const home = user ? user.homeOrganisationId : (newAccounts.get(r.key)?.homeOrganisationId ?? r.organisationId);
    const member = user ? members.has(`${user.id}|${r.organisationId}`) : home === r.organisationId;
    if (!user && !newAccounts.has(r.key)) newAccounts.set(r.key, { email: r.email, name: r.name, locale: r.locale, homeOrganisationId: r.organisationId, line: r.line });
    // Only a row of the account's own body speaks for the account (name, language), and only where the importer manages it.
    const renamed = user !== undefined && user.homeOrganisationId === r.organisationId && accountChange(r, user) && mayManageAccount(ctx, user, members, coordinators);
    if (member) {
      if (user && grants.has(repo.grantKey(user.id, r.role, r.organisationId, r.officeId))) {
        if (!renamed) unchanged++;
      } else newGrants.push({ key: r.key, role: r.role, organisationId: r.organisationId, officeId: r.officeId, createdBy: actorId });
    } else {
      // Not a member of the row's body: never added behind their back. An invitation they may accept.
      const inviteKey = `${r.organisationId}|${r.key}`;
      const waiting = pending.get(inviteKey);
      if (r.role === 'network_coordinator') {
        problems.push(lineProblem(r.line, 'coordinator_needs_member', { email: r.email, organisation: r.organisationName }));
        continue;
      }
      if (waiting) {
        if (waiting.role === r.role && waiting.officeId === r.officeId) {
          if (!renamed) unchanged++;
        }
        else {
          problems.push(lineProblem(r.line, 'invitation_pending', { email: r.email, organisation: r.organisationName, role: waiting.role }));
          continue;
        }
      } else if (invitedAt.has(inviteKey)) {
        problems.push(lineProblem(r.line, 'one_invitation_per_body', { email: r.email, organisation: r.organisationName, firstLine: String(invitedAt.get(inviteKey)) }));
        continue;
      } else {
        invitedAt.set(inviteKey, r.line);
        invitations.push({ organisationId: r.organisationId, email: r.email, role: r.role, officeId: r.officeId, invitedBy: actorId });
      }
    }
    accepted++;
    if (user && renamed) accountChanges.set(user.id, { id: user.id, name: r.name, locale: r.locale });
  }
  const jobs = ctx.jobs;
  return {
    counts: { inserted: newAccounts.size, updated: accountChanges.size, unchanged, rolesGranted: newGrants.length, invitations: invitations.length, passwordLinks: newAccounts.size },
    accepted,
    problems,
    async write(trx) {
      const created = await repo.insertAccounts(trx, [...newAccounts.values()]);
      await repo.updateAccounts(trx, [...accountChanges.values()], ctx.now ?? new Date());
      const idOf = (key: string) => users.get(key)?.id ?? created.get(key);
      await repo.insertGrants(trx, newGrants.flatMap((g) => {
        const userId = idOf(g.key);
        return userId ? [{ userId, role: g.role, organisationId: g.organisationId, officeId: g.officeId, createdBy: g.createdBy }] : [];
      }));
      await repo.insertInvitations(trx, invitations);
      await queueInvitations(trx, jobs, [...created.values()]);
    },
  };
}

function accountChange(r: UserRow, user: repo.StoredUser): boolean {
  return r.name !== user.name || r.locale !== user.locale;
}

/** The importer renames an existing account only where they manage it (its home body, or a coordinator, or the command line). */
function mayManageAccount(ctx: ImportContext, user: repo.StoredUser, members: Set<string>, coordinators: Set<string>): boolean {
  if (ctx.actor === null) return true;
  const memberOrganisationIds = [...members].filter((m) => m.startsWith(`${user.id}|`)).map((m) => m.split('|')[1]!);
  return userAdminRights(ctx.actor, { homeOrganisationId: user.homeOrganisationId, memberOrganisationIds, isCoordinator: coordinators.has(user.id) }).account;
}
