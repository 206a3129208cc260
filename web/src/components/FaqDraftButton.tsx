import { useState } from 'react';
import { client, unwrap } from '../api/client.js';
import type { Ticket } from '../api/types.js';
import { useI18n } from '../i18n/index.js';
import { useSession } from '../lib/session.js';
import { Alert, ErrorAlert } from './ui.js';

type TicketRef = Pick<Ticket, 'code' | 'status' | 'officeId' | 'organisationId'>;

/**
 * "Crea bozza di FAQ" on a resolved or closed ticket, for the owning office's supervisors and the
 * organisation's administrators (the API enforces the same rule).
 */
export function FaqDraftButton({ ticket }: { ticket: TicketRef }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ title: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const allowed = (session?.memberships ?? []).some(
    (m) => m.organisationId === ticket.organisationId && (m.role === 'org_admin' || (m.role === 'supervisor' && (m.officeId === null || m.officeId === ticket.officeId))),
  );
  if (!allowed || (ticket.status !== 'resolved' && ticket.status !== 'closed')) return null;

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const { data } = await unwrap(client.POST('/tickets/{code}/faq-draft', { params: { path: { code: ticket.code } } }));
      setCreated(data);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card card-bg shadow-sm p-3 mb-3" aria-labelledby="faq-draft-title">
      <h2 id="faq-draft-title" className="h6">
        {t('faqDraft.title')}
      </h2>
      <p className="small">{t('faqDraft.hint')}</p>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {created ? (
        <Alert kind="success">{t('faqDraft.created', { title: created.title })}</Alert>
      ) : (
        <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => void create()} disabled={busy}>
          {t('faqDraft.button')}
        </button>
      )}
    </section>
  );
}
