import { useEffect, useRef, useState } from 'react';
import { type CoverageComune, coverageCsvUrl } from '../api/coverage.js';
import { CoverageMap } from '../components/CoverageMap.js';
import { DataTable, ErrorAlert, Field, Icon, Spinner } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { countLevels, coverageLevel, share, sortTopicsByCoverage } from '../lib/coverage.js';
import { useApiGet } from '../lib/hooks.js';
import { navigate } from '../lib/router.js';
import { COVERAGE_PATH } from './paths.js';


/** The page's state is its URL (`?regione=13&tema=anagrafe`), so that a view can be linked and reloaded. */
function coverageHref(region: string, topic = ''): string {
  const params = new URLSearchParams();
  if (region) params.set('regione', region);
  if (topic) params.set('tema', topic);
  const qs = params.toString();
  return qs ? `${COVERAGE_PATH}?${qs}` : COVERAGE_PATH;
}

function usePercent(): (covered: number, total: number) => string {
  const { locale } = useI18n();
  const format = new Intl.NumberFormat(locale === 'it' ? 'it-IT' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 });
  return (covered, total) => format.format(share(covered, total));
}

/** The competence coverage report (issue 11): per region the topics by coverage, per topic a schematic map and the comuni. */
export function CoveragePage({ search }: { search: string }) {
  const { t } = useI18n();
  const params = new URLSearchParams(search);
  const region = params.get('regione') ?? '';
  const topic = params.get('tema') ?? '';
  const territory = useApiGet('/territory');
  const regions = [...(territory.data?.regions ?? [])].sort((a, b) => a.code.localeCompare(b.code));
  const regionName = regions.find((r) => r.code === region)?.name ?? region;

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('coverage.title')}</h1>
      <p>{t('coverage.intro')}</p>
      <ErrorAlert error={territory.error} />
      <div className="row">
        <div className="col-12 col-md-6 col-lg-4">
          <Field id="coverage-region" label={t('coverage.region')}>
            <select id="coverage-region" className="form-select" value={region} onChange={(e) => navigate(coverageHref(e.target.value))} disabled={!territory.data}>
              <option value="">{t('coverage.chooseRegion')}</option>
              {regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </div>
      {region && !topic && <RegionTopics key={region} region={region} regionName={regionName} />}
      {region && topic && <TopicDetail key={`${region}/${topic}`} region={region} regionName={regionName} topic={topic} />}
    </section>
  );
}

