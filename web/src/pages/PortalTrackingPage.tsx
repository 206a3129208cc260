import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { API_BASE, ApiError, type ApiResponseBody, apiGet, apiUpload, client, unwrap } from '../api/client.js';
import { Alert, controlClass, ErrorAlert, Field, fieldA11y, Icon, RequiredMark, Spinner } from '../components/ui.js';
import { type MessageKey, type Translate, useI18n } from '../i18n/index.js';
import { errorMessage } from '../lib/problems.js';
import { Link } from '../lib/router.js';

type Tracking = ApiResponseBody<'/portal/track/{token}'>;
type TrackedAttachment = Tracking['attachments'][number];
type TrackedMessage = Tracking['messages'][number];
export type UploadedAttachment = ApiResponseBody<'/portal/track/{token}/attachments', 'post'>;

export const TRACKING_PATH = '/segui';

/** What the portal accepts as an attachment (the server checks again, by content). */
export const ACCEPTED_FILES = [
  '.pdf',
  '.jpg',
  '.jpeg',
  '.png',
  '.gif',
  '.webp',
  '.odt',
  '.docx',
  '.xlsx',
  '.txt',
  'application/pdf',
  'image/*',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/plain',
].join(',');

const ACCEPTED_EXTENSION = /\.(pdf|jpe?g|png|gif|webp|odt|docx|xlsx|txt)$/i;

/** A size the way people read it: 512 KB, 10 MB. */
export function formatBytes(bytes: number, locale: string): string {
  const number = (value: number) => new Intl.NumberFormat(locale === 'it' ? 'it-IT' : 'en-GB', { maximumFractionDigits: 1 }).format(value);
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${number(bytes / 1024)} KB`;
  return `${number(bytes / (1024 * 1024))} MB`;
}

/**
 * Why the files chosen cannot be sent (too many, too large, not an accepted kind), or null: checked
 * before sending so the citizen hears it next to the control, not after the request is filed.
 */
export function checkFiles(files: readonly File[], limits: { maxAttachments: number; maxAttachmentBytes: number }, t: Translate, locale: string): string | null {
  if (files.length > limits.maxAttachments) return t('portalRequest.files.tooMany', { count: limits.maxAttachments });
  for (const file of files) {
    if (!ACCEPTED_EXTENSION.test(file.name)) return t('portalRequest.files.badType', { name: file.name });
    if (file.size > limits.maxAttachmentBytes) return t('portalRequest.files.tooLarge', { name: file.name, size: formatBytes(limits.maxAttachmentBytes, locale) });
  }
  return null;
}

/** One file to the request's attachments (multipart, field `file`). */
export async function uploadAttachment(token: string, file: File): Promise<UploadedAttachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  return (await apiUpload('/portal/track/{token}/attachments', { path: { token } }, form)).data;
}

/** The address of the private page of a request: the token stays in the fragment, out of server logs. */
export function trackingHref(token: string): string {
  return `${TRACKING_PATH}#${token}`;
}

