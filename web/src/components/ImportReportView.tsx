import { translateCode, useI18n } from '../i18n/index.js';
import type { ImportReport, ValueCount } from './ImportTypes.js';
import { DataTable } from './ui.js';

function ValueList({ title, items }: { title: string; items: ValueCount[] }) {
  const { t } = useI18n();
  if (items.length === 0) return null;
  return (
    <>
      <h4 className="h6 mt-3">{title}</h4>
      <DataTable caption={title} columns={[t('historicalImport.value'), t('historicalImport.count')]} className="table-sm">
        {items.map((v) => (
          <tr key={v.value}>
            <td>{v.value === '' ? <em>{t('historicalImport.empty')}</em> : v.value}</td>
            <td>{v.count}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

/** Counts, rejected lines with reasons and unmapped values of a dry run or commit. */
export function ImportReportView({ report }: { report: ImportReport }) {
  const { t } = useI18n();
  const title = report.mode === 'commit' ? t('historicalImport.report.commit') : t('historicalImport.report.dryRun');
  return (
    <section aria-labelledby="hi-report-title" className="mt-4" data-testid="import-report">
      <h3 id="hi-report-title" className="h5">
        {title}
      </h3>
      <dl className="compact-dl">
        <div>
          <dt>{t('historicalImport.report.total')}</dt>
          <dd>{report.totalRows}</dd>
        </div>
        <div>
          <dt>{report.mode === 'commit' ? t('historicalImport.report.imported') : t('historicalImport.report.wouldImport')}</dt>
          <dd data-testid="report-imported">{report.imported}</dd>
        </div>
        <div>
          <dt>{t('historicalImport.report.unclassified')}</dt>
          <dd>{report.unclassified}</dd>
        </div>
        <div>
          <dt>{t('historicalImport.report.alreadyPresent')}</dt>
          <dd>{report.alreadyPresent}</dd>
        </div>
        <div>
          <dt>{t('historicalImport.report.rejected')}</dt>
          <dd data-testid="report-rejected">{report.rejected}</dd>
        </div>
      </dl>
      {report.rejectedRows.length > 0 && (
        <>
          <h4 className="h6 mt-3">{t('historicalImport.report.rejectedRows')}</h4>
          <DataTable caption={t('historicalImport.report.rejectedRows')} columns={[t('historicalImport.line'), t('historicalImport.report.reason'), t('historicalImport.report.detail')]} className="table-sm">
            {report.rejectedRows.map((r) => (
              <tr key={`${r.line}-${r.reason}`}>
                <td>{r.line}</td>
                <td>{translateCode(t, 'historicalImport.reason', r.reason)}</td>
                <td>{r.message}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
      <ValueList title={t('historicalImport.report.unmapped')} items={report.unmappedCategories} />
      <ValueList title={t('historicalImport.report.unmappedChannels')} items={report.unmappedChannels} />
      <ValueList title={t('historicalImport.report.unmappedStatuses')} items={report.unmappedStatuses} />
      {report.truncated && <p className="form-text">{t('historicalImport.report.truncated')}</p>}
    </section>
  );
}
