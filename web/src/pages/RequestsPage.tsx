import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { client, unwrap } from '../api/client.js';
import type { AppNotification, RequestTicketSummary, Share, Transfer } from '../api/types.js';
import { DialogActions, Modal } from '../components/Modal.js';
import { Alert, ErrorAlert, Field, Icon, Spinner, StatusBadge } from '../components/ui.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { useApiGet, useTaxonomy } from '../lib/hooks.js';
import { affectsIncomingRequests, NOTIFICATION_EVENT, useNotifications } from '../lib/notifications.js';
import { Link } from '../lib/router.js';
import { codeLabel } from '../lib/taxonomy.js';

export type Pending = { type: 'share'; share: Share; ticket: RequestTicketSummary } | { type: 'transfer'; transfer: Transfer; ticket: RequestTicketSummary };

const idOf = (p: Pending) => (p.type === 'share' ? p.share.id : p.transfer.id);

/** Accepts or declines (with its reason) one incoming request. */
async function answer(p: Pending, decision: 'accept' | 'decline', reason?: string): Promise<void> {
  const params = { path: { id: idOf(p) } };
  const declined = { params, body: { reason } };
  if (p.type === 'share') await unwrap(decision === 'accept' ? client.POST('/shares/{id}/accept', { params }) : client.POST('/shares/{id}/decline', declined));
  else await unwrap(decision === 'accept' ? client.POST('/transfers/{id}/accept', { params }) : client.POST('/transfers/{id}/decline', declined));
}

/**
 * The pending requests for one ticket addressed to my offices, to accept or decline where the ticket
 * itself is not readable yet (a notification or a link to a ticket sent to my office). Renders
 * `fallback` when there is none.
 */
export function IncomingRequestView({ code, onAccepted, fallback }: { code: string; onAccepted: () => Promise<void>; fallback: ReactNode }) {
  const { t } = useI18n();
  const requests = useApiGet('/requests/incoming');
  const { refreshRequests } = useNotifications();
  const [declining, setDeclining] = useState<Pending | null>(null);
  const [declined, setDeclined] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const wanted = code.toUpperCase();
  const items: Pending[] = [
    ...(requests.data?.transfers ?? []).map(({ transfer, ticket }): Pending => ({ type: 'transfer', transfer, ticket })),
    ...(requests.data?.shares ?? []).map(({ share, ticket }): Pending => ({ type: 'share', share, ticket })),
  ].filter((p) => p.ticket.code === wanted);

  const respond = async (p: Pending, decision: 'accept' | 'decline', reason?: string): Promise<boolean> => {
    setError(null);
    setBusy(idOf(p));
    try {
      await answer(p, decision, reason);
      void refreshRequests();
      if (decision === 'accept') await onAccepted();
      else {
        setDeclined(true);
        await requests.reload();
      }
      return true;
    } catch (err) {
      setError(err);
      await requests.reload();
      return false;
    } finally {
      setBusy(null);
    }
  };

  if (!requests.data) return requests.error ? fallback : <Spinner />;
  if (declined) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">{t('network.request.title', { code: wanted })}</h1>
        <Alert kind="success">{t('network.request.declined')}</Alert>
        <Link href="/requests">{t('notifications.toRequests')}</Link>
      </section>
    );
  }
  if (items.length === 0) return fallback;
  return (
    <section aria-labelledby="page-title" data-testid="incoming-request-view">
      <h1 id="page-title">{t('network.request.title', { code: wanted })}</h1>
      <p className="lead">{t('network.request.intro')}</p>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <ul className="list-unstyled request-list">
        {items.map((p) => (
          <RequestCard key={idOf(p)} pending={p} busy={busy === idOf(p)} onAccept={(x) => void respond(x, 'accept')} onDecline={setDeclining} headingLevel={2} />
        ))}
      </ul>
      {declining && <DeclineDialog pending={declining} onClose={() => setDeclining(null)} onDecline={async (reason) => (await respond(declining, 'decline', reason)) && setDeclining(null)} />}
    </section>
  );
}

