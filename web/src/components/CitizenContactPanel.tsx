import { useEffect, useRef } from 'react';
import type { ApiResponseBody } from '../api/client.js';
import type { Message } from '../api/types.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { type Loadable, useApiGet } from '../lib/hooks.js';
import { Icon } from './ui.js';

/**
 * The staff's view of how a ticket reaches its citizen (issue 15): the delivery status under each
 * public reply, the citizen's own messages in the thread, and a panel with the reply channel, the
 * automatic notices and the citizen's rating.
 */

export type CitizenContact = ApiResponseBody<'/tickets/{code}/citizen-contact'>;
export type Delivery = CitizenContact['deliveries'][number];

/** While a delivery waits in the queue, look again this often (the delivery job runs in the background). */
const QUEUED_POLL_MS = 3_000;
/** …and at most this many times, so that a stuck queue does not poll forever. */
const QUEUED_POLL_LIMIT = 20;

/** The citizen-contact resource of a ticket, looked at again while a delivery is still queued. */
export function useCitizenContact(code: string): Loadable<CitizenContact> {
  const contact = useApiGet('/tickets/{code}/citizen-contact', { path: { code } });
  const polls = useRef(0);
  const queued = contact.data?.deliveries.some((d) => d.status === 'queued') ?? false;
  const { reload, data } = contact;
  useEffect(() => {
    if (!queued) {
      polls.current = 0;
      return;
    }
    if (polls.current >= QUEUED_POLL_LIMIT) return;
    const timer = setTimeout(() => {
      polls.current += 1;
      void reload();
    }, QUEUED_POLL_MS);
    return () => clearTimeout(timer);
    // `data` changes on every answer: each answer still queued schedules the next look.
  }, [queued, reload, data]);
  return contact;
}

/** The latest delivery of each message (a reply is delivered once, but keep the newest if ever more). */
export function deliveriesByMessage(deliveries: readonly Delivery[] | undefined): Map<string, Delivery> {
  const out = new Map<string, Delivery>();
  for (const d of deliveries ?? []) {
    if (!d.messageId) continue;
    const seen = out.get(d.messageId);
    if (!seen || seen.createdAt < d.createdAt) out.set(d.messageId, d);
  }
  return out;
}

const STATUS_CLASS: Record<Delivery['status'], string> = {
  queued: 'bg-secondary',
  sent: 'bg-info text-dark',
  delivered: 'bg-success',
  bounced: 'bg-danger',
  failed: 'bg-danger',
  no_contact: 'bg-warning text-dark',
};

/** A delivery's status in words (the colour only repeats it), with the error when it did not go out. */
export function DeliveryStatus({ delivery, label }: { delivery: Delivery; label?: string }) {
  const { t, fmt } = useI18n();
  const failed = delivery.status === 'bounced' || delivery.status === 'failed';
  return (
    <div className="delivery-status small mt-2" data-testid="delivery-status" data-status={delivery.status}>
      <span>{label ?? t('citizenStaff.delivery.label')}: </span>
      <span className={`badge ${STATUS_CLASS[delivery.status]}`}>{t(`citizenStaff.delivery.${delivery.status}` as MessageKey)}</span>{' '}
      <time className="text-muted" dateTime={delivery.updatedAt}>
        {fmt(delivery.updatedAt)}
      </time>
      {failed && delivery.lastError && <p className="mb-0 text-danger">{t('citizenStaff.delivery.error', { error: delivery.lastError })}</p>}
    </div>
  );
}

/** The channel a citizen's message came through, in words. */
export function citizenChannelLabel(t: (key: MessageKey) => string, channel: Message['channel']): string | null {
  return channel ? t(`citizenStaff.channel.${channel}` as MessageKey) : null;
}

/** The heading of a citizen's message in the thread: who wrote and through which channel. */
export function CitizenMessageHeading({ message }: { message: Message }) {
  const { t, fmt } = useI18n();
  const channel = citizenChannelLabel(t, message.channel);
  return (
    <div className="thread-meta">
      <strong className="thread-kind">
        <Icon name="user" size="sm" className="me-1" />
        {t('citizenStaff.thread.citizen')}
      </strong>
      <span className="small">
        {channel && <span data-testid="citizen-channel">{t('citizenStaff.thread.via', { channel })} · </span>}
        <time dateTime={message.createdAt}>{fmt(message.createdAt)}</time>
      </span>
    </div>
  );
}

