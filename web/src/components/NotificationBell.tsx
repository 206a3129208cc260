import { useId, useState } from 'react';
import { useI18n } from '../i18n/index.js';
import { useDisclosure } from '../lib/hooks.js';
import { notificationText, useNotifications } from '../lib/notifications.js';
import { Link } from '../lib/router.js';
import { ErrorAlert, Icon } from './ui.js';

/** The bell of the header: unread count, a panel of the latest notifications, "mark all as read". */
export function NotificationBell() {
  const { t, fmt } = useI18n();
  const { items, unread, markAllRead } = useNotifications();
  const { open, setOpen, wrapper, button, onKeyDown } = useDisclosure<HTMLDivElement>();
  const [error, setError] = useState<unknown>(null);
  const panelId = useId();
  const titleId = useId();

  const readAll = async () => {
    setError(null);
    try {
      await markAllRead();
    } catch (err) {
      setError(err);
    }
  };

  const label = unread > 0 ? t('notifications.buttonUnread', { count: unread }) : t('notifications.button');
  return (
    <div className="notification-bell position-relative" ref={wrapper} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        className="btn btn-primary btn-sm btn-icon notification-bell-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={label}
        title={label}
        data-testid="notification-bell"
        onClick={() => setOpen((v) => !v)}
      >
        <Icon name="horn" className="icon-white icon-sm" />
        {/* Visible too, not only to screen readers: an unlabelled horn says little. */}
        <span className="ms-1 d-none d-lg-inline" aria-hidden="true">
          {t('notifications.button')}
        </span>
        {unread > 0 && (
          <span className="badge rounded-pill bg-danger notification-count" aria-hidden="true" data-testid="notification-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      <section id={panelId} className={`notification-panel shadow ${open ? '' : 'd-none'}`} aria-labelledby={titleId}>
        <div className="d-flex justify-content-between align-items-center gap-2 border-bottom px-3 py-2">
          <h2 id={titleId} className="h6 mb-0">
            {t('notifications.title')}
          </h2>
          <button type="button" className="btn btn-link btn-sm p-0" onClick={() => void readAll()} disabled={unread === 0}>
            {t('notifications.markAllRead')}
          </button>
        </div>
        <ErrorAlert error={error} />
        {items.length === 0 ? (
          <p className="px-3 py-3 mb-0 text-muted">{t('notifications.empty')}</p>
        ) : (
          <ul className="list-unstyled mb-0 notification-list">
            {items.map((n) => {
              const text = notificationText(n, t);
              return (
              <li key={n.id} className={n.readAt ? 'read' : 'unread'} data-kind={n.kind}>
                {n.ticketCode || n.link ? (
                  <Link href={n.ticketCode ? `/tickets/${encodeURIComponent(n.ticketCode)}` : (n.link ?? '/')} onClick={() => setOpen(false)} className="notification-title">
                    {!n.readAt && <span className="visually-hidden">{t('notifications.unreadMark')} </span>}
                    {text.title}
                  </Link>
                ) : (
                  <span className="notification-title">{text.title}</span>
                )}
                {text.body && <div className="small">{text.body}</div>}
                <time className="small text-muted d-block" dateTime={n.createdAt}>
                  {fmt(n.createdAt)}
                </time>
              </li>
              );
            })}
          </ul>
        )}
        <div className="border-top px-3 py-2">
          <Link href="/requests" className="small" onClick={() => setOpen(false)}>
            {t('notifications.toRequests')}
          </Link>
        </div>
      </section>
    </div>
  );
}

/** Politely announces each notification that arrives while the user works. */
export function NotificationAnnouncer() {
  const { t } = useI18n();
  const { latest } = useNotifications();
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="notification-announcer">
      {latest ? t('notifications.announce', { title: notificationText(latest, t).title }) : ''}
    </div>
  );
}