/** The token and the score preselected by the e-mail's link, read from `#<token>&voto=N`. */
export function parseTrackingHash(hash: string): { token: string; score: number | null } {
  const [token = '', ...rest] = hash.replace(/^#/, '').split('&');
  const params = new URLSearchParams(rest.join('&'));
  const vote = Number(params.get('voto'));
  return { token: decodeURIComponent(token.trim()), score: Number.isInteger(vote) && vote >= 1 && vote <= 5 ? vote : null };
}

const SCORES = [1, 2, 3, 4, 5] as const;

/** The chosen files with a button to take each one out. */
export function ChosenFiles({ files, onRemove, label }: { files: readonly File[]; onRemove: (index: number) => void; label: string }) {
  const { t, locale } = useI18n();
  if (files.length === 0) return null;
  return (
    <ul className="list-unstyled mb-2" aria-label={label}>
      {files.map((file, index) => (
        <li key={`${file.name}-${file.size}-${file.lastModified}`} className="d-flex align-items-center gap-2 mb-1">
          <Icon name="clip" size="sm" />
          <span>
            {file.name} ({formatBytes(file.size, locale)})
          </span>
          <button type="button" className="btn btn-link btn-sm p-0" onClick={() => onRemove(index)}>
            {t('portalRequest.files.remove', { name: file.name })}
          </button>
        </li>
      ))}
    </ul>
  );
}

function AttachmentLinks({ token, attachments }: { token: string; attachments: readonly TrackedAttachment[] }) {
  const { t, locale } = useI18n();
  if (attachments.length === 0) return null;
  return (
    <ul className="list-unstyled mb-0 mt-2">
      {attachments.map((a) => (
        <li key={a.id}>
          <a href={`${API_BASE}/portal/track/${encodeURIComponent(token)}/attachments/${encodeURIComponent(a.id)}`} download={a.filename}>
            <Icon name="download" size="sm" className="me-1" />
            {t('portalTracking.download', { name: a.filename, size: formatBytes(a.size, locale) })}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Paragraphs of a plain text, line breaks kept. */
function PlainText({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n{2,}/).map((paragraph, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of one immutable text
        <p key={i} className="mb-2" style={{ whiteSpace: 'pre-line' }}>
          {paragraph}
        </p>
      ))}
    </>
  );
}

/** Public page: the citizen follows a request through the private link (token in the URL fragment). */
export function PortalTrackingPage() {
  const { t } = useI18n();
  const [hash, setHash] = useState(() => parseTrackingHash(window.location.hash));
  const [tracking, setTracking] = useState<Tracking | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const update = () => setHash(parseTrackingHash(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);

  // Any change of the fragment loads again (a new `&voto=N` link opened in the same tab included).
  const load = useCallback(async () => {
    if (!hash.token) return;
    setLoading(true);
    try {
      setTracking((await apiGet('/portal/track/{token}', { path: { token: hash.token } })).data);
      setError(null);
    } catch (err) {
      setTracking(null);
      setError(err);
    } finally {
      setLoading(false);
    }
  }, [hash]);

  useEffect(() => {
    void load();
  }, [load]);

  const notFound = error instanceof ApiError && (error.status === 404 || error.status === 410);

  return (
    <div className="row justify-content-center">
      <section className="col-12 col-lg-9" aria-labelledby="page-title">
        <h1 id="page-title">
          {t('portalTracking.title')}
          {tracking && <span className="font-monospace ms-2">{tracking.code}</span>}
        </h1>
        {!hash.token && (
          <Alert kind="info">
            <p className="mb-2">{t('portalTracking.noToken')}</p>
            <NotFoundLinks />
          </Alert>
        )}
        {loading && !tracking && <Spinner />}
        {notFound ? (
          <Alert kind="danger">
            <p className="mb-2" data-testid="tracking-error">
              {errorMessage(error, t)}
            </p>
            <p className="mb-2">{t('portalTracking.notFoundHelp')}</p>
            <NotFoundLinks />
          </Alert>
        ) : (
          <ErrorAlert error={error} />
        )}
        {tracking && <TrackingView token={hash.token} tracking={tracking} preselected={hash.score} onChange={load} />}
      </section>
    </div>
  );
}

function NotFoundLinks() {
  const { t } = useI18n();
  return (
    <ul className="mb-0">
      <li>
        <Link href="/stato">{t('portalTracking.byCode')}</Link>
      </li>
      <li>
        <Link href="/richiesta">{t('portalTracking.newRequest')}</Link>
      </li>
    </ul>
  );
}

function Section({ id, title, children, className = '' }: { id: string; title: string; children: ReactNode; className?: string }) {
  return (
    <section aria-labelledby={id} className={`card card-bg shadow-sm p-4 mb-4 ${className}`.trim()}>
      <h2 id={id} className="h4">
        {title}
      </h2>
      {children}
    </section>
  );
}

function TrackingView({ token, tracking, preselected, onChange }: { token: string; tracking: Tracking; preselected: number | null; onChange: () => Promise<void> }) {
  const { t, label, fmt } = useI18n();
  const office = tracking.handledBy;
  return (
    <>
      <div className="card card-bg shadow-sm p-4 mb-4">
        <dl className="row mb-0">
          <dt className="col-sm-4">{t('portalTracking.code')}</dt>
          <dd className="col-sm-8 font-monospace fs-5" data-testid="tracking-code">
            {tracking.code}
          </dd>
          <dt className="col-sm-4">{t('portalTracking.status')}</dt>
          <dd className="col-sm-8" data-testid="tracking-status">
            <strong>{label(tracking.statusLabel)}</strong>
          </dd>
        </dl>
        <p className="small text-muted mb-0 mt-2">
          {t('portalTracking.createdAt', { date: fmt(tracking.createdAt) })} · {t('portalTracking.updatedAt', { date: fmt(tracking.updatedAt) })}
          {tracking.resolvedAt && <> · {t('portalTracking.resolvedAt', { date: fmt(tracking.resolvedAt) })}</>}
        </p>
      </div>

      <div className="callout note mb-4" data-testid="tracking-expected">
        <h2 className="callout-title h5">
          <Icon name="info-circle" className="me-1" />
          {t('portalTracking.expected.title')}
        </h2>
        <p className="mb-0">{t(`portalTracking.expected.${tracking.expected}` as MessageKey)}</p>
      </div>

      <Section id="tracking-office" title={t('portalTracking.handledBy')}>
        <p className="mb-1">
          <strong>{office.name}</strong> — {office.organisation}
        </p>
        <ul className="list-unstyled mb-1">
          {office.phone && (
            <li>
              {t('portalTracking.phone')}: <a href={`tel:${office.phone.replace(/\s+/g, '')}`}>{office.phone}</a>
            </li>
          )}
          {office.email && (
            <li>
              {t('portalTracking.email')}: <a href={`mailto:${office.email}`}>{office.email}</a>
            </li>
          )}
        </ul>
        <p className="mb-0">{office.openNow ? t('portalTracking.openNow') : t('portalTracking.closedNow')}</p>
      </Section>

      <Section id="tracking-original" title={t('portalTracking.original')}>
        <h3 className="h5">{tracking.subject}</h3>
        <PlainText text={tracking.description} />
        <AttachmentLinks token={token} attachments={tracking.attachments} />
      </Section>

      <Section id="tracking-thread" title={t('portalTracking.thread')}>
        {tracking.messages.length === 0 ? (
          <p className="mb-0">{t('portalTracking.thread.empty')}</p>
        ) : (
          <ol className="list-unstyled mb-0" data-testid="tracking-thread">
            {[...tracking.messages]
              .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
              .map((message) => (
                <ThreadMessage key={message.id} token={token} message={message} />
              ))}
          </ol>
        )}
      </Section>

      {tracking.canReply && <ReplyForm token={token} maxAttachments={5} onSent={onChange} />}
      {(tracking.canRate || tracking.rating) && <RatingForm token={tracking.canRate ? token : null} rating={tracking.rating} preselected={preselected} />}
    </>
  );
}

function ThreadMessage({ token, message }: { token: string; message: TrackedMessage }) {
  const { t, fmt } = useI18n();
  const fromOffice = message.from === 'office';
  const sender = fromOffice ? (message.office ? t('portalTracking.from.office', { office: message.office }) : t('portalTracking.from.officeUnknown')) : t('portalTracking.from.citizen');
  return (
    <li className={`border-start border-4 ps-3 mb-3 ${fromOffice ? 'border-primary' : 'border-secondary'}`} data-testid={`thread-${message.from}`}>
      <article aria-label={`${sender}, ${fmt(message.createdAt)}`}>
        <p className="small mb-1">
          <strong>{sender}</strong> · <time dateTime={message.createdAt}>{fmt(message.createdAt)}</time>
        </p>
        <PlainText text={message.body} />
        <AttachmentLinks token={token} attachments={message.attachments} />
      </article>
    </li>
  );
}

/** The citizen answers the office: text and optional attachments, uploaded first and then referenced. */
function ReplyForm({ token, maxAttachments, onSent }: { token: string; maxAttachments: number; onSent: () => Promise<void> }) {
  const { t, locale } = useI18n();
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [bodyError, setBodyError] = useState<string | undefined>();
  const [filesError, setFilesError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSent(false);
    if (!body.trim()) {
      setBodyError(t('portalTracking.reply.required'));
      document.getElementById('reply-body')?.focus();
      return;
    }
    setBodyError(undefined);
    setBusy(true);
    setError(null);
    try {
      const attachmentIds: string[] = [];
      for (const file of files) attachmentIds.push((await uploadAttachment(token, file)).id);
      await unwrap(client.POST('/portal/track/{token}/messages', { params: { path: { token } }, body: { body: body.trim(), ...(attachmentIds.length ? { attachmentIds } : {}) } }));
      setBody('');
      setFiles([]);
      if (fileInput.current) fileInput.current.value = '';
      setSent(true);
      await onSent();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const limits = { maxAttachments, maxAttachmentBytes: Number.POSITIVE_INFINITY };
  return (
    <section aria-labelledby="reply-title" className="card card-bg shadow-sm p-4 mb-4">
      <h2 id="reply-title" className="h4">
        {t('portalTracking.reply.title')}
      </h2>
      <div role="status">{sent && <p className="text-success fw-semibold">{t('portalTracking.reply.sent')}</p>}</div>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <form onSubmit={onSubmit} noValidate>
        <Field id="reply-body" label={t('portalTracking.reply.body')} error={bodyError} required>
          <textarea
            className={controlClass('form-control', bodyError)}
            rows={5}
            maxLength={10_000}
            required
            value={body}
            onChange={(event) => setBody(event.target.value)}
            {...fieldA11y('reply-body', bodyError)}
          />
        </Field>
        <Field id="reply-files" label={t('portalTracking.reply.files')} error={filesError ?? undefined}>
          <input
            ref={fileInput}
            type="file"
            multiple
            accept={ACCEPTED_FILES}
            className="form-control"
            onChange={(event) => {
              const next = [...files, ...Array.from(event.target.files ?? [])];
              setFilesError(checkFiles(next, limits, t, locale));
              setFiles(next.slice(0, maxAttachments));
              event.target.value = '';
            }}
            {...fieldA11y('reply-files', filesError ?? undefined)}
          />
        </Field>
        <ChosenFiles files={files} label={t('portalRequest.files.chosen')} onRemove={(index) => setFiles(files.filter((_, i) => i !== index))} />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('portalRequest.submitting') : t('portalTracking.reply.send')}
        </button>
      </form>
    </section>
  );
}

/** 1–5 as a radio group with visible labels; read-only once given. `token` null: the rating can no longer be given. */
function RatingForm({ token, rating, preselected }: { token: string | null; rating: Tracking['rating']; preselected: number | null }) {
  const { t, fmt } = useI18n();
  const name = useId();
  const [score, setScore] = useState<number | null>(preselected);
  const [comment, setComment] = useState('');
  const [given, setGiven] = useState(rating);
  const [scoreError, setScoreError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [thanks, setThanks] = useState(false);
  const fieldset = useRef<HTMLFieldSetElement>(null);

  // From the e-mail's link (`&voto=N`): the score is chosen already and focus goes to it.
  useEffect(() => {
    if (preselected === null || given) return;
    setScore(preselected);
    fieldset.current?.querySelector<HTMLInputElement>(`input[value="${preselected}"]`)?.focus();
  }, [preselected, given]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token) return;
    if (score === null) {
      setScoreError(t('portalTracking.rate.required'));
      fieldset.current?.querySelector<HTMLInputElement>('input')?.focus();
      return;
    }
    setScoreError(undefined);
    setBusy(true);
    setError(null);
    try {
      const { data } = await unwrap(client.POST('/portal/track/{token}/rating', { params: { path: { token } }, body: { score, ...(comment.trim() ? { comment: comment.trim() } : {}) } }));
      setGiven(data);
      setThanks(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="rating-title" className="card card-bg shadow-sm p-4 mb-4" data-testid="tracking-rating">
      <h2 id="rating-title" className="h4">
        {t('portalTracking.rate.title')}
      </h2>
      <div role="status">{thanks && <p className="alert alert-success">{t('portalTracking.rate.thanks')}</p>}</div>
      {given ? (
        <p className="mb-0">
          {t('portalTracking.rate.given', { score: given.score, label: t(`portalTracking.rate.${given.score}` as MessageKey), date: fmt(given.ratedAt) })}
          {given.comment && <span className="d-block fst-italic mt-1">«{given.comment}»</span>}
        </p>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <ErrorAlert error={error} onClose={() => setError(null)} />
          <fieldset ref={fieldset} className="mb-3" aria-describedby={scoreError ? 'rating-score-error' : undefined}>
            <legend className="fs-6 fw-semibold">
              {t('portalTracking.rate.legend')}
              <RequiredMark />
            </legend>
            <div className="d-flex flex-column flex-md-row flex-wrap gap-2 rating-scale">
              {SCORES.map((value) => (
                <div key={value} className="form-check m-0">
                  <input
                    className="form-check-input"
                    type="radio"
                    name={name}
                    id={`${name}-${value}`}
                    value={value}
                    checked={score === value}
                    onChange={() => setScore(value)}
                  />
                  <label className="form-check-label" htmlFor={`${name}-${value}`}>
                    <span aria-hidden="true" className="text-warning me-1">
                      {'★'.repeat(value)}
                      <span className="text-muted">{'☆'.repeat(5 - value)}</span>
                    </span>
                    <span className="visually-hidden">{t('portalTracking.rate.stars', { score: value })}: </span>
                    {t(`portalTracking.rate.${value}` as MessageKey)}
                  </label>
                </div>
              ))}
            </div>
            {scoreError && (
              <div id="rating-score-error" className="invalid-feedback d-block">
                {scoreError}
              </div>
            )}
          </fieldset>
          <Field id="rating-comment" label={t('portalTracking.rate.comment')} hint={t('portalTracking.rate.comment.hint')}>
            <textarea
              className="form-control"
              rows={3}
              maxLength={2000}
              value={comment}
              onChange={(event) => setComment(event.target.value)}
              {...fieldA11y('rating-comment', undefined, true)}
            />
          </Field>
          <button type="submit" className="btn btn-primary" disabled={busy || !token}>
            {t('portalTracking.rate.send')}
          </button>
        </form>
      )}
    </section>
  );
}
