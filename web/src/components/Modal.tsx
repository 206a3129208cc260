import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useI18n } from '../i18n/index.js';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest('[hidden]') && el.getClientRects().length > 0);
}

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Shown under the title and referenced by aria-describedby. */
  description?: string;
  size?: 'lg' | 'xl';
  /** The element to focus first (defaults to the first focusable one after the close button). */
  initialFocus?: string;
  testId?: string;
}

/**
 * A modal dialog (WAI-ARIA dialog pattern): labelled by its title, the rest of the page made inert,
 * Tab and Shift+Tab kept inside, Escape closes, focus returns to the control that opened it.
 */
export function Modal({ title, onClose, children, description, size = 'lg', initialFocus, testId }: ModalProps) {
  const { t } = useI18n();
  const titleId = useId();
  const descriptionId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the dialog takes focus once, when it opens.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = document.getElementById('root');
    root?.setAttribute('inert', '');
    root?.setAttribute('aria-hidden', 'true');
    document.body.classList.add('modal-open');
    const dialog = dialogRef.current;
    if (dialog) {
      const first = (initialFocus ? dialog.querySelector<HTMLElement>(initialFocus) : null) ?? focusables(dialog).find((el) => !el.classList.contains('btn-close')) ?? dialog;
      first.focus();
    }
    return () => {
      root?.removeAttribute('inert');
      root?.removeAttribute('aria-hidden');
      document.body.classList.remove('modal-open');
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      // A combobox inside handles its own Escape (closing its list) first.
      if (event.defaultPrevented) return;
      event.stopPropagation();
      onCloseRef.current();
      return;
    }
    if (event.key !== 'Tab' || !dialogRef.current) return;
    const items = focusables(dialogRef.current);
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === dialogRef.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div className="urp-modal-layer">
      <div className="modal-backdrop fade show" aria-hidden="true" />
      <div className="modal fade show d-block" tabIndex={-1}>
        <div className={`modal-dialog modal-dialog-scrollable modal-${size}`}>
          <div
            ref={dialogRef}
            className="modal-content"
            role="dialog"
            aria-modal="true"
            aria-labelledby={titleId}
            aria-describedby={description ? descriptionId : undefined}
            tabIndex={-1}
            onKeyDown={onKeyDown}
            data-testid={testId}
          >
            <div className="modal-header">
              <h2 className="modal-title h4" id={titleId}>
                {title}
              </h2>
              <button type="button" className="btn-close" aria-label={t('app.close')} onClick={() => onCloseRef.current()} />
            </div>
            <div className="modal-body">
              {description && (
                <p id={descriptionId} className="text-muted">
                  {description}
                </p>
              )}
              {children}
            </div>
          </div>
        </div>
      </div>
    </div>,
    document.body,
  );
}

/** A dialog form's buttons: cancel (closes) and submit (off while busy). */
export function DialogActions({ onCancel, submitLabel, busy, variant = 'primary' }: { onCancel: () => void; submitLabel: string; busy: boolean; variant?: 'primary' | 'danger' }) {
  const { t } = useI18n();
  return (
    <div className="d-flex gap-2 justify-content-end">
      <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
        {t('app.cancel')}
      </button>
      <button type="submit" className={`btn btn-${variant}`} disabled={busy}>
        {submitLabel}
      </button>
    </div>
  );
}
