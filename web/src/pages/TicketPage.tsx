import { type ChangeEvent, type FormEvent, type KeyboardEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type ApiResponse, API_BASE, apiUpload, client, fieldErrors, requestHeaders, unwrap } from '../api/client.js';
import type { Attachment, HistoryEntry, Message, OfficeUser, Taxonomy, Ticket } from '../api/types.js';
import { CitizenContactPanel, CitizenMessageHeading, type Delivery, DeliveryStatus, deliveriesByMessage, useCitizenContact } from '../components/CitizenContactPanel.js';
import { FacetSelect } from '../components/FacetSelect.js';
import { FaqDraftButton } from '../components/FaqDraftButton.js';
import { FaqSuggestions } from '../components/FaqSuggestions.js';
import { ReplyPreview } from '../components/ReplyPreview.js';
import { DuplicatePanel, ParticipantsPanel, TasksPanel, ticketCan } from '../components/TicketNetwork.js';
import { TaxonomyPicker } from '../components/TaxonomyPicker.js';
import { Alert, controlClass, DataTable, ErrorAlert, Field, fieldA11y, Icon, PriorityBadge, Spinner, StatusBadge } from '../components/ui.js';
import { type MessageKey, translateCode, useI18n } from '../i18n/index.js';
import { isOverdue } from '../lib/filters.js';
import { changeLines, formatChangeValue, historyCodeLabel } from '../lib/history.js';
import { useApiGet, useTaxonomy, useWorkOffices } from '../lib/hooks.js';
import { NOTIFICATION_EVENT, useNotifications } from '../lib/notifications.js';
import { errorMessage } from '../lib/problems.js';
import { Link } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import { codeLabel } from '../lib/taxonomy.js';
import { IncomingRequestView } from './RequestsPage.js';

const CLASSIFICATION_FACETS_EXCLUDED = new Set(['esito', 'canale']);