/**
 * The side panel: a warning when the requester left no address (public replies will not reach
 * them), the reply channel, the automatic notices (acknowledgement, rating request) and the rating.
 */
export function CitizenContactPanel({ contact }: { contact: CitizenContact | null }) {
  const { t, fmt } = useI18n();
  if (!contact) return null;
  const notices = contact.deliveries.filter((d) => d.kind !== 'reply');
  const rating = contact.rating;
  return (
    <section className="card card-bg shadow-sm mb-4 ticket-panel" aria-labelledby="citizen-contact-title" data-testid="citizen-contact-panel">
      <div className="card-body">
        <h2 id="citizen-contact-title" className="h5 card-title">
          {t('citizenStaff.panel.title')}
        </h2>
        {!contact.hasContact && (
          <div className="alert alert-warning small" role="alert" data-testid="no-contact-warning">
            <Icon name="warning-circle" size="sm" className="me-1" />
            {t('citizenStaff.panel.noContact')}
          </div>
        )}
        <dl className="compact-dl mb-3">
          <div>
            <dt>{t('citizenStaff.panel.replyChannel')}</dt>
            <dd data-testid="reply-channel">{contact.replyChannel ? t(`citizenStaff.channel.${contact.replyChannel}`) : t('citizenStaff.panel.replyChannel.none')}</dd>
          </div>
          <div>
            <dt>{t('citizenStaff.panel.tracking')}</dt>
            <dd>{contact.tracking ? t('citizenStaff.panel.tracking.yes') : t('citizenStaff.panel.tracking.no')}</dd>
          </div>
          {contact.consent && (
            <div>
              <dt>{t('citizenStaff.panel.consent')}</dt>
              <dd data-testid="consent-notice">
                {contact.consent.notice === 'network' ? (
                  t('citizenStaff.panel.consent.network')
                ) : (
                  <a href={contact.consent.notice} target="_blank" rel="noopener noreferrer" className="text-break">
                    {contact.consent.notice} <span className="visually-hidden">{t('a11y.newWindow')}</span>
                  </a>
                )}{' '}
                <span className="small text-muted">
                  · <time dateTime={contact.consent.at}>{fmt(contact.consent.at)}</time>
                </span>
              </dd>
            </div>
          )}
        </dl>
        <h3 className="h6">{t('citizenStaff.panel.notices')}</h3>
        {notices.length === 0 ? (
          <p className="small text-muted">{t('citizenStaff.panel.notices.empty')}</p>
        ) : (
          <ul className="list-unstyled mb-3">
            {notices.map((d) => (
              <li key={d.id} data-kind={d.kind}>
                <DeliveryStatus delivery={d} label={t(`citizenStaff.kind.${d.kind}`)} />
              </li>
            ))}
          </ul>
        )}
        <h3 className="h6">{t('citizenStaff.panel.rating')}</h3>
        {rating ? (
          <div data-testid="citizen-rating">
            <p className="mb-1">
              <span aria-hidden="true" className="me-1">
                {'★'.repeat(rating.score)}
                {'☆'.repeat(Math.max(0, 5 - rating.score))}
              </span>
              <strong>{t('citizenStaff.panel.rating.score', { score: rating.score })}</strong>{' '}
              <span className="small text-muted">
                {t(`citizenStaff.panel.rating.via.${rating.via}`)} · <time dateTime={rating.ratedAt}>{fmt(rating.ratedAt)}</time>
              </span>
            </p>
            <p className="mb-0 small">{rating.comment ?? <span className="text-muted">{t('citizenStaff.panel.rating.noComment')}</span>}</p>
          </div>
        ) : (
          <p className="small text-muted mb-0">{t('citizenStaff.panel.rating.none')}</p>
        )}
      </div>
    </section>
  );
}
