import { useCallback, useEffect, useId, useState } from 'react';
import { type ApiResponseBody, client, unwrap } from '../../api/client.js';
import type { Membership } from '../../api/types.js';
import { type MessageKey, useI18n } from '../../i18n/index.js';
import { useApiGet, useSubmission } from '../../lib/hooks.js';
import { Link } from '../../lib/router.js';
import { hasRole } from '../../lib/session.js';
import { Modal } from '../Modal.js';
import { ErrorAlert, Notice } from '../ui.js';

type OperatorView = ApiResponseBody<'/routing/me'>;
type OfferWithItem = OperatorView['offers'][number];
type WorkItem = OperatorView['items'][number];
type Presence = NonNullable<OperatorView['state']>['presence'];

export const PRESENCES: readonly Presence[] = ['available', 'busy', 'after_contact', 'break', 'offline'];

/** Who gets contacts offered: operators, back office and supervisors (issue 12). */
export function isRoutingOperator(memberships: readonly Membership[]): boolean {
  return hasRole(memberships, ['operator', 'back_office', 'supervisor']);
}

const channelKey = (channel: string) => `routing.channel.${channel}` as MessageKey;

/** Seconds left before `iso`, ticking every second. */
function useSecondsLeft(iso: string): number {
  const left = () => Math.max(0, Math.ceil((new Date(iso).getTime() - Date.now()) / 1000));
  const [seconds, setSeconds] = useState(left);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `left` is derived from `iso`
  useEffect(() => {
    setSeconds(left());
    const timer = setInterval(() => setSeconds(left()), 1000);
    return () => clearInterval(timer);
  }, [iso]);
  return seconds;
}

/** The caller's number, linked to the inbox searched by that number (the requester's open tickets). */
function CallerNumber({ caller }: { caller: string }) {
  const { t } = useI18n();
  return (
    <>
      <span className="me-2">{caller}</span>
      <Link href={`/?q=${encodeURIComponent(caller)}`}>{t('routing.offer.callerTickets')}</Link>
    </>
  );
}

function OfferDialog({ entry, onAnswered, onDismiss, onError }: { entry: OfferWithItem; onAnswered: () => Promise<void>; onDismiss: () => void; onError: (error: unknown) => void }) {
  const { t } = useI18n();
  const { offer, item } = entry;
  const seconds = useSecondsLeft(offer.expiresAt);
  const submission = useSubmission();
  const answer = (how: 'accept' | 'decline') =>
    submission.run(async () => {
      try {
        if (how === 'accept') await unwrap(client.POST('/routing/offers/{id}/accept', { params: { path: { id: offer.id } } }));
        else await unwrap(client.POST('/routing/offers/{id}/decline', { params: { path: { id: offer.id } } }));
      } catch (error) {
        // The dialog closes when the offer is gone (taken, expired): the bar keeps the problem.
        onError(error);
        throw error;
      } finally {
        await onAnswered();
      }
    });
  return (
    <Modal title={t('routing.offer.title')} onClose={onDismiss} size="lg" initialFocus="[data-routing-accept]" testId="routing-offer">
      <ErrorAlert error={submission.error} onClose={() => submission.setError(null)} />
      <dl className="row mb-3">
        <dt className="col-sm-4">{t('routing.offer.channel')}</dt>
        <dd className="col-sm-8">{t(channelKey(item.channel))}</dd>
        {item.subject && (
          <>
            <dt className="col-sm-4">{t('routing.offer.subject')}</dt>
            <dd className="col-sm-8">{item.subject}</dd>
          </>
        )}
        {item.caller && (
          <>
            <dt className="col-sm-4">{t('routing.offer.caller')}</dt>
            <dd className="col-sm-8">{item.channel === 'phone' || item.channel === 'callback' ? <CallerNumber caller={item.caller} /> : item.caller}</dd>
          </>
        )}
      </dl>
      {offer.overflow && <p><span className="badge bg-warning text-dark" data-testid="routing-overflow">{t('routing.offer.overflow')}</span></p>}
      <p aria-live="off" data-testid="routing-countdown">{seconds > 0 ? t('routing.offer.expires', { seconds }) : t('routing.offer.expired')}</p>
      <div className="d-flex gap-2 justify-content-end">
        <button type="button" className="btn btn-outline-secondary" disabled={submission.busy} onClick={() => void answer('decline')}>
          {t('routing.offer.decline')}
        </button>
        <button type="button" className="btn btn-primary" data-routing-accept="" disabled={submission.busy} onClick={() => void answer('accept')}>
          {t('routing.offer.accept')}
        </button>
      </div>
    </Modal>
  );
}