/** A ticket's path parameters, for its sub-resources. */
function ticketParams(code: string) {
  return { path: { code } };
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function TicketPage({ code }: { code: string }) {
  const { t, fmt, locale } = useI18n();
  const { session } = useSession();
  const taxonomy = useTaxonomy();
  const ticketRes = useApiGet('/tickets/{code}', ticketParams(code));
  const messagesRes = useApiGet('/tickets/{code}/messages', ticketParams(code));
  const historyRes = useApiGet('/tickets/{code}/history', ticketParams(code));
  const participantsRes = useApiGet('/tickets/{code}/participants', ticketParams(code));
  const contactRes = useCitizenContact(code);
  const ticket = ticketRes.data;
  const isOwner = !ticket?.myAccess || ticket.myAccess.relation === 'owner';
  // The owner office's staff is listed only to that office: a participant office may not see it.
  const usersRes = useApiGet(ticket && isOwner ? '/offices/{id}/users' : null, { path: { id: ticket?.officeId ?? '' } });
  const workOffices = useWorkOffices(session?.memberships ?? []);
  const myOfficeIds = new Set(workOffices.map((o) => o.id));
  const [created] = useState(() => Boolean((window.history.state as { created?: boolean } | null)?.created));
  // What became of the link chosen while recording the contact (duplicate, request, incident).
  const [notice, setNotice] = useState<{ kind: 'success' | 'warning'; text: string } | null>(
    () => (window.history.state as { linkNotice?: { kind: 'success' | 'warning'; text: string } | null } | null)?.linkNotice ?? null,
  );
  const [error, setError] = useState<unknown>(null);
  const [tab, setTab] = useState<'thread' | 'history'>('thread');

  // Loading the ticket marked its notifications read on the server: the bell follows once it has loaded.
  const { refresh: refreshNotifications } = useNotifications();
  const loadedCode = ticket?.code ?? null;
  useEffect(() => {
    if (loadedCode) void refreshNotifications();
  }, [loadedCode, refreshNotifications]);

  const reloadAll = useCallback(async () => {
    await Promise.all([ticketRes.reload(), messagesRes.reload(), historyRes.reload(), participantsRes.reload()]);
  }, [ticketRes.reload, messagesRes.reload, historyRes.reload, participantsRes.reload]);

  // Someone else acted on this ticket (accepted a share, completed a task…): show it without a reload.
  useEffect(() => {
    const onNotification = (event: Event) => {
      const detail = (event as CustomEvent<{ ticketCode: string | null }>).detail;
      if (detail?.ticketCode === code) void reloadAll();
    };
    window.addEventListener(NOTIFICATION_EVENT, onNotification);
    return () => window.removeEventListener(NOTIFICATION_EVENT, onNotification);
  }, [code, reloadAll]);

  const networkChanged = useCallback(
    async (message: string) => {
      setError(null);
      setNotice({ kind: 'success', text: message });
      await reloadAll();
    },
    [reloadAll],
  );

  /** Runs an update guarded by the ticket's ETag; a 412 means someone else changed it first. */
  const mutate = useCallback(
    async (run: (ifMatch: string) => Promise<ApiResponse<Ticket>>, success?: string): Promise<boolean> => {
      if (!ticket) return false;
      setError(null);
      setNotice(null);
      try {
        const response = await run(ticketRes.etag ?? `"${ticket.version}"`);
        ticketRes.setData(response.data, response.etag ?? `"${response.data.version}"`);
        void historyRes.reload();
        if (success) setNotice({ kind: 'success', text: success });
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.status === 412) {
          setNotice({ kind: 'warning', text: t('ticket.conflict') });
          await reloadAll();
        } else {
          setError(err);
        }
        return false;
      }
    },
    [ticket, ticketRes, historyRes, reloadAll, t],
  );

  if (ticketRes.error instanceof ApiError && ticketRes.error.status === 404) {
    // A ticket sent to my office is not readable until accepted: show the request to act on instead.
    return (
      <IncomingRequestView
        code={code}
        onAccepted={reloadAll}
        fallback={
          <section aria-labelledby="page-title" data-testid="ticket-not-found">
            <h1 id="page-title">{t('ticket.notFound.title')}</h1>
            <p>{t('ticket.notFound.body', { code })}</p>
            <Link href="/">{t('app.backToInbox')}</Link>
          </section>
        }
      />
    );
  }
  if (ticketRes.error && !ticket) return <ErrorAlert error={ticketRes.error} />;
  if (!ticket) return <Spinner />;

  const overdue = isOverdue(ticket.dueAt, ticket.status);
  const me = session?.user;
  const access = ticket.myAccess;
  const myShare = access && access.relation !== 'owner' ? participantsRes.data?.shares.find((s) => s.officeId === access.officeId && s.status === 'active') : undefined;

  return (
    <article aria-labelledby="page-title" className="ticket-page">
      {created && (
        <div className="callout success ticket-created" role="status">
          <div className="callout-title">
            <Icon name="check-circle" />
            {t('ticket.new.created')}
          </div>
          <p className="ticket-code-big mb-0" data-testid="created-code">
            {ticket.code}
          </p>
        </div>
      )}
      <header className="ticket-header mb-4">
        <p className="small text-muted mb-1">
          <Link href="/">{t('nav.inbox')}</Link> › {ticket.officeName}
        </p>
        <h1 id="page-title" className="mb-2">
          <span className="visually-hidden">{t('ticket.code')}: </span>
          <span className="ticket-code" data-testid="ticket-code">
            {ticket.code}
          </span>{' '}
          <span className="h3 fw-normal">{ticket.subject}</span>
        </h1>
        <dl className="ticket-facts">
          <div>
            <dt>{t('ticket.status')}</dt>
            <dd data-testid="ticket-status">
              <StatusBadge status={ticket.status} label={translateCode(t, 'status', ticket.status)} />
              {ticket.outcome && <span className="ms-2 small">({codeLabel(taxonomy, 'esito', ticket.outcome, locale)})</span>}
            </dd>
          </div>
          <div>
            <dt>{t('priority.label')}</dt>
            <dd>
              <PriorityBadge priority={ticket.priority} label={translateCode(t, 'priority', ticket.priority)} />
            </dd>
          </div>
          <div>
            <dt>{t('ticket.office')}</dt>
            <dd>
              {ticket.officeName} <span className="small text-muted">({ticket.organisationName})</span>
            </dd>
          </div>
          <div>
            <dt>{t('ticket.channel')}</dt>
            <dd>{codeLabel(taxonomy, 'canale', ticket.channel, locale)}</dd>
          </div>
          <div>
            <dt>{t('ticket.dueAt')}</dt>
            <dd className={overdue ? 'text-danger fw-bold' : undefined}>
              {fmt(ticket.dueAt)} {overdue && <span className="badge bg-danger">{t('inbox.overdue')}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('ticket.createdAt')}</dt>
            <dd>
              {fmt(ticket.createdAt)}
              {ticket.createdBy && <span className="small text-muted"> · {ticket.createdBy.name}</span>}
            </dd>
          </div>
        </dl>
      </header>

      {access && access.relation !== 'owner' && (
        <div className="alert alert-info participant-banner mb-4" data-testid="participant-banner" data-relation={access.relation} data-former-owner={access.formerOwner ? 'true' : undefined}>
          <p className="fw-bold mb-1">
            <Icon name="share" size="sm" className="me-1" />
            {t(access.formerOwner ? 'participants.banner.formerOwner.title' : 'participants.banner.title')}
          </p>
          {access.formerOwner ? (
            <>
              <p className="mb-1">{t('participants.banner.formerOwner', { owner: `${ticket.officeName} (${ticket.organisationName})` })}</p>
              <ul className="mb-1" data-testid="former-owner-keeps">
                <li>{t('participants.banner.formerOwner.keeps')}</li>
                <li>{t('participants.banner.formerOwner.requester')}</li>
                <li>{t('participants.banner.formerOwner.cannot')}</li>
              </ul>
            </>
          ) : (
            <p className="mb-0">
              {t('participants.banner', { owner: `${ticket.officeName} (${ticket.organisationName})`, mode: t(`share.mode.${access.relation}`) })}{' '}
              {access.relation === 'consult' ? t('participants.banner.consult') : t('participants.banner.collaborate')}
            </p>
          )}
          {myShare?.officeName && <p className="mb-0 small">{t('participants.banner.office', { office: myShare.officeName })}</p>}
        </div>
      )}
      {notice && (
        <Alert kind={notice.kind} onClose={() => setNotice(null)}>
          {notice.text}
        </Alert>
      )}
      <ErrorAlert error={error} onClose={() => setError(null)} />

      <div className="row">
        <div className="col-12 col-lg-8 order-2 order-lg-1">
          <p className="mb-4 ticket-description">{ticket.description}</p>
          <Tabs tab={tab} setTab={setTab} />
          <div id="panel-thread" role="tabpanel" aria-labelledby="tab-thread" hidden={tab !== 'thread'} tabIndex={0}>
            <Thread code={ticket.code} messages={messagesRes.data?.items ?? null} loading={messagesRes.loading} deliveries={deliveriesByMessage(contactRes.data?.deliveries)} />
            <Composer
              code={ticket.code}
              topic={`${ticket.subject}\n${ticket.description}`}
              kinds={(['reply', 'note'] as const).filter((k) => ticketCan(ticket, k === 'reply' ? 'write_reply' : 'write_note'))}
              onSent={async () => {
                setNotice({ kind: 'success', text: t('ticket.composer.sent') });
                await Promise.all([messagesRes.reload(), ticketRes.reload(), historyRes.reload(), contactRes.reload()]);
              }}
            />
          </div>
          <div id="panel-history" role="tabpanel" aria-labelledby="tab-history" hidden={tab !== 'history'} tabIndex={0}>
            <HistoryTable entries={historyRes.data?.items ?? null} taxonomy={taxonomy} people={peopleNames(usersRes.data?.items, ticket, me)} />
          </div>
        </div>
        <aside className="col-12 col-lg-4 order-1 order-lg-2" aria-label={t('ticket.statusActions')}>
          {ticketCan(ticket, 'change_status') && <StatusPanel ticket={ticket} taxonomy={taxonomy} mutate={mutate} />}
          {ticketCan(ticket, 'edit') && <AssignmentPanel ticket={ticket} users={usersRes.data?.items ?? []} meId={me?.id ?? null} mutate={mutate} />}
          <ParticipantsPanel ticket={ticket} participants={participantsRes.data} onChanged={networkChanged} onError={setError} />
          {ticketCan(ticket, 'change_status') && ticket.allowedTransitions.includes('resolved') && <DuplicatePanel ticket={ticket} onChanged={networkChanged} onError={setError} />}
          <TasksPanel ticket={ticket} participants={participantsRes.data} myOfficeIds={myOfficeIds} onChanged={networkChanged} onError={setError} />
          <FaqDraftButton ticket={ticket} />
          <RequesterPanel ticket={ticket} />
          <CitizenContactPanel contact={contactRes.data} />
          <ClassificationPanel ticket={ticket} taxonomy={taxonomy} mutate={mutate} editable={ticketCan(ticket, 'edit')} />
        </aside>
      </div>
    </article>
  );
}

