import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { apiGet } from '../api/client.js';
import { type InboxCounts, KNOWN_STATUSES, type TicketSummary } from '../api/types.js';
import { FacetSelect } from '../components/FacetSelect.js';
import { PendingInvitations } from '../components/Invitations.js';
import { TaxonomyPicker } from '../components/TaxonomyPicker.js';
import { DataTable, ErrorAlert, Field, Icon, Spinner, StatusBadge } from '../components/ui.js';
import { translateCode, useI18n } from '../i18n/index.js';
import {
  ALL_OFFICES,
  DEFAULT_STATUSES,
  filtersToApiQuery,
  filtersToSearch,
  INBOX_VIEWS,
  type InboxFilters,
  type InboxView,
  isOverdue,
  parseFilters,
  toggleStatus,
} from '../lib/filters.js';
import { useApiGet, useTaxonomy, useWorkOffices } from '../lib/hooks.js';
import { NOTIFICATION_EVENT } from '../lib/notifications.js';
import { Link, navigate } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import { codeLabel, findFacet } from '../lib/taxonomy.js';

/**
 * Whether the inbox shows less than its default view (a search, a filter, other statuses, a view
 * other than "all"): an empty result then means "nothing matches", not "nothing to do".
 */
export function narrowsDefaultView(filters: InboxFilters): boolean {
  const defaultStatuses = filters.status.length === DEFAULT_STATUSES.length && DEFAULT_STATUSES.every((s) => filters.status.includes(s));
  return Boolean((filters.view && filters.view !== 'all') || !defaultStatuses || filters.channel || filters.topic || filters.assignee || filters.q.trim());
}

