import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { API_BASE, apiGet, client, unwrap } from '../api/client.js';
import type { AppNotification, IncomingRequests } from '../api/types.js';
import type { MessageKey, Params, Translate } from '../i18n/index.js';
import { useSession } from './session.js';

/** Fired on `window` for every notification that arrives live, so open pages can refresh themselves. */
export const NOTIFICATION_EVENT = 'urpnet:notification';

interface NotificationsValue {
  items: AppNotification[];
  unread: number;
  /** Pending share requests and transfers addressed to my offices. */
  pendingRequests: number;
  /** The last live arrival, for the polite announcement. */
  latest: AppNotification | null;
  markAllRead: () => Promise<void>;
  refresh: () => Promise<void>;
  refreshRequests: () => Promise<void>;
}

const NotificationsContext = createContext<NotificationsValue | null>(null);

const EMPTY: NotificationsValue = {
  items: [],
  unread: 0,
  pendingRequests: 0,
  latest: null,
  markAllRead: async () => {},
  refresh: async () => {},
  refreshRequests: async () => {},
};

const UNFILLED = /\{\w+\}/;

/** Which dictionary entry writes a notification's title (transfers and escalations read differently). */
function titleKey(n: AppNotification): string {
  const kind = n.params?.transferKind === 'escalation' ? n.kind.replace(/^transfer\./, 'escalation.') : n.kind;
  return `notification.kind.${kind}`;
}

function bodyKey(n: AppNotification): string | null {
  if (/^(share\.(requested|active)|transfer\.(requested|received))$/.test(n.kind)) return 'notification.body.from';
  if (/^faq\./.test(n.kind)) return 'notification.body.quoted';
  return null;
}

/**
 * A notification in the user's language, from its kind and parameters. Free text typed by people
 * (a reason, a task title, the ticket subject) stays as written. A kind this app does not know, or
 * a notification stored before parameters existed, shows the server's (Italian) title and body.
 */
export function notificationText(n: AppNotification, t: Translate): { title: string; body: string | null } {
  const params: Params = {};
  for (const [key, value] of Object.entries(n.params ?? {})) if (value !== null && value !== undefined) params[key] = typeof value === 'boolean' ? String(value) : value;
  if (Object.keys(params).length === 0) return { title: n.title, body: n.body };
  const key = titleKey(n);
  const title = t(key as MessageKey, params);
  if (title === key || UNFILLED.test(title)) return { title: n.title, body: n.body };
  const bKey = bodyKey(n);
  const fromTemplate = bKey ? t(bKey as MessageKey, params) : null;
  // Bodies that are the user's own words (a reason for declining, a rationale) are shown as they are.
  const body = fromTemplate && !UNFILLED.test(fromTemplate) ? fromTemplate : (n.body ?? null);
  return { title, body };
}

/** Whether a notification may change the requests waiting for my offices (a new, answered or withdrawn share or transfer). */
export function affectsIncomingRequests(n: Pick<AppNotification, 'kind'>): boolean {
  return /\.(requested)$/.test(n.kind) || /^(share|transfer)\./.test(n.kind);
}

export function countRequests(requests: IncomingRequests | null | undefined): number {
  return (requests?.shares.length ?? 0) + (requests?.transfers.length ?? 0);
}

/** Merges notifications newest first, one entry per id. */
export function mergeNotifications(current: readonly AppNotification[], incoming: readonly AppNotification[], limit = 50): AppNotification[] {
  const byId = new Map<number, AppNotification>();
  for (const n of [...incoming, ...current]) if (!byId.has(n.id)) byId.set(n.id, n);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, limit);
}

/**
 * The signed-in user's notifications and pending requests: loaded once, then kept current by the
 * server-sent events of `/notifications/stream` (the browser reconnects by itself after a drop).
 */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const userId = session?.user.id ?? null;
  const [items, setItems] = useState<AppNotification[]>([]);
  const [unread, setUnread] = useState(0);
  const [pendingRequests, setPendingRequests] = useState(0);
  const [latest, setLatest] = useState<AppNotification | null>(null);
  const alive = useRef(true);
  /** Ids already counted, so that a notification replayed by a reconnecting stream counts once. */
  const seen = useRef(new Set<number>());

  const refresh = useCallback(async () => {
    if (!userId) return;
    try {
      const { data } = await apiGet('/notifications');
      if (!alive.current) return;
      for (const n of data.items) seen.current.add(n.id);
      setItems(data.items);
      setUnread(data.unread);
    } catch (error) {
      console.warn('notifications unavailable', error);
    }
  }, [userId]);

  const refreshRequests = useCallback(async () => {
    if (!userId) return;
    try {
      const { data } = await apiGet('/requests/incoming');
      if (alive.current) setPendingRequests(countRequests(data));
    } catch (error) {
      console.warn('incoming requests unavailable', error);
    }
  }, [userId]);

  useEffect(() => {
    alive.current = true;
    setItems([]);
    setUnread(0);
    setPendingRequests(0);
    setLatest(null);
    if (!userId) return;
    void refresh();
    void refreshRequests();
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(`${API_BASE}/notifications/stream`, { withCredentials: true });
    const onNotification = (event: MessageEvent<string>) => {
      let n: AppNotification;
      try {
        n = JSON.parse(event.data) as AppNotification;
      } catch {
        return;
      }
      if (seen.current.has(n.id)) return;
      seen.current.add(n.id);
      setItems((current) => mergeNotifications(current, [n]));
      if (!n.readAt) setUnread((u) => u + 1);
      setLatest(n);
      if (affectsIncomingRequests(n)) void refreshRequests();
      window.dispatchEvent(new CustomEvent(NOTIFICATION_EVENT, { detail: n }));
    };
    source.addEventListener('notification', onNotification as EventListener);
    return () => {
      alive.current = false;
      source.removeEventListener('notification', onNotification as EventListener);
      source.close();
    };
  }, [userId, refresh, refreshRequests]);

  const markAllRead = useCallback(async () => {
    await unwrap(client.POST('/notifications/read', { body: {} }));
    const now = new Date().toISOString();
    setItems((current) => current.map((n) => (n.readAt ? n : { ...n, readAt: now })));
    setUnread(0);
  }, []);

  const value = useMemo(
    () => ({ items, unread, pendingRequests, latest, markAllRead, refresh, refreshRequests }),
    [items, unread, pendingRequests, latest, markAllRead, refresh, refreshRequests],
  );
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}

export function useNotifications(): NotificationsValue {
  return useContext(NotificationsContext) ?? EMPTY;
}