/** Share requests and transfers waiting for one of my offices to accept or decline them. */
export function RequestsPage() {
  const { t } = useI18n();
  const requests = useApiGet('/requests/incoming');
  const { refreshRequests } = useNotifications();
  const [declining, setDeclining] = useState<Pending | null>(null);
  const [done, setDone] = useState<{ text: string; code: string | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  // A request that arrives (or is withdrawn) while the page is open shows up without reloading.
  useEffect(() => {
    const onArrival = (event: Event) => {
      const n = (event as CustomEvent<AppNotification>).detail;
      if (n && affectsIncomingRequests(n)) void requests.reload();
    };
    window.addEventListener(NOTIFICATION_EVENT, onArrival);
    return () => window.removeEventListener(NOTIFICATION_EVENT, onArrival);
  }, [requests.reload]);

  const respond = async (p: Pending, decision: 'accept' | 'decline', reason?: string): Promise<boolean> => {
    setError(null);
    setDone(null);
    setBusy(idOf(p));
    try {
      await answer(p, decision, reason);
      setDone({
        text: t(decision === 'accept' ? (p.type === 'share' ? 'requests.accepted.share' : 'requests.accepted.transfer') : 'requests.declined', { code: p.ticket.code }),
        code: decision === 'accept' ? p.ticket.code : null,
      });
      await Promise.all([requests.reload(), refreshRequests()]);
      return true;
    } catch (err) {
      setError(err);
      await requests.reload();
      return false;
    } finally {
      setBusy(null);
    }
  };

  const shares = requests.data?.shares ?? [];
  const transfers = requests.data?.transfers ?? [];
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('requests.title')}</h1>
      <p className="lead">{t('requests.intro')}</p>
      {done && (
        <Alert kind="success" onClose={() => setDone(null)}>
          {done.text}{' '}
          {done.code && (
            <Link href={`/tickets/${encodeURIComponent(done.code)}`} className="fw-semibold">
              {t('requests.openTicket', { code: done.code })}
            </Link>
          )}
        </Alert>
      )}
      <ErrorAlert error={error ?? requests.error} onClose={() => setError(null)} />
      {!requests.data ? (
        <Spinner />
      ) : (
        <>
          <RequestGroup
            title={t('requests.transfers')}
            empty={t('requests.noTransfers')}
            items={transfers.map(({ transfer, ticket }): Pending => ({ type: 'transfer', transfer, ticket }))}
            busyId={busy}
            onAccept={(p) => void respond(p, 'accept')}
            onDecline={setDeclining}
          />
          <RequestGroup
            title={t('requests.shares')}
            empty={t('requests.noShares')}
            items={shares.map(({ share, ticket }): Pending => ({ type: 'share', share, ticket }))}
            busyId={busy}
            onAccept={(p) => void respond(p, 'accept')}
            onDecline={setDeclining}
          />
        </>
      )}
      {declining && <DeclineDialog pending={declining} onClose={() => setDeclining(null)} onDecline={async (reason) => (await respond(declining, 'decline', reason)) && setDeclining(null)} />}
    </section>
  );
}

/** One kind of incoming request (transfers, shares): a heading with their count, then their cards. */
function RequestGroup({
  title,
  empty,
  items,
  busyId,
  onAccept,
  onDecline,
}: {
  title: string;
  empty: string;
  items: Pending[];
  busyId: string | null;
  onAccept: (p: Pending) => void;
  onDecline: (p: Pending) => void;
}) {
  return (
    <>
      <h2 className="h4 mt-4">
        {title} <span className="badge bg-primary">{items.length}</span>
      </h2>
      {items.length === 0 ? (
        <p className="text-muted">{empty}</p>
      ) : (
        <ul className="list-unstyled request-list">
          {items.map((p) => (
            <RequestCard key={idOf(p)} pending={p} busy={busyId === idOf(p)} onAccept={onAccept} onDecline={onDecline} />
          ))}
        </ul>
      )}
    </>
  );
}

