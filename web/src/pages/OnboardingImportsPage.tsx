import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { ApiError, apiUpload } from '../api/client.js';
import type { Membership } from '../api/types.js';
import { type BulkImportReport, BulkImportReportView, type ClosureImportReport, ClosureImportReportView, type CompetenceImportReport, CompetenceImportReportView, type LineProblemRow, LineProblemsTable } from '../components/BulkImportReport.js';
import { PasswordLinks } from '../components/PasswordLinks.js';
import { controlClass, ErrorAlert, Field, fieldA11y, ForbiddenPage, Spinner } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { ADMIN_ROLES, hasRole, useSession } from '../lib/session.js';


/**
 * The kinds of file, in the order of a region's onboarding: bodies, their offices, people, then who
 * is competent for what, and the offices' patron days and closures.
 */
export const IMPORT_KINDS = ['organisations', 'offices', 'users', 'competences', 'closures'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

type OnBadLine = 'abort' | 'skip';

/**
 * Bodies and the competence matrix are the network's to import; offices, people, patron days and
 * closures also an organisation's administrator's, for their body.
 */
export function importKindsFor(memberships: readonly Membership[]): ImportKind[] {
  return hasRole(memberships, ['network_coordinator']) ? [...IMPORT_KINDS] : hasRole(memberships, ['org_admin']) ? ['offices', 'users', 'closures'] : [];
}

/** The bodies an organisation administrator imports for (a coordinator imports for the whole network). */
function administeredBodies(memberships: readonly Membership[]): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const m of memberships) if (m.role === 'org_admin' && !seen.has(m.organisationId)) seen.set(m.organisationId, m.organisationName);
  return [...seen].map(([id, name]) => ({ id, name }));
}

/** The bad lines of an all-or-nothing import the server refused (problem `import.bad_lines`). */
function refusedLines(error: unknown): LineProblemRow[] | null {
  if (!(error instanceof ApiError) || error.code !== 'import.bad_lines') return null;
  return (error.problem.errors ?? []).map((e) => ({ line: Number((e.params as { line?: unknown } | undefined)?.line ?? 0), message: e.message }));
}

/** Bulk onboarding from CSV (issue 11): bodies, offices, people, competences and closures, each tried first, then imported. */
export function OnboardingImportsPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const memberships = session?.memberships ?? [];
  const kinds = importKindsFor(memberships);
  const coordinator = hasRole(memberships, ['network_coordinator']);
  const bodies = administeredBodies(memberships);
  const [bodyId, setBodyId] = useState('');
  const [tab, setTab] = useState<ImportKind>(kinds[0] ?? 'offices');
  // The coordinator imports for the whole network; an administrator for the body chosen here.
  const organisationId = coordinator ? undefined : bodyId || bodies[0]?.id;

  if (!hasRole(memberships, ADMIN_ROLES) || kinds.length === 0) {
    return <ForbiddenPage title={t('onboarding.title')} message={t('onboarding.forbidden')} />;
  }

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    const at = kinds.indexOf(tab);
    const next = event.key === 'Home' ? kinds[0] : event.key === 'End' ? kinds[kinds.length - 1] : step !== 0 ? kinds[(at + step + kinds.length) % kinds.length] : undefined;
    if (!next) return;
    event.preventDefault();
    setTab(next);
    document.getElementById(`onboarding-tab-${next}`)?.focus();
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('onboarding.title')}</h1>
      <p>{t('onboarding.intro')}</p>
      {!coordinator && bodies.length > 1 && (
        <div className="col-12 col-md-6">
          <Field id="onboarding-org" label={t('onboarding.organisation')} hint={t('onboarding.organisationHint')}>
            <select id="onboarding-org" className="form-select" value={organisationId} onChange={(e) => setBodyId(e.target.value)} aria-describedby="onboarding-org-hint">
              {bodies.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
      )}
      <div className="nav nav-tabs mb-3" role="tablist" aria-label={t('onboarding.tabs')}>
        {kinds.map((kind) => (
          <button
            key={kind}
            id={`onboarding-tab-${kind}`}
            type="button"
            role="tab"
            className={`nav-link ${tab === kind ? 'active' : ''}`}
            aria-selected={tab === kind}
            aria-controls={`onboarding-panel-${kind}`}
            tabIndex={tab === kind ? 0 : -1}
            onClick={() => setTab(kind)}
            onKeyDown={onKeyDown}
          >
            {t(`onboarding.kind.${kind}`)}
          </button>
        ))}
      </div>
      {/* Every panel stays mounted, so that switching tabs keeps each one's file and report. */}
      {kinds.map((kind) => (
        <div key={`${kind}-${organisationId ?? 'network'}`} id={`onboarding-panel-${kind}`} role="tabpanel" aria-labelledby={`onboarding-tab-${kind}`} hidden={tab !== kind} tabIndex={0}>
          <ImportPanel kind={kind} organisationId={organisationId} />
        </div>
      ))}
    </section>
  );
}