export function InboxPage({ search, pathname }: { search: string; pathname: string }) {
  const { t, fmt, locale, label } = useI18n();
  const { session } = useSession();
  const taxonomy = useTaxonomy();
  const offices = useWorkOffices(session?.memberships ?? []);
  const urlFilters = useMemo(() => parseFilters(search), [search]);
  const filters: InboxFilters = { ...urlFilters, officeId: urlFilters.officeId || offices[0]?.id || ALL_OFFICES };
  const [q, setQ] = useState(urlFilters.q);
  useEffect(() => setQ(urlFilters.q), [urlFilters.q]);

  const update = (next: InboxFilters) => navigate(`${pathname}${filtersToSearch(next)}`, { replace: true });

  const apiQuery = filtersToApiQuery(filters);
  const queryKey = JSON.stringify(apiQuery);
  const [items, setItems] = useState<TicketSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `queryKey` is `apiQuery` by value
  useEffect(() => {
    let alive = true;
    setLoading(true);
    setError(null);
    apiGet('/tickets', { query: apiQuery })
      .then(
        ({ data }) => {
          if (!alive) return;
          setItems(data.items);
          setNextCursor(data.nextCursor);
        },
        (err: unknown) => alive && setError(err),
      )
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
  }, [queryKey]);

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const { data } = await apiGet('/tickets', { query: filtersToApiQuery(filters, nextCursor) });
      setItems((current) => [...current, ...data.items]);
      setNextCursor(data.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const counts = useApiGet('/tickets/counts', { query: filters.officeId && filters.officeId !== ALL_OFFICES ? { officeId: filters.officeId } : {} });
  // New shares, transfers and tasks change the counts: follow them live.
  useEffect(() => {
    const onNotification = () => void counts.reload();
    window.addEventListener(NOTIFICATION_EVENT, onNotification);
    return () => window.removeEventListener(NOTIFICATION_EVENT, onNotification);
  }, [counts.reload]);

  const colleagues = useApiGet(filters.officeId && filters.officeId !== ALL_OFFICES ? '/offices/{id}/users' : null, { path: { id: filters.officeId } });
  const channelFacet = findFacet(taxonomy, 'canale');
  const topicFacet = findFacet(taxonomy, 'tema');
  const statuses = [...new Set([...KNOWN_STATUSES, ...filters.status])];

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    update({ ...filters, q });
  };

  return (
    <section aria-labelledby="page-title">
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-3">
        <h1 id="page-title" className="mb-0">
          {t('inbox.title')}
        </h1>
        <Link href="/tickets/new" className="btn btn-primary btn-icon">
          <Icon name="plus" className="icon-white me-1" />
          <span>{t('nav.newTicket')}</span>
        </Link>
      </div>

      <PendingInvitations />

      <InboxViews view={filters.view ?? 'all'} counts={counts.data} hrefFor={(view) => `${pathname}${filtersToSearch({ ...filters, view })}`} />

      <form className="card card-bg shadow-sm p-3 mb-4 inbox-filters" onSubmit={onSearch} aria-label={t('inbox.filters')}>
        <div className="row g-3">
          <div className="col-12 col-lg-4">
            <Field id="filter-office" label={t('inbox.office')}>
              <select
                id="filter-office"
                className="form-select"
                value={filters.officeId}
                onChange={(event) => update({ ...filters, officeId: event.target.value, assignee: ['me', 'none', ''].includes(filters.assignee) ? filters.assignee : '' })}
              >
                {offices.map((office) => (
                  <option key={office.id} value={office.id}>
                    {office.name} – {office.organisationName}
                  </option>
                ))}
                <option value={ALL_OFFICES}>{t('inbox.allOffices')}</option>
              </select>
            </Field>
          </div>
          <div className="col-12 col-md-6 col-lg-4">
            <Field id="filter-assignee" label={t('inbox.assignee')}>
              <select
                id="filter-assignee"
                className="form-select"
                value={filters.assignee}
                onChange={(event) => update({ ...filters, assignee: event.target.value })}
              >
                <option value="">{t('inbox.assignee.anyone')}</option>
                <option value="me">{t('inbox.assignee.me')}</option>
                <option value="none">{t('inbox.assignee.none')}</option>
                {(colleagues.data?.items ?? [])
                  .filter((user) => user.id !== session?.user.id)
                  .map((user) => (
                    <option key={user.id} value={user.id}>
                      {user.name}
                    </option>
                  ))}
              </select>
            </Field>
          </div>
          <div className="col-12 col-md-6 col-lg-4">
            {channelFacet ? (
              <FacetSelect
                id="filter-channel"
                facet={channelFacet}
                value={filters.channel}
                required={false}
                emptyLabel={t('inbox.anyChannel')}
                onChange={(channel) => update({ ...filters, channel })}
              />
            ) : null}
          </div>
          <div className="col-12 col-lg-6">
            {topicFacet ? (
              <TaxonomyPicker
                id="filter-topic"
                facet={topicFacet}
                label={label(topicFacet.label)}
                placeholder={t('taxonomy.any')}
                value={filters.topic}
                onChange={(topic) => update({ ...filters, topic })}
              />
            ) : null}
          </div>
          <div className="col-12 col-lg-6">
            <label htmlFor="filter-q" className="form-label fw-semibold">
              {t('inbox.q')}
            </label>
            <div className="input-group">
              <input
                id="filter-q"
                type="search"
                className="form-control"
                placeholder={t('inbox.q.placeholder')}
                value={q}
                onChange={(event) => setQ(event.target.value)}
              />
              <button type="submit" className="btn btn-primary">
                {t('inbox.search')}
              </button>
            </div>
          </div>
          <div className="col-12">
            <fieldset className="status-filter">
              <legend className="form-label fw-semibold fs-6 mb-1">{t('inbox.status')}</legend>
              <div className="d-flex flex-wrap gap-3">
                {statuses.map((status) => (
                  <div className="form-check form-check-inline m-0" key={status}>
                    <input
                      id={`filter-status-${status}`}
                      type="checkbox"
                      className="form-check-input"
                      checked={filters.status.includes(status)}
                      onChange={() => update(toggleStatus(filters, status))}
                    />
                    <label className="form-check-label" htmlFor={`filter-status-${status}`}>
                      {translateCode(t, 'status', status)}
                    </label>
                  </div>
                ))}
                <button
                  type="button"
                  className="btn btn-link btn-sm p-0 ms-auto"
                  onClick={() => update({ ...(filters.view && { view: filters.view }), officeId: filters.officeId, status: [...DEFAULT_STATUSES], channel: '', topic: '', assignee: '', q: '' })}
                >
                  {t('inbox.reset')}
                </button>
              </div>
            </fieldset>
          </div>
        </div>
      </form>

      <ErrorAlert error={error} />
      {loading ? (
        <Spinner />
      ) : items.length === 0 ? (
        narrowsDefaultView(filters) ? (
          <p className="lead" role="status" data-testid="inbox-empty" data-empty="filtered">
            {t('network.inbox.emptyFiltered')}
          </p>
        ) : (
          <p className="lead" role="status" data-testid="inbox-empty" data-empty="none">
            {t('network.inbox.emptyNone')}
          </p>
        )
      ) : (
        <DataTable
          caption={t('inbox.results')}
          className="table-hover align-middle inbox-table"
          columns={[
            t('inbox.col.code'),
            t('inbox.col.subject'),
            t('inbox.col.status'),
            t('inbox.col.channel'),
            t('inbox.col.topic'),
            t('inbox.col.assignee'),
            t('inbox.col.updated'),
            t('inbox.col.due'),
          ]}
        >
          {items.map((ticket) => {
            const overdue = isOverdue(ticket.dueAt, ticket.status);
            return (
              <tr key={ticket.id} data-code={ticket.code} className={overdue ? 'overdue' : undefined}>
                <td className="text-nowrap">
                  <Link href={`/tickets/${encodeURIComponent(ticket.code)}`} className="fw-semibold ticket-code">
                    {ticket.code}
                  </Link>
                </td>
                <td>
                  {ticket.subject}
                  {ticket.requesterName && <div className="small text-muted">{ticket.requesterName}</div>}
                </td>
                <td>
                  <StatusBadge status={ticket.status} label={translateCode(t, 'status', ticket.status)} />
                </td>
                <td>{codeLabel(taxonomy, 'canale', ticket.channel, locale)}</td>
                <td className="small">{codeLabel(taxonomy, 'tema', ticket.classification.tema, locale) || t('app.none')}</td>
                <td>{ticket.assignee?.name ?? <span className="text-muted">{t('inbox.unassigned')}</span>}</td>
                <td className="text-nowrap">{fmt(ticket.updatedAt)}</td>
                <td className="text-nowrap">
                  {overdue ? (
                    <strong className="text-danger">
                      <Icon name="warning-circle" className="icon-danger icon-sm me-1" />
                      {fmt(ticket.dueAt)} <span className="badge bg-danger">{t('inbox.overdue')}</span>
                    </strong>
                  ) : (
                    fmt(ticket.dueAt)
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      {nextCursor && !loading && (
        <div className="text-center my-3">
          <button type="button" className="btn btn-outline-primary" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? t('app.loading') : t('inbox.loadMore')}
          </button>
        </div>
      )}
    </section>
  );
}

/** The views of the inbox as tabs-like links (the view lives in the URL), each with its open-work count. */
function InboxViews({ view, counts, hrefFor }: { view: InboxView; counts: InboxCounts | null; hrefFor: (view: InboxView) => string }) {
  const { t } = useI18n();
  return (
    <nav aria-label={t('inbox.views')} className="mb-3 inbox-views">
      <ul className="nav nav-pills flex-wrap gap-1">
        {INBOX_VIEWS.map((v) => {
          const active = v === view;
          const count = counts?.[v];
          return (
            <li className="nav-item" key={v}>
              <Link href={hrefFor(v)} className={`nav-link ${active ? 'active' : ''}`} aria-current={active ? 'page' : undefined} data-view={v}>
                {t(`inbox.view.${v}`)}
                {count !== undefined && (
                  <span className={`badge rounded-pill ms-2 ${active ? 'bg-white text-primary' : 'bg-primary'}`} data-testid={`view-count-${v}`}>
                    {count}
                    <span className="visually-hidden"> {t('inbox.view.openCount')}</span>
                  </span>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