/** Names of the people a ticket's history may mention by id: office colleagues, the assignee, the author, me. */
function peopleNames(users: OfficeUser[] | undefined, ticket: Ticket, me: { id: string; name: string } | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const u of users ?? []) names.set(u.id, u.name);
  for (const p of [ticket.assignee, ticket.createdBy, me]) if (p) names.set(p.id, p.name);
  return names;
}

type Mutate = (run: (ifMatch: string) => Promise<ApiResponse<Ticket>>, success?: string) => Promise<boolean>;

function Tabs({ tab, setTab }: { tab: 'thread' | 'history'; setTab: (tab: 'thread' | 'history') => void }) {
  const { t } = useI18n();
  const tabs = ['thread', 'history'] as const;
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const next = tab === 'thread' ? 'history' : 'thread';
    setTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  };
  return (
    <div className="nav nav-tabs mb-3" role="tablist">
      {tabs.map((name) => (
        <button
          key={name}
          id={`tab-${name}`}
          type="button"
          role="tab"
          className={`nav-link ${tab === name ? 'active' : ''}`}
          aria-selected={tab === name}
          aria-controls={`panel-${name}`}
          tabIndex={tab === name ? 0 : -1}
          onClick={() => setTab(name)}
          onKeyDown={onKeyDown}
        >
          {t(`ticket.tab.${name}`)}
        </button>
      ))}
    </div>
  );
}

