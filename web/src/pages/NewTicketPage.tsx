import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { ApiError, type ApiRequestBody, client, newIdempotencyKey, requestHeaders, unwrap } from '../api/client.js';
import { PRIORITIES, type Priority, } from '../api/types.js';
import { FacetSelect } from '../components/FacetSelect.js';
import { ClassificationSuggestions } from '../components/ClassificationSuggestions.js';
import { FaqSuggestions } from '../components/FaqSuggestions.js';
import { applyLink, SimilarTickets } from '../components/SimilarTickets.js';
import { TaxonomyPicker } from '../components/TaxonomyPicker.js';
import { controlClass, ErrorAlert, Field, fieldA11y, ForbiddenPage, Spinner } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { fieldErrorMessages, focusFirstInvalid } from '../lib/form-errors.js';
import { useTaxonomy, useWorkOffices } from '../lib/hooks.js';
import type { PendingLink } from '../lib/network.js';
import { errorMessage } from '../lib/problems.js';
import { navigate } from '../lib/router.js';
import { useSession } from '../lib/session.js';

/** Facets that have their own control on this form, or that belong to a later step (outcome). */
const FACETS_WITH_OWN_CONTROL = new Set(['tema', 'tipo', 'canale', 'esito']);

export interface NewTicketForm {
  officeId: string;
  channel: string;
  priority: Priority;
  requesterName: string;
  requesterEmail: string;
  requesterPhone: string;
  requesterFiscalCode: string;
  subject: string;
  description: string;
  classification: Record<string, string>;
}

/** The POST /tickets body for the form: empty requester fields are left out, the channel is also the `canale` facet. */
export function newTicketBody(form: NewTicketForm, facetCodes: readonly string[]): ApiRequestBody<'/tickets', 'post'> {
  const requester = {
    name: form.requesterName.trim() || undefined,
    email: form.requesterEmail.trim() || undefined,
    phone: form.requesterPhone.trim() || undefined,
    fiscalCode: form.requesterFiscalCode.trim().toUpperCase() || undefined,
  };
  const hasRequester = Object.values(requester).some(Boolean);
  const classification: Record<string, string> = {};
  for (const [facet, code] of Object.entries(form.classification)) if (code) classification[facet] = code;
  if (facetCodes.includes('canale') && form.channel) classification.canale = form.channel;
  return {
    officeId: form.officeId,
    // The picker offers the taxonomy's `canale` codes; the server checks the value against its enum.
    channel: form.channel as ApiRequestBody<'/tickets', 'post'>['channel'],
    subject: form.subject.trim(),
    description: form.description.trim(),
    priority: form.priority,
    ...(hasRequester ? { requester } : {}),
    classification,
  };
}

/** Choosing the same link again undoes it. */
function sameLink(a: PendingLink | null, b: PendingLink): boolean {
  if (!a || a.kind !== b.kind) return false;
  if (a.kind === 'incident' && b.kind === 'incident') return a.incident.id === b.incident.id;
  return a.kind !== 'incident' && b.kind !== 'incident' && a.target.ref === b.target.ref;
}