interface Outcome {
  report: BulkImportReport | CompetenceImportReport | ClosureImportReport;
  fileName: string;
  /** The file the report is about: the import button applies only to the file that was tried. */
  file: File;
}

function ImportPanel({ kind, organisationId }: { kind: ImportKind; organisationId: string | undefined }) {
  const { t } = useI18n();
  const id = `onboarding-${kind}`;
  const fileRef = useRef<HTMLInputElement>(null);
  const reportHeading = useRef<HTMLHeadingElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [onBadLine, setOnBadLine] = useState<OnBadLine>('abort');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [expectedLinks, setExpectedLinks] = useState<{ count: number } | null>(null);

  // A new report is read out: focus moves to its heading.
  useEffect(() => {
    if (outcome) reportHeading.current?.focus();
  }, [outcome]);

  const run = async (dryRun: boolean) => {
    if (!file) {
      setFileError(t('onboarding.fileRequired'));
      fileRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      // The competence matrix is the network's: it takes no organisation.
      const { data } =
        kind === 'competences'
          ? await apiUpload('/admin/imports/competences', { query: { dryRun, onBadLine } }, form)
          : await apiUpload(`/admin/imports/${kind}`, { query: { dryRun, onBadLine, organisationId } }, form);
      setOutcome({ report: data, fileName: file.name, file });
      if (!dryRun && 'passwordLinks' in data) setExpectedLinks({ count: data.passwordLinks ?? 0 });
    } catch (err) {
      setOutcome(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const report = outcome?.report;
  const tried = report?.dryRun === true && outcome?.file === file;
  const blocked = tried && report.problems.length > 0 && onBadLine === 'abort';
  const refused = refusedLines(error);

  return (
    <>
      <p>{t(`onboarding.help.${kind}`)}</p>
      <form
        noValidate
        aria-busy={busy}
        onSubmit={(e) => {
          e.preventDefault();
          void run(true);
        }}
      >
        <Field id={`${id}-file`} label={t('onboarding.file')} hint={t('onboarding.fileHint')} error={fileError} required>
          <input
            ref={fileRef}
            type="file"
            accept=".csv,.txt,.tsv,text/csv,text/plain"
            className={controlClass('form-control', fileError)}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setFileError(undefined);
              setOutcome(null);
              setError(null);
            }}
            {...fieldA11y(`${id}-file`, fileError, true)}
          />
        </Field>
        <fieldset className="mb-3">
          <legend className="form-label fw-semibold fs-6">{t('onboarding.onBadLine')}</legend>
          {(['abort', 'skip'] as const).map((choice) => (
            <div className="form-check" key={choice}>
              <input id={`${id}-onbadline-${choice}`} type="radio" name={`${id}-onbadline`} className="form-check-input" checked={onBadLine === choice} onChange={() => setOnBadLine(choice)} />
              <label htmlFor={`${id}-onbadline-${choice}`} className="form-check-label">
                {t(`onboarding.onBadLine.${choice}`)}
              </label>
            </div>
          ))}
        </fieldset>
        <div className="d-flex flex-wrap gap-2 align-items-center">
          <button type="submit" className="btn btn-outline-primary" disabled={busy}>
            {t('onboarding.dryRun')}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy || !tried || blocked} aria-describedby={`${id}-import-hint`} onClick={() => void run(false)}>
            {t('onboarding.import')}
          </button>
        </div>
        <p id={`${id}-import-hint`} className="form-text">
          {blocked ? t('onboarding.blockedByProblems') : !tried ? t('onboarding.needDryRun') : ''}
        </p>
      </form>
      {busy && <Spinner />}
      {refused ? (
        <div className="alert alert-danger" role="alert">
          <p className="mb-2">{error instanceof ApiError ? error.message : t('onboarding.problems.refused')}</p>
          <LineProblemsTable problems={refused} />
        </div>
      ) : (
        <ErrorAlert error={error} onClose={() => setError(null)} />
      )}
      {outcome &&
        (outcome.report.kind === 'competences' ? (
          <CompetenceImportReportView report={outcome.report} fileName={outcome.fileName} idPrefix={id} headingRef={reportHeading} />
        ) : outcome.report.kind === 'closures' ? (
          <ClosureImportReportView report={outcome.report} fileName={outcome.fileName} idPrefix={id} headingRef={reportHeading} />
        ) : (
          <BulkImportReportView report={outcome.report} fileName={outcome.fileName} idPrefix={id} headingRef={reportHeading} />
        ))}
      {kind === 'users' && <PasswordLinks organisationId={organisationId} expected={expectedLinks} />}
    </>
  );
}
