import { type ReactNode, useState } from 'react';
import { Field, ForbiddenPage } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { useApiGet } from '../lib/hooks.js';
import { hasRole, useSession } from '../lib/session.js';

/** What the data-protection pages show to those who may not use them. */
export function PrivacyForbidden({ title }: { title: string }) {
  const { t } = useI18n();
  return <ForbiddenPage title={title} message={t('privacy.forbidden')} />;
}

/**
 * The organisations the user administers (all of them for the network coordination), the chosen
 * one, and the select to change it (nothing when there is only one).
 */
export function useManagedOrganisations(allowed: boolean, selectId: string, label?: string) {
  const { t } = useI18n();
  const { session } = useSession();
  const memberships = session?.memberships ?? [];
  const coordinator = hasRole(memberships, ['network_coordinator']);
  const orgs = useApiGet(allowed ? '/organisations' : null);
  const managed = (orgs.data?.items ?? []).filter((o) => coordinator || memberships.some((m) => m.role === 'org_admin' && m.organisationId === o.id));
  const [chosen, setChosen] = useState('');
  const organisationId = chosen || managed[0]?.id || '';
  const select: ReactNode =
    managed.length > 1 ? (
      <div className="col-12 col-md-6">
        <Field id={selectId} label={label ?? t('privacy.organisation')}>
          <select id={selectId} className="form-select" value={organisationId} onChange={(e) => setChosen(e.target.value)}>
            {managed.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
    ) : null;
  return { managed, organisationId, select, error: orgs.error, loading: orgs.loading };
}
