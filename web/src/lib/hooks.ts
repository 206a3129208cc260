import { type KeyboardEvent, type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type ApiGetParams, type ApiGetPath, type ApiResponseBody, type ParamArgs, apiGet } from '../api/client.js';
import type { Membership, Taxonomy } from '../api/types.js';
import { type OfficeChoice, officesOf } from './session.js';

export interface Loadable<T> {
  data: T | null;
  etag: string | null;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (data: T, etag?: string | null) => void;
}

/**
 * GETs `path` with its parameters (null = don't) and keeps the answer with its ETag; re-fetches
 * when the path or a parameter changes. The answer's type is the generated one for that path:
 * `useApiGet('/faq/{id}', { path: { id } })`.
 */
export function useApiGet<P extends ApiGetPath>(path: P | null, ...[params]: ParamArgs<ApiGetParams<P>>): Loadable<ApiResponseBody<P>> {
  type T = ApiResponseBody<P>;
  const [data, setDataState] = useState<T | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const generation = useRef(0);
  // Parameters usually arrive as a fresh object literal on every render: compare them by value.
  const key = path === null ? null : JSON.stringify([path, params ?? {}]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for path and params, by value
  const load = useCallback(async () => {
    if (path === null) return;
    const mine = ++generation.current;
    setLoading(true);
    try {
      const response = await (apiGet as (path: P, params: unknown) => Promise<{ data: T; etag: string | null }>)(path, params);
      if (mine !== generation.current) return;
      setDataState(response.data);
      setEtag(response.etag);
      setError(null);
    } catch (err) {
      if (mine !== generation.current) return;
      setError(err);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [key]);

  useEffect(() => {
    setDataState(null);
    setError(null);
    void load();
  }, [load]);

  const setData = useCallback((next: T, nextEtag?: string | null) => {
    setDataState(next);
    if (nextEtag !== undefined) setEtag(nextEtag);
  }, []);

  return { data, etag, error, loading, reload: load, setData };
}

let taxonomyPromise: Promise<Taxonomy> | null = null;

/** The shared taxonomy, fetched once per page load (it carries every language's labels). */
export function useTaxonomy(): Taxonomy | null {
  const [taxonomy, setTaxonomy] = useState<Taxonomy | null>(null);
  useEffect(() => {
    let alive = true;
    taxonomyPromise ??= apiGet('/taxonomy').then((r) => r.data);
    taxonomyPromise.then(
      (value) => alive && setTaxonomy(value),
      (error: unknown) => {
        taxonomyPromise = null;
        console.error(error);
      },
    );
    return () => {
      alive = false;
    };
  }, []);
  return taxonomy;
}

const WORKING_ROLES = new Set(['operator', 'back_office', 'supervisor', 'org_admin', 'network_coordinator']);

/**
 * The offices the user can work tickets in: those named in their memberships, plus every office
 * of an organisation where they hold an organisation-wide role.
 */
export function useWorkOffices(memberships: readonly Membership[]): OfficeChoice[] {
  const direct = officesOf(memberships);
  const orgWide = memberships.filter((m) => m.officeId === null && WORKING_ROLES.has(m.role));
  const orgKey = [...new Set(orgWide.map((m) => m.organisationId))].sort().join(',');
  const [extra, setExtra] = useState<OfficeChoice[]>([]);

  useEffect(() => {
    if (!orgKey) {
      setExtra([]);
      return;
    }
    let alive = true;
    const names = new Map(orgWide.map((m) => [m.organisationId, m.organisationName]));
    Promise.all(
      orgKey.split(',').map((orgId) =>
        apiGet('/organisations/{id}/offices', { path: { id: orgId } })
          .then((r) => r.data.items.map((o) => ({ id: o.id, name: o.name, organisationName: names.get(orgId) ?? '' })))
          .catch((error: unknown) => {
            if (!(error instanceof ApiError)) console.error(error);
            return [] as OfficeChoice[];
          }),
      ),
    ).then((lists) => alive && setExtra(lists.flat()));
    return () => {
      alive = false;
    };
    // orgWide is derived from orgKey's memberships; orgKey is the stable identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [orgKey]);

  const seen = new Set(direct.map((o) => o.id));
  return [...direct, ...extra.filter((o) => !seen.has(o.id) && seen.add(o.id))];
}

export interface Submission {
  busy: boolean;
  error: unknown;
  setError: (error: unknown) => void;
  /** Clears the error, marks the form busy while `action` runs, and keeps what it throws as the error. */
  run: (action: () => Promise<void>) => Promise<void>;
}

/** The busy flag and the error of one form's submissions. */
export function useSubmission(): Submission {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

export interface Disclosure<W extends HTMLElement> {
  open: boolean;
  setOpen: (open: boolean | ((open: boolean) => boolean)) => void;
  /** The element holding the button and its panel: a click outside it closes the panel. */
  wrapper: RefObject<W | null>;
  /** The button that opens the panel: focus returns to it on Escape. */
  button: RefObject<HTMLButtonElement | null>;
  /** For the wrapper: Escape closes the panel. */
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
}

/** A button and the panel it shows (disclosure pattern): closed by a click outside or by Escape. */
export function useDisclosure<W extends HTMLElement>(): Disclosure<W> {
  const [open, setOpen] = useState(false);
  const wrapper = useRef<W>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (wrapper.current && !wrapper.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape' && open) {
      event.stopPropagation();
      setOpen(false);
      button.current?.focus();
    }
  };

  return { open, setOpen, wrapper, button, onKeyDown };
}
