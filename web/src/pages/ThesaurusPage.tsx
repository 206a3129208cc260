import { type FormEvent, useMemo, useState } from 'react';
import { type ApiRequestBody, type ApiResponseBody, client, fieldErrors, unwrap } from '../api/client.js';
import { ErrorAlert, Field, Notice, Spinner } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { useApiGet } from '../lib/hooks.js';
import { hasRole, useSession } from '../lib/session.js';

type Entry = ApiResponseBody<'/faq/thesaurus'>['items'][number];
type Kind = Entry['kind'];

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

const parseTerms = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** The network coordinators' editor of the search thesaurus: list, filter, add, edit and delete groups of equivalent terms. */
export function ThesaurusPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const allowed = hasRole(session?.memberships ?? [], ['network_coordinator']);
  const list = useApiGet(allowed ? '/faq/thesaurus' : null);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const shown = useMemo(() => {
    const f = fold(filter.trim());
    const items = list.data?.items ?? [];
    return f ? items.filter((e) => e.terms.some((term) => fold(term).includes(f)) || fold(e.note ?? '').includes(f)) : items;
  }, [list.data, filter]);

  if (!allowed) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">{t('thesaurus.title')}</h1>
        <p>{t('thesaurus.forbidden')}</p>
      </section>
    );
  }

  const remove = async (entry: Entry) => {
    if (!window.confirm(t('thesaurus.confirmDelete', { terms: entry.terms.slice(0, 3).join(', ') }))) return;
    setError(null);
    try {
      await unwrap(client.DELETE('/faq/thesaurus/{id}', { params: { path: { id: entry.id } } }));
      setNotice(t('thesaurus.deleted'));
      await list.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('thesaurus.title')}</h1>
      <p>{t('thesaurus.intro')}</p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={error ?? list.error} onClose={() => setError(null)} />
      <details className="mb-4">
        <summary className="btn btn-outline-primary btn-sm">{t('thesaurus.add')}</summary>
        <EntryForm
          idPrefix="new"
          onSave={async (body) => {
            await unwrap(client.POST('/faq/thesaurus', { body }));
            setNotice(t('thesaurus.added'));
            await list.reload();
          }}
        />
      </details>
      <div className="row align-items-end mb-3">
        <div className="col-12 col-md-6">
          <label htmlFor="thesaurus-filter" className="form-label fw-semibold">
            {t('thesaurus.filter')}
          </label>
          <input id="thesaurus-filter" type="search" className="form-control" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </div>
        <div className="col-12 col-md-6" aria-live="polite">
          {list.data && <p className="mb-2">{t('thesaurus.count', { count: shown.length })}</p>}
        </div>
      </div>
      {list.loading && !list.data ? (
        <Spinner />
      ) : (
        <ul className="list-unstyled">
          {shown.map((entry) => (
            <li key={entry.id} className="border rounded p-3 mb-2" data-testid="thesaurus-entry">
              {editing === entry.id ? (
                <EntryForm
                  idPrefix={entry.id}
                  initial={entry}
                  onCancel={() => setEditing(null)}
                  onSave={async (body) => {
                    await unwrap(client.PATCH('/faq/thesaurus/{id}', { params: { path: { id: entry.id } }, body }));
                    setEditing(null);
                    setNotice(t('thesaurus.saved'));
                    await list.reload();
                  }}
                />
              ) : (
                <div className="d-flex justify-content-between gap-2 flex-wrap">
                  <div>
                    <span className={`badge ${entry.kind === 'acronym' ? 'bg-primary' : 'bg-secondary'} me-2`}>{t(`thesaurus.kind.${entry.kind}`)}</span>
                    <span>{entry.terms.join(' · ')}</span>
                    {entry.note && <span className="d-block small text-muted">{entry.note}</span>}
                  </div>
                  <div className="d-flex gap-1">
                    <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setEditing(entry.id)}>
                      {t('thesaurus.edit')}
                      <span className="visually-hidden">: {entry.terms.slice(0, 3).join(', ')}</span>
                    </button>
                    <button type="button" className="btn btn-outline-danger btn-sm" onClick={() => void remove(entry)}>
                      {t('thesaurus.delete')}
                      <span className="visually-hidden">: {entry.terms.slice(0, 3).join(', ')}</span>
                    </button>
                  </div>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function EntryForm({ idPrefix, initial, onSave, onCancel }: { idPrefix: string; initial?: Entry; onSave: (body: ApiRequestBody<'/faq/thesaurus', 'post'>) => Promise<void>; onCancel?: () => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<Kind>(initial?.kind ?? 'synonym');
  const [terms, setTerms] = useState((initial?.terms ?? []).join('\n'));
  const [note, setNote] = useState(initial?.note ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSave({ kind, terms: parseTerms(terms), note: note.trim() || null });
      if (!initial) {
        setTerms('');
        setNote('');
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="mt-3" aria-label={initial ? t('thesaurus.groupLabel', { terms: initial.terms.slice(0, 3).join(', ') }) : t('thesaurus.add')}>
      <ErrorAlert error={error} />
      <div className="row">
        <div className="col-12 col-md-3">
          <Field id={`${idPrefix}-kind`} label={t('thesaurus.kind')}>
            <select id={`${idPrefix}-kind`} className="form-select" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              <option value="synonym">{t('thesaurus.kind.synonym')}</option>
              <option value="acronym">{t('thesaurus.kind.acronym')}</option>
            </select>
          </Field>
        </div>
        <div className="col-12 col-md-5">
          <Field id={`${idPrefix}-terms`} label={t('thesaurus.terms')} error={errors.terms} required>
            <textarea id={`${idPrefix}-terms`} rows={4} className="form-control" value={terms} onChange={(e) => setTerms(e.target.value)} required />
          </Field>
        </div>
        <div className="col-12 col-md-4">
          <Field id={`${idPrefix}-note`} label={t('thesaurus.note')}>
            <input id={`${idPrefix}-note`} type="text" className="form-control" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
          </Field>
        </div>
      </div>
      <div className="d-flex gap-2">
        <button type="submit" className="btn btn-primary btn-sm" disabled={busy || parseTerms(terms).length < 2}>
          {t('thesaurus.save')}
        </button>
        {onCancel && (
          <button type="button" className="btn btn-outline-secondary btn-sm" onClick={onCancel}>
            {t('thesaurus.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
