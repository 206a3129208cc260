import { type FormEvent, useState } from 'react';
import { client, fieldErrors, newIdempotencyKey, requestHeaders, unwrap } from '../api/client.js';
import { AGREEMENT_KINDS, type Agreement, type AgreementKind, type Office, type Organisation } from '../api/types.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { useApiGet, useSubmission, useTaxonomy } from '../lib/hooks.js';
import { codeLabel, findFacet } from '../lib/taxonomy.js';
import { TaxonomyPicker } from './TaxonomyPicker.js';
import { Alert, DataTable, ErrorAlert, HiddenHeading, Icon, Notice, Spinner } from './ui.js';

/** ISTAT codes typed as a list: "13, 066 067" → ["13", "066", "067"]. */
export function parseTerritory(text: string): { codes: string[]; invalid: string[] } {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const codes = [...new Set(parts.filter((p) => /^[0-9]{2,6}$/.test(p)))];
  return { codes, invalid: parts.filter((p) => !/^[0-9]{2,6}$/.test(p)) };
}

interface Row {
  key: number;
  topic: string;
  territory: string;
}

/** The office's competences: taxonomy topics and the ISTAT territory it answers for (the directory's source). */
export function CompetencesEditor({ office, onSaved }: { office: Office; onSaved: () => void }) {
  const { t, locale } = useI18n();
  const taxonomy = useTaxonomy();
  const topicFacet = findFacet(taxonomy, 'tema');
  const current = useApiGet('/offices/{id}/competences', { path: { id: office.id } });
  const [rows, setRows] = useState<Row[] | null>(null);
  const { busy, error, run } = useSubmission();
  const [invalidRows, setInvalidRows] = useState<number[]>([]);
  const [nextKey, setNextKey] = useState(1000);

  const draft: Row[] = rows ?? (current.data?.items ?? []).map((c, i) => ({ key: i, topic: c.topic, territory: c.territory.join(', ') }));
  const setDraft = (next: Row[]) => setRows(next);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const bad = draft.filter((r) => !r.topic || parseTerritory(r.territory).invalid.length > 0).map((r) => r.key);
    setInvalidRows(bad);
    if (bad.length) return;
    await run(async () => {
      const { data } = await unwrap(
        client.PUT('/offices/{id}/competences', {
          params: { path: { id: office.id } },
          body: { competences: draft.map((r) => ({ topic: r.topic, territory: parseTerritory(r.territory).codes })) },
        }),
      );
      current.setData(data);
      setRows(null);
      onSaved();
    });
  };

  return (
    <form className="card card-bg shadow-sm p-3 mb-4 competences-editor" onSubmit={save} aria-labelledby="competences-title" noValidate>
      <h3 id="competences-title" className="h5">
        {t('admin.competences')} – {office.name}
      </h3>
      <p className="small text-muted">{t('admin.competences.intro')}</p>
      {invalidRows.length > 0 && <Alert kind="danger">{t('admin.competences.invalid')}</Alert>}
      <ErrorAlert error={error ?? current.error} />
      {!current.data ? (
        <Spinner />
      ) : (
        <>
          {draft.length === 0 && <p className="small">{t('admin.competences.none')}</p>}
          <ol className="list-unstyled mb-2">
            {draft.map((row, index) => {
              const bad = invalidRows.includes(row.key);
              const n = index + 1;
              return (
                <li key={row.key} className="border-bottom py-2" data-topic={row.topic}>
                  <fieldset>
                    <legend className="fs-6 fw-semibold mb-1">
                      {t('admin.competences.row', { n })}
                      {row.topic && <span className="fw-normal small ms-2">{codeLabel(taxonomy, 'tema', row.topic, locale)}</span>}
                    </legend>
                    <div className="row g-2 align-items-start">
                      <div className="col-12 col-md-6">
                        {topicFacet && (
                          <TaxonomyPicker
                            id={`competence-${row.key}-topic`}
                            facet={topicFacet}
                            label={t('admin.competences.topic')}
                            required
                            error={bad && !row.topic ? t('admin.competences.topicRequired') : undefined}
                            value={row.topic}
                            onChange={(topic) => setDraft(draft.map((r) => (r.key === row.key ? { ...r, topic } : r)))}
                          />
                        )}
                      </div>
                      <div className="col-10 col-md-5">
                        <label htmlFor={`competence-${row.key}-territory`} className="form-label fw-semibold">
                          {t('admin.competences.territory')}
                        </label>
                        <input
                          id={`competence-${row.key}-territory`}
                          className={`form-control ${bad && parseTerritory(row.territory).invalid.length ? 'is-invalid' : ''}`}
                          value={row.territory}
                          onChange={(e) => setDraft(draft.map((r) => (r.key === row.key ? { ...r, territory: e.target.value } : r)))}
                          aria-describedby={`competence-${row.key}-territory-hint`}
                          aria-invalid={bad && parseTerritory(row.territory).invalid.length ? true : undefined}
                        />
                        <div id={`competence-${row.key}-territory-hint`} className="form-text">
                          {t('admin.competences.territory.hint')}
                        </div>
                      </div>
                      <div className="col-2 col-md-1 pt-md-4">
                        <button type="button" className="btn btn-link btn-sm" onClick={() => setDraft(draft.filter((r) => r.key !== row.key))} aria-label={t('admin.competences.remove', { n })}>
                          <Icon name="delete" size="sm" className="icon-primary" />
                        </button>
                      </div>
                    </div>
                  </fieldset>
                </li>
              );
            })}
          </ol>
          <div className="d-flex gap-2">
            <button
              type="button"
              className="btn btn-outline-primary btn-sm"
              onClick={() => {
                setDraft([...draft, { key: nextKey, topic: '', territory: '' }]);
                setNextKey((k) => k + 1);
              }}
            >
              <Icon name="plus" size="sm" className="icon-primary me-1" />
              {t('admin.competences.add')}
            </button>
            <button type="submit" className="btn btn-primary btn-sm ms-auto" disabled={busy}>
              {t('app.save')}
            </button>
          </div>
        </>
      )}
    </form>
  );
}

