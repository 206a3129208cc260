import type { ReactNode } from 'react';
import { useI18n } from '../i18n/index.js';
import { validationSummary } from '../lib/form-errors.js';
import { errorMessage } from '../lib/problems.js';

export const SPRITE = '/bootstrap-italia/dist/svg/sprites.svg';

export function Icon({ name, className = '', size }: { name: string; className?: string; size?: 'xs' | 'sm' | 'lg' | 'xl' }) {
  return (
    <svg className={`icon ${size ? `icon-${size}` : ''} ${className}`.trim()} aria-hidden="true" focusable="false">
      <use href={`${SPRITE}#it-${name}`} />
    </svg>
  );
}

export function Alert({ kind = 'danger', children, onClose }: { kind?: 'danger' | 'success' | 'warning' | 'info'; children: ReactNode; onClose?: () => void }) {
  const { t } = useI18n();
  const live = kind === 'danger' || kind === 'warning' ? { role: 'alert' } : { role: 'status' };
  return (
    <div className={`alert alert-${kind} d-flex justify-content-between align-items-start`} {...live}>
      <div>{children}</div>
      {onClose && (
        <button type="button" className="btn-close" aria-label={t('app.close')} onClick={onClose} />
      )}
    </div>
  );
}

/** A confirmation that the user can dismiss; nothing while there is none. */
export function Notice({ text, onClose }: { text: string | null; onClose: () => void }) {
  if (!text) return null;
  return (
    <Alert kind="success" onClose={onClose}>
      {text}
    </Alert>
  );
}

/**
 * The error above a form. With `labels` (field path → label on this form), a validation problem
 * names every field to fix as the user sees it, in the user's language, instead of the server's detail.
 */
export function ErrorAlert({ error, onClose, labels }: { error: unknown; onClose?: () => void; labels?: Record<string, string> }) {
  const { t, locale } = useI18n();
  if (!error) return null;
  return (
    <Alert kind="danger" onClose={onClose}>
      {(labels && validationSummary(error, locale, labels)) || errorMessage(error, t)}
    </Alert>
  );
}

/** What a page shows to someone whose roles do not let them use it. */
export function ForbiddenPage({ title, message }: { title: string; message: string }) {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      <p className="alert alert-warning" role="alert">
        {message}
      </p>
    </section>
  );
}

export function Spinner() {
  const { t } = useI18n();
  return (
    <div className="d-flex align-items-center gap-2 my-3" role="status">
      <div className="progress-spinner progress-spinner-active size-sm" aria-hidden="true" />
      <span>{t('app.loading')}</span>
    </div>
  );
}

const STATUS_CLASS: Record<string, string> = {
  new: 'bg-primary',
  open: 'bg-info text-dark',
  pending_citizen: 'bg-warning text-dark',
  pending_office: 'bg-secondary',
  resolved: 'bg-success',
  closed: 'bg-dark',
  cancelled: 'bg-dark',
};

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return <span className={`badge ${STATUS_CLASS[status] ?? 'bg-secondary'} status-badge`}>{label}</span>;
}

const PRIORITY_CLASS: Record<string, string> = { low: 'bg-light text-dark border', normal: 'bg-light text-dark border', high: 'bg-warning text-dark', urgent: 'bg-danger' };

export function PriorityBadge({ priority, label }: { priority: string; label: string }) {
  return <span className={`badge ${PRIORITY_CLASS[priority] ?? 'bg-light text-dark'}`}>{label}</span>;
}

/** After a required field's label: a star, and the word for screen readers. */
export function RequiredMark() {
  const { t } = useI18n();
  return (
    <>
      <span aria-hidden="true"> *</span>
      <span className="visually-hidden"> ({t('app.required')})</span>
    </>
  );
}

interface FieldProps {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  children: ReactNode;
  className?: string;
}

/** Label, control, hint and error of one form field; the control must use `id`, `aria-describedby`, `aria-invalid` from `fieldA11y`. */
export function Field({ id, label, error, hint, required, children, className = '' }: FieldProps) {
  return (
    <div className={`mb-3 ${className}`}>
      <label htmlFor={id} className="form-label fw-semibold">
        {label}
        {required && <RequiredMark />}
      </label>
      {children}
      {hint && (
        <div id={`${id}-hint`} className="form-text">
          {hint}
        </div>
      )}
      {error && (
        <div id={`${id}-error`} className="invalid-feedback d-block">
          {error}
        </div>
      )}
    </div>
  );
}

export function fieldA11y(id: string, error?: string, hint?: boolean) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  } as const;
}

export function controlClass(base: string, error?: string): string {
  return error ? `${base} is-invalid` : base;
}

/** A table in its scrolling wrapper, captioned for screen readers, with one header row; `children` are the body rows. */
export function DataTable({ caption, columns, className = '', wrapperClassName = '', children }: { caption: string; columns: ReactNode[]; className?: string; wrapperClassName?: string; children: ReactNode }) {
  return (
    <div className={`table-responsive ${wrapperClassName}`.trim()}>
      <table className={`table ${className}`.trim()}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed; their place is their identity.
              <th scope="col" key={index}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A column heading read by screen readers only (a column of buttons). */
export function HiddenHeading({ children }: { children: ReactNode }) {
  return <span className="visually-hidden">{children}</span>;
}
