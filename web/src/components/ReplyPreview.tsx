import { useI18n } from '../i18n/index.js';
import { Modal } from './Modal.js';

/**
 * What the citizen will receive, shown before a public reply goes out (it cannot be withdrawn):
 * the exact text, its attachments, and an explicit "send" or "back to editing".
 */
export function ReplyPreview({
  body,
  code,
  attachments = [],
  busy,
  onConfirm,
  onClose,
}: {
  body: string;
  /** The ticket code the citizen knows, or a description of the recipients for a mass reply. */
  code: string;
  attachments?: readonly string[];
  busy: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  return (
    <Modal title={t('network.reply.previewTitle')} description={t('network.reply.previewIntro', { code })} onClose={onClose} testId="reply-preview" initialFocus="[data-confirm]">
      <blockquote className="border-start border-4 border-primary ps-3 py-2 bg-light reply-preview-body" data-testid="reply-preview-body" style={{ whiteSpace: 'pre-wrap' }}>
        {body}
      </blockquote>
      {attachments.length > 0 && <p className="small">{t('network.reply.attachments', { names: attachments.join(', ') })}</p>}
      <div className="d-flex gap-2 justify-content-end">
        <button type="button" className="btn btn-outline-secondary" onClick={onClose}>
          {t('network.reply.back')}
        </button>
        <button type="button" className="btn btn-primary" data-confirm="" disabled={busy} onClick={onConfirm}>
          {t('network.reply.confirm')}
        </button>
      </div>
    </Modal>
  );
}
