import type { ReactNode, Ref } from 'react';
import type { ApiResponseBody } from '../api/client.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { DataTable } from './ui.js';

/** What an onboarding import (or its dry run) of bodies, offices or people answers. */
export type BulkImportReport = ApiResponseBody<'/admin/imports/organisations', 'post'>;
/** What an import (or dry run) of the competence matrix answers: per office, what is added and removed. */
export type CompetenceImportReport = ApiResponseBody<'/admin/imports/competences', 'post'>;
/** What an import (or dry run) of patron days and closures answers: calendar entries added, renamed or already there. */
export type ClosureImportReport = ApiResponseBody<'/admin/imports/closures', 'post'>;
type CompetencePair = CompetenceImportReport['changes'][number]['added'][number];

/** The changed offices shown one by one; the counts above say how many there are in all. */
const MAX_CHANGES_SHOWN = 200;

/** One bad line of a file: its number and the reason, in the user's language. */
export interface LineProblemRow {
  line: number;
  message: string;
}

/** The bad lines of a file in an accessible table: line number and reason. */
export function LineProblemsTable({ problems }: { problems: readonly LineProblemRow[] }) {
  const { t } = useI18n();
  return (
    <DataTable caption={t('onboarding.problems.caption')} columns={[t('onboarding.problems.line'), t('onboarding.problems.reason')]} className="table-sm align-middle" wrapperClassName="onboarding-problems">
      {problems.map((p, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a line may have several problems; the order is the server's.
        <tr key={`${p.line}-${index}`} data-line={p.line}>
          <th scope="row">{p.line}</th>
          <td>{p.message}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function Count({ label, value, testId }: { label: string; value: number | undefined; testId?: string }) {
  if (value === undefined) return null;
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}


interface ReportProps<R> {
  report: R;
  fileName: string;
  idPrefix: string;
  headingRef?: Ref<HTMLHeadingElement> | undefined;
}

/** What every import report shows: its heading, the file and its format, the counts (children), the columns not used and the bad lines. */
function ReportFrame({ report, fileName, idPrefix, headingRef, children, details }: ReportProps<BulkImportReport | CompetenceImportReport | ClosureImportReport> & { children: ReactNode; details?: ReactNode }) {
  const { t } = useI18n();
  const skipped = report.written && report.problems.length > 0;
  return (
    <section aria-labelledby={`${idPrefix}-report-title`} className="mt-4" data-testid={`${idPrefix}-report`}>
      <h2 id={`${idPrefix}-report-title`} className="h5" tabIndex={-1} ref={headingRef}>
        {report.dryRun ? t('onboarding.report.dryRun') : t('onboarding.report.written')}
      </h2>
      <dl className="compact-dl">
        <div>
          <dt>{t('onboarding.report.file')}</dt>
          <dd>{fileName}</dd>
        </div>
        <div>
          <dt>{t('onboarding.report.format')}</dt>
          <dd>{t('onboarding.report.formatValue', { encoding: report.encoding.toUpperCase(), separator: translateCode(t, 'onboarding.separator', report.separator) })}</dd>
        </div>
        {'layout' in report && report.layout && (
          <div>
            <dt>{t('onboarding.report.layout')}</dt>
            <dd>{translateCode(t, 'onboarding.layout', report.layout)}</dd>
          </div>
        )}
        {children}
        <Count label={t('onboarding.report.problems')} value={report.problems.length} testId={`${idPrefix}-problems`} />
      </dl>
      {report.columns.ignored.length > 0 && (
        <p className="small mb-1">
          {t('onboarding.report.ignoredColumns')}: {report.columns.ignored.join(', ')}
        </p>
      )}
      {report.columns.unknown.length > 0 && (
        <p className="small">
          {t('onboarding.report.unknownColumns')}: {report.columns.unknown.join(', ')}
        </p>
      )}
      {details}
      {skipped && <p className="fw-semibold">{t('onboarding.report.skipped', { count: report.problems.length })}</p>}
      {report.problems.length > 0 ? <LineProblemsTable problems={report.problems} /> : <p>{t('onboarding.report.noProblems')}</p>}
    </section>
  );
}

/**
 * The report of a dry run or of an import: counts of what would be (or was) created, updated and left
 * unchanged, the file's format, the columns not used, and every bad line. The heading takes focus
 * (via `headingRef`) when a new report arrives, so that a screen reader reads it.
 */
export function BulkImportReportView({ report, fileName, idPrefix, headingRef }: ReportProps<BulkImportReport>) {
  const { t } = useI18n();
  const dry = report.dryRun;
  return (
    <ReportFrame report={report} fileName={fileName} idPrefix={idPrefix} headingRef={headingRef}>
      <Count label={t('onboarding.report.rows')} value={report.rows} />
      <Count label={t('onboarding.report.accepted')} value={report.accepted} />
      <Count label={dry ? t('onboarding.report.wouldInsert') : t('onboarding.report.inserted')} value={report.inserted} testId={`${idPrefix}-inserted`} />
      <Count label={dry ? t('onboarding.report.wouldUpdate') : t('onboarding.report.updated')} value={report.updated} testId={`${idPrefix}-updated`} />
      <Count label={t('onboarding.report.unchanged')} value={report.unchanged} />
      <Count label={t('onboarding.report.rolesGranted')} value={report.rolesGranted} />
      <Count label={t('onboarding.report.invitations')} value={report.invitations} />
      <Count label={t('onboarding.report.passwordLinks')} value={report.passwordLinks} />
    </ReportFrame>
  );
}

/**
 * The report of the competence matrix: how many offices the file names and how many change, the
 * competences added and removed, office by office, and notes (a merged comune's code read as its successor).
 */
export function CompetenceImportReportView({ report, fileName, idPrefix, headingRef }: ReportProps<CompetenceImportReport>) {
  const { t } = useI18n();
  const dry = report.dryRun;
  const pair = (p: CompetencePair) => `${p.topic} @ ${p.territory ?? t('onboarding.competences.national')}`;
  const details = (
    <>
      {report.notes.length > 0 && (
        <>
          <h3 className="h6 mt-3">{t('onboarding.competences.notes')}</h3>
          <ul>
            {report.notes.map((n) => (
              <li key={`${n.line}-${n.code}`}>{t('onboarding.competences.note', { line: n.line, message: n.message })}</li>
            ))}
          </ul>
        </>
      )}
      {report.changes.length > 0 && (
        <>
          <h3 className="h6 mt-3">{t('onboarding.competences.changes')}</h3>
          <DataTable caption={t('onboarding.competences.changes')} className="table-sm align-middle" columns={[t('onboarding.competences.office'), t('onboarding.competences.addedCol'), t('onboarding.competences.removedCol')]}>
            {report.changes.slice(0, MAX_CHANGES_SHOWN).map((c) => (
              <tr key={c.officeId}>
                <th scope="row">
                  {c.officeName} <span className="small">({c.officeCode}, {c.organisationName})</span>
                </th>
                <td>{c.added.map(pair).join(', ') || '—'}</td>
                <td>{c.removed.map(pair).join(', ') || '—'}</td>
              </tr>
            ))}
          </DataTable>
          {report.changes.length > MAX_CHANGES_SHOWN && <p className="small">{t('onboarding.competences.more', { count: report.changes.length - MAX_CHANGES_SHOWN })}</p>}
        </>
      )}
    </>
  );
  return (
    <ReportFrame report={report} fileName={fileName} idPrefix={idPrefix} headingRef={headingRef} details={details}>
      <Count label={t('onboarding.report.rows')} value={report.rows} />
      <Count label={t('onboarding.report.accepted')} value={report.accepted} />
      <Count label={t('onboarding.competences.offices')} value={report.offices} />
      <Count label={t('onboarding.competences.changedOffices')} value={report.changedOffices} />
      <Count label={dry ? t('onboarding.competences.wouldAdd') : t('onboarding.competences.added')} value={report.added} testId={`${idPrefix}-added`} />
      <Count label={dry ? t('onboarding.competences.wouldRemove') : t('onboarding.competences.removed')} value={report.removed} testId={`${idPrefix}-removed`} />
    </ReportFrame>
  );
}

/**
 * The report of patron days and closures: how many calendar entries (one per office a line applies to)
 * would be or were added, renamed or already there, and how many offices' calendars change.
 */
export function ClosureImportReportView({ report, fileName, idPrefix, headingRef }: ReportProps<ClosureImportReport>) {
  const { t } = useI18n();
  const dry = report.dryRun;
  return (
    <ReportFrame report={report} fileName={fileName} idPrefix={idPrefix} headingRef={headingRef}>
      <Count label={t('onboarding.report.rows')} value={report.rows} />
      <Count label={t('onboarding.report.accepted')} value={report.accepted} />
      <Count label={dry ? t('onboarding.closures.wouldInsert') : t('onboarding.closures.inserted')} value={report.inserted} testId={`${idPrefix}-inserted`} />
      <Count label={dry ? t('onboarding.closures.wouldUpdate') : t('onboarding.closures.updated')} value={report.updated} testId={`${idPrefix}-updated`} />
      <Count label={t('onboarding.closures.unchanged')} value={report.unchanged} testId={`${idPrefix}-unchanged`} />
      <Count label={dry ? t('onboarding.closures.wouldChangeOffices') : t('onboarding.closures.changedOffices')} value={report.offices} testId={`${idPrefix}-offices`} />
    </ReportFrame>
  );
}
