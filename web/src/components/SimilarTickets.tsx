import { useEffect, useRef, useState } from 'react';
import { type ApiQuery, apiGet, client, unwrap } from '../api/client.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { useApiGet, useTaxonomy } from '../lib/hooks.js';
import { type AskKind, type Incident, incidentsForTopic, normaliseSimilar, type PendingLink, type SimilarTicket, } from '../lib/network.js';
import { codeLabel } from '../lib/taxonomy.js';
import { StatusBadge } from './ui.js';

/** The search follows the typing after this pause. */
const DEBOUNCE_MS = 500;
/** Fewer characters than this say too little to compare. */
const MIN_CHARS = 12;
const LIMIT = 5;

export interface SimilarTicketsProps {
  /** Subject and description of the contact. */
  text: string;
  topic?: string | undefined;
  officeId?: string | undefined;
  /** The ticket being looked at, left out of its own results. */
  excludeCode?: string | undefined;
  /** The link chosen so far, highlighted (new-ticket form). */
  chosen?: PendingLink | null;
  onChoose: (link: PendingLink) => void;
  /** Heading level of the section title. */
  headingLevel?: 2 | 3;
}

/**
 * Similar open tickets of the whole network for the contact being recorded or looked at, updated as
 * the operator types, with the ways to link it: duplicate of a ticket the operator may read, a request
 * to the owning office for one they may not, or an open incident on the same topic.
 */
