import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { type ApiQuery, apiGet } from '../api/client.js';
import type { DirectoryHit, DirectoryResult } from '../api/types.js';
import { useI18n } from '../i18n/index.js';
import { useTaxonomy } from '../lib/hooks.js';
import { codeLabel, findFacet } from '../lib/taxonomy.js';
import { TaxonomyPicker } from './TaxonomyPicker.js';
import { ErrorAlert, Icon, Spinner } from './ui.js';

interface DirectorySearchProps {
  /** Prefix of every element id (two searches may share a page). */
  idPrefix: string;
  /** The chosen office id. */
  value: string;
  onChange: (hit: DirectoryHit | null) => void;
  /** Offices that cannot be chosen (the ticket's owner, offices already involved), with the reason shown. */
  excluded?: ReadonlyMap<string, string>;
  /** A topic to suggest offices for as soon as the search opens (the ticket's topic). */
  suggestTopic?: string | undefined;
}

/**
 * "Who is competent?": a question in plain words ("esenzione ticket provincia dell'Aquila") or a
 * topic and an ISTAT territory code, answered by the network directory with ranked offices to pick from.
 */
export function DirectorySearch({ idPrefix, value, onChange, excluded, suggestTopic }: DirectorySearchProps) {
  const { t, locale } = useI18n();
  const taxonomy = useTaxonomy();
  const topicFacet = findFacet(taxonomy, 'tema');
  const [q, setQ] = useState('');
  const [topic, setTopic] = useState('');
  const [territory, setTerritory] = useState('');
  const [territoryError, setTerritoryError] = useState<string | undefined>();
  const [result, setResult] = useState<DirectoryResult | null>(null);
  const [suggested, setSuggested] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const resultsId = useId();
  const generation = useRef(0);

  /** Only the latest search may show its answer (a slow suggestion must not overwrite the user's question). */
  const run = useCallback(async (query: ApiQuery<'/directory'>, isSuggestion = false) => {
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const { data } = await apiGet('/directory', { query: { ...query, limit: 10 } });
      if (mine !== generation.current) return;
      setResult(data);
      setSuggested(isSuggestion);
    } catch (err) {
      if (mine === generation.current) setError(err);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (suggestTopic) void run({ topic: suggestTopic }, true);
  }, [suggestTopic, run]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const code = territory.trim();
    if (code && !/^[0-9]{2,6}$/.test(code)) {
      setTerritoryError(t('directory.territory.invalid'));
      return;
    }
    setTerritoryError(undefined);
    if (!q.trim() && !topic && !code) return;
    void run({ ...(q.trim() && { q: q.trim() }), ...(topic && { topic }), ...(code && { territory: code }) });
  };

  const hits = result?.results ?? [];
  return (
    <div className="directory-search">
      <form onSubmit={submit} role="search" aria-label={t('directory.title')} className="mb-3">
        <label htmlFor={`${idPrefix}-q`} className="form-label fw-semibold">
          {t('directory.q')}
        </label>
        <div className="input-group mb-1">
          <input
            id={`${idPrefix}-q`}
            type="search"
            className="form-control"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('directory.q.placeholder')}
            aria-describedby={`${idPrefix}-q-hint`}
            autoComplete="off"
          />
          <button type="submit" className="btn btn-primary">
            <Icon name="search" size="sm" className="icon-white me-1" />
            {t('directory.search')}
          </button>
        </div>
        <div id={`${idPrefix}-q-hint`} className="form-text mb-2">
          {t('directory.q.hint')}
        </div>
        <details className="directory-advanced">
          <summary className="small fw-semibold">{t('directory.advanced')}</summary>
          <div className="row g-2 mt-1">
            <div className="col-12 col-md-8">
              {topicFacet && <TaxonomyPicker id={`${idPrefix}-topic`} facet={topicFacet} label={t('directory.topic')} placeholder={t('taxonomy.any')} value={topic} onChange={setTopic} />}
            </div>
            <div className="col-12 col-md-4">
              <label htmlFor={`${idPrefix}-territory`} className="form-label fw-semibold">
                {t('directory.territory')}
              </label>
              <input
                id={`${idPrefix}-territory`}
                className={`form-control ${territoryError ? 'is-invalid' : ''}`}
                inputMode="numeric"
                value={territory}
                onChange={(e) => setTerritory(e.target.value)}
                aria-invalid={territoryError ? true : undefined}
                aria-describedby={`${idPrefix}-territory-hint${territoryError ? ` ${idPrefix}-territory-error` : ''}`}
              />
              <div id={`${idPrefix}-territory-hint`} className="form-text">
                {t('directory.territory.hint')}
              </div>
              {territoryError && (
                <div id={`${idPrefix}-territory-error`} className="invalid-feedback d-block">
                  {territoryError}
                </div>
              )}
            </div>
          </div>
        </details>
      </form>
      <ErrorAlert error={error} />
      <div aria-live="polite" className="visually-hidden">
        {!loading && result ? t('directory.found', { count: hits.length }) : ''}
      </div>
      {loading && <Spinner />}
      {!loading && result && (
        <fieldset className="directory-results" aria-describedby={resultsId}>
          <legend className="h6 mb-1">{suggested ? t('directory.suggested') : t('directory.results')}</legend>
          <p id={resultsId} className="small text-muted mb-2">
            {[
              result.topics.length > 0 ? t('directory.understood.topic', { topics: result.topics.map((x) => codeLabel(taxonomy, 'tema', x.code, locale) || x.label).join(', ') }) : '',
              result.place ? t('directory.understood.place', { place: result.place.name }) : '',
            ]
              .filter(Boolean)
              .join(' · ') || t('directory.understood.nothing')}
          </p>
          {hits.length === 0 && <p className="mb-0">{t('directory.none')}</p>}
          <ul className="list-unstyled mb-0">
            {hits.map((hit, index) => {
              const inputId = `${idPrefix}-office-${hit.office.id}`;
              const blocked = excluded?.get(hit.office.id);
              return (
                <li key={hit.office.id} className={`directory-hit ${value === hit.office.id ? 'chosen' : ''}`} data-office={hit.office.slug}>
                  <div className="form-check m-0">
                    <input
                      className="form-check-input"
                      type="radio"
                      name={`${idPrefix}-office`}
                      id={inputId}
                      value={hit.office.id}
                      checked={value === hit.office.id}
                      disabled={Boolean(blocked)}
                      onChange={() => onChange(hit)}
                      aria-describedby={`${inputId}-details`}
                    />
                    <label className="form-check-label directory-hit-label" htmlFor={inputId}>
                      <span className="fw-semibold">
                        {index + 1}. {hit.office.name}
                      </span>{' '}
                      <span className="text-muted">– {hit.organisationName}</span>
                    </label>
                  </div>
                  <div id={`${inputId}-details`} className="directory-hit-details small">
                    {hit.office.openNow !== undefined && (
                      <span className={`badge ${hit.office.openNow ? 'bg-success' : 'bg-secondary'} me-2`}>{hit.office.openNow ? t('directory.openNow') : t('directory.closedNow')}</span>
                    )}
                    <span className="badge bg-light text-dark border me-2">{translateKind(t, hit.office.kind)}</span>
                    {blocked && <strong className="me-2">{blocked}</strong>}
                    <span>{hit.reasons.join(' · ')}</span>
                  </div>
                </li>
              );
            })}
          </ul>
        </fieldset>
      )}
    </div>
  );
}

function translateKind(t: ReturnType<typeof useI18n>['t'], kind: string): string {
  if (kind === 'back_office') return t('directory.kind.back_office');
  if (kind === 'urp') return t('directory.kind.urp');
  return kind;
}
