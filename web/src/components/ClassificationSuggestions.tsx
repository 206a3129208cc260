import { useEffect, useRef, useState } from 'react';
import { type ApiResponseBody, client, unwrap } from '../api/client.js';
import { useI18n } from '../i18n/index.js';

type Facet = 'tema' | 'tipo';
const FACETS: readonly Facet[] = ['tema', 'tipo'];

type SuggestResponse = ApiResponseBody<'/classification/suggest', 'post'>;
type Suggestion = NonNullable<SuggestResponse['facets'][Facet]>['suggestions'][number];

/** Suggestions follow the typing after this pause. */
const DEBOUNCE_MS = 500;
/** Fewer characters than this say too little to classify. */
const MIN_CHARS = 12;

export interface ClassificationSuggestionsProps {
  /** Subject and description as the operator types them. */
  text: string;
  /** The codes currently chosen in the form (shown as "in use"). */
  value: Partial<Record<Facet, string>>;
  /** Fills the taxonomy picker of the facet. */
  onUse: (facet: Facet, code: string) => void;
  /**
   * The id of the suggestion shown, sent with the new ticket (`classificationSuggestionId`): the
   * server then records whether the operator confirmed or corrected it.
   */
  onSuggestion: (id: string | null) => void;
}

/**
 * Suggested topic and request type for what the operator is typing, with confidence, each with a
 * "Use" button that fills the taxonomy picker. Updates are announced politely to screen readers.
 */
export function ClassificationSuggestions({ text, value, onUse, onSuggestion }: ClassificationSuggestionsProps) {
  const { t, locale } = useI18n();
  const [result, setResult] = useState<SuggestResponse | null>(null);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const controller = useRef<AbortController | null>(null);
  const report = useRef(onSuggestion);
  report.current = onSuggestion;

  useEffect(() => {
    const q = text.trim();
    if (q.length < MIN_CHARS) {
      controller.current?.abort();
      setResult(null);
      setLoading(false);
      report.current(null);
      return;
    }
    const timer = setTimeout(async () => {
      controller.current?.abort();
      const mine = new AbortController();
      controller.current = mine;
      setLoading(true);
      try {
        const { data } = await unwrap(client.POST('/classification/suggest', { body: { text: q.slice(0, 20_000), lang: locale }, signal: mine.signal }));
        if (mine.signal.aborted) return;
        setResult(data);
        setFailed(false);
        report.current(data.id);
        const top = data.facets.tema?.suggestions[0];
        if (top) setAnnouncement(t('classification.suggest.updated', { tema: top.label }));
      } catch {
        // A help, never an obstacle: a failed request keeps the form usable.
        if (!mine.signal.aborted) setFailed(true);
      } finally {
        if (controller.current === mine) setLoading(false);
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, locale, t]);

  useEffect(() => () => controller.current?.abort(), []);

  const percent = (c: number) => new Intl.NumberFormat(locale === 'it' ? 'it-IT' : 'en-GB', { style: 'percent', maximumFractionDigits: 0 }).format(c);
  const facetName = (facet: Facet) => t(`classification.suggest.facet.${facet}`);
  const use = (facet: Facet, s: Suggestion) => {
    onUse(facet, s.code);
    setAnnouncement(t('classification.suggest.applied', { facet: facetName(facet), label: s.label }));
  };

  const visible = result !== null && FACETS.some((f) => (result.facets[f]?.suggestions.length ?? 0) > 0);
  return (
    <section className="classification-suggestions mb-3" aria-labelledby={visible || loading ? 'classification-suggestions-title' : undefined} data-testid="classification-suggestions">
      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
      {failed && !visible && <p className="small text-muted mb-2">{t('classification.suggest.unavailable')}</p>}
      {(visible || loading) && (
        <>
          <h2 id="classification-suggestions-title" className="h6 mb-1">
            {t('classification.suggest.title')} {loading && <span className="small text-muted fw-normal">· {t('classification.suggest.loading')}</span>}
          </h2>
          <p className="small text-muted mb-2">{t('classification.suggest.hint')}</p>
          {visible &&
            FACETS.map((facet) => {
              const suggestions = result.facets[facet]?.suggestions ?? [];
              if (suggestions.length === 0) return null;
              return (
                <div key={facet} className="mb-2" role="group" aria-labelledby={`classification-suggest-${facet}`}>
                  <p id={`classification-suggest-${facet}`} className="small fw-semibold mb-1">
                    {facetName(facet)}
                  </p>
                  <ul className="list-unstyled d-flex flex-wrap gap-2 mb-0">
                    {suggestions.map((s) => {
                      const inUse = value[facet] === s.code;
                      return (
                        <li key={s.code}>
                          <button
                            type="button"
                            className={`btn btn-sm ${inUse ? 'btn-primary' : 'btn-outline-primary'}`}
                            aria-pressed={inUse}
                            onClick={() => use(facet, s)}
                          >
                            {t('classification.suggest.use')}
                            <span className="visually-hidden"> {facetName(facet)}</span>: {s.label}{' '}
                            <span className="badge bg-light text-dark ms-1">
                              <span className="visually-hidden">{t('classification.suggest.confidence')} </span>
                              {percent(s.confidence)}
                            </span>
                            {inUse && <span className="ms-1 small">({t('classification.suggest.inUse')})</span>}
                          </button>
                        </li>
                      );
                    })}
                  </ul>
                </div>
              );
            })}
        </>
      )}
    </section>
  );
}
