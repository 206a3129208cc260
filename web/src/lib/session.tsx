import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, apiGet, client, setCsrfToken, setUnauthorizedHandler, unwrap } from '../api/client.js';
import type { Membership, Role, Session } from '../api/types.js';
import { navigate } from './router.js';

interface SessionValue {
  session: Session | null;
  loading: boolean;
  login: (email: string, password: string) => Promise<Session>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function loginRedirectTarget(pathname: string, search: string): string {
  if (pathname === '/login') return '/login';
  return `/login?next=${encodeURIComponent(pathname + search)}`;
}

/** Only same-site paths are accepted as post-login destinations (no open redirect). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [loading, setLoading] = useState(true);

  const apply = useCallback((next: Session | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    setSession(next);
  }, []);

  const refresh = useCallback(async () => {
    try {
      const { data } = await apiGet('/auth/session');
      apply(data);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) console.error(error);
      apply(null);
    } finally {
      setLoading(false);
    }
  }, [apply]);

  useEffect(() => {
    void refresh();
    setUnauthorizedHandler(() => {
      apply(null);
      navigate(loginRedirectTarget(window.location.pathname, window.location.search), { replace: true });
    });
    return () => setUnauthorizedHandler(null);
  }, [refresh, apply]);

  const login = useCallback(
    async (email: string, password: string) => {
      const { data } = await unwrap(client.POST('/auth/login', { body: { email, password } }));
      apply(data);
      return data;
    },
    [apply],
  );

  const logout = useCallback(async () => {
    try {
      await unwrap(client.POST('/auth/logout'));
    } finally {
      apply(null);
      navigate('/login');
    }
  }, [apply]);

  const value = useMemo(() => ({ session, loading, login, logout, refresh }), [session, loading, login, logout, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

export function hasRole(memberships: readonly Membership[], roles: readonly Role[]): boolean {
  return memberships.some((m) => roles.includes(m.role));
}

export const ADMIN_ROLES: readonly Role[] = ['org_admin', 'network_coordinator'];

/** Roles held for a whole organisation, never for one of its offices: the forms send no office with them. */
export const ORGANISATION_WIDE_ROLES: readonly Role[] = ['org_admin', 'analyst', 'network_coordinator'];

export interface OfficeChoice {
  id: string;
  name: string;
  organisationName: string;
}

/** The offices a user works in, one entry each even when they hold several roles there. */
export function officesOf(memberships: readonly Membership[]): OfficeChoice[] {
  const seen = new Map<string, OfficeChoice>();
  for (const m of memberships) {
    if (m.officeId && !seen.has(m.officeId)) {
      seen.set(m.officeId, { id: m.officeId, name: m.officeName ?? m.officeId, organisationName: m.organisationName });
    }
  }
  return [...seen.values()];
}
