import { type FormEvent, useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { useI18n } from '../i18n/index.js';
import { useTaxonomy } from '../lib/hooks.js';
import { findFacet } from '../lib/taxonomy.js';
import { FacetSelect } from './FacetSelect.js';
import type { FaqContent } from './FaqEditorialApi.js';
import { TaxonomyPicker } from './TaxonomyPicker.js';
import { controlClass, Field, fieldA11y } from './ui.js';

export interface FaqFormValues extends FaqContent {
  /** '' keeps the current owner (or makes the author the owner of a new FAQ). */
  ownerId: string;
  reviewBy: string;
  publishAt: string;
  expiresAt: string;
}

/** An ISO instant as the value of a datetime-local input (browser time). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

interface Props {
  idPrefix: string;
  initial: FaqFormValues;
  submitLabel: string;
  busy: boolean;
  error: unknown;
  /** Whether the scheduled publication may still change (not once the FAQ is live). */
  scheduleEditable: boolean;
  /** Who may be chosen as the FAQ's owner (referente). */
  owners: readonly { id: string; name: string }[];
  onSubmit: (values: FaqFormValues) => void;
  children?: React.ReactNode;
}

/** Title, body, classification, tags, review-by date and schedule of an FAQ. */
export function FaqEditorForm({ idPrefix, initial, submitLabel, busy, error, scheduleEditable, owners, onSubmit, children }: Props) {
  const { t, label } = useI18n();
  const taxonomy = useTaxonomy();
  const temaFacet = findFacet(taxonomy, 'tema');
  const tipoFacet = findFacet(taxonomy, 'tipo');
  const [values, setValues] = useState<FaqFormValues>(initial);
  const [tagsText, setTagsText] = useState(initial.tags.join(', '));
  const errors = fieldErrors(error);
  const id = (name: string) => `${idPrefix}-${name}`;
  const set = <K extends keyof FaqFormValues>(key: K, value: FaqFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ ...values, tags: tagsText.split(',').map((s) => s.trim()).filter(Boolean) });
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby={id('legend')}>
      <h2 id={id('legend')} className="h4">
        {submitLabel}
      </h2>
      {children}
      <Field id={id('title')} label={t('faqEditorial.field.title')} required error={errors.title}>
        <input className={controlClass('form-control', errors.title)} value={values.title} onChange={(e) => set('title', e.target.value)} required maxLength={300} {...fieldA11y(id('title'), errors.title)} />
      </Field>
      <Field id={id('body')} label={t('faqEditorial.field.body')} required error={errors.body} hint={t('faqEditorial.field.body.hint')}>
        <textarea
          className={controlClass('form-control', errors.body)}
          rows={8}
          value={values.body}
          onChange={(e) => set('body', e.target.value)}
          required
          maxLength={20000}
          {...fieldA11y(id('body'), errors.body, true)}
        />
      </Field>
      <div className="row">
        <div className="col-12 col-lg-6">
          {temaFacet && (
            <TaxonomyPicker id={id('tema')} facet={temaFacet} label={label(temaFacet.label)} value={values.tema ?? ''} onChange={(code) => set('tema', code || null)} error={errors.tema} />
          )}
        </div>
        <div className="col-12 col-lg-6">
          {tipoFacet && <FacetSelect id={id('tipo')} facet={tipoFacet} value={values.tipo ?? ''} onChange={(code) => set('tipo', code || null)} error={errors.tipo} required={false} />}
        </div>
      </div>
      <Field id={id('tags')} label={t('faqEditorial.field.tags')} hint={t('faqEditorial.field.tags.hint')} error={errors.tags}>
        <input className={controlClass('form-control', errors.tags)} value={tagsText} onChange={(e) => setTagsText(e.target.value)} {...fieldA11y(id('tags'), errors.tags, true)} />
      </Field>
      {owners.length > 0 && (
        <Field id={id('owner')} label={t('faqEditorial.field.owner')} error={errors.ownerId}>
          <select className={controlClass('form-select', errors.ownerId)} value={values.ownerId} onChange={(e) => set('ownerId', e.target.value)} {...fieldA11y(id('owner'), errors.ownerId)}>
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <div className="row">
        <div className="col-12 col-md-4">
          <Field id={id('reviewBy')} label={t('faqEditorial.field.reviewBy')} error={errors.reviewBy}>
            <input type="date" className={controlClass('form-control', errors.reviewBy)} value={values.reviewBy} onChange={(e) => set('reviewBy', e.target.value)} {...fieldA11y(id('reviewBy'), errors.reviewBy)} />
          </Field>
        </div>
        <div className="col-12 col-md-4">
          <Field id={id('publishAt')} label={t('faqEditorial.field.publishAt')} error={errors.publishAt} hint={scheduleEditable ? undefined : t('faqEditorial.field.publishAt.live')}>
            <input
              type="datetime-local"
              className={controlClass('form-control', errors.publishAt)}
              value={values.publishAt}
              disabled={!scheduleEditable}
              onChange={(e) => set('publishAt', e.target.value)}
              {...fieldA11y(id('publishAt'), errors.publishAt, !scheduleEditable)}
            />
          </Field>
        </div>
        <div className="col-12 col-md-4">
          <Field id={id('expiresAt')} label={t('faqEditorial.field.expiresAt')} error={errors.expiresAt}>
            <input type="datetime-local" className={controlClass('form-control', errors.expiresAt)} value={values.expiresAt} onChange={(e) => set('expiresAt', e.target.value)} {...fieldA11y(id('expiresAt'), errors.expiresAt)} />
          </Field>
        </div>
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {t('faqEditorial.save')}
      </button>
    </form>
  );
}