export function NewTicketPage() {
  const { t, label, locale } = useI18n();
  const { session } = useSession();
  const taxonomy = useTaxonomy();
  const offices = useWorkOffices(session?.memberships ?? []);
  // One key per form instance: a double submit (or a retry after a timeout) never makes two tickets.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [form, setForm] = useState<NewTicketForm>({
    officeId: '',
    channel: 'telefono',
    priority: 'normal',
    requesterName: '',
    requesterEmail: '',
    requesterPhone: '',
    requesterFiscalCode: '',
    subject: '',
    description: '',
    classification: {},
  });
  const [error, setError] = useState<unknown>(null);
  // The classification suggestion on screen: sent with the ticket so its confirmation/correction is recorded.
  const [suggestionId, setSuggestionId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A similar ticket or incident of the network the contact is about: linked once the ticket exists.
  const [link, setLink] = useState<PendingLink | null>(null);
  const submitting = useRef(false);
  const refs = {
    requester: useRef<HTMLInputElement>(null),
    subject: useRef<HTMLInputElement>(null),
    description: useRef<HTMLTextAreaElement>(null),
    tema: useRef<HTMLInputElement>(null),
    tipo: useRef<HTMLSelectElement>(null),
  };

  const officeId = form.officeId || offices[0]?.id || '';
  useEffect(() => {
    refs.requester.current?.focus();
    // focus once, when the form first appears
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [taxonomy !== null]);

  const set = <K extends keyof NewTicketForm>(key: K, value: NewTicketForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setFacet = (facet: string, code: string) => setForm((f) => ({ ...f, classification: { ...f.classification, [facet]: code } }));

  const submit = async () => {
    if (submitting.current) return;
    submitting.current = true;
    setBusy(true);
    setError(null);
    try {
      const body = newTicketBody({ ...form, officeId }, taxonomy?.facets.map((f) => f.code) ?? []);
      const { data } = await unwrap(
        client.POST('/tickets', { body: { ...body, ...(suggestionId ? { classificationSuggestionId: suggestionId } : {}) }, headers: requestHeaders({ idempotencyKey }) }),
      );
      let linkNotice: { kind: 'success' | 'warning'; text: string } | null = null;
      if (link) {
        try {
          linkNotice = { kind: 'success', text: await applyLink(data.code, link, t) };
        } catch (linkError) {
          // The contact is recorded all the same: say what did not work, on its page.
          linkNotice = { kind: 'warning', text: t('network.link.failed', { reason: errorMessage(linkError, t) }) };
        }
      }
      navigate(`/tickets/${encodeURIComponent(data.code)}`, { state: { created: true, linkNotice } });
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.problem.errors?.length) {
        // Put the operator on the first field that needs attention.
        focusFirstInvalid();
      }
    } finally {
      submitting.current = false;
      setBusy(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
      return;
    }
    if (event.altKey && !event.ctrlKey && !event.shiftKey && /^Digit[1-5]$/.test(event.code)) {
      const target = [refs.requester, refs.subject, refs.description, refs.tema, refs.tipo][Number(event.code.slice(5)) - 1];
      if (target?.current) {
        event.preventDefault();
        target.current.focus();
      }
    }
  };

  if (!taxonomy) return <Spinner />;
  if (offices.length === 0) {
    return <ForbiddenPage title={t('ticket.new.title')} message={t('ticket.new.noOffice')} />;
  }

  // Every field error at once, in the user's language; the alert names the fields by their labels.
  const errors = fieldErrorMessages(error, locale);
  const fieldLabels: Record<string, string> = {
    'requester.name': t('ticket.requester.name'),
    'requester.phone': t('ticket.requester.phone'),
    'requester.email': t('ticket.requester.email'),
    'requester.fiscalCode': t('ticket.requester.fiscalCode'),
    subject: t('ticket.subject'),
    description: t('ticket.description'),
    priority: t('priority.label'),
    officeId: t('ticket.new.office'),
    channel: t('ticket.new.channel'),
    ...Object.fromEntries((taxonomy?.facets ?? []).map((f) => [`classification.${f.code}`, label(f.label)])),
  };
  const temaFacet = taxonomy.facets.find((f) => f.code === 'tema');
  const tipoFacet = taxonomy.facets.find((f) => f.code === 'tipo');
  const canaleFacet = taxonomy.facets.find((f) => f.code === 'canale');
  const otherFacets = taxonomy.facets.filter((f) => !FACETS_WITH_OWN_CONTROL.has(f.code));
  const facetError = (code: string) => errors[`classification.${code}`];

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('ticket.new.title')}</h1>
      <p className="mb-1">{t('ticket.new.intro')}</p>
      <p className="small text-muted" id="shortcuts-hint">
        {t('ticket.new.shortcuts')}
      </p>
      <ErrorAlert error={error} labels={fieldLabels} />
      <form onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate aria-describedby="shortcuts-hint" className="new-ticket-form">
        <div className="row">
          <div className="col-12 col-lg-6">
            <fieldset className="mb-4">
              <legend className="h4">{t('ticket.new.requester')}</legend>
              <Field id="requester-name" label={t('ticket.requester.name')} error={errors['requester.name']}>
                <input
                  ref={refs.requester}
                  type="text"
                  autoComplete="off"
                  className={controlClass('form-control', errors['requester.name'])}
                  value={form.requesterName}
                  onChange={(e) => set('requesterName', e.target.value)}
                  {...fieldA11y('requester-name', errors['requester.name'])}
                />
              </Field>
              <div className="row">
                <div className="col-md-6">
                  <Field id="requester-phone" label={t('ticket.requester.phone')} error={errors['requester.phone']}>
                    <input
                      type="tel"
                      autoComplete="off"
                      className={controlClass('form-control', errors['requester.phone'])}
                      value={form.requesterPhone}
                      onChange={(e) => set('requesterPhone', e.target.value)}
                      {...fieldA11y('requester-phone', errors['requester.phone'])}
                    />
                  </Field>
                </div>
                <div className="col-md-6">
                  <Field id="requester-email" label={t('ticket.requester.email')} error={errors['requester.email']}>
                    <input
                      type="email"
                      autoComplete="off"
                      className={controlClass('form-control', errors['requester.email'])}
                      value={form.requesterEmail}
                      onChange={(e) => set('requesterEmail', e.target.value)}
                      {...fieldA11y('requester-email', errors['requester.email'])}
                    />
                  </Field>
                </div>
              </div>
              <Field id="requester-fiscal-code" label={t('ticket.requester.fiscalCode')} error={errors['requester.fiscalCode']}>
                <input
                  type="text"
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={16}
                  className={controlClass('form-control text-uppercase', errors['requester.fiscalCode'])}
                  value={form.requesterFiscalCode}
                  onChange={(e) => set('requesterFiscalCode', e.target.value)}
                  {...fieldA11y('requester-fiscal-code', errors['requester.fiscalCode'])}
                />
              </Field>
            </fieldset>

            <fieldset className="mb-4">
              <legend className="h4">{t('ticket.new.contact')}</legend>
              <Field id="ticket-subject" label={t('ticket.subject')} error={errors.subject} required>
                <input
                  ref={refs.subject}
                  type="text"
                  required
                  maxLength={200}
                  className={controlClass('form-control', errors.subject)}
                  value={form.subject}
                  onChange={(e) => set('subject', e.target.value)}
                  {...fieldA11y('ticket-subject', errors.subject)}
                />
              </Field>
              <Field id="ticket-description" label={t('ticket.description')} error={errors.description} required>
                <textarea
                  ref={refs.description}
                  rows={6}
                  required
                  className={controlClass('form-control', errors.description)}
                  value={form.description}
                  onChange={(e) => set('description', e.target.value)}
                  {...fieldA11y('ticket-description', errors.description)}
                />
              </Field>
              <FaqSuggestions
                text={`${form.subject}\n${form.description}`}
                context="description"
                modifier="alt-shift"
                onPaste={(answer) => setForm((f) => ({ ...f, description: f.description.trim() ? `${f.description.trimEnd()}\n\n${answer}` : answer }))}
              />
            </fieldset>
            <SimilarTickets
              text={`${form.subject}\n${form.description}`}
              topic={form.classification.tema || undefined}
              officeId={officeId || undefined}
              chosen={link}
              onChoose={(next) => setLink((current) => (sameLink(current, next) ? null : next))}
              headingLevel={2}
            />
            {link && (
              <div className="alert alert-info d-flex flex-wrap justify-content-between align-items-center gap-2" data-testid="pending-link">
                <span>
                  {link.kind === 'duplicate'
                    ? t('network.similar.chosenDuplicate', { target: link.target.code ?? link.target.subject })
                    : link.kind === 'ask'
                      ? t('network.similar.chosenAsk', { office: link.target.officeName })
                      : t('network.similar.chosenIncident', { title: link.incident.title })}
                </span>
                <button type="button" className="btn btn-link btn-sm p-0" onClick={() => setLink(null)}>
                  {t('network.similar.undo')}
                </button>
              </div>
            )}
          </div>

          <div className="col-12 col-lg-6">
            <fieldset className="mb-4">
              <legend className="h4">{t('ticket.new.classification')}</legend>
              <ClassificationSuggestions
                text={`${form.subject}\n${form.description}`}
                value={{ tema: form.classification.tema, tipo: form.classification.tipo }}
                onUse={setFacet}
                onSuggestion={setSuggestionId}
              />
              {temaFacet && (
                <TaxonomyPicker
                  id="ticket-tema"
                  facet={temaFacet}
                  withLocalNodes
                  label={label(temaFacet.label)}
                  required={temaFacet.required}
                  value={form.classification.tema ?? ''}
                  onChange={(code) => setFacet('tema', code)}
                  error={facetError('tema')}
                  inputRef={refs.tema}
                />
              )}
              {tipoFacet && (
                <FacetSelect
                  id="ticket-tipo"
                  facet={tipoFacet}
                  value={form.classification.tipo ?? ''}
                  onChange={(code) => setFacet('tipo', code)}
                  error={facetError('tipo')}
                  selectRef={refs.tipo}
                />
              )}
              <Field id="ticket-priority" label={t('priority.label')} error={errors.priority}>
                <select
                  className={controlClass('form-select', errors.priority)}
                  value={form.priority}
                  onChange={(e) => set('priority', e.target.value as Priority)}
                  {...fieldA11y('ticket-priority', errors.priority)}
                >
                  {PRIORITIES.map((p) => (
                    <option key={p} value={p}>
                      {t(`priority.${p}`)}
                    </option>
                  ))}
                </select>
              </Field>
              {otherFacets.map((facet) => (
                <FacetSelect
                  key={facet.code}
                  id={`ticket-facet-${facet.code}`}
                  facet={facet}
                  value={form.classification[facet.code] ?? ''}
                  onChange={(code) => setFacet(facet.code, code)}
                  error={facetError(facet.code)}
                />
              ))}
            </fieldset>

            <fieldset className="mb-4">
              <legend className="h4">{t('ticket.office')}</legend>
              <div className="row">
                <div className="col-md-6">
                  <Field id="ticket-office" label={t('ticket.new.office')} error={errors.officeId} required>
                    <select
                      className={controlClass('form-select', errors.officeId)}
                      value={officeId}
                      onChange={(e) => set('officeId', e.target.value)}
                      {...fieldA11y('ticket-office', errors.officeId)}
                    >
                      {offices.map((office) => (
                        <option key={office.id} value={office.id}>
                          {office.name} – {office.organisationName}
                        </option>
                      ))}
                    </select>
                  </Field>
                </div>
                <div className="col-md-6">
                  {canaleFacet ? (
                    <FacetSelect
                      id="ticket-channel"
                      facet={canaleFacet}
                      value={form.channel}
                      required
                      onChange={(code) => set('channel', code)}
                      error={errors.channel ?? facetError('canale')}
                    />
                  ) : (
                    <Field id="ticket-channel" label={t('ticket.new.channel')} required>
                      <input className="form-control" value={form.channel} onChange={(e) => set('channel', e.target.value)} id="ticket-channel" />
                    </Field>
                  )}
                </div>
              </div>
            </fieldset>
          </div>
        </div>
        <div className="d-flex gap-3 align-items-center">
          <button type="submit" className="btn btn-primary btn-lg" disabled={busy} aria-keyshortcuts="Control+Enter">
            {busy ? t('ticket.new.submitting') : t('ticket.new.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
