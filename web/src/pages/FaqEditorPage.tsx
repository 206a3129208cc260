import { type FormEvent, useState } from 'react';
import { ApiError, type ApiQuery, type ApiRequestBody, apiGet, client, requestHeaders, unwrap } from '../api/client.js';
import type { Membership } from '../api/types.js';
import { FaqDiffView } from '../components/FaqDiffView.js';
import {
  type EditorialFaq, FAQ_FLAGS, FAQ_STATUSES, type FaqAction, type FaqDiff, type FaqFlag, type FaqStatus, type FaqSummary, 
  TRANSLATION_LANGS, workingContent,
} from '../components/FaqEditorialApi.js';
import { FaqEditorForm, type FaqFormValues, fromLocalInput, toLocalInput } from '../components/FaqEditorForm.js';
import { Alert, controlClass, DataTable, ErrorAlert, Field, fieldA11y, HiddenHeading, Notice, Spinner } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { useApiGet, useSubmission } from '../lib/hooks.js';
import { Link, navigate } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import { FAQ_EDITORIAL_PATH, PROPOSER_ROLES } from './paths.js';

const AUTHOR_ROLES = ['supervisor', 'org_admin'];

const STATE_CLASS: Record<FaqStatus, string> = { draft: 'bg-secondary', in_review: 'bg-warning text-dark', published: 'bg-success', archived: 'bg-dark' };

function StateBadge({ state }: { state: FaqStatus }) {
  const { t } = useI18n();
  return <span className={`badge ${STATE_CLASS[state]}`}>{t(`faqEditorial.state.${state}` as MessageKey)}</span>;
}

function FlagBadges({ flags }: { flags: readonly FaqFlag[] }) {
  const { t } = useI18n();
  return (
    <>
      {flags.map((f) => (
        <span key={f} className="badge bg-danger ms-1" data-testid={`flag-${f}`}>
          {t(`faqEditorial.flag.${f}` as MessageKey)}
        </span>
      ))}
    </>
  );
}

function LiveBadge({ faq }: { faq: FaqSummary }) {
  const { t, fmt } = useI18n();
  if (faq.live) return <span className="badge bg-light text-dark border ms-1">{t('faqEditorial.live')}</span>;
  if (faq.status === 'published' && faq.publishAt) return <span className="badge bg-info text-dark ms-1">{t('faqEditorial.scheduled', { at: fmt(faq.publishAt) })}</span>;
  return null;
}

// ------------------------------------------------------------------ list