function RequestCard({
  pending,
  busy,
  onAccept,
  onDecline,
  headingLevel = 3,
}: {
  pending: Pending;
  busy: boolean;
  onAccept: (p: Pending) => void;
  onDecline: (p: Pending) => void;
  /** 3 under the requests page's groups, 2 where the card stands alone under the page title. */
  headingLevel?: 2 | 3;
}) {
  const { t, fmt, locale } = useI18n();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const taxonomy = useTaxonomy();
  const { ticket } = pending;
  const titleId = `request-${idOf(pending)}`;
  const what =
    pending.type === 'share'
      ? t('requests.kind.share', { mode: t(`share.mode.${pending.share.mode}`) })
      : t(pending.transfer.kind === 'escalation' ? 'requests.kind.escalation' : 'requests.kind.transfer');
  return (
    <li className="card card-bg shadow-sm mb-3 request-card" data-code={ticket.code} data-type={pending.type}>
      <article className="card-body" aria-labelledby={titleId}>
        <div className="d-flex flex-wrap justify-content-between gap-2">
          <Heading id={titleId} className="h5 mb-1">
            <span className="badge bg-info text-dark me-2">{what}</span>
            <span className="ticket-code">{ticket.code}</span> <span className="fw-normal">{ticket.subject}</span>
          </Heading>
          <StatusBadge status={ticket.status} label={translateCode(t, 'status', ticket.status)} />
        </div>
        <dl className="ticket-facts small mt-2">
          <div>
            <dt>{t('requests.from')}</dt>
            <dd>{pending.type === 'share' ? ticket.ownerOffice : pending.transfer.fromOfficeName}</dd>
          </div>
          <div>
            <dt>{t('requests.to')}</dt>
            <dd>{pending.type === 'share' ? `${pending.share.officeName}` : pending.transfer.toOfficeName}</dd>
          </div>
          <div>
            <dt>{t('inbox.col.topic')}</dt>
            <dd>{codeLabel(taxonomy, 'tema', ticket.topic, locale) || t('app.none')}</dd>
          </div>
          <div>
            <dt>{t('requests.requestedAt')}</dt>
            <dd>{fmt(pending.type === 'share' ? pending.share.requestedAt : pending.transfer.requestedAt)}</dd>
          </div>
          {pending.type === 'transfer' && (
            <div>
              <dt>{t('transfer.reasonCode')}</dt>
              <dd>{translateCode(t, 'transfer.reason', pending.transfer.reasonCode)}</dd>
            </div>
          )}
          {pending.type === 'share' && (
            <div>
              <dt>{t('share.requesterData')}</dt>
              <dd>{pending.share.shareRequester ? t('share.requesterShared') : t('share.requesterNotShared')}</dd>
            </div>
          )}
        </dl>
        <p className="mb-3">
          <strong>{t('requests.reason')}:</strong> {pending.type === 'share' ? pending.share.reason : pending.transfer.reason}
        </p>
        <div className="d-flex gap-2">
          <button type="button" className="btn btn-success btn-sm" disabled={busy} onClick={() => onAccept(pending)}>
            <Icon name="check" size="sm" className="icon-white me-1" />
            {t('requests.accept')}
            <span className="visually-hidden"> {ticket.code}</span>
          </button>
          <button type="button" className="btn btn-outline-danger btn-sm" disabled={busy} onClick={() => onDecline(pending)}>
            <Icon name="close" size="sm" className="icon-danger me-1" />
            {t('requests.decline')}
            <span className="visually-hidden"> {ticket.code}</span>
          </button>
        </div>
      </article>
    </li>
  );
}

function DeclineDialog({ pending, onClose, onDecline }: { pending: Pending; onClose: () => void; onDecline: (reason: string) => Promise<unknown> }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setInvalid(true);
      return;
    }
    setBusy(true);
    try {
      await onDecline(reason.trim());
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('requests.declineTitle', { code: pending.ticket.code })} onClose={onClose} testId="decline-dialog">
      <form onSubmit={submit} noValidate>
        <Field id="decline-reason" label={t('requests.declineReason')} required error={invalid ? t('requests.declineReason.required') : undefined}>
          <textarea
            id="decline-reason"
            rows={3}
            className={`form-control ${invalid ? 'is-invalid' : ''}`}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            aria-required="true"
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? 'decline-reason-error' : undefined}
          />
        </Field>
        <DialogActions onCancel={onClose} submitLabel={t('requests.confirmDecline')} busy={busy} variant="danger" />
      </form>
    </Modal>
  );
}