function HeldItem({ item, onDone }: { item: WorkItem; onDone: () => Promise<void> }) {
  const { t, fmt } = useI18n();
  const submission = useSubmission();
  const complete = () =>
    submission.run(async () => {
      await unwrap(client.POST('/routing/items/{id}/complete', { params: { path: { id: item.id } }, body: {} }));
      await onDone();
    });
  return (
    <li className="d-flex flex-wrap align-items-center gap-2 py-1" data-routing-item={item.id}>
      <span className="badge bg-primary">{t(channelKey(item.channel))}</span>
      <span>{item.subject ?? t('routing.noSubject')}</span>
      {item.caller && <CallerNumber caller={item.caller} />}
      <span className="text-muted small">{fmt(item.answeredAt ?? item.enqueuedAt)}</span>
      <button type="button" className="btn btn-outline-primary btn-sm" disabled={submission.busy} onClick={() => void complete()}>
        {t('routing.complete')}
      </button>
      {submission.error ? (
        <div className="w-100">
          <ErrorAlert error={submission.error} onClose={() => submission.setError(null)} />
        </div>
      ) : null}
    </li>
  );
}

/**
 * The operator's routing bar (issue 12): presence, office, held contacts and, when a contact is
 * offered, a dialog to accept or decline it. The console stream (SSE) triggers a re-read of
 * `/routing/me` on every event.
 */
export function RoutingConsole() {
  const { t } = useI18n();
  const view = useApiGet('/routing/me');
  const { reload, setData } = view;
  const presenceId = useId();
  const officeId = useId();
  const submission = useSubmission();
  const [notice, setNotice] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);

  const refresh = useCallback(() => reload(), [reload]);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/routing/stream');
    const onEvent = () => void refresh();
    for (const name of ['offer', 'offer_closed', 'assigned']) source.addEventListener(name, onEvent);
    return () => source.close();
  }, [refresh]);

  const data = view.data;
  if (!data) return view.error ? <ErrorAlert error={view.error} /> : null;
  const state = data.state;
  const presence: Presence = state?.presence ?? 'offline';
  const currentOffice = state?.officeId ?? data.offices[0]?.id ?? '';

  const change = (next: { presence?: Presence; officeId?: string }) =>
    submission.run(async () => {
      const body = { presence: next.presence ?? presence, ...((next.officeId ?? currentOffice) && { officeId: next.officeId ?? currentOffice }) };
      const { data: updated } = await unwrap(client.PUT('/routing/me/presence', { body }));
      setData(updated);
    });

  const offer = data.offers.find((o) => o.offer.id !== dismissed) ?? null;
  const hidden = data.offers.find((o) => o.offer.id === dismissed) ?? null;

  return (
    <section aria-labelledby={`${presenceId}-title`} className="routing-console border rounded p-2 mb-3" data-testid="routing-console">
      <h2 id={`${presenceId}-title`} className="visually-hidden">
        {t('routing.bar.title')}
      </h2>
      <div className="d-flex flex-wrap align-items-end gap-3">
        <div>
          <label htmlFor={presenceId} className="form-label small mb-0 d-block">
            {t('routing.presence')}
          </label>
          <select id={presenceId} className="form-select form-select-sm" value={presence} disabled={submission.busy} onChange={(e) => void change({ presence: e.target.value as Presence })}>
            {PRESENCES.map((p) => (
              <option key={p} value={p}>
                {t(`routing.presence.${p}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        {data.offices.length > 1 ? (
          <div>
            <label htmlFor={officeId} className="form-label small mb-0 d-block">
              {t('routing.office')}
            </label>
            <select id={officeId} className="form-select form-select-sm" value={currentOffice} disabled={submission.busy} onChange={(e) => void change({ officeId: e.target.value })}>
              {data.offices.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
        ) : data.offices[0] ? (
          <span className="small">
            {t('routing.office')}: {data.offices[0].name}
          </span>
        ) : null}
        <span className="small" data-testid="routing-held-count">
          {t('routing.held', { count: data.items.length })}
        </span>
        {hidden && (
          <button type="button" className="btn btn-warning btn-sm" onClick={() => setDismissed(null)}>
            {t('routing.offer.show')} ({t('routing.offer.pending', { count: data.offers.length })})
          </button>
        )}
      </div>
      <ErrorAlert error={submission.error} onClose={() => submission.setError(null)} />
      <Notice text={notice} onClose={() => setNotice(null)} />
      {data.items.length > 0 && (
        <>
          <h3 className="h6 mt-2 mb-0">{t('routing.heldList')}</h3>
          <ul className="list-unstyled mb-0" data-testid="routing-held">
            {data.items.map((item) => (
              <HeldItem
                key={item.id}
                item={item}
                onDone={async () => {
                  setNotice(t('routing.completed'));
                  await refresh();
                }}
              />
            ))}
          </ul>
        </>
      )}
      {offer && <OfferDialog key={offer.offer.id} entry={offer} onAnswered={refresh} onDismiss={() => setDismissed(offer.offer.id)} onError={submission.setError} />}
    </section>
  );
}
