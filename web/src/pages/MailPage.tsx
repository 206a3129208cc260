import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { API_BASE, type ApiRequestBody, type ApiResponseBody, client, unwrap } from '../api/client.js';
import { DialogActions, Modal } from '../components/Modal.js';
import { TaxonomyPicker } from '../components/TaxonomyPicker.js';
import { Alert, controlClass, DataTable, ErrorAlert, Field, fieldA11y, ForbiddenPage, HiddenHeading, Notice, Spinner } from '../components/ui.js';
import { type MessageKey, type Translate, useI18n } from '../i18n/index.js';
import { focusFirstInvalid } from '../lib/form-errors.js';
import { useApiGet, useSubmission, useTaxonomy } from '../lib/hooks.js';
import { Link } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import { flattenNodes } from '../lib/taxonomy.js';
import { formatBytes } from './ArchiveCells.js';
import { managesQueue as managesOffice } from './RoutingSettingsPage.js';
import { canManageMail } from './paths.js';

/**
 * The mail page of org admins and office supervisors (issue 15): the e-mail/PEC mailboxes of the
 * offices they manage, the intake quarantine (download, release into a ticket, dismiss) and the
 * extra fields each office asks for on the portal form, per topic.
 */

type Office = ApiResponseBody<'/offices'>['items'][number];
type Mailbox = ApiResponseBody<'/mailboxes'>['items'][number];
type Quarantined = ApiResponseBody<'/mail/quarantine'>['items'][number];
type RequestField = ApiRequestBody<'/offices/{officeId}/request-fields/{topic}', 'put'>['fields'][number];
type FieldType = RequestField['type'];
type PrivacyNotice = ApiResponseBody<'/privacy-notices'>['items'][number];

const FIELD_TYPES: readonly FieldType[] = ['text', 'textarea', 'date', 'number', 'select'];
const FIELD_KEY = /^[a-z][a-z0-9_]{0,59}$/;
const QUARANTINE_REASONS = new Set(['auto_reply', 'loop', 'bounce_unmatched', 'receipt_unmatched', 'flood', 'malformed', 'too_big', 'intake_failed']);

export function MailPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const memberships = session?.memberships ?? [];
  const allowed = canManageMail(memberships);
  const offices = useApiGet(allowed ? '/offices' : null);
  const managed = (offices.data?.items ?? []).filter((o) => o.active && managesOffice(memberships, o));

  if (!allowed) return <ForbiddenPage title={t('citizenStaff.mail.title')} message={t('citizenStaff.mail.forbidden')} />;

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('citizenStaff.mail.title')}</h1>
      <p>{t('citizenStaff.mail.intro')}</p>
      <ErrorAlert error={offices.error} />
      {offices.loading && !offices.data ? (
        <Spinner />
      ) : managed.length === 0 ? (
        <p>{t('citizenStaff.mail.noOffices')}</p>
      ) : (
        <>
          <MailboxesSection offices={managed} />
          <QuarantineSection />
          <FieldsSection offices={managed} />
          <PrivacyNoticeSection />
        </>
      )}
    </section>
  );
}