function RegionTopics({ region, regionName }: { region: string; regionName: string }) {
  const { t, locale } = useI18n();
  const percent = usePercent();
  const coverage = useApiGet('/competences/coverage', { query: { region } });
  const topics = sortTopicsByCoverage(coverage.data?.topics ?? [], locale);
  const name = coverage.data?.region.name ?? regionName;
  return (
    <section aria-labelledby="coverage-topics-title" className="mt-2">
      <h2 id="coverage-topics-title" className="h4">
        {t('coverage.topics.title')}
      </h2>
      <ErrorAlert error={coverage.error} />
      {coverage.loading && <Spinner />}
      {coverage.data && topics.length === 0 && <p>{t('coverage.noTopics')}</p>}
      {topics.length > 0 && (
        <DataTable
          caption={t('coverage.topics.caption', { region: name })}
          className="table-sm align-middle coverage-topics"
          columns={[t('coverage.col.topic'), t('coverage.col.comuni'), t('coverage.col.population'), <span key="open" className="visually-hidden">{t('coverage.col.open')}</span>]}
        >
          {topics.map((row) => (
            <tr key={row.topic} data-topic={row.topic}>
              <th scope="row">{row.label}</th>
              <td>
                <CoverageBar value={share(row.comuniCovered, row.comuniTotal)} />
                {percent(row.comuniCovered, row.comuniTotal)} <span className="small">({t('coverage.ratio', { covered: row.comuniCovered, total: row.comuniTotal })})</span>
              </td>
              <td>
                <CoverageBar value={share(row.populationCovered, row.populationTotal)} />
                {percent(row.populationCovered, row.populationTotal)}
              </td>
              <td>
                <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => navigate(coverageHref(region, row.topic))} aria-label={t('coverage.openFor', { topic: row.label })}>
                  {t('coverage.open')}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

/** A thin bar under a percentage, for the eye; the number next to it says the same. */
function CoverageBar({ value }: { value: number }) {
  return (
    <div className="coverage-bar" aria-hidden="true">
      <div style={{ width: `${Math.round(value * 100)}%` }} />
    </div>
  );
}

function TopicDetail({ region, regionName, topic }: { region: string; regionName: string; topic: string }) {
  const { t, locale } = useI18n();
  const percent = usePercent();
  const heading = useRef<HTMLHeadingElement>(null);
  const coverage = useApiGet('/competences/coverage', { query: { region, topic } });
  const [onlyUncovered, setOnlyUncovered] = useState(false);
  const data = coverage.data;

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const name = data?.region.name ?? regionName;
  const label = data?.topic?.label ?? topic;
  const provinces = new Map((data?.provinces ?? []).map((p) => [p.code, p]));
  const comuni = [...(data?.comuni ?? [])].sort(
    (a, b) => (provinces.get(a.provinceCode)?.sigla ?? '').localeCompare(provinces.get(b.provinceCode)?.sigla ?? '') || a.name.localeCompare(b.name, locale),
  );
  const counts = countLevels(comuni);
  const shown = onlyUncovered ? comuni.filter((c) => c.offices.length === 0) : comuni;
  const covered = comuni.length - counts.none;

  return (
    <section aria-labelledby="coverage-topic-title" className="mt-2">
      <button type="button" className="btn btn-link px-0" onClick={() => navigate(coverageHref(region))}>
        <Icon name="arrow-left" size="sm" className="icon-primary me-1" />
        {t('coverage.backToTopics')}
      </button>
      <h2 id="coverage-topic-title" className="h4" tabIndex={-1} ref={heading}>
        {t('coverage.topic.title', { topic: label, region: name })}
      </h2>
      <ErrorAlert error={coverage.error} />
      {coverage.loading && <Spinner />}
      {data && (
        <>
          <p data-testid="coverage-summary">{t('coverage.topic.summary', { covered, total: comuni.length, percent: percent(covered, comuni.length), none: counts.none })}</p>
          <p>
            <a href={coverageCsvUrl(region, topic)} download={`copertura-${region}-${topic}.csv`}>
              <Icon name="download" size="sm" className="icon-primary me-1" />
              {t('coverage.csv')}
            </a>
          </p>
          <CoverageMap provinces={data.provinces ?? []} comuni={comuni} topicLabel={label} regionName={name} />
          <h3 className="h5 mt-4">{t('coverage.comuni.title')}</h3>
          <div className="form-check mb-2">
            <input id="coverage-only-uncovered" type="checkbox" className="form-check-input" checked={onlyUncovered} onChange={(e) => setOnlyUncovered(e.target.checked)} />
            <label htmlFor="coverage-only-uncovered" className="form-check-label">
              {t('coverage.comuni.onlyUncovered')}
            </label>
          </div>
          <p className="small" role="status">
            {t('coverage.comuni.count', { shown: shown.length, total: comuni.length })}
          </p>
          <DataTable
            caption={t('coverage.comuni.caption')}
            className="table-sm align-middle coverage-comuni"
            columns={[t('coverage.col.comune'), t('coverage.col.province'), t('coverage.col.inhabitants'), t('coverage.col.offices')]}
          >
            {shown.map((c) => (
              <ComuneRow key={c.code} comune={c} sigla={provinces.get(c.provinceCode)?.sigla ?? '—'} />
            ))}
          </DataTable>
        </>
      )}
    </section>
  );
}

function ComuneRow({ comune, sigla }: { comune: CoverageComune; sigla: string }) {
  const { t, locale } = useI18n();
  const level = coverageLevel(comune);
  return (
    <tr data-comune={comune.code} data-level={level} className={level === 'none' ? 'coverage-row-none' : undefined}>
      <th scope="row">{comune.name}</th>
      <td>{sigla}</td>
      <td>{comune.population.toLocaleString(locale === 'it' ? 'it-IT' : 'en-GB')}</td>
      <td>
        {comune.offices.length === 0 ? (
          <strong className="coverage-nobody">
            <Icon name="error" size="sm" className="me-1" />
            {t('coverage.nobodyAnswers')}
          </strong>
        ) : (
          <ul className="list-unstyled mb-0">
            {comune.offices.map((o) => (
              <li key={`${o.id}-${o.via}`}>
                {o.name} <span className="small">– {o.organisationName}, {t(`coverage.via.${o.via}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}