function FaqList({ search }: { search: string }) {
  const { t, fmt } = useI18n();
  const params = new URLSearchParams(search);
  const [status, setStatus] = useState(params.get('status') ?? '');
  const [scope, setScope] = useState(params.get('scope') ?? '');
  const [flag, setFlag] = useState(params.get('flag') ?? '');
  const [mine, setMine] = useState(params.get('owner') === 'me');
  const [q, setQ] = useState(params.get('q') ?? '');
  // The page URL may carry any value: the server checks each against its list (and says which).
  const query = {} as Record<string, string>;
  for (const k of ['status', 'scope', 'flag', 'owner', 'q', 'cursor'] as const) {
    const v = params.get(k);
    if (v) query[k] = v;
  }
  const list = useApiGet('/faq', { query: query as ApiQuery<'/faq'> });
  const flagged = useApiGet('/faq/editorial/flags', { query: { mine: true } });

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (status) next.set('status', status);
    if (scope) next.set('scope', scope);
    if (flag) next.set('flag', flag);
    if (mine) next.set('owner', 'me');
    if (q.trim()) next.set('q', q.trim());
    navigate(`${FAQ_EDITORIAL_PATH}?${next.toString()}`);
  };

  return (
    <section aria-labelledby="page-title">
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2">
        <h1 id="page-title">{t('faqEditorial.title')}</h1>
        <Link className="btn btn-primary" href={`${FAQ_EDITORIAL_PATH}/nuova`}>
          {t('faqEditorial.new')}
        </Link>
      </div>
      <p>{t('faqEditorial.intro')}</p>
      {flagged.data && flagged.data.items.length > 0 && (
        <Alert kind="warning">
          <strong>{t('faqEditorial.myFlags', { count: flagged.data.items.length })}</strong>
          <ul className="mb-0">
            {flagged.data.items.map((f) => (
              <li key={f.id}>
                <Link href={`${FAQ_EDITORIAL_PATH}/${f.id}`}>{f.workingTitle}</Link> <FlagBadges flags={f.flags} />
              </li>
            ))}
          </ul>
        </Alert>
      )}
      <form className="row g-2 align-items-end mb-3" onSubmit={apply} aria-label={t('faqEditorial.filters')}>
        <div className="col-6 col-md-2">
          <Field id="faq-filter-status" label={t('faqEditorial.filter.status')}>
            <select id="faq-filter-status" className="form-select" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{t('faqEditorial.filter.any')}</option>
              {FAQ_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`faqEditorial.state.${s}` as MessageKey)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="col-6 col-md-2">
          <Field id="faq-filter-scope" label={t('faqEditorial.filter.scope')}>
            <select id="faq-filter-scope" className="form-select" value={scope} onChange={(e) => setScope(e.target.value)}>
              <option value="">{t('faqEditorial.filter.any')}</option>
              <option value="network">{t('faqEditorial.scope.network')}</option>
              <option value="organisation">{t('faqEditorial.scope.organisation')}</option>
            </select>
          </Field>
        </div>
        <div className="col-6 col-md-2">
          <Field id="faq-filter-flag" label={t('faqEditorial.filter.flag')}>
            <select id="faq-filter-flag" className="form-select" value={flag} onChange={(e) => setFlag(e.target.value)}>
              <option value="">{t('faqEditorial.filter.any')}</option>
              {FAQ_FLAGS.map((f) => (
                <option key={f} value={f}>
                  {t(`faqEditorial.flag.${f}` as MessageKey)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="col-6 col-md-3">
          <Field id="faq-filter-q" label={t('faqEditorial.filter.text')}>
            <input id="faq-filter-q" className="form-control" value={q} onChange={(e) => setQ(e.target.value)} />
          </Field>
        </div>
        <div className="col-6 col-md-1 mb-3">
          <div className="form-check">
            <input id="faq-filter-mine" type="checkbox" className="form-check-input" checked={mine} onChange={(e) => setMine(e.target.checked)} />
            <label htmlFor="faq-filter-mine" className="form-check-label">
              {t('faqEditorial.filter.mine')}
            </label>
          </div>
        </div>
        <div className="col-6 col-md-2 mb-3">
          <button type="submit" className="btn btn-outline-primary w-100">
            {t('faqEditorial.filter.apply')}
          </button>
        </div>
      </form>
      <ErrorAlert error={list.error} />
      {list.loading && !list.data ? (
        <Spinner />
      ) : list.data && list.data.items.length === 0 ? (
        <p>{t('faqEditorial.empty')}</p>
      ) : (
        list.data && (
          <DataTable caption={t('faqEditorial.title')} columns={[t('faqEditorial.col.title'), t('faqEditorial.col.state'), t('faqEditorial.col.owner'), t('faqEditorial.col.updated')]}>
            {list.data.items.map((f) => (
              <tr key={f.id}>
                <td>
                  <Link href={`${FAQ_EDITORIAL_PATH}/${f.id}`}>{f.workingTitle}</Link>
                  {f.adoptedFrom && <span className="badge bg-light text-dark border ms-1">{t('faqEditorial.adopted')}</span>}
                  <FlagBadges flags={f.flags} />
                </td>
                <td>
                  <StateBadge state={f.workflowState} />
                  {f.hasRevision && <span className="badge bg-light text-dark border ms-1">{t('faqEditorial.hasRevision')}</span>}
                  <LiveBadge faq={f} />
                </td>
                <td>
                  {f.owner}
                  {f.ownerUser && <div className="small">{f.ownerUser.name}</div>}
                </td>
                <td>{fmt(f.updatedAt)}</td>
              </tr>
            ))}
          </DataTable>
        )
      )}
      {list.data?.nextCursor && (
        <Link className="btn btn-outline-primary" href={`${FAQ_EDITORIAL_PATH}?${new URLSearchParams({ ...Object.fromEntries(params), cursor: list.data.nextCursor }).toString()}`}>
          {t('faqEditorial.more')}
        </Link>
      )}
    </section>
  );
}

// ------------------------------------------------------------------ new

const emptyForm: FaqFormValues = { title: '', body: '', tema: null, tipo: null, enteCompetente: null, tags: [], ownerId: '', reviewBy: '', publishAt: '', expiresAt: '' };

/** Owner choices: the current owner, the user, and the user's colleagues in the FAQ's organisation. */
function useOwnerChoices(organisationId: string | null, current: { id: string; name: string } | null): { id: string; name: string }[] {
  const { session } = useSession();
  const office = organisationId ? session?.memberships.find((m) => m.organisationId === organisationId && m.officeId)?.officeId : undefined;
  const colleagues = useApiGet(office ? '/offices/{id}/users' : null, { path: { id: office ?? '' } });
  const out = new Map<string, string>();
  if (current) out.set(current.id, current.name);
  if (session) out.set(session.user.id, session.user.name);
  for (const u of colleagues.data?.items ?? []) out.set(u.id, u.name);
  return [...out].map(([id, name]) => ({ id, name }));
}

function formBody(values: FaqFormValues) {
  return {
    title: values.title, body: values.body, tema: values.tema, tipo: values.tipo, tags: values.tags,
    reviewBy: values.reviewBy || null, expiresAt: fromLocalInput(values.expiresAt), ...(values.ownerId && { ownerId: values.ownerId }),
  };
}

function NewFaq() {
  const { t } = useI18n();
  const { session } = useSession();
  const memberships = session?.memberships ?? [];
  const board = memberships.some((m) => m.role === 'network_coordinator');
  const orgs = [...new Map(memberships.filter((m) => PROPOSER_ROLES.includes(m.role)).map((m) => [m.organisationId, m.organisationName])).entries()];
  const [scope, setScope] = useState<'network' | 'organisation'>(orgs.length > 0 ? 'organisation' : 'network');
  const [organisationId, setOrganisationId] = useState(orgs[0]?.[0] ?? '');
  const submission = useSubmission();
  const owners = useOwnerChoices(scope === 'organisation' ? organisationId : null, null);

  const create = (values: FaqFormValues) =>
    submission.run(async () => {
      const { data } = await unwrap(
        client.POST('/faq', {
          body: {
            scope, ...(scope === 'organisation' && organisationId && { organisationId }), ...formBody(values),
            ...(values.publishAt && { publishAt: fromLocalInput(values.publishAt) }),
          },
        }),
      );
      navigate(`${FAQ_EDITORIAL_PATH}/${data.id}`);
    });

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('faqEditorial.new')}</h1>
      <p>
        <Link href={FAQ_EDITORIAL_PATH}>{t('faqEditorial.back')}</Link>
      </p>
      <ErrorAlert error={submission.error} />
      <FaqEditorForm
        idPrefix="faq-new"
        initial={{ ...emptyForm, ownerId: session?.user.id ?? '' }}
        submitLabel={t('faqEditorial.new.form')}
        busy={submission.busy}
        error={submission.error}
        scheduleEditable
        owners={owners}
        onSubmit={(v) => void create(v)}
      >
        <div className="row">
          <div className="col-12 col-md-6">
            <Field id="faq-new-scope" label={t('faqEditorial.field.scope')}>
              <select id="faq-new-scope" className="form-select" value={scope} onChange={(e) => setScope(e.target.value as 'network' | 'organisation')}>
                {orgs.length > 0 && <option value="organisation">{t('faqEditorial.scope.organisation')}</option>}
                {board && <option value="network">{t('faqEditorial.scope.network')}</option>}
              </select>
            </Field>
          </div>
          {scope === 'organisation' && orgs.length > 1 && (
            <div className="col-12 col-md-6">
              <Field id="faq-new-org" label={t('faqEditorial.field.organisation')}>
                <select id="faq-new-org" className="form-select" value={organisationId} onChange={(e) => setOrganisationId(e.target.value)}>
                  {orgs.map(([id, name]) => (
                    <option key={id} value={id}>
                      {name}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
          )}
        </div>
      </FaqEditorForm>
    </section>
  );
}

// ------------------------------------------------------------------ detail

const ACTIONS: { action: FaqAction; when: (f: EditorialFaq) => boolean; publisher: boolean; style: string }[] = [
  { action: 'submit', when: (f) => f.workflowState === 'draft', publisher: false, style: 'btn-primary' },
  { action: 'publish', when: (f) => f.workflowState === 'in_review', publisher: true, style: 'btn-success' },
  { action: 'reject', when: (f) => f.workflowState === 'in_review', publisher: true, style: 'btn-outline-danger' },
  { action: 'discard', when: (f) => f.hasRevision, publisher: false, style: 'btn-outline-secondary' },
  { action: 'archive', when: (f) => f.status !== 'archived', publisher: true, style: 'btn-outline-dark' },
  { action: 'unarchive', when: (f) => f.status === 'archived', publisher: true, style: 'btn-outline-primary' },
];

function FaqDetail({ id }: { id: string }) {
  const { t, fmt } = useI18n();
  const { session } = useSession();
  const faq = useApiGet('/faq/{id}', { path: { id } });
  const versions = useApiGet('/faq/{id}/versions', { path: { id } });
  const [diff, setDiff] = useState<FaqDiff | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [formKey, setFormKey] = useState(0);
  const submission = useSubmission();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const owners = useOwnerChoices(faq.data?.organisation?.id ?? null, faq.data?.ownerUser ?? null);

  const refresh = async (data?: EditorialFaq, etag?: string | null) => {
    if (data) faq.setData(data, etag ?? null);
    else await faq.reload();
    setFormKey((k) => k + 1);
    await versions.reload();
  };

  if (faq.error instanceof ApiError && faq.error.status === 404) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">{t('faqEditorial.notFound')}</h1>
        <Link href={FAQ_EDITORIAL_PATH}>{t('faqEditorial.back')}</Link>
      </section>
    );
  }
  if (!faq.data) return faq.error ? <ErrorAlert error={faq.error} /> : <Spinner />;
  const f = faq.data;
  const content = workingContent(f);
  const isAdoption = f.adoptedFrom !== null;

  const act = (action: FaqAction) =>
    submission.run(async () => {
      const { data, etag } = await unwrap(
        client.POST('/faq/{id}/transitions', { params: { path: { id: f.id } }, body: { action, ...(note.trim() && { note: note.trim() }) }, headers: requestHeaders({ ifMatch: faq.etag }) }),
      );
      setNote('');
      setNotice(t(`faqEditorial.done.${action}` as MessageKey));
      await refresh(data, etag);
    });

  const save = (values: FaqFormValues) =>
    submission.run(async () => {
      const body: ApiRequestBody<'/faq/{id}', 'patch'> = formBody(values);
      if (body.ownerId === f.ownerUser?.id) delete body.ownerId;
      const publishAt = fromLocalInput(values.publishAt);
      if (!f.live && publishAt !== f.publishAt) body.publishAt = publishAt;
      const { data, etag } = await unwrap(client.PATCH('/faq/{id}', { params: { path: { id: f.id } }, body, headers: requestHeaders({ ifMatch: faq.etag }) }));
      setNotice(t(data.hasRevision ? 'faqEditorial.saved.revision' : 'faqEditorial.saved'));
      await refresh(data, etag);
    });

  const showDiff = (a: number | undefined, b: number | undefined) =>
    submission.run(async () => {
      const { data } = await apiGet('/faq/{id}/diff', { path: { id: f.id }, query: { ...(a && { from: a }), ...(b && { to: b }) } });
      setDiff(data);
    });

  const rollback = (version: number) =>
    submission.run(async () => {
      if (!window.confirm(t('faqEditorial.rollback.confirm', { version }))) return;
      const { data, etag } = await unwrap(client.POST('/faq/{id}/rollback', { params: { path: { id: f.id } }, body: { version }, headers: requestHeaders({ ifMatch: faq.etag }) }));
      setNotice(t('faqEditorial.rollback.done', { version }));
      await refresh(data, etag);
    });

  const userIsAuthorIn = (session?.memberships ?? []).filter((m) => AUTHOR_ROLES.includes(m.role));
  const canAdopt = f.scope === 'network' && f.status === 'published' && f.canonicalId === null && !isAdoption && userIsAuthorIn.length > 0;

  return (
    <section aria-labelledby="page-title">
      <p>
        <Link href={FAQ_EDITORIAL_PATH}>{t('faqEditorial.back')}</Link>
      </p>
      <h1 id="page-title">{content.title}</h1>
      <p className="d-flex flex-wrap gap-1 align-items-center">
        <StateBadge state={f.workflowState} />
        {f.hasRevision && <span className="badge bg-light text-dark border">{t('faqEditorial.hasRevision')}</span>}
        <LiveBadge faq={f} />
        <FlagBadges flags={f.flags} />
        <span className="ms-2">
          {f.scope === 'network' ? t('faqEditorial.scope.network') : f.owner} · {t('faqEditorial.version', { version: f.version })} · {f.lang.toUpperCase()}
          {f.ownerUser && ` · ${t('faqEditorial.ownerUser', { name: f.ownerUser.name })}`}
          {f.reviewBy && ` · ${t('faqEditorial.reviewByOn', { date: fmt(f.reviewBy, 'date') })}`}
        </span>
      </p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={submission.error} onClose={() => submission.setError(null)} />
      {f.reviewNote && <Alert kind="warning">{t('faqEditorial.reviewNote', { note: f.reviewNote })}</Alert>}
      {f.hasRevision && <Alert kind="info">{t('faqEditorial.revisionInfo')}</Alert>}
      {f.outdated && f.canonical && (
        <Alert kind="warning">
          {t('faqEditorial.translation.outdated')} <Link href={`${FAQ_EDITORIAL_PATH}/${f.canonical.id}`}>{f.canonical.title}</Link>
        </Alert>
      )}

      {!isAdoption && (f.permissions.edit || f.permissions.publish) && (
        <div className="card card-bg p-3 mb-4" role="group" aria-labelledby="faq-workflow-title">
          <h2 id="faq-workflow-title" className="h4">
            {t('faqEditorial.workflow')}
          </h2>
          {f.permissions.publish && f.workflowState === 'in_review' && (
            <Field id="faq-note" label={t('faqEditorial.note')}>
              <input id="faq-note" className="form-control" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
            </Field>
          )}
          <div className="d-flex flex-wrap gap-2">
            {ACTIONS.filter((a) => a.when(f) && (a.publisher ? f.permissions.publish : f.permissions.edit)).map((a) => (
              <button key={a.action} type="button" className={`btn ${a.style}`} disabled={submission.busy} onClick={() => void act(a.action)}>
                {t(`faqEditorial.action.${a.action}` as MessageKey)}
              </button>
            ))}
          </div>
        </div>
      )}

      {f.hasRevision && f.status === 'published' && (
        <details className="mb-3">
          <summary>{t('faqEditorial.liveText')}</summary>
          <p style={{ whiteSpace: 'pre-wrap' }}>{f.body}</p>
        </details>
      )}

      {isAdoption ? (
        <AdoptionPanel faq={f} etag={faq.etag} onChanged={refresh} />
      ) : f.permissions.edit && f.status !== 'archived' ? (
        <div className="mb-4">
          <FaqEditorForm
            key={formKey}
            idPrefix="faq-edit"
            initial={{
              ...content, ownerId: f.ownerUser?.id ?? '', reviewBy: f.reviewBy ?? '', publishAt: toLocalInput(f.publishAt), expiresAt: toLocalInput(f.expiresAt),
            }}
            owners={owners}
            submitLabel={t('faqEditorial.edit')}
            busy={submission.busy}
            error={submission.error}
            scheduleEditable={!f.live}
            onSubmit={(v) => void save(v)}
          />
        </div>
      ) : (
        <div className="mb-4">
          <h2 className="h4">{t('faqEditorial.field.body')}</h2>
          <p style={{ whiteSpace: 'pre-wrap' }}>{content.body}</p>
        </div>
      )}

      {f.templateFields.length > 0 && !isAdoption && (
        <p className="small">{t('faqEditorial.templateFields', { fields: f.templateFields.map((x) => x.name).join(', ') })}</p>
      )}
      {canAdopt && <AdoptForm faq={f} organisations={userIsAuthorIn} onAdopted={(adoptedId) => navigate(`${FAQ_EDITORIAL_PATH}/${adoptedId}`)} />}
      {f.adoptions.length > 0 && (
        <div className="mb-4">
          <h2 className="h4">{t('faqEditorial.adoptions')}</h2>
          <ul>
            {f.adoptions.map((a) => (
              <li key={a.id}>
                <Link href={`${FAQ_EDITORIAL_PATH}/${a.id}`}>{a.organisation.name}</Link>
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className="mb-4">
        <h2 className="h4">{t('faqEditorial.versions')}</h2>
        {versions.data && versions.data.items.length > 1 && (
          <form
            className="row g-2 align-items-end"
            aria-label={t('faqEditorial.compare')}
            onSubmit={(e) => {
              e.preventDefault();
              void showDiff(from ? Number(from) : undefined, to ? Number(to) : undefined);
            }}
          >
            {(['from', 'to'] as const).map((side) => (
              <div className="col-6 col-md-3" key={side}>
                <Field id={`faq-diff-${side}`} label={t(`faqEditorial.compare.${side}` as MessageKey)}>
                  <select id={`faq-diff-${side}`} className="form-select" value={side === 'from' ? from : to} onChange={(e) => (side === 'from' ? setFrom : setTo)(e.target.value)}>
                    <option value="">{t(`faqEditorial.compare.${side}.default` as MessageKey)}</option>
                    {versions.data?.items.map((v) => (
                      <option key={v.version} value={v.version}>
                        {t('faqEditorial.version', { version: v.version })}
                      </option>
                    ))}
                  </select>
                </Field>
              </div>
            ))}
            <div className="col-12 col-md-3 mb-3">
              <button type="submit" className="btn btn-outline-primary">
                {t('faqEditorial.compare')}
              </button>
            </div>
          </form>
        )}
        {diff && <FaqDiffView diff={diff} />}
        {versions.data && (
          <DataTable
            caption={t('faqEditorial.versions')}
            columns={[t('faqEditorial.col.version'), t('faqEditorial.col.state'), t('faqEditorial.col.changed'), t('faqEditorial.col.note'), <HiddenHeading key="a">{t('faqEditorial.col.actions')}</HiddenHeading>]}
          >
            {versions.data.items.map((v, index) => {
              const previous = versions.data?.items[index + 1];
              return (
                <tr key={v.version}>
                  <td>{v.version}</td>
                  <td>{t(`faqEditorial.state.${v.status}` as MessageKey)}</td>
                  <td>
                    {fmt(v.changedAt)}
                    {v.changedBy && <div className="small">{v.changedBy.name}</div>}
                  </td>
                  <td>{v.note}</td>
                  <td className="text-nowrap">
                    {previous && (
                      <button type="button" className="btn btn-sm btn-outline-primary me-1" onClick={() => void showDiff(previous.version, v.version)} aria-label={t('faqEditorial.diffPrevious.label', { version: v.version })}>
                        {t('faqEditorial.diffPrevious')}
                      </button>
                    )}
                    {f.permissions.edit && !isAdoption && f.status !== 'archived' && index > 0 && (
                      <button type="button" className="btn btn-sm btn-outline-secondary" onClick={() => void rollback(v.version)} aria-label={t('faqEditorial.rollback.label', { version: v.version })}>
                        {t('faqEditorial.rollback')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </div>

      {f.canonicalId === null && !isAdoption && <TranslationsPanel faq={f} onCreated={(tid) => navigate(`${FAQ_EDITORIAL_PATH}/${tid}`)} />}
    </section>
  );
}

function AdoptForm({ faq, organisations, onAdopted }: { faq: EditorialFaq; organisations: Membership[]; onAdopted: (id: string) => void }) {
  const { t } = useI18n();
  const orgs = [...new Map(organisations.map((m) => [m.organisationId, m.organisationName])).entries()];
  const [organisationId, setOrganisationId] = useState(orgs[0]?.[0] ?? '');
  const [values, setValues] = useState<Record<string, string>>({});
  const submission = useSubmission();
  const adopt = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const { data } = await unwrap(client.POST('/faq/{id}/adopt', { params: { path: { id: faq.id } }, body: { organisationId, localFields: values } }));
      onAdopted(data.id);
    });
  };
  return (
    <form className="card card-bg p-3 mb-4" onSubmit={adopt} aria-labelledby="faq-adopt-title">
      <h2 id="faq-adopt-title" className="h4">
        {t('faqEditorial.adopt')}
      </h2>
      <p>{t('faqEditorial.adopt.intro')}</p>
      <ErrorAlert error={submission.error} />
      {orgs.length > 1 && (
        <Field id="faq-adopt-org" label={t('faqEditorial.field.organisation')}>
          <select id="faq-adopt-org" className="form-select" value={organisationId} onChange={(e) => setOrganisationId(e.target.value)}>
            {orgs.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <LocalFieldInputs prefix="faq-adopt" fields={faq.templateFields} values={values} onChange={setValues} />
      <button type="submit" className="btn btn-primary" disabled={submission.busy}>
        {t('faqEditorial.adopt.submit')}
      </button>
    </form>
  );
}

function LocalFieldInputs({ prefix, fields, values, onChange }: { prefix: string; fields: EditorialFaq['templateFields']; values: Record<string, string>; onChange: (v: Record<string, string>) => void }) {
  const { t } = useI18n();
  if (fields.length === 0) return <p>{t('faqEditorial.adopt.noFields')}</p>;
  return (
    <>
      {fields.map((field) => {
        const id = `${prefix}-${field.name}`;
        return (
          <Field key={field.name} id={id} label={field.name.replace(/_/g, ' ')} hint={field.default ? t('faqEditorial.adopt.default', { text: field.default }) : undefined}>
            <input className={controlClass('form-control')} value={values[field.name] ?? ''} onChange={(e) => onChange({ ...values, [field.name]: e.target.value })} {...fieldA11y(id, undefined, Boolean(field.default))} />
          </Field>
        );
      })}
    </>
  );
}

function AdoptionPanel({ faq, etag, onChanged }: { faq: EditorialFaq; etag: string | null; onChanged: (data?: EditorialFaq, etag?: string | null) => Promise<void> }) {
  const { t } = useI18n();
  const [values, setValues] = useState<Record<string, string>>(faq.localFields);
  const submission = useSubmission();
  const save = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const { data, etag: next } = await unwrap(client.PATCH('/faq/{id}', { params: { path: { id: faq.id } }, body: { localFields: values }, headers: requestHeaders({ ifMatch: etag }) }));
      await onChanged(data, next);
    });
  };
  const unadopt = () =>
    submission.run(async () => {
      if (!window.confirm(t('faqEditorial.unadopt.confirm'))) return;
      await unwrap(client.DELETE('/faq/{id}/adoption', { params: { path: { id: faq.id } } }));
      navigate(FAQ_EDITORIAL_PATH);
    });
  return (
    <div className="mb-4">
      <Alert kind="info">
        {t('faqEditorial.adoptionOf')} {faq.adoptedFrom && <Link href={`${FAQ_EDITORIAL_PATH}/${faq.adoptedFrom.id}`}>{faq.adoptedFrom.title}</Link>}
      </Alert>
      <h2 className="h4">{t('faqEditorial.field.body')}</h2>
      <p style={{ whiteSpace: 'pre-wrap' }} data-testid="faq-adoption-body">
        {faq.body}
      </p>
      {faq.permissions.publish && (
        <form className="card card-bg p-3" onSubmit={save} aria-labelledby="faq-local-title">
          <h2 id="faq-local-title" className="h4">
            {t('faqEditorial.localFields')}
          </h2>
          <ErrorAlert error={submission.error} />
          <LocalFieldInputs prefix="faq-local" fields={faq.templateFields} values={values} onChange={setValues} />
          <div className="d-flex gap-2">
            <button type="submit" className="btn btn-primary" disabled={submission.busy}>
              {t('faqEditorial.save')}
            </button>
            <button type="button" className="btn btn-outline-danger" disabled={submission.busy} onClick={() => void unadopt()}>
              {t('faqEditorial.unadopt')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function TranslationsPanel({ faq, onCreated }: { faq: EditorialFaq; onCreated: (id: string) => void }) {
  const { t } = useI18n();
  const missing = TRANSLATION_LANGS.filter((l) => !faq.translations.some((x) => x.lang === l));
  const [lang, setLang] = useState<(typeof TRANSLATION_LANGS)[number]>(missing[0] ?? 'en');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const submission = useSubmission();
  const create = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const { data } = await unwrap(client.POST('/faq/{id}/translations', { params: { path: { id: faq.id } }, body: { lang, title, body } }));
      onCreated(data.id);
    });
  };
  return (
    <div className="mb-4">
      <h2 className="h4">{t('faqEditorial.translations')}</h2>
      {faq.translations.length === 0 ? (
        <p>{t('faqEditorial.translations.none')}</p>
      ) : (
        <ul>
          {faq.translations.map((x) => (
            <li key={x.id}>
              <Link href={`${FAQ_EDITORIAL_PATH}/${x.id}`} lang={x.lang}>
                {x.lang.toUpperCase()} – {x.title}
              </Link>{' '}
              <StateBadge state={x.workflowState} />
              {x.outdated && <span className="badge bg-danger ms-1">{t('faqEditorial.translation.outdatedBadge')}</span>}
            </li>
          ))}
        </ul>
      )}
      {faq.permissions.translate && missing.length > 0 && (
        <form className="card card-bg p-3" onSubmit={create} aria-labelledby="faq-translate-title">
          <h3 id="faq-translate-title" className="h5">
            {t('faqEditorial.translate')}
          </h3>
          <ErrorAlert error={submission.error} />
          <Field id="faq-tr-lang" label={t('faqEditorial.field.lang')}>
            <select id="faq-tr-lang" className="form-select" value={lang} onChange={(e) => setLang(e.target.value as (typeof TRANSLATION_LANGS)[number])}>
              {missing.map((l) => (
                <option key={l} value={l}>
                  {t(`faqEditorial.lang.${l}` as MessageKey)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="faq-tr-title" label={t('faqEditorial.translate.title')} required>
            <input id="faq-tr-title" className="form-control" value={title} onChange={(e) => setTitle(e.target.value)} lang={lang} required />
          </Field>
          <Field id="faq-tr-body" label={t('faqEditorial.translate.body')} required>
            <textarea id="faq-tr-body" className="form-control" rows={5} value={body} onChange={(e) => setBody(e.target.value)} lang={lang} required />
          </Field>
          <button type="submit" className="btn btn-primary" disabled={submission.busy}>
            {t('faqEditorial.translate.submit')}
          </button>
        </form>
      )}
    </div>
  );
}

/** The FAQ editorial page: /faq/redazione (list), /faq/redazione/nuova, /faq/redazione/:id. */
export function FaqEditorPage({ pathname, search }: { pathname: string; search: string }) {
  const rest = pathname.slice(FAQ_EDITORIAL_PATH.length).replace(/^\/+|\/+$/g, '');
  if (rest === '') return <FaqList key={search} search={search} />;
  if (rest === 'nuova') return <NewFaq />;
  return <FaqDetail key={rest} id={rest} />;
}