function OfficeSelect({ id, offices, value, onChange }: { id: string; offices: readonly Office[]; value: string; onChange: (id: string) => void }) {
  const { t } = useI18n();
  return (
    <Field id={id} label={t('citizenStaff.mail.office')}>
      <select id={id} className="form-select" value={value} onChange={(e) => onChange(e.target.value)}>
        {offices.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </Field>
  );
}

function MailboxesSection({ offices }: { offices: readonly Office[] }) {
  const { t, fmt } = useI18n();
  const mailboxes = useApiGet('/mailboxes');
  const [officeId, setOfficeId] = useState(offices[0]?.id ?? '');
  const [address, setAddress] = useState('');
  const [kind, setKind] = useState<Mailbox['kind']>('email');
  const [notice, setNotice] = useState<string | null>(null);
  const [retiring, setRetiring] = useState<Mailbox | null>(null);
  const [serverOf, setServerOf] = useState<{ mailbox: Mailbox; side: ServerSide } | null>(null);
  const adding = useSubmission();
  const retire = useSubmission();
  const polling = useSubmission();
  const officeName = new Map(offices.map((o) => [o.id, o.name]));
  const labels = { address: t('citizenStaff.mailboxes.address'), kind: t('citizenStaff.mailboxes.kind') };

  const add = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    void adding.run(async () => {
      const { data } = await unwrap(client.POST('/offices/{officeId}/mailboxes', { params: { path: { officeId } }, body: { address: address.trim(), kind } }));
      setAddress('');
      setNotice(t('citizenStaff.mailboxes.added', { address: data.address }));
      await mailboxes.reload();
    });
  };

  const serverChanged = async (text: string) => {
    setServerOf(null);
    setNotice(text);
    await mailboxes.reload();
  };

  const pollNow = (mailbox: Mailbox) => {
    setNotice(null);
    void polling.run(async () => {
      const { data } = await unwrap(client.POST('/mailboxes/{id}/poll', { params: { path: { id: mailbox.id } } }));
      setNotice(t(data.queued ? 'citizenStaff.incoming.pollQueued' : 'citizenStaff.incoming.pollWaiting', { address: mailbox.address }));
    });
  };

  const confirmRetire = (event: FormEvent) => {
    event.preventDefault();
    const mailbox = retiring;
    if (!mailbox) return;
    void retire.run(async () => {
      await unwrap(client.DELETE('/mailboxes/{id}', { params: { path: { id: mailbox.id } } }));
      setRetiring(null);
      setNotice(t('citizenStaff.mailboxes.retired', { address: mailbox.address }));
      await mailboxes.reload();
    });
  };

  return (
    <section className="mb-5" aria-labelledby="mailboxes-title">
      <h2 id="mailboxes-title">{t('citizenStaff.mailboxes.title')}</h2>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={mailboxes.error ?? retire.error ?? polling.error} onClose={() => (retire.setError(null), polling.setError(null))} />
      {mailboxes.data && mailboxes.data.items.length > 0 && (
        <button type="button" className="btn btn-outline-secondary btn-sm mb-2" onClick={() => void mailboxes.reload()}>
          {t('citizenStaff.mailboxes.refresh')}
        </button>
      )}
      {!mailboxes.data ? (
        <Spinner />
      ) : mailboxes.data.items.length === 0 ? (
        <p className="text-muted">{t('citizenStaff.mailboxes.empty')}</p>
      ) : (
        <DataTable
          caption={t('citizenStaff.mailboxes.caption')}
          columns={[t('citizenStaff.mailboxes.address'), t('citizenStaff.mail.office'), t('citizenStaff.mailboxes.kind'), t('citizenStaff.incoming.column'), t('citizenStaff.outgoing.column'), t('citizenStaff.mailboxes.since'), <HiddenHeading key="a">{t('citizenStaff.mailboxes.actions')}</HiddenHeading>]}
        >
          {mailboxes.data.items.map((m) => (
            <tr key={m.id} data-mailbox={m.address}>
              <td>{m.address}</td>
              <td>{officeName.get(m.officeId) ?? '—'}</td>
              <td>{t(`citizenStaff.mailboxes.kind.${m.kind}`)}</td>
              <td data-testid="mailbox-incoming">
                {m.incoming ? (
                  <>
                    {m.incoming}
                    <div className="small">
                      {m.imap?.error ? (
                        <span className="text-danger">{m.imap.error}</span>
                      ) : m.imap?.polledAt ? (
                        t('citizenStaff.incoming.polledAt', { when: fmt(m.imap.polledAt) })
                      ) : (
                        <span className="text-muted">{t('citizenStaff.incoming.notYet')}</span>
                      )}
                    </div>
                  </>
                ) : (
                  <span className="text-muted">{t('citizenStaff.incoming.smtp')}</span>
                )}
              </td>
              <td data-testid="mailbox-outgoing">
                {m.outgoing ?? <span className="text-muted">{t('citizenStaff.outgoing.network')}</span>}
                {m.kind === 'pec' && !m.outgoing && <div className="small text-danger">{t('citizenStaff.outgoing.pecWarning')}</div>}
              </td>
              <td>{fmt(m.createdAt)}</td>
              <td className="text-nowrap">
                {m.incoming && (
                  <button type="button" className="btn btn-outline-primary btn-sm me-2" disabled={polling.busy} onClick={() => pollNow(m)} aria-label={t('citizenStaff.incoming.pollLabel', { address: m.address })}>
                    {t('citizenStaff.incoming.poll')}
                  </button>
                )}
                <button type="button" className="btn btn-outline-primary btn-sm me-2" onClick={() => setServerOf({ mailbox: m, side: 'incoming' })} aria-label={t('citizenStaff.incoming.editLabel', { address: m.address })}>
                  {t('citizenStaff.incoming.edit')}
                </button>
                <button type="button" className="btn btn-outline-primary btn-sm me-2" onClick={() => setServerOf({ mailbox: m, side: 'outgoing' })} aria-label={t('citizenStaff.outgoing.editLabel', { address: m.address })}>
                  {t('citizenStaff.outgoing.edit')}
                </button>
                <button type="button" className="btn btn-outline-danger btn-sm" onClick={() => setRetiring(m)} aria-label={t('citizenStaff.mailboxes.retireLabel', { address: m.address })}>
                  {t('citizenStaff.mailboxes.retire')}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      <form className="card card-bg shadow-sm p-3 mt-3" onSubmit={add} aria-labelledby="mailbox-add-title" noValidate>
        <h3 id="mailbox-add-title" className="h5">
          {t('citizenStaff.mailboxes.add')}
        </h3>
        <ErrorAlert error={adding.error} labels={labels} onClose={() => adding.setError(null)} />
        <div className="row">
          <div className="col-12 col-md-4">
            <OfficeSelect id="mailbox-office" offices={offices} value={officeId} onChange={setOfficeId} />
          </div>
          <div className="col-12 col-md-5">
            <Field id="mailbox-address" label={labels.address} required>
              <input id="mailbox-address" type="email" autoComplete="off" className="form-control" value={address} onChange={(e) => setAddress(e.target.value)} required />
            </Field>
          </div>
          <div className="col-12 col-md-3">
            <Field id="mailbox-kind" label={labels.kind}>
              <select id="mailbox-kind" className="form-select" value={kind} onChange={(e) => setKind(e.target.value as Mailbox['kind'])}>
                <option value="email">{t('citizenStaff.mailboxes.kind.email')}</option>
                <option value="pec">{t('citizenStaff.mailboxes.kind.pec')}</option>
              </select>
            </Field>
          </div>
        </div>
        <div>
          <button type="submit" className="btn btn-primary" disabled={adding.busy || !address.trim()}>
            {t('citizenStaff.mailboxes.addButton')}
          </button>
        </div>
      </form>

      {serverOf && <ServerDialog mailbox={serverOf.mailbox} side={serverOf.side} onClose={() => setServerOf(null)} onChanged={(text) => void serverChanged(text)} />}

      {retiring && (
        <Modal title={t('citizenStaff.mailboxes.retireLabel', { address: retiring.address })} onClose={() => setRetiring(null)} testId="mailbox-retire-dialog">
          <form onSubmit={confirmRetire}>
            <p>{t('citizenStaff.mailboxes.retireConfirm', { address: retiring.address })}</p>
            <DialogActions onCancel={() => setRetiring(null)} submitLabel={t('citizenStaff.mailboxes.retire')} busy={retire.busy} variant="danger" />
          </form>
        </Modal>
      )}
    </section>
  );
}

/**
 * The privacy notice the portal shows for each body the user administers: the address of the body's
 * own notice (the citizen consents to it when filing) and its data protection officer's address.
 * Without one the portal shows the network's notice. Office supervisors see nothing here.
 */
function PrivacyNoticeSection() {
  const { t, fmt } = useI18n();
  const notices = useApiGet('/privacy-notices');
  const items = notices.data?.items ?? [];
  const [organisationId, setOrganisationId] = useState('');
  const chosen: PrivacyNotice | undefined = items.find((n) => n.organisationId === organisationId) ?? items[0];
  const [url, setUrl] = useState('');
  const [dpoEmail, setDpoEmail] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const saving = useSubmission();
  const labels = { url: t('citizenStaff.privacy.url'), dpoEmail: t('citizenStaff.privacy.dpoEmail') };

  useEffect(() => {
    setUrl(chosen?.url ?? '');
    setDpoEmail(chosen?.dpoEmail ?? '');
  }, [chosen?.organisationId, chosen?.url, chosen?.dpoEmail]);

  if (notices.data && items.length === 0) return null;

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    setNotice(null);
    void saving.run(async () => {
      await unwrap(client.PUT('/organisations/{id}/privacy-notice', { params: { path: { id: chosen.organisationId } }, body: { url: url.trim(), dpoEmail: dpoEmail.trim() || null } }));
      setNotice(t('citizenStaff.privacy.saved', { organisation: chosen.organisation }));
      await notices.reload();
    });
  };

  const revertToNetwork = () => {
    if (!chosen) return;
    setNotice(null);
    void saving.run(async () => {
      await unwrap(client.DELETE('/organisations/{id}/privacy-notice', { params: { path: { id: chosen.organisationId } } }));
      setNotice(t('citizenStaff.privacy.removed', { organisation: chosen.organisation }));
      await notices.reload();
    });
  };

  return (
    <section className="mb-5" aria-labelledby="privacy-notice-title" data-testid="privacy-notice-section">
      <h2 id="privacy-notice-title">{t('citizenStaff.privacy.title')}</h2>
      <p>{t('citizenStaff.privacy.intro')}</p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={notices.error} />
      {!notices.data || !chosen ? (
        <Spinner />
      ) : (
        <form className="card card-bg shadow-sm p-3" onSubmit={save} aria-labelledby="privacy-notice-title" noValidate>
          <ErrorAlert error={saving.error} labels={labels} onClose={() => saving.setError(null)} />
          {items.length > 1 && (
            <Field id="privacy-organisation" label={t('citizenStaff.privacy.organisation')}>
              <select id="privacy-organisation" className="form-select" value={chosen.organisationId} onChange={(e) => setOrganisationId(e.target.value)}>
                {items.map((n) => (
                  <option key={n.organisationId} value={n.organisationId}>
                    {n.organisation}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <p className="small" data-testid="privacy-notice-current">
            {chosen.url && chosen.updatedAt
              ? t('citizenStaff.privacy.current', { organisation: chosen.organisation, date: fmt(chosen.updatedAt) })
              : t('citizenStaff.privacy.network', { organisation: chosen.organisation })}
          </p>
          <div className="row">
            <div className="col-12 col-md-7">
              <Field id="privacy-url" label={labels.url} hint={t('citizenStaff.privacy.urlHint')} required>
                <input id="privacy-url" type="url" inputMode="url" autoComplete="url" aria-describedby="privacy-url-hint" className="form-control" value={url} onChange={(e) => setUrl(e.target.value)} required />
              </Field>
            </div>
            <div className="col-12 col-md-5">
              <Field id="privacy-dpo" label={labels.dpoEmail}>
                <input id="privacy-dpo" type="email" autoComplete="off" className="form-control" value={dpoEmail} onChange={(e) => setDpoEmail(e.target.value)} />
              </Field>
            </div>
          </div>
          <div className="d-flex flex-wrap gap-2">
            <button type="submit" className="btn btn-primary" disabled={saving.busy || !url.trim()}>
              {t('citizenStaff.privacy.save')}
            </button>
            {chosen.url && (
              <button type="button" className="btn btn-outline-secondary" disabled={saving.busy} onClick={revertToNetwork}>
                {t('citizenStaff.privacy.useNetwork')}
              </button>
            )}
          </div>
        </form>
      )}
    </section>
  );
}

/** A quarantine reason (`auto_reply: Auto-Submitted auto-replied`) in plain words, with the technical detail apart. */
export function quarantineReason(t: Translate, reason: string | null): { text: string; detail: string | null } {
  if (!reason) return { text: t('citizenStaff.quarantine.reason.other'), detail: null };
  const colon = reason.indexOf(':');
  const code = colon < 0 ? reason : reason.slice(0, colon);
  const detail = colon < 0 ? '' : reason.slice(colon + 1).trim();
  if (!QUARANTINE_REASONS.has(code)) return { text: t('citizenStaff.quarantine.reason.other'), detail: reason };
  return { text: t(`citizenStaff.quarantine.reason.${code}` as MessageKey), detail: detail || null };
}

type Released = ApiResponseBody<'/mail/quarantine/{id}/release', 'post'>;

/** Which of a mailbox's own servers: where its mail is read from (IMAP), or where its replies leave through (SMTP). */
type ServerSide = 'incoming' | 'outgoing';

/**
 * Sets or clears one of a mailbox's own servers. The URL carries the password: it is typed whole each
 * time, kept sealed by the server and never shown again (only user, host, port and folder).
 */
function ServerDialog({ mailbox, side, onClose, onChanged }: { mailbox: Mailbox; side: ServerSide; onClose: () => void; onChanged: (notice: string) => void }) {
  const { t } = useI18n();
  const [url, setUrl] = useState('');
  const submission = useSubmission();
  const current = mailbox[side];
  const id = `mailbox-${side}-url`;
  const labels = { url: t(`citizenStaff.${side}.url`) };
  const path = { params: { path: { id: mailbox.id } } };

  const save = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const body = { ...path, body: { url: url.trim() } };
      const { data } = await unwrap(side === 'incoming' ? client.PUT('/mailboxes/{id}/incoming', body) : client.PUT('/mailboxes/{id}/outgoing', body));
      onChanged(t(`citizenStaff.${side}.saved`, { address: data.address, server: data[side] ?? '' }));
    });
  };

  const clear = () => {
    void submission.run(async () => {
      await unwrap(side === 'incoming' ? client.DELETE('/mailboxes/{id}/incoming', path) : client.DELETE('/mailboxes/{id}/outgoing', path));
      onChanged(t(`citizenStaff.${side}.cleared`, { address: mailbox.address }));
    });
  };

  const intro = side === 'outgoing' && mailbox.kind === 'pec' ? t('citizenStaff.outgoing.introPec') : t(`citizenStaff.${side}.intro`);
  return (
    <Modal title={t(`citizenStaff.${side}.editLabel`, { address: mailbox.address })} onClose={onClose} testId={`mailbox-${side}-dialog`}>
      <form onSubmit={save} noValidate>
        <p>{intro}</p>
        <p className="small">{current ? t(`citizenStaff.${side}.current`, { server: current }) : t(side === 'incoming' ? 'citizenStaff.incoming.smtp' : 'citizenStaff.outgoing.network')}</p>
        <ErrorAlert error={submission.error} labels={labels} onClose={() => submission.setError(null)} />
        <Field id={id} label={labels.url} hint={t(`citizenStaff.${side}.hint`)} required>
          <input id={id} type="password" autoComplete="off" spellCheck={false} aria-describedby={`${id}-hint`} className="form-control" value={url} onChange={(e) => setUrl(e.target.value)} required />
        </Field>
        <div className="d-flex flex-wrap gap-2 justify-content-end">
          {current && (
            <button type="button" className="btn btn-outline-secondary" disabled={submission.busy} onClick={clear}>
              {t(`citizenStaff.${side}.clear`)}
            </button>
          )}
          <button type="button" className="btn btn-outline-primary" onClick={onClose}>
            {t('app.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={submission.busy || !url.trim()}>
            {t(`citizenStaff.${side}.save`)}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function QuarantineSection() {
  const { t, fmt, locale } = useI18n();
  const quarantine = useApiGet('/mail/quarantine');
  const [releasing, setReleasing] = useState<Quarantined | null>(null);
  const [dismissing, setDismissing] = useState<Quarantined | null>(null);
  const [released, setReleased] = useState<Released | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const dismiss = useSubmission();
  const subjectOf = (item: Quarantined) => item.subject || t('citizenStaff.quarantine.noSubject');

  const confirmDismiss = (event: FormEvent) => {
    event.preventDefault();
    const item = dismissing;
    if (!item) return;
    void dismiss.run(async () => {
      await unwrap(client.POST('/mail/quarantine/{id}/dismiss', { params: { path: { id: item.id } } }));
      setDismissing(null);
      setReleased(null);
      setNotice(t('citizenStaff.quarantine.dismissed'));
      await quarantine.reload();
    });
  };

  return (
    <section className="mb-5" aria-labelledby="quarantine-title">
      <h2 id="quarantine-title">{t('citizenStaff.quarantine.title')}</h2>
      <p>{t('citizenStaff.quarantine.intro')}</p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      {released && (
        <Alert kind="success" onClose={() => setReleased(null)}>
          <span data-testid="quarantine-released">
            {t(released.outcome === 'ticket_joined' ? 'citizenStaff.quarantine.joined' : 'citizenStaff.quarantine.created', { code: released.ticketCode })}{' '}
            <Link href={`/tickets/${encodeURIComponent(released.ticketCode)}`}>{t('citizenStaff.quarantine.openTicket', { code: released.ticketCode })}</Link>
          </span>
        </Alert>
      )}
      <ErrorAlert error={quarantine.error ?? dismiss.error} onClose={() => dismiss.setError(null)} />
      {!quarantine.data ? (
        <Spinner />
      ) : quarantine.data.items.length === 0 ? (
        <p className="text-muted">{t('citizenStaff.quarantine.empty')}</p>
      ) : (
        <DataTable
          caption={t('citizenStaff.quarantine.caption')}
          columns={[
            t('citizenStaff.quarantine.received'),
            t('citizenStaff.quarantine.mailbox'),
            t('citizenStaff.quarantine.sender'),
            t('citizenStaff.quarantine.subject'),
            t('citizenStaff.quarantine.reason'),
            t('citizenStaff.quarantine.size'),
            <HiddenHeading key="a">{t('citizenStaff.quarantine.actions')}</HiddenHeading>,
          ]}
        >
          {quarantine.data.items.map((item) => {
            const reason = quarantineReason(t, item.reason);
            const subject = subjectOf(item);
            return (
              <tr key={item.id} data-quarantined={item.id}>
                <td className="text-nowrap">{fmt(item.receivedAt)}</td>
                <td>{item.mailbox}</td>
                <td>{item.sender ?? t('citizenStaff.quarantine.unknown')}</td>
                <td>{subject}</td>
                <td data-col="reason">
                  {reason.text}
                  {reason.detail && <div className="small text-muted">{reason.detail}</div>}
                </td>
                <td className="text-nowrap">{formatBytes(item.size, locale)}</td>
                <td>
                  <div className="d-flex flex-wrap gap-2">
                    {item.kept && (
                      <>
                        <a className="btn btn-outline-primary btn-sm" href={`${API_BASE}/mail/quarantine/${encodeURIComponent(item.id)}/raw`} download aria-label={t('citizenStaff.quarantine.downloadLabel', { subject })}>
                          {t('citizenStaff.quarantine.download')}
                        </a>
                        <button type="button" className="btn btn-primary btn-sm" onClick={() => setReleasing(item)} aria-label={t('citizenStaff.quarantine.releaseLabel', { subject })}>
                          {t('citizenStaff.quarantine.release')}
                        </button>
                      </>
                    )}
                    <button type="button" className="btn btn-outline-danger btn-sm" onClick={() => setDismissing(item)} aria-label={t('citizenStaff.quarantine.dismissLabel', { subject })}>
                      {t('citizenStaff.quarantine.dismiss')}
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      {releasing && (
        <ReleaseDialog
          item={releasing}
          subject={subjectOf(releasing)}
          onClose={() => setReleasing(null)}
          onReleased={async (result) => {
            setReleasing(null);
            setNotice(null);
            setReleased(result);
            await quarantine.reload();
          }}
        />
      )}
      {dismissing && (
        <Modal title={t('citizenStaff.quarantine.dismissLabel', { subject: subjectOf(dismissing) })} onClose={() => setDismissing(null)} testId="quarantine-dismiss-dialog">
          <form onSubmit={confirmDismiss}>
            <p>{t('citizenStaff.quarantine.dismissConfirm', { subject: subjectOf(dismissing) })}</p>
            <DialogActions onCancel={() => setDismissing(null)} submitLabel={t('citizenStaff.quarantine.dismiss')} busy={dismiss.busy} variant="danger" />
          </form>
        </Modal>
      )}
    </section>
  );
}

function ReleaseDialog({ item, subject, onClose, onReleased }: { item: Quarantined; subject: string; onClose: () => void; onReleased: (result: Released) => Promise<void> }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<'new' | 'join'>('new');
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>();
  const release = useSubmission();
  const labels = { ticketCode: t('citizenStaff.quarantine.ticketCode') };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mode === 'join' && !code.trim()) {
      setCodeError(t('citizenStaff.quarantine.ticketCodeRequired'));
      focusFirstInvalid();
      return;
    }
    setCodeError(undefined);
    void release.run(async () => {
      const body = mode === 'join' ? { ticketCode: code.trim().toUpperCase() } : {};
      const { data } = await unwrap(client.POST('/mail/quarantine/{id}/release', { params: { path: { id: item.id } }, body }));
      await onReleased(data);
    });
  };

  return (
    <Modal title={t('citizenStaff.quarantine.releaseTitle')} description={subject} onClose={onClose} testId="quarantine-release-dialog">
      <form onSubmit={submit} noValidate>
        <ErrorAlert error={release.error} labels={labels} onClose={() => release.setError(null)} />
        <fieldset className="mb-3">
          <legend className="h6">{t('citizenStaff.quarantine.releaseTitle')}</legend>
          {(['new', 'join'] as const).map((m) => (
            <div key={m} className="form-check">
              <input className="form-check-input" type="radio" name="release-mode" id={`release-mode-${m}`} checked={mode === m} onChange={() => setMode(m)} />
              <label className="form-check-label" htmlFor={`release-mode-${m}`}>
                {t(m === 'new' ? 'citizenStaff.quarantine.releaseNew' : 'citizenStaff.quarantine.releaseJoin')}
              </label>
            </div>
          ))}
        </fieldset>
        {mode === 'join' && (
          <Field id="release-ticket-code" label={labels.ticketCode} hint={t('citizenStaff.quarantine.ticketCodeHint')} error={codeError} required>
            <input className={controlClass('form-control', codeError)} value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" {...fieldA11y('release-ticket-code', codeError, true)} />
          </Field>
        )}
        <DialogActions onCancel={onClose} submitLabel={t('citizenStaff.quarantine.releaseConfirm')} busy={release.busy} />
      </form>
    </Modal>
  );
}

/** One field as edited on the page: the options as text, one `value | it | en` a line. */
interface FieldDraft {
  uid: string;
  key: string;
  labelIt: string;
  labelEn: string;
  type: FieldType;
  required: boolean;
  options: string;
}

let draftSeq = 0;
const nextUid = () => `field-${++draftSeq}`;

function toDraft(field: RequestField): FieldDraft {
  return {
    uid: nextUid(),
    key: field.key,
    labelIt: field.label.it,
    labelEn: field.label.en ?? '',
    type: field.type,
    required: field.required,
    options: (field.options ?? []).map((o) => [o.value, o.label.it, o.label.en].filter((part) => part !== undefined && part !== '').join(' | ')).join('\n'),
  };
}

function parseOptions(text: string): NonNullable<RequestField['options']> {
  return text
    .split('\n')
    .map((line) => line.split('|').map((part) => part.trim()))
    .filter((parts) => parts[0])
    .map(([value = '', it, en]) => ({ value, label: { it: it || value, ...(en ? { en } : {}) } }));
}

function fromDraft(d: FieldDraft): RequestField {
  return {
    key: d.key.trim(),
    label: { it: d.labelIt.trim(), ...(d.labelEn.trim() ? { en: d.labelEn.trim() } : {}) },
    type: d.type,
    required: d.required,
    ...(d.type === 'select' ? { options: parseOptions(d.options) } : {}),
  };
}

/** The problems of each draft field, by uid and attribute (the same checks as the server's). */
function validateDrafts(drafts: readonly FieldDraft[], t: Translate): Record<string, Partial<Record<'key' | 'labelIt' | 'options', string>>> {
  const out: Record<string, Partial<Record<'key' | 'labelIt' | 'options', string>>> = {};
  const seen = new Set<string>();
  for (const d of drafts) {
    const problems: Partial<Record<'key' | 'labelIt' | 'options', string>> = {};
    const key = d.key.trim();
    if (!FIELD_KEY.test(key)) problems.key = t('citizenStaff.fields.keyInvalid');
    else if (seen.has(key)) problems.key = t('citizenStaff.fields.keyDuplicate');
    seen.add(key);
    if (!d.labelIt.trim()) problems.labelIt = t('citizenStaff.fields.labelRequired');
    if (d.type === 'select' && parseOptions(d.options).length === 0) problems.options = t('citizenStaff.fields.optionsRequired');
    if (Object.keys(problems).length > 0) out[d.uid] = problems;
  }
  return out;
}

function FieldsSection({ offices }: { offices: readonly Office[] }) {
  const { t, locale, label } = useI18n();
  const taxonomy = useTaxonomy();
  const tema = taxonomy?.facets.find((f) => f.code === 'tema');
  const [officeId, setOfficeId] = useState(offices[0]?.id ?? '');
  const [topic, setTopic] = useState('');
  const fields = useApiGet(officeId ? '/offices/{officeId}/request-fields' : null, { path: { officeId } });
  const [drafts, setDrafts] = useState<FieldDraft[]>([]);
  const [problems, setProblems] = useState<ReturnType<typeof validateDrafts>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const save = useSubmission();
  const topicNames = useMemo(() => new Map(tema ? flattenNodes(tema.nodes, locale).map((n) => [n.code, n.path.join(' › ')]) : []), [tema, locale]);

  // The fields of the chosen office and topic, each time either (or the saved list) changes.
  const saved = topic ? (fields.data?.items.find((i) => i.topic === topic)?.fields ?? null) : null;
  const savedKey = JSON.stringify(saved);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `savedKey` stands for the saved list, by value.
  useEffect(() => {
    setDrafts((saved ?? []).map(toDraft));
    setProblems({});
  }, [savedKey, topic, officeId]);

  const update = (uid: string, change: Partial<FieldDraft>) => setDrafts((list) => list.map((d) => (d.uid === uid ? { ...d, ...change } : d)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    const found = validateDrafts(drafts, t);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid();
      return;
    }
    void save.run(async () => {
      await unwrap(client.PUT('/offices/{officeId}/request-fields/{topic}', { params: { path: { officeId, topic } }, body: { fields: drafts.map(fromDraft) } }));
      setNotice(t('citizenStaff.fields.saved'));
      await fields.reload();
    });
  };

  const configured = (fields.data?.items ?? []).filter((i) => i.fields.length > 0).map((i) => topicNames.get(i.topic) ?? i.topic);

  return (
    <section className="mb-5" aria-labelledby="fields-title">
      <h2 id="fields-title">{t('citizenStaff.fields.title')}</h2>
      <p>{t('citizenStaff.fields.intro')}</p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={fields.error} />
      <div className="row">
        <div className="col-12 col-md-6">
          <OfficeSelect id="fields-office" offices={offices} value={officeId} onChange={setOfficeId} />
        </div>
        <div className="col-12 col-md-6">
          {tema ? <TaxonomyPicker id="fields-topic" facet={tema} label={label(tema.label)} value={topic} onChange={setTopic} /> : <Spinner />}
        </div>
      </div>
      {configured.length > 0 && <p className="small text-muted">{t('citizenStaff.fields.configured', { topics: configured.join('; ') })}</p>}
      {!topic ? (
        <p className="text-muted">{t('citizenStaff.fields.chooseTopic')}</p>
      ) : (
        <form onSubmit={submit} noValidate aria-labelledby="fields-title" data-testid="request-fields-form">
          {Object.keys(problems).length > 0 && <Alert>{t('citizenStaff.fields.invalid')}</Alert>}
          <ErrorAlert error={save.error} onClose={() => save.setError(null)} />
          {drafts.length === 0 && <p className="text-muted">{t('citizenStaff.fields.empty')}</p>}
          {drafts.map((d, index) => (
            <FieldEditor
              key={d.uid}
              draft={d}
              n={index + 1}
              problems={problems[d.uid] ?? {}}
              onChange={(change) => update(d.uid, change)}
              onRemove={() => setDrafts((list) => list.filter((x) => x.uid !== d.uid))}
            />
          ))}
          <div className="d-flex flex-wrap gap-2">
            <button
              type="button"
              className="btn btn-outline-primary"
              onClick={() => setDrafts((list) => [...list, { uid: nextUid(), key: '', labelIt: '', labelEn: '', type: 'text', required: false, options: '' }])}
            >
              {t('citizenStaff.fields.add')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={save.busy}>
              {t('citizenStaff.fields.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function FieldEditor({
  draft,
  n,
  problems,
  onChange,
  onRemove,
}: {
  draft: FieldDraft;
  n: number;
  problems: Partial<Record<'key' | 'labelIt' | 'options', string>>;
  onChange: (change: Partial<FieldDraft>) => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  const base = useId().replace(/:/g, '');
  const id = (name: string) => `${base}-${name}`;
  return (
    <fieldset className="card card-bg shadow-sm p-3 mb-3" data-testid="request-field">
      <legend className="h6">{t('citizenStaff.fields.field', { n })}</legend>
      <div className="row">
        <div className="col-12 col-md-4">
          <Field id={id('key')} label={t('citizenStaff.fields.key')} hint={t('citizenStaff.fields.keyHint')} error={problems.key} required>
            <input className={controlClass('form-control', problems.key)} value={draft.key} onChange={(e) => onChange({ key: e.target.value })} autoComplete="off" {...fieldA11y(id('key'), problems.key, true)} />
          </Field>
        </div>
        <div className="col-12 col-md-4">
          <Field id={id('label-it')} label={t('citizenStaff.fields.labelIt')} error={problems.labelIt} required>
            <input className={controlClass('form-control', problems.labelIt)} lang="it" value={draft.labelIt} onChange={(e) => onChange({ labelIt: e.target.value })} {...fieldA11y(id('label-it'), problems.labelIt)} />
          </Field>
        </div>
        <div className="col-12 col-md-4">
          <Field id={id('label-en')} label={t('citizenStaff.fields.labelEn')}>
            <input id={id('label-en')} className="form-control" lang="en" value={draft.labelEn} onChange={(e) => onChange({ labelEn: e.target.value })} />
          </Field>
        </div>
        <div className="col-12 col-md-4">
          <Field id={id('type')} label={t('citizenStaff.fields.type')}>
            <select id={id('type')} className="form-select" value={draft.type} onChange={(e) => onChange({ type: e.target.value as FieldType })}>
              {FIELD_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`citizenStaff.fields.type.${type}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="col-12 col-md-4 d-flex align-items-center">
          <div className="form-check mb-3">
            <input className="form-check-input" type="checkbox" id={id('required')} checked={draft.required} onChange={(e) => onChange({ required: e.target.checked })} />
            <label className="form-check-label" htmlFor={id('required')}>
              {t('citizenStaff.fields.required')}
            </label>
          </div>
        </div>
        {draft.type === 'select' && (
          <div className="col-12">
            <Field id={id('options')} label={t('citizenStaff.fields.options')} hint={t('citizenStaff.fields.optionsHint')} error={problems.options} required>
              <textarea rows={3} className={controlClass('form-control', problems.options)} value={draft.options} onChange={(e) => onChange({ options: e.target.value })} {...fieldA11y(id('options'), problems.options, true)} />
            </Field>
          </div>
        )}
      </div>
      <div>
        <button type="button" className="btn btn-outline-danger btn-sm" onClick={onRemove}>
          {t('citizenStaff.fields.remove', { n })}
        </button>
      </div>
    </fieldset>
  );
}