function AttachmentLinks({ code, attachments }: { code: string; attachments: Attachment[] }) {
  const { t } = useI18n();
  if (attachments.length === 0) return null;
  return (
    <ul className="list-unstyled attachment-list mb-0 mt-2" aria-label={t('ticket.attachments')}>
      {attachments.map((a) => (
        <li key={a.id}>
          <a href={`${API_BASE}/tickets/${encodeURIComponent(code)}/attachments/${encodeURIComponent(a.id)}`} download={a.filename} aria-label={t('ticket.download', { name: a.filename })}>
            <Icon name="clip" size="sm" className="icon-primary me-1" />
            {a.filename}
          </a>{' '}
          <span className="small text-muted">({formatSize(a.size)})</span>
        </li>
      ))}
    </ul>
  );
}

function Thread({ code, messages, loading, deliveries }: { code: string; messages: Message[] | null; loading: boolean; deliveries: Map<string, Delivery> }) {
  const { t, fmt } = useI18n();
  if (!messages) return loading ? <Spinner /> : null;
  if (messages.length === 0) return <p className="text-muted">{t('ticket.thread.empty')}</p>;
  return (
    <ol className="list-unstyled thread" aria-label={t('ticket.tab.thread')}>
      {messages.map((m) => {
        const delivery = m.kind === 'reply' ? deliveries.get(m.id) : undefined;
        return (
          <li key={m.id} className={m.kind === 'note' ? 'thread-item internal-note' : m.kind === 'citizen' ? 'thread-item citizen-message border-success bg-white' : 'thread-item public-reply'} data-kind={m.kind}>
            {m.kind === 'citizen' ? (
              <CitizenMessageHeading message={m} />
            ) : (
              <div className="thread-meta">
                <strong className="thread-kind">
                  <Icon name={m.kind === 'note' ? 'note' : 'comment'} size="sm" className="me-1" />
                  {m.kind === 'note' ? t('ticket.thread.note') : t('ticket.thread.reply')}
                </strong>
                <span className="small">
                  {m.author?.name ?? t('ticket.thread.system')} · <time dateTime={m.createdAt}>{fmt(m.createdAt)}</time>
                </span>
              </div>
            )}
            <p className="thread-body mb-0">{m.body}</p>
            <AttachmentLinks code={code} attachments={m.attachments ?? []} />
            {delivery && <DeliveryStatus delivery={delivery} />}
          </li>
        );
      })}
    </ol>
  );
}

