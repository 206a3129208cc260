import { type FormEvent, type KeyboardEvent, type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { type ApiRequestBody, type ApiResponseBody, apiGet, client, unwrap } from '../api/client.js';
import { controlClass, ErrorAlert, Field, fieldA11y, Icon } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { Link, navigate } from '../lib/router.js';
import { storageItem } from '../lib/storage.js';

type Hit = ApiResponseBody<'/portal/faq/search'>['items'][number];
type Faq = ApiResponseBody<'/portal/faq/{id}'>;
/** A portal event without the session id, which `sendEvent` adds. */
type PortalEvent = Omit<ApiRequestBody<'/portal/faq/events', 'post'>, 'sessionId'>;

/**
 * The portal's address for a search and, when one is open, an answer: each opened answer has its
 * own URL (a history entry), so the browser's Back button returns to the results.
 */
export function portalUrl(state: { q?: string; place?: string; id?: string | null }): string {
  const params = new URLSearchParams();
  if (state.q?.trim()) params.set('q', state.q.trim().slice(0, 500));
  if (state.place?.trim()) params.set('luogo', state.place.trim());
  if (state.id) params.set('id', state.id);
  const qs = params.toString();
  return `/faq${qs ? `?${qs}` : ''}`;
}

const FAQ_ID = /^[0-9a-f-]{36}$/i;
/** history.state of an entry this page pushed for an answer: Back inside the page can then be the browser's Back. */
const ANSWER_STATE = { faqPortalAnswer: true };

const portalSession = storageItem('session', 'urpnet.portal.session');
/** Results follow the typing after this pause. */
const TYPING_DEBOUNCE_MS = 250;
/** A search the citizen stays on this long (or opens, or confirms with Enter) is recorded once. */
const SETTLED_MS = 2000;

/**
 * A random id for this browser tab: anonymous, no personal data, no cookie; it dies with the tab.
 * With storage blocked, a fresh id per call.
 */
export function portalSessionId(): string {
  const stored = portalSession.get();
  if (stored && /^[A-Za-z0-9_-]{16,64}$/.test(stored)) return stored;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  portalSession.set(id);
  return id;
}

/** Fire-and-forget: analytics must never get in the citizen's way. */
function sendEvent(body: PortalEvent): void {
  void unwrap(client.POST('/portal/faq/events', { body: { sessionId: portalSessionId(), ...body } })).catch(() => undefined);
}

/** Public page: a citizen searches the network's FAQs as they type, reads an answer, rates it or turns to the URP. */
export function FaqPortalPage({ search }: { search: string }) {
  const { t, locale } = useI18n();
  const params = new URLSearchParams(search);
  const [query, setQuery] = useState(params.get('q') ?? '');
  const [place, setPlace] = useState(params.get('luogo') ?? '');
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [faq, setFaq] = useState<Faq | null>(null);
  const [contact, setContact] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const recorded = useRef('');
  const settleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const resultsList = useRef<HTMLUListElement>(null);
  const detailHeading = useRef<HTMLHeadingElement>(null);
  const contactHeading = useRef<HTMLHeadingElement>(null);

  const recordSearch = useCallback(
    (q: string) => {
      const text = q.trim();
      if (!text || recorded.current === `${text}|${place}`) return;
      recorded.current = `${text}|${place}`;
      sendEvent({ kind: 'search', query: text.slice(0, 500), lang: locale, ...(place.trim() ? { place: place.trim() } : {}) });
    },
    [locale, place],
  );

  // Results as the citizen types: debounced, and every new keystroke cancels the request in flight.
  useEffect(() => {
    const text = query.trim();
    if (settleTimer.current) clearTimeout(settleTimer.current);
    if (text.length < 2) {
      controller.current?.abort();
      setHits(null);
      setNotice(null);
      setLoading(false);
      return;
    }
    const timer = setTimeout(async () => {
      controller.current?.abort();
      const mine = new AbortController();
      controller.current = mine;
      setLoading(true);
      try {
        const { data } = await apiGet(
          '/portal/faq/search',
          { query: { q: text.slice(0, 500), lang: locale, limit: 8, prefix: true, place: place.trim() || undefined } },
          { signal: mine.signal },
        );
        if (mine.signal.aborted) return;
        setHits(data.items);
        setNotice(data.notice ?? null);
        setError(null);
        settleTimer.current = setTimeout(() => recordSearch(text), SETTLED_MS);
      } catch (err) {
        if (mine.signal.aborted || (err instanceof DOMException && err.name === 'AbortError')) return;
        setError(err);
      } finally {
        if (controller.current === mine) setLoading(false);
      }
    }, TYPING_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, place, locale, recordSearch]);

  useEffect(() => () => controller.current?.abort(), []);

  // The URL says which answer is open: a shared link (/faq?id=…), a click, Back and Forward all go through it.
  const linkedId = params.get('id');
  const returnFocus = useRef<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the URL only; the open answer is read, not a trigger
  useEffect(() => {
    if (linkedId && FAQ_ID.test(linkedId)) {
      if (faq?.id !== linkedId) void load(linkedId);
    } else if (faq !== null) {
      // Back from an answer: focus returns to its link in the results (or to the search box).
      returnFocus.current = faq.id;
      setFaq(null);
    }
  }, [linkedId]);

  const load = async (id: string) => {
    setError(null);
    try {
      const { data } = await apiGet('/portal/faq/{id}', { path: { id } });
      setFaq(data);
      setContact(false);
      sendEvent({ kind: 'read', faqId: id });
    } catch (err) {
      setError(err);
    }
  };

  const open = (id: string) => {
    if (settleTimer.current) clearTimeout(settleTimer.current);
    recordSearch(query);
    // The results entry keeps the search, so that Back (or a reload) shows it again.
    if (faq === null) navigate(portalUrl({ q: query, place }), { replace: true });
    navigate(portalUrl({ q: query, place, id }), { state: ANSWER_STATE });
  };

  const back = () => {
    const state = window.history.state as typeof ANSWER_STATE | null;
    if (state?.faqPortalAnswer) window.history.back();
    else navigate(portalUrl({ q: query, place }), { replace: true });
  };
  // Opening an answer moves focus to its title, as a new page would.
  useEffect(() => {
    if (faq !== null) detailHeading.current?.focus();
  }, [faq]);
  useEffect(() => {
    if (faq !== null || returnFocus.current === null) return;
    const id = returnFocus.current;
    returnFocus.current = null;
    const link = id ? resultsList.current?.querySelector<HTMLElement>(`[data-faq-id="${id}"]`) : null;
    (link ?? searchInput.current)?.focus();
  }, [faq]);

  const askForContact = () => {
    sendEvent({ kind: 'contact', ...(faq ? { faqId: faq.id } : {}) });
    setContact(true);
  };
  useEffect(() => {
    if (contact) contactHeading.current?.focus();
  }, [contact]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    recordSearch(query);
  };

  // Arrow keys move between the search box and the results.
  const onResultsKey = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const links = [...(resultsList.current?.querySelectorAll<HTMLElement>('[data-faq-id]') ?? [])];
    if (links.length === 0) return;
    const index = links.indexOf(document.activeElement as HTMLElement);
    event.preventDefault();
    if (event.key === 'ArrowDown') links[Math.min(index + 1, links.length - 1)]?.focus();
    else if (index <= 0) searchInput.current?.focus();
    else links[index - 1]?.focus();
  };

  const countText = hits === null ? '' : hits.length === 0 ? t('faqPortal.results.none') : hits.length === 1 ? t('faqPortal.results.one') : t('faqPortal.results.many', { count: hits.length });

  return (
    <div className="row justify-content-center faq-portal">
      <section className="col-12 col-lg-9" aria-labelledby="page-title">
        <h1 id="page-title">{t('faqPortal.title')}</h1>
        <p>{t('faqPortal.intro')}</p>
        <form role="search" onSubmit={onSubmit} noValidate className="mb-3" hidden={faq !== null}>
          <div className="row">
            <div className="col-12 col-md-8">
              <Field id="faq-query" label={t('faqPortal.search.label')} hint={t('faqPortal.search.hint')}>
                <input
                  ref={searchInput}
                  type="search"
                  className={controlClass('form-control')}
                  autoComplete="off"
                  maxLength={500}
                  value={query}
                  onChange={(event) => setQuery(event.target.value)}
                  onKeyDown={onResultsKey}
                  aria-controls="faq-results"
                  {...fieldA11y('faq-query', undefined, true)}
                />
              </Field>
            </div>
            <div className="col-12 col-md-4">
              <Field id="faq-place" label={t('faqPortal.place.label')} hint={t('faqPortal.place.hint')}>
                <input
                  type="text"
                  className={controlClass('form-control')}
                  autoComplete="address-level2"
                  maxLength={100}
                  value={place}
                  onChange={(event) => setPlace(event.target.value)}
                  {...fieldA11y('faq-place', undefined, true)}
                />
              </Field>
            </div>
          </div>
        </form>

        <ErrorAlert error={error} onClose={() => setError(null)} />
        <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="faq-results-count">
          {loading ? '' : countText}
        </p>

        {faq === null ? (
          <section aria-labelledby="faq-results-title" id="faq-results" aria-busy={loading}>
            <h2 id="faq-results-title" className="h4" hidden={hits === null}>
              {t('faqPortal.results.title')}
              {hits !== null && <span className="small text-muted fw-normal ms-2">({countText})</span>}
            </h2>
            {loading && hits === null && <p className="text-muted">{t('faqPortal.searching')}</p>}
            {notice && <p className="text-muted">{notice}</p>}
            {hits !== null && hits.length > 0 && (
              <ul ref={resultsList} className="list-unstyled faq-results" onKeyDown={onResultsKey}>
                {hits.map((hit) => (
                  <li key={hit.id} className="card card-bg shadow-sm mb-2">
                    <div className="card-body p-3">
                      <h3 className="h5 mb-1">
                        <a
                          href={portalUrl({ q: query, place, id: hit.id })}
                          data-faq-id={hit.id}
                          onClick={(event) => {
                            if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
                            event.preventDefault();
                            open(hit.id);
                          }}
                        >
                          {hit.title}
                        </a>
                      </h3>
                      <p className="mb-1">{hit.snippet}</p>
                      <p className="small text-muted mb-0">{t('faqPortal.owner', { owner: hit.owner })}</p>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ) : (
          <FaqDetail faq={faq} headingRef={detailHeading} onBack={back} onOpen={open} place={place} />
        )}

        {(hits !== null || faq !== null) && (
          <div className="mt-4">
            <button type="button" className="btn btn-outline-primary" onClick={askForContact} aria-expanded={contact} aria-controls="faq-contact">
              <Icon name="mail" size="sm" className="me-1" />
              {t('faqPortal.contact.button')}
            </button>
          </div>
        )}
        {contact && (
          <section id="faq-contact" className="callout mt-3" aria-labelledby="faq-contact-title">
            <h2 id="faq-contact-title" className="callout-title h5" tabIndex={-1} ref={contactHeading}>
              {t('faqPortal.contact.title')}
            </h2>
            <p>
              <Link href="/richiesta?da=faq" className="btn btn-primary">
                {t('portalRequest.fromFaq')}
              </Link>
            </p>
            <p>{t('faqPortal.contact.body')}</p>
            {faq?.organisation && <p>{t('faqPortal.contact.org', { name: faq.organisation.name })}</p>}
            <p className="mb-0">
              <Link href="/stato">{t('faqPortal.contact.status')}</Link>
            </p>
          </section>
        )}
      </section>
    </div>
  );
}

function FaqDetail({ faq, headingRef, onBack, onOpen, place }: { faq: Faq; headingRef: RefObject<HTMLHeadingElement | null>; onBack: () => void; onOpen: (id: string) => void; place: string }) {
  const { t } = useI18n();
  const [vote, setVote] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const [commentSent, setCommentSent] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const rate = async (helpful: boolean, text?: string) => {
    setError(null);
    try {
      await unwrap(
        client.POST('/portal/faq/{id}/feedback', {
          params: { path: { id: faq.id } },
          body: { sessionId: portalSessionId(), helpful, ...(text ? { comment: text } : {}), ...(place.trim() ? { place: place.trim() } : {}) },
        }),
      );
      setVote(helpful);
      if (text) setCommentSent(true);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <article aria-labelledby="faq-detail-title" className="card card-bg shadow-sm p-4" lang={faq.lang}>
      <p className="mb-2">
        <button type="button" className="btn btn-link p-0" onClick={onBack}>
          <Icon name="arrow-left" size="sm" className="me-1" />
          {t('faqPortal.back')}
        </button>
      </p>
      <h2 id="faq-detail-title" className="h3" tabIndex={-1} ref={headingRef}>
        {faq.title}
      </h2>
      <p className="small text-muted">{t('faqPortal.owner', { owner: faq.owner })}</p>
      <div className="faq-body">
        {faq.body.split(/\n{2,}/).map((paragraph, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of one immutable text
          <p key={i} style={{ whiteSpace: 'pre-line' }}>
            {paragraph}
          </p>
        ))}
      </div>
      {faq.translations.length > 0 && (
        <nav aria-label={t('faqPortal.translations')} className="mb-3">
          <span className="me-2">{t('faqPortal.translations')}</span>
          {faq.translations.map((tr) => (
            <button key={tr.id} type="button" className="btn btn-link p-0 me-3" lang={tr.lang} onClick={() => onOpen(tr.id)}>
              {t(`faqPortal.lang.${tr.lang}` as MessageKey)} — {tr.title}
            </button>
          ))}
        </nav>
      )}
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <fieldset className="faq-rating border-top pt-3">
        <legend className="h5">{t('faqPortal.rate.question')}</legend>
        <div className="d-flex gap-2">
          <button type="button" className={`btn ${vote === true ? 'btn-success' : 'btn-outline-success'}`} aria-pressed={vote === true} onClick={() => void rate(true)}>
            {t('faqPortal.rate.yes')}
          </button>
          <button type="button" className={`btn ${vote === false ? 'btn-danger' : 'btn-outline-danger'}`} aria-pressed={vote === false} onClick={() => void rate(false)}>
            {t('faqPortal.rate.no')}
          </button>
        </div>
        <div role="status" className="mt-2">
          {vote !== null && <p className="mb-2">{commentSent ? t('faqPortal.rate.commentThanks') : t('faqPortal.rate.thanks')}</p>}
        </div>
        {vote === false && !commentSent && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (comment.trim()) void rate(false, comment.trim().slice(0, 1000));
            }}
          >
            <Field id="faq-comment" label={t('faqPortal.rate.comment')}>
              <textarea id="faq-comment" rows={3} maxLength={1000} className="form-control" value={comment} onChange={(e) => setComment(e.target.value)} />
            </Field>
            <button type="submit" className="btn btn-primary btn-sm" disabled={!comment.trim()}>
              {t('faqPortal.rate.send')}
            </button>
          </form>
        )}
      </fieldset>
    </article>
  );
}
