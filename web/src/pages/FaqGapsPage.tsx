import { useEffect, useState } from 'react';
import { type ApiResponseBody, apiGet, client, unwrap } from '../api/client.js';
import { DataTable, ErrorAlert, Notice, Spinner } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { useApiGet } from '../lib/hooks.js';
import { Link } from '../lib/router.js';
import { hasRole, useSession } from '../lib/session.js';

type Gap = ApiResponseBody<'/faq/gaps'>['items'][number];
type GapStatus = Gap['status'];
type Hit = ApiResponseBody<'/faq/search'>['items'][number];

const STATUSES = ['open', 'addressed', 'dismissed', 'all'] as const;

/** The editorial board's list of searches without a good answer, most frequent first. */
export function FaqGapsPage() {
  const { t, fmt } = useI18n();
  const { session } = useSession();
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('open');
  const [filter, setFilter] = useState('');
  const [q, setQ] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [addressing, setAddressing] = useState<string | null>(null);
  const allowed = hasRole(session?.memberships ?? [], ['network_coordinator', 'org_admin']);
  const isCoordinator = hasRole(session?.memberships ?? [], ['network_coordinator']);

  useEffect(() => {
    const timer = setTimeout(() => setQ(filter.trim()), 300);
    return () => clearTimeout(timer);
  }, [filter]);

  const list = useApiGet(allowed ? '/faq/gaps' : null, { query: { status, limit: 100, ...(q ? { q } : {}) } });

  if (!allowed) {
    // Analysts land here: they read the portal's deflected contacts, the editorial board works the gaps.
    const analyst = hasRole(session?.memberships ?? [], ['analyst']);
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">{analyst ? t('network.nav.faqAnalytics') : t('faqGaps.title')}</h1>
        <p>{analyst ? t('network.analytics.intro') : t('faqGaps.forbidden')}</p>
        {analyst && <DeflectionSummary />}
      </section>
    );
  }

  const decide = async (gap: Gap, next: GapStatus, faqId?: string) => {
    setError(null);
    try {
      await unwrap(client.PATCH('/faq/gaps/{id}', { params: { path: { id: gap.id } }, body: { status: next, version: gap.version, ...(faqId ? { faqId } : {}) } }));
      setNotice(t('faqGaps.saved'));
      setAddressing(null);
      await list.reload();
    } catch (err) {
      setError(err);
    }
  };

  const signals = (g: Gap) =>
    (
      [
        ['noResults', 'faqGaps.signal.noResults'],
        ['lowScore', 'faqGaps.signal.lowScore'],
        ['notHelpful', 'faqGaps.signal.notHelpful'],
        ['contact', 'faqGaps.signal.contact'],
      ] as const
    )
      .filter(([k]) => g.signals[k] > 0)
      .map(([k, key]) => t(key, { n: g.signals[k] }))
      .join(' · ');

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('faqGaps.title')}</h1>
      <p>{t('faqGaps.intro')}</p>
      {isCoordinator && (
        <p>
          <Link href="/faq/thesaurus">{t('faqGaps.thesaurusLink')}</Link>
        </p>
      )}
      {isCoordinator && <DeflectionSummary />}
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={error ?? list.error} onClose={() => setError(null)} />
      <div className="row g-3 align-items-end mb-3">
        <div className="col-12 col-md-4">
          <label htmlFor="gaps-status" className="form-label fw-semibold">
            {t('faqGaps.status')}
          </label>
          <select id="gaps-status" className="form-select" value={status} onChange={(e) => setStatus(e.target.value as (typeof STATUSES)[number])}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`faqGaps.status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="col-12 col-md-5">
          <label htmlFor="gaps-filter" className="form-label fw-semibold">
            {t('faqGaps.filter')}
          </label>
          <input id="gaps-filter" type="search" className="form-control" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </div>
        <div className="col-12 col-md-3" aria-live="polite">
          {list.data && <p className="mb-2">{t('faqGaps.total', { count: list.data.total })}</p>}
        </div>
      </div>
      {list.loading && !list.data ? (
        <Spinner />
      ) : list.data && list.data.items.length === 0 ? (
        <p>{t('faqGaps.empty')}</p>
      ) : (
        <DataTable caption={t('faqGaps.title')} columns={[t('faqGaps.col.query'), t('faqGaps.col.count'), t('faqGaps.col.signals'), t('faqGaps.col.seen'), t('faqGaps.col.actions')]}>
          {(list.data?.items ?? []).map((g) => (
            <tr key={g.id} data-testid="gap-row">
              <td>
                <strong>{g.query}</strong>
                {g.territory && <span className="d-block small text-muted">{t('faqGaps.territory', { place: g.organisation?.name ?? g.territory })}</span>}
                {g.samples.length > 0 && (
                  <details className="small">
                    <summary>{t('faqGaps.samples')}</summary>
                    <ul className="mb-0">
                      {g.samples.map((s) => (
                        <li key={s}>{s}</li>
                      ))}
                    </ul>
                  </details>
                )}
                {g.faq && <span className="d-block small">{t('faqGaps.addressedBy', { title: g.faq.title })}</span>}
              </td>
              <td>{g.occurrences}</td>
              <td className="small">{signals(g)}</td>
              <td className="small">
                {fmt(g.firstSeenAt)}
                <br />
                {fmt(g.lastSeenAt)}
              </td>
              <td>
                {addressing === g.id ? (
                  <FaqPicker onPick={(faqId) => void decide(g, 'addressed', faqId)} onCancel={() => setAddressing(null)} initial={g.query} />
                ) : (
                  <div className="d-flex flex-wrap gap-1">
                    {g.status === 'open' ? (
                      <>
                        <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setAddressing(g.id)}>
                          {t('faqGaps.address')}
                          <span className="visually-hidden">: {g.query}</span>
                        </button>
                        <button type="button" className="btn btn-outline-secondary btn-sm" onClick={() => void decide(g, 'dismissed')}>
                          {t('faqGaps.dismiss')}
                          <span className="visually-hidden">: {g.query}</span>
                        </button>
                      </>
                    ) : (
                      <button type="button" className="btn btn-outline-secondary btn-sm" onClick={() => void decide(g, 'open')}>
                        {t('faqGaps.reopen')}
                        <span className="visually-hidden">: {g.query}</span>
                      </button>
                    )}
                  </div>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

/** Search the FAQs (console search) and pick the one that answers the gap. */
function FaqPicker({ initial, onPick, onCancel }: { initial: string; onPick: (faqId: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState(initial);
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [choice, setChoice] = useState('');

  useEffect(() => {
    const q = text.trim();
    if (q.length < 2) {
      setHits(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      apiGet('/faq/search', { query: { q, limit: 5 } }, { signal: controller.signal })
        .then(({ data }) => setHits(data.items))
        .catch(() => undefined);
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);

  return (
    <form
      className="faq-picker"
      onSubmit={(e) => {
        e.preventDefault();
        if (choice) onPick(choice);
      }}
    >
      <label htmlFor="gap-faq-search" className="form-label small fw-semibold">
        {t('faqGaps.pickFaq')}
      </label>
      <input id="gap-faq-search" type="search" className="form-control form-control-sm mb-2" value={text} onChange={(e) => setText(e.target.value)} />
      <fieldset>
        <legend className="visually-hidden">{t('faqGaps.pickFaq')}</legend>
        {hits?.length === 0 && <p className="small">{t('faqGaps.pickFaqNone')}</p>}
        {hits?.map((h) => (
          <div className="form-check" key={h.id}>
            <input className="form-check-input" type="radio" name="gap-faq" id={`gap-faq-${h.id}`} value={h.id} checked={choice === h.id} onChange={() => setChoice(h.id)} />
            <label className="form-check-label small" htmlFor={`gap-faq-${h.id}`}>
              {h.title} <span className="text-muted">({h.owner})</span>
            </label>
          </div>
        ))}
      </fieldset>
      <div className="d-flex gap-1 mt-2">
        <button type="submit" className="btn btn-primary btn-sm" disabled={!choice}>
          {t('faqGaps.confirm')}
        </button>
        <button type="button" className="btn btn-outline-secondary btn-sm" onClick={onCancel}>
          {t('faqGaps.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The last 30 days of the portal: sessions that found their answer without contacting an office. */
function DeflectionSummary() {
  const { t } = useI18n();
  const { data } = useApiGet('/faq/analytics/deflection');
  if (!data) return null;
  const rate = data.totals.rate === null ? '—' : `${Math.round(data.totals.rate * 100)}%`;
  return (
    <section className="callout mb-4" aria-labelledby="deflection-title">
      <h2 id="deflection-title" className="callout-title h5">
        {t('faqGaps.deflection.title')}
      </h2>
      <p className="mb-2">
        {t('faqGaps.deflection.totals', { deflected: data.totals.deflected, sessions: data.totals.sessions, rate, minutes: data.windowMinutes, pending: data.totals.pending })}
      </p>
      {data.byFaq.length > 0 && (
        <>
          <p className="fw-semibold mb-1">{t('faqGaps.deflection.top')}</p>
          <ol className="mb-0">
            {data.byFaq.slice(0, 5).map((f) => (
              <li key={f.faqId}>
                {f.title} ({f.deflected})
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