export function SimilarTickets({ text, topic, officeId, excludeCode, chosen, onChoose, headingLevel = 3 }: SimilarTicketsProps) {
  const { t, fmt, locale } = useI18n();
  const taxonomy = useTaxonomy();
  const [items, setItems] = useState<SimilarTicket[] | null>(null);
  const [loading, setLoading] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const incidents = useApiGet('/incidents', { query: { status: 'open' } });

  useEffect(() => {
    const q = text.trim();
    if (q.length < MIN_CHARS) {
      controller.current?.abort();
      setItems(null);
      setLoading(false);
      return;
    }
    const timer = setTimeout(async () => {
      controller.current?.abort();
      const mine = new AbortController();
      controller.current = mine;
      setLoading(true);
      try {
        const query: ApiQuery<'/tickets/similar'> = { text: q.slice(0, 5000), limit: LIMIT };
        if (topic) query.topic = topic;
        if (officeId) query.officeId = officeId;
        if (excludeCode) query.excludeCode = excludeCode;
        const { data } = await apiGet('/tickets/similar', { query }, { signal: mine.signal });
        if (!mine.signal.aborted) setItems(data.items.map(normaliseSimilar).filter((s) => s.code !== excludeCode));
      } catch {
        // A help, never an obstacle: a failed search leaves the last results.
      } finally {
        if (controller.current === mine) setLoading(false);
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, topic, officeId, excludeCode]);

  useEffect(() => () => controller.current?.abort(), []);

  const openIncidents = incidents.data?.items ?? [];
  const byId = new Map(openIncidents.map((i) => [i.id, i]));
  const topical = incidentsForTopic(openIncidents, topic).slice(0, 3);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const isChosen = (s: SimilarTicket) => chosen !== null && chosen !== undefined && chosen.kind !== 'incident' && chosen.target.ref === s.ref;
  const incidentChosen = (i: Incident) => chosen?.kind === 'incident' && chosen.incident.id === i.id;

  return (
    <section className="similar-tickets border rounded p-3 mb-4" aria-labelledby="similar-title" data-testid="similar-tickets">
      <Heading id="similar-title" className="h5">
        {t('network.similar.title')}
      </Heading>
      <p className="small text-muted mb-2">{t('network.similar.hint')}</p>
      <div className="visually-hidden" role="status" aria-live="polite">
        {loading ? t('network.similar.loading') : items ? (items.length ? t('network.similar.found', { count: items.length }) : t('network.similar.none')) : ''}
      </div>
      {loading && <p className="small text-muted mb-2">{t('network.similar.loading')}</p>}
      {items && items.length === 0 && !loading && <p className="small mb-2">{t('network.similar.none')}</p>}
      {items && items.length > 0 && (
        <ul className="list-unstyled mb-2">
          {items.map((s) => {
            const incident = s.incidentId ? byId.get(s.incidentId) : undefined;
            return (
              <li key={s.ref} className={`border rounded p-2 mb-2 similar-item ${isChosen(s) ? 'border-primary border-2' : ''}`} data-readable={s.readable} data-ref={s.ref}>
                <p className="fw-semibold mb-1">
                  {s.code && <span className="ticket-code me-2">{s.code}</span>}
                  {s.subject}
                </p>
                <p className="small mb-1">
                  {s.officeName} ({s.organisationName}) · {fmt(s.createdAt, 'date')} · {s.topicLabel ?? (codeLabel(taxonomy, 'tema', s.topicCode ?? undefined, locale) || t('app.none'))} ·{' '}
                  <StatusBadge status={s.status} label={translateCode(t, 'status', s.status)} /> · {t('network.similar.score', { score: Math.round(Math.min(1, s.score) * 100) })}
                </p>
                {!s.readable && <p className="small text-muted mb-1">{t('network.similar.hidden')}</p>}
                <div className="d-flex flex-wrap gap-2">
                  {s.readable ? (
                    <button type="button" className="btn btn-outline-primary btn-sm" aria-pressed={isChosen(s)} onClick={() => onChoose({ kind: 'duplicate', target: s })}>
                      {t('network.similar.markDuplicate')}
                      <span className="visually-hidden">: {s.code}</span>
                    </button>
                  ) : (
                    <button type="button" className="btn btn-outline-primary btn-sm" aria-pressed={isChosen(s)} onClick={() => onChoose({ kind: 'ask', target: s })}>
                      {t('network.similar.askOwner')}
                      <span className="visually-hidden">: {s.officeName}</span>
                    </button>
                  )}
                  {incident && (
                    <button type="button" className="btn btn-outline-secondary btn-sm" aria-pressed={incidentChosen(incident)} onClick={() => onChoose({ kind: 'incident', incident })}>
                      {t('network.similar.joinIncident')}
                      <span className="visually-hidden">: {incident.title}</span>
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {topical.length > 0 && (
        <>
          <p className="fw-semibold small mb-1">{t('network.similar.incidents')}</p>
          <ul className="list-unstyled mb-0" data-testid="similar-incidents">
            {topical.map((i) => (
              <li key={i.id} className="d-flex flex-wrap align-items-center gap-2 mb-1">
                <span>
                  {i.title} <span className="small text-muted">({i.organisationName})</span>
                </span>
                <button type="button" className="btn btn-link btn-sm p-0" aria-pressed={incidentChosen(i)} onClick={() => onChoose({ kind: 'incident', incident: i })}>
                  {t('network.similar.joinIncident')}
                  <span className="visually-hidden">: {i.title}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Asks the office owning a similar ticket the caller cannot read (known by its opaque `ref`) to link, share or open an incident. */
export async function askOwningOffice(ref: string, request: { kind: AskKind; ticketCode: string; message?: string | undefined }): Promise<void> {
  await unwrap(
    client.POST('/tickets/similar/{ref}/requests', {
      params: { path: { ref } },
      body: { kind: request.kind, ticketCode: request.ticketCode, ...(request.message ? { message: request.message } : {}) },
    }),
  );
}

/**
 * Applies the link chosen for a contact once its ticket exists: duplicate of a readable ticket, a
 * request to the office owning an unreadable one, or an incident. Returns the confirmation to show.
 */
export async function applyLink(code: string, link: PendingLink, t: ReturnType<typeof useI18n>['t'], message?: string): Promise<string> {
  if (link.kind === 'duplicate') {
    const target = link.target.code ?? link.target.ref;
    await unwrap(client.POST('/tickets/{code}/duplicate-of', { params: { path: { code } }, body: { targetCode: target } }));
    return t('network.link.doneDuplicate', { code: target });
  }
  if (link.kind === 'ask') {
    await askOwningOffice(link.target.ref, { kind: 'link', ticketCode: code, message });
    return t('network.link.doneAsk', { office: link.target.officeName });
  }
  await unwrap(client.POST('/incidents/{id}/tickets', { params: { path: { id: link.incident.id } }, body: { code } }));
  return t('network.link.doneIncident', { title: link.incident.title });
}
