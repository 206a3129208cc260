import { type FormEvent, useState } from 'react';
import { client, fieldErrors, newIdempotencyKey, requestHeaders, unwrap } from '../api/client.js';
import { ReplyPreview } from '../components/ReplyPreview.js';
import { TaxonomyPicker } from '../components/TaxonomyPicker.js';
import { Alert, controlClass, DataTable, ErrorAlert, Field, fieldA11y, Spinner, StatusBadge } from '../components/ui.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { useApiGet, useSubmission, useTaxonomy, useWorkOffices } from '../lib/hooks.js';
import type { Incident, } from '../lib/network.js';
import { Link, navigate } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import { codeLabel, findFacet } from '../lib/taxonomy.js';
import { INCIDENTS_PATH } from './paths.js';

export const incidentPath = (id: string) => `${INCIDENTS_PATH}/${encodeURIComponent(id)}`;

const FILTERS = ['open', 'resolved', 'all'] as const;
type Filter = (typeof FILTERS)[number];

function IncidentStatus({ status }: { status: string }) {
  const { t } = useI18n();
  return <StatusBadge status={status === 'open' ? 'open' : 'resolved'} label={translateCode(t, 'network.incident.status', status)} />;
}

/** The network's incidents (open by default), and a form to open one for an office the user works in. */
export function IncidentsPage() {
  const { t, fmt } = useI18n();
  const [filter, setFilter] = useState<Filter>('open');
  const list = useApiGet('/incidents', { query: { status: filter } });
  const [creating, setCreating] = useState(false);

  return (
    <section aria-labelledby="page-title">
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">
        <h1 id="page-title" className="mb-0">
          {t('network.incidents.title')}
        </h1>
        <button type="button" className="btn btn-primary" aria-expanded={creating} onClick={() => setCreating((v) => !v)}>
          {t('network.incidents.new')}
        </button>
      </div>
      <p className="lead">{t('network.incidents.intro')}</p>
      {creating && <NewIncidentForm onCreated={(incident) => navigate(incidentPath(incident.id), { state: { created: incident.title } })} />}
      <fieldset className="mb-3">
        <legend className="form-label fw-semibold fs-6 mb-1">{t('network.incidents.filter')}</legend>
        <div className="d-flex gap-3">
          {FILTERS.map((f) => (
            <div className="form-check form-check-inline m-0" key={f}>
              <input className="form-check-input" type="radio" name="incident-filter" id={`incident-filter-${f}`} checked={filter === f} onChange={() => setFilter(f)} />
              <label className="form-check-label" htmlFor={`incident-filter-${f}`}>
                {t(`network.incidents.filter.${f}`)}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <ErrorAlert error={list.error} />
      {!list.data ? (
        <Spinner />
      ) : list.data.items.length === 0 ? (
        <p role="status">{t('network.incidents.empty')}</p>
      ) : (
        <DataTable
          caption={t('network.incidents.list')}
          className="align-middle incidents-table"
          columns={[t('network.incidents.col.title'), t('network.incidents.col.organisation'), t('network.incidents.col.tickets'), t('network.incidents.col.createdAt'), t('network.incidents.col.status')]}
        >
          {list.data.items.map((i) => (
            <tr key={i.id} data-incident={i.id}>
              <td>
                <Link href={incidentPath(i.id)} className="fw-semibold">
                  {i.title}
                </Link>
              </td>
              <td>{i.organisationName}</td>
              <td>{i.ticketCount}</td>
              <td className="text-nowrap">{fmt(i.createdAt)}</td>
              <td>
                <IncidentStatus status={i.status} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function NewIncidentForm({ onCreated }: { onCreated: (incident: Incident) => void }) {
  const { t, label } = useI18n();
  const { session } = useSession();
  const offices = useWorkOffices(session?.memberships ?? []);
  const taxonomy = useTaxonomy();
  const tema = findFacet(taxonomy, 'tema');
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [form, setForm] = useState({ officeId: '', title: '', description: '', topic: '' });
  const { busy, error, run } = useSubmission();
  const officeId = form.officeId || offices[0]?.id || '';
  const errors = fieldErrors(error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const { data } = await unwrap(
        client.POST('/incidents', {
          body: { officeId, title: form.title.trim(), description: form.description.trim(), ...(form.topic ? { topic: form.topic } : {}) },
          headers: requestHeaders({ idempotencyKey }),
        }),
      );
      onCreated(data);
    });
  };

  return (
    <form className="card card-bg shadow-sm p-3 mb-4" onSubmit={submit} noValidate aria-label={t('network.incidents.new')}>
      <ErrorAlert error={error} />
      <Field id="incident-office" label={t('network.incidents.field.office')} required error={errors.officeId}>
        <select className="form-select" value={officeId} onChange={(e) => setForm((f) => ({ ...f, officeId: e.target.value }))} {...fieldA11y('incident-office', errors.officeId)}>
          {offices.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} – {o.organisationName}
            </option>
          ))}
        </select>
      </Field>
      <Field id="incident-title" label={t('network.incidents.field.title')} required error={errors.title}>
        <input
          type="text"
          maxLength={200}
          className={controlClass('form-control', errors.title)}
          value={form.title}
          onChange={(e) => setForm((f) => ({ ...f, title: e.target.value }))}
          {...fieldA11y('incident-title', errors.title)}
        />
      </Field>
      <Field id="incident-description" label={t('network.incidents.field.description')} required error={errors.description}>
        <textarea
          rows={3}
          className={controlClass('form-control', errors.description)}
          value={form.description}
          onChange={(e) => setForm((f) => ({ ...f, description: e.target.value }))}
          {...fieldA11y('incident-description', errors.description)}
        />
      </Field>
      {tema && (
        <TaxonomyPicker id="incident-topic" facet={tema} label={label(tema.label) || t('network.incidents.field.topic')} value={form.topic} onChange={(topic) => setForm((f) => ({ ...f, topic }))} error={errors.topic} />
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {t('network.incidents.create')}
      </button>
    </form>
  );
}

/** One incident: what it is, the linked tickets the user may see, linking one more, one reply to all, closing it. */
export function IncidentPage({ id }: { id: string }) {
  const { t, fmt, locale } = useI18n();
  const taxonomy = useTaxonomy();
  const { session } = useSession();
  const offices = useWorkOffices(session?.memberships ?? []);
  const detail = useApiGet('/incidents/{id}', { path: { id } });
  // Just created from the list: its title came in the history entry.
  const [notice, setNotice] = useState<string | null>(() => {
    const created = (window.history.state as { created?: string } | null)?.created;
    return created ? t('network.incidents.created', { title: created }) : null;
  });
  const [error, setError] = useState<unknown>(null);
  const [code, setCode] = useState('');
  const [body, setBody] = useState('');
  const [bodyError, setBodyError] = useState<string | undefined>();
  const [previewing, setPreviewing] = useState(false);
  const [busy, setBusy] = useState(false);

  if (detail.error && !detail.data) return <ErrorAlert error={detail.error} />;
  if (!detail.data) return <Spinner />;
  const { incident, tickets } = detail.data;
  const open = incident.status === 'open';
  const mine = offices.some((o) => o.id === incident.officeId);
  const answerable = tickets.filter((x) => x.canReply && x.status !== 'resolved' && x.status !== 'closed');

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
      await detail.reload();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const link = async (event: FormEvent) => {
    event.preventDefault();
    const wanted = code.trim().toUpperCase();
    if (!wanted) return;
    if (
      await run(async () => {
        await unwrap(client.POST('/incidents/{id}/tickets', { params: { path: { id: incident.id } }, body: { code: wanted } }));
        return t('network.incident.linked', { code: wanted });
      })
    )
      setCode('');
  };

  const askToReply = (event: FormEvent) => {
    event.preventDefault();
    if (body.trim().length < 3) {
      setBodyError(t('network.incident.replyTooShort'));
      return;
    }
    setBodyError(undefined);
    setPreviewing(true);
  };

  const reply = async () => {
    const ok = await run(async () => {
      const { data } = await unwrap(client.POST('/incidents/{id}/reply', { params: { path: { id: incident.id } }, body: { body: body.trim() } }));
      return t('network.incident.replied', { count: data.replied.length, skipped: data.skipped });
    });
    setPreviewing(false);
    if (ok) setBody('');
  };

  return (
    <article aria-labelledby="page-title" className="incident-page">
      <p className="small mb-1">
        <Link href={INCIDENTS_PATH}>{t('network.incident.back')}</Link>
      </p>
      <h1 id="page-title" className="mb-2">
        {incident.title}
      </h1>
      <p className="mb-2">
        <IncidentStatus status={incident.status} /> <span className="ms-2">{t('network.incident.openedBy', { organisation: incident.organisationName, date: fmt(incident.createdAt) })}</span>
        {incident.topic && <span className="ms-2 small text-muted">· {codeLabel(taxonomy, 'tema', incident.topic, locale)}</span>}
      </p>
      <p className="incident-description" style={{ whiteSpace: 'pre-wrap' }}>
        {incident.description}
      </p>
      {notice && (
        <Alert kind="success" onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      <ErrorAlert error={error} onClose={() => setError(null)} />

      <section aria-labelledby="incident-tickets-title" className="mb-4">
        <h2 id="incident-tickets-title" className="h4">
          {t('network.incident.tickets')}
        </h2>
        <p className="small text-muted">{t('network.incident.ticketsCount', { count: incident.ticketCount })}</p>
        {tickets.length === 0 ? (
          <p>{t('network.incident.noTickets')}</p>
        ) : (
          <DataTable caption={t('network.incident.tickets')} className="align-middle" columns={[t('inbox.col.code'), t('inbox.col.subject'), t('ticket.office'), t('inbox.col.status'), t('network.incident.canReply')]}>
            {tickets.map((x) => (
              <tr key={x.code} data-code={x.code}>
                <td className="text-nowrap">
                  <Link href={`/tickets/${encodeURIComponent(x.code)}`} className="ticket-code fw-semibold">
                    {x.code}
                  </Link>
                </td>
                <td>{x.subject}</td>
                <td>{x.officeName}</td>
                <td>
                  <StatusBadge status={x.status} label={translateCode(t, 'status', x.status)} />
                </td>
                <td>{x.canReply ? t('network.incident.canReply.yes') : t('network.incident.canReply.no')}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {open && offices.length > 0 && (
          <form className="d-flex flex-wrap align-items-end gap-2" onSubmit={link} aria-label={t('network.incident.link')}>
            <Field id="incident-link-code" label={t('network.incident.linkCode')} className="mb-0">
              <input id="incident-link-code" type="text" className="form-control ticket-code" maxLength={20} value={code} onChange={(e) => setCode(e.target.value)} />
            </Field>
            <button type="submit" className="btn btn-outline-primary" disabled={busy || !code.trim()}>
              {t('network.incident.linkSubmit')}
            </button>
          </form>
        )}
      </section>

      {open && answerable.length > 0 && (
        <section aria-labelledby="incident-reply-title" className="card card-bg shadow-sm p-3 mb-4">
          <h2 id="incident-reply-title" className="h4">
            {t('network.incident.reply')}
          </h2>
          <p className="small">{t('network.incident.replyHint')}</p>
          <form onSubmit={askToReply} noValidate>
            <Field id="incident-reply-body" label={t('network.incident.replyBody')} error={bodyError} required>
              <textarea rows={5} className={controlClass('form-control', bodyError)} value={body} onChange={(e) => setBody(e.target.value)} {...fieldA11y('incident-reply-body', bodyError)} />
            </Field>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t('network.reply.preview')}
            </button>
          </form>
        </section>
      )}
      {previewing && <ReplyPreview body={body.trim()} code={answerable.map((x) => x.code).join(', ')} busy={busy} onConfirm={() => void reply()} onClose={() => setPreviewing(false)} />}

      {open && mine && (
        <button
          type="button"
          className="btn btn-outline-danger"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await unwrap(client.POST('/incidents/{id}/resolve', { params: { path: { id: incident.id } } }));
              return t('network.incident.resolved');
            })
          }
        >
          {t('network.incident.resolve')}
        </button>
      )}
    </article>
  );
}
