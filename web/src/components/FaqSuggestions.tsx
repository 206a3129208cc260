import { useEffect, useRef, useState } from 'react';
import { type ApiResponseBody, apiGet, client, unwrap } from '../api/client.js';
import { useI18n } from '../i18n/index.js';

type Suggestion = ApiResponseBody<'/faq/search'>['items'][number];

/** Suggestions follow the typing after this pause. */
const DEBOUNCE_MS = 400;
/** Fewer characters than this say too little to suggest anything. */
const MIN_CHARS = 12;
const MAX_SUGGESTIONS = 5;

export interface FaqSuggestionsProps {
  /** What the operator is typing (subject and description, or the reply). */
  text: string;
  /** Pastes the chosen FAQ's full answer where the operator is writing. */
  onPaste: (answer: string) => void;
  /** Where the answer goes: recorded with the use, as a helpfulness signal. */
  context: 'reply' | 'description';
  /** The paste keys: Alt+1…5, or Alt+Shift+1…5 where Alt+digits are taken (the new-ticket form moves between fields with them). */
  modifier?: 'alt' | 'alt-shift';
}

/**
 * The FAQs that answer what the operator is typing, updated as they type, each with a button and a
 * shortcut key that pastes its answer; the paste is announced to screen readers and recorded.
 */
export function FaqSuggestions({ text, onPaste, context, modifier = 'alt' }: FaqSuggestionsProps) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Suggestion[]>([]);
  const [loading, setLoading] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const controller = useRef<AbortController | null>(null);
  const latest = useRef<{ items: Suggestion[]; paste: (index: number) => void }>({ items: [], paste: () => undefined });

  useEffect(() => {
    const q = text.trim();
    if (q.length < MIN_CHARS) {
      controller.current?.abort();
      setItems([]);
      setLoading(false);
      return;
    }
    const timer = setTimeout(async () => {
      controller.current?.abort();
      const mine = new AbortController();
      controller.current = mine;
      setLoading(true);
      try {
        const { data } = await apiGet('/faq/search', { query: { q: q.slice(0, 4000), lang: locale, limit: MAX_SUGGESTIONS } }, { signal: mine.signal });
        if (!mine.signal.aborted) setItems(data.items.slice(0, MAX_SUGGESTIONS));
      } catch {
        // Suggestions are a help, never an obstacle: a failed search leaves the last ones.
      } finally {
        if (controller.current === mine) setLoading(false);
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, locale]);

  useEffect(() => () => controller.current?.abort(), []);

  const paste = async (index: number) => {
    const item = items[index];
    if (!item) return;
    try {
      const { data } = await apiGet('/faq/{id}', { path: { id: item.id } });
      onPaste(data.body);
      setAnnouncement(t('faqSuggest.pasted', { title: item.title }));
      void unwrap(client.POST('/faq/{id}/uses', { params: { path: { id: item.id } }, body: { context } })).catch(() => undefined);
    } catch {
      /* the FAQ was withdrawn meanwhile: nothing to paste */
    }
  };
  latest.current = { items, paste: (i) => void paste(i) };

  // Operators rate suggestions too (one vote per person and FAQ; a new vote replaces the old one).
  const [votes, setVotes] = useState<Record<string, boolean>>({});
  const rate = async (item: Suggestion, helpful: boolean) => {
    try {
      await unwrap(client.POST('/faq/{id}/feedback', { params: { path: { id: item.id } }, body: { helpful } }));
      setVotes((v) => ({ ...v, [item.id]: helpful }));
      setAnnouncement(t('faqSuggest.rated', { title: item.title }));
    } catch {
      /* a rating is optional */
    }
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey !== (modifier === 'alt-shift')) return;
      const match = /^(?:Digit|Numpad)([1-5])$/.exec(event.code);
      if (!match) return;
      const index = Number(match[1]) - 1;
      if (!latest.current.items[index]) return;
      event.preventDefault();
      latest.current.paste(index);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [modifier]);

  const keys = (n: number) => (modifier === 'alt-shift' ? `Alt+${locale === 'it' ? 'Maiusc' : 'Shift'}+${n}` : `Alt+${n}`);

  return (
    <section
      className="faq-suggestions mt-2 mb-3"
      aria-labelledby={items.length > 0 || loading ? `faq-suggestions-${context}` : undefined}
      data-testid={`faq-suggestions-${context}`}
    >
      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
      {(items.length > 0 || loading) && (
        <>
          {/* Not a heading: the component sits at different heading levels of different pages. */}
          <p id={`faq-suggestions-${context}`} className="fw-bold mb-2">
            {t('faqSuggest.title')} {loading && <span className="small text-muted fw-normal">· {t('faqSuggest.loading')}</span>}
          </p>
          <ol className="list-unstyled mb-0">
            {items.map((item, index) => (
              <li key={item.id} className="border rounded p-2 mb-2">
                <div className="d-flex justify-content-between align-items-start gap-2">
                  <div>
                    <p className="fw-semibold mb-1">{item.title}</p>
                    <p className="small mb-1 text-muted">{item.snippet}</p>
                    <div className="d-flex gap-1" role="group" aria-label={t('faqSuggest.rate', { title: item.title })}>
                      <button type="button" className="btn btn-link btn-sm p-0 me-2" aria-pressed={votes[item.id] === true} onClick={() => void rate(item, true)}>
                        {t('faqSuggest.helpful')}
                      </button>
                      <button type="button" className="btn btn-link btn-sm p-0" aria-pressed={votes[item.id] === false} onClick={() => void rate(item, false)}>
                        {t('faqSuggest.notHelpful')}
                      </button>
                    </div>
                  </div>
                  <button
                    type="button"
                    className="btn btn-outline-primary btn-sm text-nowrap"
                    aria-keyshortcuts={modifier === 'alt-shift' ? `Alt+Shift+${index + 1}` : `Alt+${index + 1}`}
                    onClick={() => void paste(index)}
                  >
                    {t('faqSuggest.paste')}
                    <span className="visually-hidden">: {item.title}</span>
                    <span className="d-block small">({t('faqSuggest.keys', { keys: keys(index + 1) })})</span>
                  </button>
                </div>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