function Composer({ code, topic, kinds, onSent }: { code: string; topic: string; kinds: readonly ('reply' | 'note')[]; onSent: () => Promise<void> }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<'reply' | 'note'>(kinds[0] ?? 'reply');
  const [body, setBody] = useState('');
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [uploading, setUploading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [previewing, setPreviewing] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    if (files.length === 0) return;
    setUploading(true);
    setError(null);
    try {
      for (const file of files) {
        const form = new FormData();
        form.append('file', file, file.name);
        const { data } = await apiUpload('/tickets/{code}/attachments', ticketParams(code), form);
        setAttachments((current) => [...current, data]);
      }
    } catch (err) {
      setError(err);
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  /** A public reply goes out only after the operator has seen what the citizen will receive. */
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!body.trim() || busy) return;
    if (kind === 'reply') setPreviewing(true);
    else void send();
  };

  const send = async () => {
    if (!body.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      await unwrap(
        client.POST('/tickets/{code}/messages', {
          params: ticketParams(code),
          body: { kind, body: body.trim(), ...(attachments.length ? { attachmentIds: attachments.map((a) => a.id) } : {}) },
        }),
      );
      setBody('');
      setAttachments([]);
      setPreviewing(false);
      await onSent();
    } catch (err) {
      setPreviewing(false);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const errors = fieldErrors(error);
  if (kinds.length === 0) return null;
  return (
    <form className={`composer card card-bg shadow-sm p-3 mt-4 ${kind === 'note' ? 'composer-note' : ''}`} onSubmit={submit} aria-labelledby="composer-title">
      <h2 id="composer-title" className="h5">
        {t('ticket.composer.title')}
      </h2>
      <ErrorAlert error={error} />
      <fieldset className="mb-3">
        <legend className="visually-hidden">{t('ticket.composer.kind')}</legend>
        <div className="btn-group" role="radiogroup" aria-label={t('ticket.composer.kind')}>
          {kinds.map((k) => (
            <div key={k} className="form-check form-check-inline">
              <input className="form-check-input" type="radio" name="composer-kind" id={`composer-kind-${k}`} value={k} checked={kind === k} onChange={() => setKind(k)} />
              <label className="form-check-label" htmlFor={`composer-kind-${k}`}>
                {k === 'note' ? t('ticket.thread.note') : t('ticket.thread.reply')}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <Field id="composer-body" label={t(`ticket.composer.body.${kind}`)} error={errors.body}>
        <textarea
          rows={4}
          className={controlClass('form-control', errors.body)}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              submit();
            }
          }}
          {...fieldA11y('composer-body', errors.body)}
        />
      </Field>
      {kind === 'reply' && (
        <>
          {/* The ticket says what the citizen asked; the reply being typed (a greeting…) would steer the suggestions off it. */}
          <p className="small text-muted mb-0">{t('network.faqSuggest.basis')}</p>
          <FaqSuggestions text={topic} context="reply" onPaste={(answer) => setBody((b) => (b.trim() ? `${b.trimEnd()}\n\n${answer}` : answer))} />
        </>
      )}
      <div className="mb-3">
        <label htmlFor="composer-files" className="form-label fw-semibold">
          <Icon name="clip" size="sm" className="me-1" />
          {t('ticket.composer.attach')}
        </label>
        <input ref={fileInput} id="composer-files" type="file" multiple className="form-control" onChange={(e) => void upload(e)} disabled={uploading} />
        {uploading && (
          <div className="form-text" role="status">
            {t('ticket.composer.uploading')}
          </div>
        )}
        {attachments.length > 0 && (
          <ul className="list-unstyled mt-2 mb-0">
            {attachments.map((a) => (
              <li key={a.id} className="d-flex align-items-center gap-2">
                <Icon name="clip" size="sm" /> {a.filename} <span className="small text-muted">({formatSize(a.size)})</span>
                <button type="button" className="btn btn-link btn-sm p-0" onClick={() => setAttachments((list) => list.filter((x) => x.id !== a.id))}>
                  {t('app.remove')} <span className="visually-hidden">{a.filename}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy || uploading || !body.trim()}>
        {kind === 'reply' ? t('network.reply.preview') : t('ticket.composer.send.note')}
      </button>
      {previewing && (
        <ReplyPreview body={body.trim()} code={code} attachments={attachments.map((a) => a.filename)} busy={busy} onConfirm={() => void send()} onClose={() => setPreviewing(false)} />
      )}
    </form>
  );
}

function HistoryTable({ entries, taxonomy, people }: { entries: HistoryEntry[] | null; taxonomy: Taxonomy | null; people: Map<string, string> }) {
  const { t, fmt, locale } = useI18n();
  if (!entries) return <Spinner />;
  if (entries.length === 0) return <p className="text-muted">{t('ticket.history.empty')}</p>;
  const fieldName = (field: string) => {
    const [head, facet] = field.split('.');
    if (head === 'classification' && facet) {
      const f = taxonomy?.facets.find((x) => x.code === facet);
      return `${t('ticket.field.classification')} · ${f ? (locale === 'en' ? (f.label.en ?? f.label.it) : f.label.it) : facet}`;
    }
    return translateCode(t, 'ticket.field', field);
  };
  const valueLabel = (field: string, action: string) => (code: string) => {
    if (field === 'outcome') return codeLabel(taxonomy, 'esito', code, locale);
    if (field === 'channel') return codeLabel(taxonomy, 'canale', code, locale);
    // The history may record people by id: show the name when we know it.
    if (field === 'assignee' || field === 'assigneeId' || field === 'createdBy') return people.get(code) ?? code;
    if (field.startsWith('classification.')) return codeLabel(taxonomy, field.slice('classification.'.length), code, locale);
    if (/At$/.test(field) && !Number.isNaN(Date.parse(code))) return fmt(code);
    return historyCodeLabel(t, action, field, code);
  };
  return (
    <DataTable caption={t('ticket.tab.history')} className="history-table" columns={[t('ticket.history.when'), t('ticket.history.who'), t('ticket.history.what'), t('ticket.history.changes')]}>
      {entries.map((entry) => (
        <tr key={entry.id} data-action={entry.action}>
          <td className="text-nowrap">{fmt(entry.at)}</td>
          <td>{entry.actor?.name ?? t('ticket.thread.system')}</td>
          <td>
            {translateCode(t, 'history.action', entry.action)}
          </td>
          <td>
            <ul className="list-unstyled mb-0">
              {changeLines(entry).map((line) => (
                <li key={line.field} data-field={line.field}>
                  <strong>{fieldName(line.field)}</strong>: {formatChangeValue(line.from, valueLabel(line.field, entry.action))} →{' '}
                  {formatChangeValue(line.to, valueLabel(line.field, entry.action))}
                </li>
              ))}
            </ul>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function Panel({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card card-bg shadow-sm mb-4 ticket-panel" aria-labelledby={`${id}-title`}>
      <div className="card-body">
        <h2 id={`${id}-title`} className="h5 card-title">
          {title}
        </h2>
        {children}
      </div>
    </section>
  );
}

function StatusPanel({ ticket, taxonomy, mutate }: { ticket: Ticket; taxonomy: Taxonomy | null; mutate: Mutate }) {
  const { t } = useI18n();
  const [resolving, setResolving] = useState(false);
  const [outcome, setOutcome] = useState('');
  const [reason, setReason] = useState('');
  const [outcomeError, setOutcomeError] = useState<string | undefined>();
  const esito = taxonomy?.facets.find((f) => f.code === 'esito');

  useEffect(() => {
    if (!ticket.allowedTransitions.includes('resolved')) setResolving(false);
  }, [ticket.allowedTransitions]);

  const change = (status: Ticket['allowedTransitions'][number], extra: { outcome?: string; reason?: string } = {}) =>
    mutate((ifMatch) => unwrap(client.POST('/tickets/{code}/status', { params: ticketParams(ticket.code), body: { status, ...extra }, headers: requestHeaders({ ifMatch }) })), t('ticket.saved'));

  const resolve = async (event: FormEvent) => {
    event.preventDefault();
    if (!outcome) {
      setOutcomeError(t('ticket.resolve.outcome') + ': ' + t('app.required'));
      return;
    }
    setOutcomeError(undefined);
    if (await change('resolved', { outcome, ...(reason.trim() ? { reason: reason.trim() } : {}) })) {
      setResolving(false);
      setReason('');
    }
  };

  return (
    <Panel id="status-panel" title={t('ticket.statusActions')}>
      {ticket.allowedTransitions.length === 0 && <p className="small text-muted mb-0">{t('ticket.noTransitions')}</p>}
      <div className="d-flex flex-wrap gap-2">
        {ticket.allowedTransitions.map((status) => (
          <button
            key={status}
            type="button"
            data-transition={status}
            className={`btn btn-sm ${status === 'resolved' ? 'btn-success' : 'btn-outline-primary'}`}
            aria-expanded={status === 'resolved' ? resolving : undefined}
            onClick={() => (status === 'resolved' ? setResolving((v) => !v) : void change(status))}
          >
            {translateCode(t, 'transition', status) === status ? t('transition.generic', { status: translateCode(t, 'status', status) }) : translateCode(t, 'transition', status)}
          </button>
        ))}
      </div>
      {resolving && esito && (
        <form className="mt-3 border-top pt-3" onSubmit={resolve} aria-label={t('ticket.resolve.title')}>
          <FacetSelect id="resolve-outcome" facet={esito} value={outcome} onChange={setOutcome} required error={outcomeError} />
          <Field id="resolve-reason" label={t('ticket.resolve.reason')}>
            <textarea id="resolve-reason" rows={2} className="form-control" value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <button type="submit" className="btn btn-success btn-sm">
            {t('ticket.resolve.confirm')}
          </button>
        </form>
      )}
    </Panel>
  );
}

function AssignmentPanel({ ticket, users, meId, mutate }: { ticket: Ticket; users: OfficeUser[]; meId: string | null; mutate: Mutate }) {
  const { t } = useI18n();
  const [choice, setChoice] = useState(ticket.assignee?.id ?? '');
  useEffect(() => setChoice(ticket.assignee?.id ?? ''), [ticket.assignee?.id]);
  const assign = (assigneeId: string | null) =>
    mutate((ifMatch) => unwrap(client.PATCH('/tickets/{code}', { params: ticketParams(ticket.code), body: { assigneeId }, headers: requestHeaders({ ifMatch }) })), t('ticket.saved'));
  const options = [...users];
  if (ticket.assignee && !options.some((u) => u.id === ticket.assignee?.id)) options.unshift({ ...ticket.assignee, email: '', role: 'operator' });

  return (
    <Panel id="assignment-panel" title={t('ticket.assignment')}>
      <p className="mb-2" data-testid="ticket-assignee">
        {ticket.assignee?.name ?? <span className="text-muted">{t('inbox.unassigned')}</span>}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void assign(choice || null);
        }}
      >
        <Field id="assignee-select" label={t('ticket.assignee')}>
          <div className="input-group">
            <select id="assignee-select" className="form-select" value={choice} onChange={(e) => setChoice(e.target.value)}>
              <option value="">{t('ticket.unassigned')}</option>
              {options.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
            <button type="submit" className="btn btn-outline-primary btn-sm" disabled={choice === (ticket.assignee?.id ?? '')}>
              {t('ticket.assign')}
            </button>
          </div>
        </Field>
      </form>
      {meId && ticket.assignee?.id !== meId && (
        <button type="button" className="btn btn-primary btn-sm" onClick={() => void assign(meId)}>
          {t('ticket.assignToMe')}
        </button>
      )}
    </Panel>
  );
}

function RequesterPanel({ ticket }: { ticket: Ticket }) {
  const { t } = useI18n();
  const r = ticket.requester;
  const rows: [MessageKey, string | null | undefined][] = [
    ['ticket.requester.name', r?.name],
    ['ticket.requester.phone', r?.phone],
    ['ticket.requester.email', r?.email],
    ['ticket.requester.fiscalCode', r?.fiscalCode],
  ];
  const present = rows.filter(([, v]) => v);
  const hidden = r === null && ticket.myAccess !== undefined && !ticket.myAccess.actions.includes('read_requester');
  return (
    <Panel id="requester-panel" title={t('ticket.requesterPanel')}>
      {hidden ? (
        <p className="text-muted mb-0" data-testid="requester-hidden">
          <Icon name="locked" size="sm" className="me-1" />
          {t('ticket.requesterNotShared')}
        </p>
      ) : present.length === 0 ? (
        <p className="text-muted mb-0">{t('ticket.noRequester')}</p>
      ) : (
        <>
          {ticket.myAccess?.formerOwner && <p className="small text-muted mb-2" data-testid="requester-former-owner">{t('ticket.requester.formerOwner')}</p>}
          <dl className="mb-0 compact-dl">
            {present.map(([key, value]) => (
              <div key={key}>
                <dt>{t(key)}</dt>
                <dd>{key === 'ticket.requester.email' ? <a href={`mailto:${value}`}>{value}</a> : key === 'ticket.requester.phone' ? <a href={`tel:${value}`}>{value}</a> : value}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </Panel>
  );
}

function ClassificationPanel({ ticket, taxonomy, mutate, editable }: { ticket: Ticket; taxonomy: Taxonomy | null; mutate: Mutate; editable: boolean }) {
  const { t, locale, label } = useI18n();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Record<string, string>>(ticket.classification);
  const [error, setError] = useState<unknown>(null);
  const facets = (taxonomy?.facets ?? []).filter((f) => !CLASSIFICATION_FACETS_EXCLUDED.has(f.code));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const classification: Record<string, string> = {};
    for (const [k, v] of Object.entries(draft)) if (v) classification[k] = v;
    const ok = await mutate((ifMatch) => unwrap(client.PATCH('/tickets/{code}', { params: ticketParams(ticket.code), body: { classification }, headers: requestHeaders({ ifMatch }) })), t('ticket.saved'));
    if (ok) setEditing(false);
  };

  return (
    <Panel id="classification-panel" title={t('ticket.classification')}>
      {!editing ? (
        <>
          <dl className="compact-dl">
            {facets.map((facet) => (
              <div key={facet.code}>
                <dt>{label(facet.label)}</dt>
                <dd data-facet={facet.code}>{codeLabel(taxonomy, facet.code, ticket.classification[facet.code], locale) || t('app.none')}</dd>
              </div>
            ))}
          </dl>
          {editable && (
            <button
              type="button"
              className="btn btn-outline-primary btn-sm"
              onClick={() => {
                setDraft(ticket.classification);
                setEditing(true);
              }}
            >
              <Icon name="pencil" size="sm" className="icon-primary me-1" />
              {t('app.edit')}
              <span className="visually-hidden"> {t('ticket.classification')}</span>
            </button>
          )}
        </>
      ) : (
        <form onSubmit={save}>
          {error ? <Alert>{errorMessage(error, t)}</Alert> : null}
          {facets.map((facet) =>
            facet.code === 'tema' ? (
              <TaxonomyPicker
                key={facet.code}
                id="edit-tema"
                facet={facet}
                label={label(facet.label)}
                required={facet.required}
                value={draft.tema ?? ''}
                onChange={(code) => setDraft((d) => ({ ...d, tema: code }))}
              />
            ) : (
              <FacetSelect
                key={facet.code}
                id={`edit-facet-${facet.code}`}
                facet={facet}
                value={draft[facet.code] ?? ''}
                onChange={(code) => setDraft((d) => ({ ...d, [facet.code]: code }))}
              />
            ),
          )}
          <div className="d-flex gap-2">
            <button type="submit" className="btn btn-primary btn-sm">
              {t('app.save')}
            </button>
            <button type="button" className="btn btn-outline-secondary btn-sm" onClick={() => setEditing(false)}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      )}
    </Panel>
  );
}
