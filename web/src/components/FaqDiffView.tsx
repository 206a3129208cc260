import { useI18n } from '../i18n/index.js';
import type { DiffSegment, FaqDiff } from './FaqEditorialApi.js';

const STYLE = {
  insert: { textDecoration: 'underline', backgroundColor: '#d4f3dc', color: '#0b3d1a' },
  delete: { textDecoration: 'line-through', backgroundColor: '#fde0e0', color: '#5c0a0a' },
} as const;

/**
 * Insertions and deletions are marked by <ins>/<del> (underline, strike-through), a visible
 * "+"/"−" sign and a screen-reader label — never by colour alone.
 */
function Segments({ segments }: { segments: readonly DiffSegment[] }) {
  const { t } = useI18n();
  return (
    <>
      {segments.map((s, index) => {
        // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional; their order is their identity.
        if (s.op === 'equal') return <span key={index}>{s.text}</span>;
        const Tag = s.op === 'insert' ? 'ins' : 'del';
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: as above.
          <Tag key={index} className={`faq-diff-${s.op}`} style={STYLE[s.op]} data-testid={`diff-${s.op}`}>
            <span className="visually-hidden">[{t(s.op === 'insert' ? 'faqEditorial.diff.inserted' : 'faqEditorial.diff.deleted')}: </span>
            <span aria-hidden="true" className="faq-diff-sign">
              {s.op === 'insert' ? '+' : '−'}
            </span>
            {s.text}
            <span className="visually-hidden">]</span>
          </Tag>
        );
      })}
    </>
  );
}

export function FaqDiffView({ diff }: { diff: FaqDiff }) {
  const { t } = useI18n();
  const unchanged = diff.title.every((s) => s.op === 'equal') && diff.body.every((s) => s.op === 'equal') && diff.changes.length === 0;
  return (
    <section className="faq-diff card card-bg p-3 mb-3" aria-labelledby="faq-diff-title" data-testid="faq-diff">
      <h3 id="faq-diff-title" className="h5">
        {t('faqEditorial.diff.title', { from: diff.from, to: diff.to })}
      </h3>
      <p className="small">{t('faqEditorial.diff.legend')}</p>
      {unchanged ? (
        <p>{t('faqEditorial.diff.none')}</p>
      ) : (
        <>
          <h4 className="h6">{t('faqEditorial.field.title')}</h4>
          <p className="faq-diff-text">
            <Segments segments={diff.title} />
          </p>
          <h4 className="h6">{t('faqEditorial.field.body')}</h4>
          <p className="faq-diff-text" style={{ whiteSpace: 'pre-wrap' }}>
            <Segments segments={diff.body} />
          </p>
          {diff.changes.length > 0 && (
            <ul>
              {diff.changes.map((c) => (
                <li key={c.field}>
                  {c.field}: {JSON.stringify(c.from)} → {JSON.stringify(c.to)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
