import { useCallback, useMemo, useState } from 'react';
import { API_BASE } from '../api/client.js';
import type { Taxonomy } from '../api/types.js';
import { type Draft, TaxonomyDraftEditor, TaxonomyLocalNodes, TaxonomyProposals } from '../components/TaxonomyGovernance.js';
import { TaxonomyTranslate } from '../components/TaxonomyTranslate.js';
import { TaxonomyTree, visibleCodes, withLocal } from '../components/TaxonomyTree.js';
import { ErrorAlert, Field, fieldA11y, Icon, Spinner } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { useApiGet } from '../lib/hooks.js';
import { hasRole, useSession } from '../lib/session.js';

const semver = (v: string) => v.split('.').map(Number);
const compare = (a: string, b: string) => {
  const [x, y] = [semver(a), semver(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

/**
 * The shared taxonomy: everyone signed in browses any published version (with their organisation's
 * local nodes on the current one) and downloads it; the coordinator edits the next version and
 * decides proposals; org admins and supervisors propose changes; org admins manage local nodes.
 */
export function TaxonomyPage() {
  const { t, label, locale } = useI18n();
  const { session } = useSession();
  const memberships = session?.memberships ?? [];
  const coordinator = hasRole(memberships, ['network_coordinator']);
  const proposers = memberships.filter((m, i, all) => (m.role === 'org_admin' || m.role === 'supervisor') && all.findIndex((o) => o.organisationId === m.organisationId) === i);
  const adminOrgIds = [...new Set(memberships.filter((m) => m.role === 'org_admin').map((m) => m.organisationId))];

  const versions = useApiGet('/taxonomy/versions');
  const sorted = useMemo(() => [...(versions.data?.items ?? [])].map((v) => v.version).sort(compare).reverse(), [versions.data]);
  const current = sorted[0] ?? null;
  const [chosen, setChosen] = useState<string | null>(null);
  const version = chosen ?? current;
  const doc = useApiGet(version ? '/taxonomy/versions/{version}' : null, { path: { version: version ?? '' } });
  const currentDoc = useApiGet(current ? '/taxonomy/versions/{version}' : null, { path: { version: current ?? '' } });
  const locals = useApiGet('/taxonomy/local-nodes');
  const organisations = useApiGet(adminOrgIds.length > 0 ? '/organisations' : null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [preview, setPreview] = useState(false);
  // Downloads may carry the local sub-nodes of the user's own organisation (the first one, if several).
  const ownOrg = memberships[0] ? { id: memberships[0].organisationId, name: memberships[0].organisationName } : null;
  const [exportLocal, setExportLocal] = useState(false);

  const [facetCode, setFacetCode] = useState('tema');
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState<Set<string>>(new Set());

  const shown: Taxonomy | null = preview && draft ? draft.document : doc.data;
  const facet = shown?.facets.find((f) => f.code === facetCode) ?? shown?.facets[0];
  const isCurrent = !preview && version === current;
  const nodes = useMemo(() => (facet ? withLocal(facet, isCurrent ? (locals.data?.items ?? []) : []) : []), [facet, isCurrent, locals.data]);
  const visible = useMemo(() => visibleCodes(nodes, query, locale), [nodes, query, locale]);

  const toggle = useCallback((code: string) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(code)) next.delete(code);
      else next.add(code);
      return next;
    });
  }, []);
  const expandAll = () => {
    const all = new Set<string>();
    const walk = (list: typeof nodes) => {
      for (const n of list) {
        if (n.children?.length) all.add(n.code);
        walk(n.children ?? []);
      }
    };
    walk(nodes);
    setExpanded(all);
  };
  // After a publication the new version becomes the one shown, and local nodes may have moved.
  const onPublished = useCallback(() => {
    setChosen(null);
    setPreview(false);
    void versions.reload();
    void locals.reload();
  }, [versions, locals]);

  const download = (format: 'json' | 'csv' | 'skos') =>
    `${API_BASE}/taxonomy/versions/${version}/export?format=${format}${exportLocal && ownOrg ? `&organisationId=${encodeURIComponent(ownOrg.id)}` : ''}`;
  const adminOrgs = adminOrgIds.map((id) => {
    const org = organisations.data?.items.find((o) => o.id === id);
    return { id, name: org?.name ?? memberships.find((m) => m.organisationId === id)?.organisationName ?? '', ...(org && { slug: org.slug }) };
  });

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('taxonomyEditor.title')}</h1>
      <p className="lead">{t('taxonomyEditor.intro')}</p>
      <ErrorAlert error={versions.error ?? doc.error} />
      {!version || !shown || !facet ? (
        <Spinner />
      ) : (
        <>
          <div className="row align-items-end">
            <div className="col-md-3">
              <Field id="taxonomy-version" label={t('taxonomyEditor.version')}>
                <select className="form-select" value={version} onChange={(e) => { setChosen(e.target.value); setPreview(false); }} {...fieldA11y('taxonomy-version')}>
                  {sorted.map((v) => (
                    <option key={v} value={v}>
                      {v === current ? t('taxonomyEditor.versionCurrent', { version: v }) : v}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <div className="col-md-9 mb-3">
              <span className="fw-semibold me-2">{t('taxonomyEditor.download')}:</span>
              {(['json', 'csv', 'skos'] as const).map((f) => (
                <a key={f} className="btn btn-sm btn-outline-primary me-2" href={download(f)} download>
                  <Icon name="download" size="sm" className="icon-primary me-1" />
                  {t(f === 'json' ? 'taxonomyEditor.downloadJson' : f === 'csv' ? 'taxonomyEditor.downloadCsv' : 'taxonomyEditor.downloadSkos')}
                  <span className="visually-hidden"> {version}</span>
                </a>
              ))}
              <a className="btn btn-sm btn-outline-primary" href={`${API_BASE}/taxonomy/versions/${version}/crosswalk?format=csv`} download>
                <Icon name="download" size="sm" className="icon-primary me-1" />
                {t('taxonomyEditor.downloadCrosswalk')}
                <span className="visually-hidden"> {version}</span>
              </a>
              {ownOrg && (
                <div className="form-check mt-2">
                  <input id="taxonomy-export-local" type="checkbox" className="form-check-input" checked={exportLocal} onChange={(e) => setExportLocal(e.target.checked)} />
                  <label htmlFor="taxonomy-export-local" className="form-check-label">
                    {t('taxonomyEditor.downloadWithLocal', { organisation: ownOrg.name })}
                  </label>
                </div>
              )}
            </div>
          </div>
          {draft && (
            <div className="form-check mb-3">
              <input id="taxonomy-preview" type="checkbox" className="form-check-input" checked={preview} onChange={(e) => setPreview(e.target.checked)} />
              <label htmlFor="taxonomy-preview" className="form-check-label">
                {t('taxonomyEditor.editor.preview')} ({draft.version})
              </label>
            </div>
          )}
          <div className="row align-items-end">
            <div className="col-md-4">
              <Field id="taxonomy-facet" label={t('taxonomyEditor.facet')}>
                <select className="form-select" value={facet.code} onChange={(e) => setFacetCode(e.target.value)} {...fieldA11y('taxonomy-facet')}>
                  {shown.facets.map((f) => (
                    <option key={f.code} value={f.code}>
                      {label(f.label)}
                      {f.required ? ` (${t('taxonomyEditor.required')})` : ''}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <div className="col-md-5">
              <Field id="taxonomy-search" label={t('taxonomyEditor.search')}>
                <input type="search" className="form-control" value={query} onChange={(e) => setQuery(e.target.value)} {...fieldA11y('taxonomy-search')} />
              </Field>
            </div>
            <div className="col-md-3 mb-3 d-flex gap-2">
              <button type="button" className="btn btn-sm btn-outline-secondary" onClick={expandAll} disabled={visible !== null}>
                {t('taxonomyEditor.expandAll')}
              </button>
              <button type="button" className="btn btn-sm btn-outline-secondary" onClick={() => setExpanded(new Set())} disabled={visible !== null}>
                {t('taxonomyEditor.collapseAll')}
              </button>
            </div>
          </div>
          {facet.description && <p className="text-muted">{label(facet.description)}</p>}
          <div className="border rounded p-3" data-testid="taxonomy-tree" data-version={preview && draft ? draft.version : version}>
            {visible !== null && visible.size === 0 ? (
              <p className="mb-0" role="status">{t('taxonomyEditor.noMatch')}</p>
            ) : (
              <TaxonomyTree facet={facet} nodes={nodes} expanded={expanded} onToggle={toggle} visible={visible} idPrefix="tx" />
            )}
          </div>
        </>
      )}
      {/* Outside the loading state of the browsed version, so that their messages survive a reload. */}
      {sorted.length > 1 && currentDoc.data && <TaxonomyTranslate versions={sorted} taxonomy={currentDoc.data} />}
      {coordinator && current && <TaxonomyDraftEditor currentVersion={current} onPublished={onPublished} onDraft={setDraft} />}
      {(coordinator || proposers.length > 0) && currentDoc.data && (
        <TaxonomyProposals taxonomy={draft?.document ?? currentDoc.data} coordinator={coordinator} proposerOrganisations={proposers} />
      )}
      {adminOrgs.length > 0 && currentDoc.data && <TaxonomyLocalNodes taxonomy={currentDoc.data} organisations={adminOrgs} onChange={() => void locals.reload()} />}
    </section>
  );
}