const AGREEMENT_STATUS_CLASS: Record<string, string> = { proposed: 'bg-warning text-dark', active: 'bg-success', rejected: 'bg-danger', revoked: 'bg-secondary' };

/** Network agreements of one organisation: who may send what to whom, for which topics, with or without auto-accept. */
export function AgreementsSection({ organisationId, organisations }: { organisationId: string; organisations: Organisation[] }) {
  const { t, fmt, locale } = useI18n();
  const taxonomy = useTaxonomy();
  const agreements = useApiGet('/agreements');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const mine = (agreements.data?.items ?? []).filter((a) => a.fromOrganisationId === organisationId || a.toOrganisationId === organisationId);

  const decide = async (a: Agreement, decision: 'approve' | 'reject' | 'revoke') => {
    setError(null);
    setNotice(null);
    try {
      const params = { path: { id: a.id } };
      await unwrap(
        decision === 'approve'
          ? client.POST('/agreements/{id}/approve', { params })
          : decision === 'reject'
            ? client.POST('/agreements/{id}/reject', { params })
            : client.POST('/agreements/{id}/revoke', { params }),
      );
      setNotice(t(decision === 'approve' ? 'admin.agreements.approved' : decision === 'reject' ? 'admin.agreements.rejected' : 'admin.agreements.revoked'));
      await agreements.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="agreements-title" className="mt-4" data-testid="agreements">
      <h2 id="agreements-title" className="h3">
        {t('admin.agreements')}
      </h2>
      <p className="small text-muted">{t('admin.agreements.intro')}</p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={error ?? agreements.error} onClose={() => setError(null)} />
      {!agreements.data ? (
        <Spinner />
      ) : mine.length === 0 ? (
        <p>{t('admin.agreements.none')}</p>
      ) : (
        <DataTable
          caption={t('admin.agreements')}
          wrapperClassName="mb-3"
          columns={[
            t('admin.agreements.from'),
            t('admin.agreements.to'),
            t('admin.agreements.kinds'),
            t('admin.agreements.topics'),
            t('admin.agreements.status'),
            <HiddenHeading key="actions">{t('admin.agreements.actions')}</HiddenHeading>,
          ]}
        >
          {mine.map((a) => {
            const incoming = a.toOrganisationId === organisationId;
            return (
              <tr key={a.id} data-status={a.status}>
                <td>{a.fromOrganisationName}</td>
                <td>{a.toOrganisationName}</td>
                <td className="small">
                  {a.kinds.map((k) => translateCode(t, 'admin.agreements.kind', k)).join(', ')}
                  {a.autoAccept && <span className="badge bg-info text-dark ms-1">{t('admin.agreements.autoAccept.short')}</span>}
                </td>
                <td className="small">{a.topics.length ? a.topics.map((c) => codeLabel(taxonomy, 'tema', c, locale)).join('; ') : t('admin.agreements.allTopics')}</td>
                <td className="small">
                  <span className={`badge ${AGREEMENT_STATUS_CLASS[a.status] ?? 'bg-secondary'}`}>{translateCode(t, 'admin.agreements.status', a.status)}</span>
                  <div className="text-muted">{fmt(a.decidedAt ?? a.proposedAt, 'date')}</div>
                  {a.note && <div>{a.note}</div>}
                </td>
                <td>
                  <div className="d-flex flex-column align-items-start">
                    {incoming && a.status === 'proposed' && (
                      <>
                        <button type="button" className="btn btn-link btn-sm p-0" onClick={() => void decide(a, 'approve')}>
                          {t('admin.agreements.approve')}
                          <span className="visually-hidden"> – {a.fromOrganisationName}</span>
                        </button>
                        <button type="button" className="btn btn-link btn-sm p-0" onClick={() => void decide(a, 'reject')}>
                          {t('admin.agreements.reject')}
                          <span className="visually-hidden"> – {a.fromOrganisationName}</span>
                        </button>
                      </>
                    )}
                    {(a.status === 'proposed' || a.status === 'active') && (
                      <button type="button" className="btn btn-link btn-sm p-0" onClick={() => void decide(a, 'revoke')}>
                        {t('admin.agreements.revoke')}
                        <span className="visually-hidden"> – {incoming ? a.fromOrganisationName : a.toOrganisationName}</span>
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <ProposeAgreementForm
        organisationId={organisationId}
        organisations={organisations}
        onProposed={async () => {
          setNotice(t('admin.agreements.proposed'));
          await agreements.reload();
        }}
      />
    </section>
  );
}

function ProposeAgreementForm({ organisationId, organisations, onProposed }: { organisationId: string; organisations: Organisation[]; onProposed: () => Promise<void> }) {
  const { t, locale } = useI18n();
  const taxonomy = useTaxonomy();
  const topicFacet = findFacet(taxonomy, 'tema');
  const [to, setTo] = useState('');
  const [kinds, setKinds] = useState<AgreementKind[]>(['share', 'transfer']);
  const [topics, setTopics] = useState<string[]>([]);
  const [autoAccept, setAutoAccept] = useState(false);
  const [note, setNote] = useState('');
  const { busy, error, run } = useSubmission();
  const [key, setKey] = useState(newIdempotencyKey);
  const errors = fieldErrors(error);
  const others = organisations.filter((o) => o.id !== organisationId);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await unwrap(
        client.POST('/agreements', {
          body: { fromOrganisationId: organisationId, toOrganisationId: to, kinds, topics, autoAccept, ...(note.trim() && { note: note.trim() }) },
          headers: requestHeaders({ idempotencyKey: key }),
        }),
      );
      setKey(newIdempotencyKey());
      setTopics([]);
      setNote('');
      await onProposed();
    });
  };

  return (
    <form className="card card-bg shadow-sm p-3 mb-4" onSubmit={submit} aria-labelledby="propose-agreement-title" noValidate>
      <h3 id="propose-agreement-title" className="h5">
        {t('admin.agreements.propose')}
      </h3>
      <ErrorAlert error={error} />
      <div className="mb-3">
        <label htmlFor="agreement-to" className="form-label fw-semibold">
          {t('admin.agreements.to')}
          <span aria-hidden="true"> *</span>
        </label>
        <select id="agreement-to" className={`form-select ${errors.toOrganisationId ? 'is-invalid' : ''}`} value={to} onChange={(e) => setTo(e.target.value)} required aria-required="true">
          <option value="">{t('app.choose')}</option>
          {others.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="mb-3">
        <legend className="form-label fw-semibold fs-6">{t('admin.agreements.kinds')}</legend>
        {AGREEMENT_KINDS.map((k) => (
          <div className="form-check form-check-inline" key={k}>
            <input
              className="form-check-input"
              type="checkbox"
              id={`agreement-kind-${k}`}
              checked={kinds.includes(k)}
              onChange={() => setKinds((list) => (list.includes(k) ? list.filter((x) => x !== k) : [...list, k]))}
            />
            <label className="form-check-label" htmlFor={`agreement-kind-${k}`}>
              {translateCode(t, 'admin.agreements.kind', k)}
            </label>
          </div>
        ))}
      </fieldset>
      {topicFacet && (
        <TaxonomyPicker
          id="agreement-topic"
          facet={topicFacet}
          label={t('admin.agreements.addTopic')}
          value=""
          placeholder={t('admin.agreements.allTopics')}
          onChange={(code) => code && setTopics((list) => (list.includes(code) ? list : [...list, code]))}
        />
      )}
      {topics.length > 0 && (
        <ul className="list-inline mb-3" aria-label={t('admin.agreements.topics')}>
          {topics.map((code) => (
            <li key={code} className="list-inline-item badge bg-light text-dark border mb-1">
              {codeLabel(taxonomy, 'tema', code, locale)}
              <button type="button" className="btn btn-link btn-sm p-0 ms-1" onClick={() => setTopics((list) => list.filter((x) => x !== code))} aria-label={t('admin.agreements.removeTopic', { topic: codeLabel(taxonomy, 'tema', code, locale) })}>
                <Icon name="close" size="xs" className="icon-primary" />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="form-check mb-3">
        <input className="form-check-input" type="checkbox" id="agreement-auto" checked={autoAccept} onChange={(e) => setAutoAccept(e.target.checked)} aria-describedby="agreement-auto-hint" />
        <label className="form-check-label" htmlFor="agreement-auto">
          {t('admin.agreements.autoAccept')}
        </label>
        <div id="agreement-auto-hint" className="form-text">
          {t('admin.agreements.autoAccept.hint')}
        </div>
      </div>
      <div className="mb-3">
        <label htmlFor="agreement-note" className="form-label fw-semibold">
          {t('admin.agreements.note')}
        </label>
        <textarea id="agreement-note" rows={2} className="form-control" value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy || !to || kinds.length === 0}>
        {t('admin.agreements.submit')}
      </button>
    </form>
  );
}
