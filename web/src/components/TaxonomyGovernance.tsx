import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { ApiError, type ApiResponseBody, client, requestHeaders, unwrap } from '../api/client.js';
import type { Membership, Taxonomy } from '../api/types.js';
import { useI18n } from '../i18n/index.js';
import { useApiGet } from '../lib/hooks.js';
import { describeOperation, type TaxonomyOperation, TaxonomyOperationForm } from './TaxonomyOperationForm.js';
import { nodeOptions, type GovernedNode } from './TaxonomyTree.js';
import { Alert, controlClass, DataTable, ErrorAlert, Field, fieldA11y, Notice, Spinner } from './ui.js';

export type Draft = ApiResponseBody<'/taxonomy/drafts/{id}'>;
type CrosswalkEntry = Draft['crosswalk'][number];

function ProblemList({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return null;
  return (
    <ul className="mb-3" data-testid="taxonomy-change-errors">
      {error.problem.errors.map((e) => (
        <li key={`${e.path}-${e.message}`}>
          <code>{e.path}</code>: {e.message}
        </li>
      ))}
    </ul>
  );
}

function CrosswalkTable({ entries, caption }: { entries: readonly CrosswalkEntry[]; caption: string }) {
  const { t } = useI18n();
  return (
    <DataTable caption={caption} columns={[t('taxonomyEditor.facet'), t('taxonomyEditor.crosswalk.from'), t('taxonomyEditor.crosswalk.to'), t('taxonomyEditor.crosswalk.relation'), t('taxonomyEditor.crosswalk.note')]} className="table-sm">
      {entries.map((e) => (
        <tr key={`${e.facet}:${e.fromCode}>${e.toCode}`} data-testid="crosswalk-row">
          <td>{e.facet}</td>
          <td><code>{e.fromCode}</code></td>
          <td><code>{e.toCode}</code></td>
          <td>{t(`taxonomyEditor.op.relation.${e.relation}`)}</td>
          <td>{e.note ?? ''}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** The coordinator's editor: open a draft, apply changes, see problems and crosswalk, publish. */
export function TaxonomyDraftEditor({ currentVersion, onPublished, onDraft }: { currentVersion: string; onPublished: (version: string) => void; onDraft: (draft: Draft | null) => void }) {
  const { t } = useI18n();
  const drafts = useApiGet('/taxonomy/drafts');
  const openId = drafts.data?.items.find((d) => d.status === 'open')?.id ?? null;
  const draft = useApiGet(openId ? '/taxonomy/drafts/{id}' : null, { path: { id: openId ?? '' } });
  const next = currentVersion.replace(/^(\d+)\.(\d+)\.\d+$/, (_m, major: string, minor: string) => `${major}.${Number(minor) + 1}.0`);
  const [version, setVersion] = useState(next);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const show = (d: Draft | null, etag?: string | null) => {
    if (d) draft.setData(d, etag);
    onDraft(d);
  };
  useEffect(() => onDraft(openId ? draft.data : null), [openId, draft.data, onDraft]);

  const run = async (action: () => Promise<void>) => {
    setError(null);
    setNotice(null);
    try {
      await action();
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };

  const openDraft = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { data } = await unwrap(client.POST('/taxonomy/drafts', { body: { version: version.trim(), ...(note.trim() && { note: note.trim() }) } }));
      setNotice(t('taxonomyEditor.editor.opened', { version: data.version, base: data.baseVersion }));
      await drafts.reload();
    });
  };
  const apply = (op: TaxonomyOperation) =>
    run(async () => {
      const d = draft.data!;
      const { data, etag } = await unwrap(
        client.POST('/taxonomy/drafts/{id}/operations', { params: { path: { id: d.id } }, body: { operations: [op] }, headers: requestHeaders({ ifMatch: draft.etag }) }),
      );
      show(data, etag);
      setNotice(t('taxonomyEditor.editor.applied'));
    });
  const undo = () =>
    run(async () => {
      const { data, etag } = await unwrap(client.POST('/taxonomy/drafts/{id}/undo', { params: { path: { id: draft.data!.id } }, headers: requestHeaders({ ifMatch: draft.etag }) }));
      show(data, etag);
    });
  const publish = () => {
    const d = draft.data!;
    if (!window.confirm(t('taxonomyEditor.editor.publishConfirm', { version: d.version }))) return;
    void run(async () => {
      const { data } = await unwrap(client.POST('/taxonomy/drafts/{id}/publish', { params: { path: { id: d.id } }, headers: requestHeaders({ ifMatch: draft.etag }) }));
      setNotice(t('taxonomyEditor.editor.published', { version: data.version, crosswalk: data.crosswalk, reparented: data.localNodes.reparented, orphaned: data.localNodes.orphaned }));
      onPublished(data.version);
      await drafts.reload();
      onDraft(null);
    });
  };
  const discard = () => {
    const d = draft.data!;
    if (!window.confirm(t('taxonomyEditor.editor.discardConfirm', { version: d.version }))) return;
    void run(async () => {
      await unwrap(client.POST('/taxonomy/drafts/{id}/discard', { params: { path: { id: d.id } } }));
      setNotice(t('taxonomyEditor.editor.discarded'));
      await drafts.reload();
      onDraft(null);
    });
  };

  const d = openId ? draft.data : null;
  return (
    <section aria-labelledby="taxonomy-editor-title" className="mt-5" data-testid="taxonomy-editor">
      <h2 id="taxonomy-editor-title">{t('taxonomyEditor.editor.title')}</h2>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <ProblemList error={error} />
      {drafts.loading || (openId && draft.loading && !draft.data) ? (
        <Spinner />
      ) : !d ? (
        <form onSubmit={openDraft} className="row align-items-end">
          <p>{t('taxonomyEditor.editor.none')}</p>
          <div className="col-md-4">
            <Field id="draft-version" label={t('taxonomyEditor.editor.newVersion')} hint={t('taxonomyEditor.editor.newVersionHint', { version: currentVersion })} required>
              <input className="form-control" value={version} onChange={(e) => setVersion(e.target.value)} required pattern="\d+\.\d+\.\d+" {...fieldA11y('draft-version', undefined, true)} />
            </Field>
          </div>
          <div className="col-md-5">
            <Field id="draft-note" label={t('taxonomyEditor.editor.note')}>
              <input className="form-control" value={note} onChange={(e) => setNote(e.target.value)} {...fieldA11y('draft-note')} />
            </Field>
          </div>
          <div className="col-md-3 mb-3">
            <button type="submit" className="btn btn-primary">
              {t('taxonomyEditor.editor.open')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p data-testid="draft-summary">{t('taxonomyEditor.editor.summary', { version: d.version, base: d.baseVersion, count: d.operations.length })}</p>
          <TaxonomyOperationForm idPrefix="draft-op" taxonomy={d.document} submitLabel={t('taxonomyEditor.editor.apply')} onSubmit={apply} />
          <h3 className="h5 mt-4">{t('taxonomyEditor.editor.operations')}</h3>
          {d.operations.length === 0 ? (
            <p>{t('taxonomyEditor.editor.noOperations')}</p>
          ) : (
            <ol data-testid="draft-operations">
              {d.operations.map((op, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: operations are an ordered log; their place is their identity.
                <li key={i}>{describeOperation(op, t)}</li>
              ))}
            </ol>
          )}
          {d.problems.length > 0 ? (
            <Alert kind="warning">
              <p className="fw-semibold mb-1">{t('taxonomyEditor.editor.problems')}</p>
              <ul className="mb-0">
                {d.problems.map((p) => (
                  <li key={`${p.path}-${p.message}`}>{p.message}</li>
                ))}
              </ul>
            </Alert>
          ) : (
            d.operations.length > 0 && <p className="text-success">{t('taxonomyEditor.editor.valid')}</p>
          )}
          <h3 className="h5 mt-4">{t('taxonomyEditor.editor.crosswalk')}</h3>
          {d.crosswalk.length === 0 ? <p>{t('taxonomyEditor.editor.noCrosswalk')}</p> : <CrosswalkTable entries={d.crosswalk} caption={t('taxonomyEditor.editor.crosswalk')} />}
          <div className="d-flex flex-wrap gap-2 mt-3">
            <button type="button" className="btn btn-primary" onClick={publish} disabled={d.operations.length === 0 || d.problems.length > 0}>
              {t('taxonomyEditor.editor.publish', { version: d.version })}
            </button>
            <button type="button" className="btn btn-outline-primary" onClick={() => void undo()} disabled={d.operations.length === 0}>
              {t('taxonomyEditor.editor.undo')}
            </button>
            <button type="button" className="btn btn-outline-danger" onClick={discard}>
              {t('taxonomyEditor.editor.discard')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/** Proposals: the coordinator decides; org admins and supervisors propose and follow theirs. */
export function TaxonomyProposals({ taxonomy, coordinator, proposerOrganisations }: { taxonomy: Taxonomy; coordinator: boolean; proposerOrganisations: Membership[] }) {
  const { t, fmt } = useI18n();
  const proposals = useApiGet('/taxonomy/proposals');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [organisationId, setOrganisationId] = useState(proposerOrganisations[0]?.organisationId ?? '');
  const [rationale, setRationale] = useState('');

  const act = async (action: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      await action();
      setNotice(done);
      await proposals.reload();
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };
  const propose = (op: TaxonomyOperation) =>
    act(() => unwrap(client.POST('/taxonomy/proposals', { body: { organisationId, rationale: rationale.trim(), operations: [op] } })), t('taxonomyEditor.proposals.sent')).then((ok) => {
      if (ok) setRationale('');
      return ok;
    });

  return (
    <section aria-labelledby="taxonomy-proposals-title" className="mt-5" data-testid="taxonomy-proposals">
      <h2 id="taxonomy-proposals-title">{t('taxonomyEditor.proposals.title')}</h2>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <ProblemList error={error} />
      {proposals.loading && !proposals.data ? (
        <Spinner />
      ) : (proposals.data?.items.length ?? 0) === 0 ? (
        <p>{t('taxonomyEditor.proposals.none')}</p>
      ) : (
        <DataTable caption={t('taxonomyEditor.proposals.title')} columns={[t('taxonomyEditor.proposals.organisation'), t('taxonomyEditor.proposals.changes'), t('taxonomyEditor.proposals.rationale'), t('taxonomyEditor.proposals.status'), ...(coordinator ? [t('taxonomyEditor.proposals.actions')] : [])]}>
          {proposals.data?.items.map((p) => (
            <tr key={p.id} data-proposal-status={p.status}>
              <td>
                {p.organisationName}
                <div className="small text-muted">{p.proposedBy?.name} · {fmt(p.createdAt)}</div>
              </td>
              <td>
                <ul className="mb-0 ps-3">
                  {p.operations.map((op, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: ordered list of a proposal's operations.
                    <li key={i}>{describeOperation(op, t)}</li>
                  ))}
                </ul>
              </td>
              <td>{p.rationale}{p.decisionReason && <div className="small text-muted">{p.decisionReason}</div>}</td>
              <td>{t(`taxonomyEditor.proposals.status.${p.status}`)}</td>
              {coordinator && (
                <td>
                  {p.status === 'pending' && (
                    <div className="d-flex flex-column gap-2">
                      <button type="button" className="btn btn-sm btn-primary" onClick={() => void act(() => unwrap(client.POST('/taxonomy/proposals/{id}/approve', { params: { path: { id: p.id } } })), t('taxonomyEditor.proposals.approved'))}>
                        {t('taxonomyEditor.proposals.approve')}
                      </button>
                      {rejecting === p.id ? (
                        <form
                          onSubmit={(e) => {
                            e.preventDefault();
                            void act(() => unwrap(client.POST('/taxonomy/proposals/{id}/reject', { params: { path: { id: p.id } }, body: { reason: reason.trim() } })), t('taxonomyEditor.proposals.rejected')).then((ok) => ok && setRejecting(null));
                          }}
                        >
                          <Field id={`reject-${p.id}`} label={t('taxonomyEditor.proposals.rejectReason')} required>
                            <input className="form-control form-control-sm" value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} {...fieldA11y(`reject-${p.id}`)} />
                          </Field>
                          <button type="submit" className="btn btn-sm btn-outline-danger">
                            {t('taxonomyEditor.proposals.reject')}
                          </button>
                        </form>
                      ) : (
                        <button type="button" className="btn btn-sm btn-outline-danger" onClick={() => { setRejecting(p.id); setReason(''); }}>
                          {t('taxonomyEditor.proposals.reject')}
                        </button>
                      )}
                    </div>
                  )}
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
      {proposerOrganisations.length > 0 && (
        <div className="mt-4" data-testid="taxonomy-propose">
          <h3 className="h5">{t('taxonomyEditor.proposals.new')}</h3>
          <TaxonomyOperationForm
            idPrefix="proposal-op"
            taxonomy={taxonomy}
            submitLabel={t('taxonomyEditor.proposals.send')}
            onSubmit={propose}
            extra={
              <>
                {proposerOrganisations.length > 1 && (
                  <Field id="proposal-organisation" label={t('taxonomyEditor.proposals.organisation')}>
                    <select className="form-select" value={organisationId} onChange={(e) => setOrganisationId(e.target.value)} {...fieldA11y('proposal-organisation')}>
                      {proposerOrganisations.map((m) => (
                        <option key={m.organisationId} value={m.organisationId}>
                          {m.organisationName}
                        </option>
                      ))}
                    </select>
                  </Field>
                )}
                <Field id="proposal-rationale" label={t('taxonomyEditor.proposals.rationale')} required>
                  <textarea className="form-control" rows={3} value={rationale} onChange={(e) => setRationale(e.target.value)} required minLength={10} {...fieldA11y('proposal-rationale')} />
                </Field>
              </>
            }
          />
        </div>
      )}
    </section>
  );
}

/** An org admin's local sub-nodes: add under a network node, re-parent orphans, retire. */
export function TaxonomyLocalNodes({ taxonomy, organisations, onChange }: { taxonomy: Taxonomy; organisations: { id: string; name: string; slug?: string }[]; onChange: () => void }) {
  const { t, label } = useI18n();
  const [organisationId, setOrganisationId] = useState(organisations[0]?.id ?? '');
  const nodes = useApiGet(organisationId ? '/taxonomy/local-nodes' : null, { query: { organisationId } });
  const [facet, setFacet] = useState(() => taxonomy.facets.find((f) => f.code === 'tema')?.code ?? taxonomy.facets[0]?.code ?? '');
  const [parent, setParent] = useState('');
  const [localCode, setLocalCode] = useState('');
  const [labelIt, setLabelIt] = useState('');
  const [labelEn, setLabelEn] = useState('');
  const [reparent, setReparent] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const options = useMemo(
    () => nodeOptions((taxonomy.facets.find((f) => f.code === facet)?.nodes ?? []) as GovernedNode[], label).filter((o) => !o.deprecated),
    [taxonomy, facet, label],
  );
  const allOptions = (facetCode: string) => nodeOptions((taxonomy.facets.find((f) => f.code === facetCode)?.nodes ?? []) as GovernedNode[], label).filter((o) => !o.deprecated);

  const act = async (action: () => Promise<string>) => {
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
      await nodes.reload();
      onChange();
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };
  const add = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const { data } = await unwrap(
        client.POST('/taxonomy/local-nodes', {
          body: { organisationId, facet, parentCode: parent, localCode: localCode.trim(), label: { it: labelIt.trim(), ...(labelEn.trim() && { en: labelEn.trim() }) } },
        }),
      );
      setLocalCode('');
      setLabelIt('');
      setLabelEn('');
      return t('taxonomyEditor.local.added', { code: data.code });
    });
  };
  const org = organisations.find((o) => o.id === organisationId);
  const example = `${parent || 'tema.codice'}.${(org?.slug ?? 'ente').replace(/-/g, '_')}.${localCode || 'codice_locale'}`;

  return (
    <section aria-labelledby="taxonomy-local-title" className="mt-5" data-testid="taxonomy-local">
      <h2 id="taxonomy-local-title">{t('taxonomyEditor.local.title')}</h2>
      <p>{t('taxonomyEditor.local.intro')}</p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {organisations.length > 1 && (
        <Field id="local-organisation" label={t('taxonomyEditor.local.organisation')}>
          <select className="form-select" value={organisationId} onChange={(e) => setOrganisationId(e.target.value)} {...fieldA11y('local-organisation')}>
            {organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      {nodes.loading && !nodes.data ? (
        <Spinner />
      ) : (nodes.data?.items.length ?? 0) === 0 ? (
        <p>{t('taxonomyEditor.local.none')}</p>
      ) : (
        <DataTable caption={t('taxonomyEditor.local.title')} columns={[t('taxonomyEditor.local.code'), t('taxonomyEditor.local.label'), t('taxonomyEditor.local.parent'), t('taxonomyEditor.local.status'), t('taxonomyEditor.proposals.actions')]}>
          {nodes.data?.items.map((n) => (
            <tr key={n.id} data-local-code={n.code}>
              <td><code>{n.code}</code></td>
              <td>{label(n.label)}</td>
              <td><code>{n.parentCode}</code></td>
              <td>
                {t(`taxonomyEditor.local.status.${n.status}`)}
                {n.statusNote && <div className="small text-muted">{n.statusNote}</div>}
              </td>
              <td>
                <div className="d-flex flex-column gap-2">
                  {n.status === 'orphaned' && (
                    <form
                      onSubmit={(e) => {
                        e.preventDefault();
                        void act(async () => {
                          await unwrap(client.PATCH('/taxonomy/local-nodes/{id}', { params: { path: { id: n.id } }, body: { parentCode: reparent[n.id] ?? '' } }));
                          return t('taxonomyEditor.local.reparented');
                        });
                      }}
                    >
                      <Field id={`reparent-${n.id}`} label={t('taxonomyEditor.local.parent')}>
                        <select className="form-select form-select-sm" value={reparent[n.id] ?? ''} onChange={(e) => setReparent({ ...reparent, [n.id]: e.target.value })} required {...fieldA11y(`reparent-${n.id}`)}>
                          <option value="">{t('app.choose')}</option>
                          {allOptions(n.facet).map((o) => (
                            <option key={o.code} value={o.code}>
                              {o.text}
                            </option>
                          ))}
                        </select>
                      </Field>
                      <button type="submit" className="btn btn-sm btn-outline-primary">
                        {t('taxonomyEditor.local.reparent')}
                      </button>
                    </form>
                  )}
                  <button
                    type="button"
                    className="btn btn-sm btn-outline-danger"
                    onClick={() => {
                      if (!window.confirm(t('taxonomyEditor.local.retireConfirm', { code: n.code }))) return;
                      void act(async () => {
                        await unwrap(client.DELETE('/taxonomy/local-nodes/{id}', { params: { path: { id: n.id } } }));
                        return t('taxonomyEditor.local.retired');
                      });
                    }}
                  >
                    {t('taxonomyEditor.local.retire')}
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <form onSubmit={add} className="mt-3" data-testid="local-node-form">
        <div className="row">
          <div className="col-md-4">
            <Field id="local-facet" label={t('taxonomyEditor.facet')}>
              <select className="form-select" value={facet} onChange={(e) => { setFacet(e.target.value); setParent(''); }} {...fieldA11y('local-facet')}>
                {taxonomy.facets.map((f) => (
                  <option key={f.code} value={f.code}>
                    {label(f.label)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="col-md-8">
            <Field id="local-parent" label={t('taxonomyEditor.local.parent')} required>
              <select className="form-select" value={parent} onChange={(e) => setParent(e.target.value)} required {...fieldA11y('local-parent')}>
                <option value="">{t('app.choose')}</option>
                {options.map((o) => (
                  <option key={o.code} value={o.code}>
                    {o.text}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="col-md-4">
            <Field id="local-code" label={t('taxonomyEditor.local.localCode')} hint={t('taxonomyEditor.local.localCodeHint', { example })} required>
              <input className={controlClass('form-control')} value={localCode} onChange={(e) => setLocalCode(e.target.value)} required pattern="[a-z0-9_]+" {...fieldA11y('local-code', undefined, true)} />
            </Field>
          </div>
          <div className="col-md-4">
            <Field id="local-label-it" label={t('taxonomyEditor.op.labelIt')} required>
              <input className="form-control" value={labelIt} onChange={(e) => setLabelIt(e.target.value)} required {...fieldA11y('local-label-it')} />
            </Field>
          </div>
          <div className="col-md-4">
            <Field id="local-label-en" label={t('taxonomyEditor.op.labelEn')}>
              <input className="form-control" value={labelEn} onChange={(e) => setLabelEn(e.target.value)} {...fieldA11y('local-label-en')} />
            </Field>
          </div>
        </div>
        <button type="submit" className="btn btn-primary">
          {t('taxonomyEditor.local.add')}
        </button>
      </form>
    </section>
  );
}
