import { type FormEvent, type ReactNode, type RefObject, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { ApiError, type ApiRequestBody, type ApiResponseBody, apiGet, client, newIdempotencyKey, unwrap } from '../api/client.js';
import { Alert, controlClass, ErrorAlert, Field, fieldA11y, RequiredMark, Spinner } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { fieldErrorMessages } from '../lib/form-errors.js';
import { errorMessage } from '../lib/problems.js';
import { solveChallenge } from '../lib/proof-of-work.js';
import { Link } from '../lib/router.js';
import { storageItem } from '../lib/storage.js';
import { portalSessionId } from './FaqPortalPage.js';
import { ACCEPTED_FILES, ChosenFiles, checkFiles, formatBytes, trackingHref, uploadAttachment } from './PortalTrackingPage.js';

type RequestForm = ApiResponseBody<'/portal/request-form'>;
type Topic = RequestForm['topics'][number];
type ExtraField = RequestForm['fields'][number];
type NewRequest = ApiRequestBody<'/portal/requests', 'post'>;
type FiledRequest = ApiResponseBody<'/portal/requests', 'post'>;

export const REQUEST_PATH = '/richiesta';

/** Until the form API answers: the limits the portal documents. */
const DEFAULT_LIMITS = { maxAttachments: 5, maxAttachmentBytes: 10 * 1024 * 1024 };
/** Organisations listed at once under the search box; more are reached by typing. */
const MAX_LISTED_ORGANISATIONS = 8;
/** The form API is asked again once the citizen stops typing the municipality. */
const PLACE_DEBOUNCE_MS = 400;
/** A challenge this close to its expiry is replaced before sending. */
const CHALLENGE_MARGIN_MS = 10_000;

/**
 * One submission key per filled form, kept for the tab until the request is filed: pressing Send
 * twice, or again after a lost answer, files one request (the server answers the same one).
 */
const submissionKeyItem = storageItem('session', 'urpnet.portal.submissionKey');
function submissionKey(): string {
  const stored = submissionKeyItem.get();
  if (stored) return stored;
  const key = newIdempotencyKey();
  submissionKeyItem.set(key);
  return key;
}
function forgetSubmissionKey(): void {
  submissionKeyItem.set('');
}

interface Solution {
  challenge: string;
  nonce: string;
  expiresAt: number;
}

/**
 * The proof of work, started as soon as the page opens so that it is usually ready when the citizen
 * presses Send: `solution()` waits for it (and replaces a challenge about to expire or already used).
 */
function useProofOfWork() {
  const [solving, setSolving] = useState(false);
  const current = useRef<Promise<Solution> | null>(null);
  const controller = useRef<AbortController | null>(null);

  const start = useCallback(() => {
    controller.current?.abort();
    const mine = new AbortController();
    controller.current = mine;
    setSolving(true);
    const promise = (async () => {
      const { data } = await apiGet('/portal/challenge', {}, { signal: mine.signal });
      const nonce = await solveChallenge(data.challenge, data.difficulty, { signal: mine.signal });
      return { challenge: data.challenge, nonce, expiresAt: Date.parse(data.expiresAt) };
    })();
    promise.then(
      () => controller.current === mine && setSolving(false),
      () => controller.current === mine && setSolving(false),
    );
    // A failure is seen by `solution()`, which starts again; here it must not be an unhandled rejection.
    promise.catch(() => undefined);
    current.current = promise;
  }, []);

  useEffect(() => {
    start();
    return () => controller.current?.abort();
  }, [start]);

  const solution = useCallback(async (): Promise<Solution> => {
    let found = await current.current?.catch(() => null);
    if (!found || found.expiresAt - Date.now() < CHALLENGE_MARGIN_MS) {
      start();
      found = await (current.current as Promise<Solution>);
    }
    return found;
  }, [start]);

  return { solving, solution, renew: start };
}

/** The label of each topic, deeper ones with their path from the top level, grouped under their top level. */
function groupTopics(topics: readonly Topic[], generalLabel: (label: string) => string): { code: string; label: string; options: { code: string; label: string }[] }[] {
  const byCode = new Map(topics.map((topic) => [topic.code, topic]));
  const rootOf = (topic: Topic): { root: Topic; path: string[] } => {
    const path = [topic.label];
    let node = topic;
    for (let guard = 0; node.parent && byCode.has(node.parent) && guard < 10; guard++) {
      node = byCode.get(node.parent) as Topic;
      path.unshift(node.label);
    }
    return { root: node, path };
  };
  const groups = new Map<string, { code: string; label: string; options: { code: string; label: string }[] }>();
  for (const topic of topics) {
    const { root, path } = rootOf(topic);
    let group = groups.get(root.code);
    if (!group) {
      group = { code: root.code, label: root.label, options: [] };
      groups.set(root.code, group);
    }
    if (topic.code === root.code) group.options.unshift({ code: topic.code, label: generalLabel(topic.label) });
    else group.options.push({ code: topic.code, label: path.slice(1).join(' › ') });
  }
  return [...groups.values()];
}

/** Lower case and without accents, to find «Città» by typing «citta». */
function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The element each server field path points at, for the error summary's links. */
const FIELD_ELEMENT: Record<string, string> = {
  organisationId: 'pr-org-search',
  place: 'pr-place',
  topic: 'pr-topic',
  subject: 'pr-subject',
  description: 'pr-description',
  'requester.name': 'pr-name',
  'requester.email': 'pr-email',
  'requester.phone': 'pr-phone',
  replyChannel: 'pr-channel-email',
  consent: 'pr-consent',
  attachments: 'pr-files',
};

const elementOf = (path: string) => FIELD_ELEMENT[path] ?? (path.startsWith('fields.') ? `pr-field-${path.slice('fields.'.length)}` : null);

interface Upload {
  name: string;
  state: 'pending' | 'uploading' | 'done' | 'failed';
  message?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Public page: a citizen writes to one body of the network, or to the whole network, and gets a code and a private link. */
export function PortalRequestPage({ search }: { search: string }) {
  const { t, locale } = useI18n();
  const query = new URLSearchParams(search);
  const fromFaq = query.get('da') === 'faq';
  // `?ente=<id>`: a body's own website links to its form with the body already chosen.
  const linkedOrganisation = query.get('ente') ?? '';
  const [form, setForm] = useState<RequestForm | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  const [target, setTarget] = useState<'body' | 'network'>('body');
  const [orgQuery, setOrgQuery] = useState('');
  const [organisationId, setOrganisationId] = useState(() => (UUID.test(linkedOrganisation) ? linkedOrganisation : ''));
  const [place, setPlace] = useState('');
  const [settledPlace, setSettledPlace] = useState('');
  const [topic, setTopic] = useState('');
  const [extra, setExtra] = useState<Record<string, string>>({});
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [replyChannel, setReplyChannel] = useState<'email' | 'pec'>('email');
  const [files, setFiles] = useState<File[]>([]);
  const [consent, setConsent] = useState(false);
  const [website, setWebsite] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [waitingProof, setWaitingProof] = useState(false);
  const [filed, setFiled] = useState<FiledRequest | null>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const summary = useRef<HTMLDivElement>(null);
  const done = useRef<HTMLElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const proof = useProofOfWork();
  const orgListId = useId();

  useEffect(() => {
    const timer = setTimeout(() => setSettledPlace(place.trim()), PLACE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [place]);

  // The form API: organisations and topics always; the receiving office and its extra fields once the place and topic are known.
  const formOrganisation = target === 'body' ? organisationId : '';
  const formPlace = target === 'network' ? settledPlace : '';
  useEffect(() => {
    const controller = new AbortController();
    apiGet('/portal/request-form', { query: { organisationId: formOrganisation || undefined, place: formPlace || undefined, topic: topic || undefined, lang: locale } }, { signal: controller.signal })
      .then(({ data }) => {
        setForm(data);
        setFormError(null);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setFormError(err);
      });
    return () => controller.abort();
  }, [formOrganisation, formPlace, topic, locale]);

  const limits = form ? { maxAttachments: form.maxAttachments, maxAttachmentBytes: form.maxAttachmentBytes } : DEFAULT_LIMITS;
  const organisations = form?.organisations ?? [];
  const chosenOrganisation = organisations.find((o) => o.id === organisationId) ?? null;
  const matches = useMemo(() => {
    const q = folded(orgQuery.trim());
    return q ? organisations.filter((o) => folded(o.name).includes(q)) : organisations;
  }, [organisations, orgQuery]);
  const listed = useMemo(() => {
    const first = matches.slice(0, MAX_LISTED_ORGANISATIONS);
    // The chosen body stays in the list even when the search no longer matches it.
    return chosenOrganisation && !first.includes(chosenOrganisation) ? [chosenOrganisation, ...first] : first;
  }, [matches, chosenOrganisation]);
  const topicGroups = useMemo(() => groupTopics(form?.topics ?? [], (label) => t('portalRequest.topic.general', { label })), [form?.topics, t]);
  const extraFields: readonly ExtraField[] = form?.fields ?? [];

  const labels: Record<string, string> = {
    organisationId: t('portalRequest.org.search'),
    place: t('portalRequest.place'),
    topic: t('portalRequest.topic'),
    subject: t('portalRequest.subject'),
    description: t('portalRequest.description'),
    'requester.name': t('portalRequest.name'),
    'requester.email': t('portalRequest.email'),
    'requester.phone': t('portalRequest.phone'),
    replyChannel: t('portalRequest.channel.legend'),
    consent: t('portalRequest.consent.legend'),
    attachments: t('portalRequest.files.legend'),
    ...Object.fromEntries(extraFields.map((f) => [`fields.${f.key}`, f.label])),
  };

  /** The checks the citizen can fix before anything is sent, in the order of the form. */
  const validate = (): Record<string, string> => {
    const out: Record<string, string> = {};
    if (target === 'body' && !organisationId) out.organisationId = t('portalRequest.org.required');
    if (target === 'network' && !place.trim()) out.place = t('portalRequest.place.required');
    if (!topic) out.topic = t('portalRequest.topic.required');
    for (const field of extraFields) if (field.required && !extra[field.key]?.trim()) out[`fields.${field.key}`] = t('portalRequest.field.required', { label: field.label });
    if (!subject.trim()) out.subject = t('portalRequest.subject.required');
    if (!description.trim()) out.description = t('portalRequest.description.required');
    if (!name.trim()) out['requester.name'] = t('portalRequest.name.required');
    if (!email.trim()) out['requester.email'] = t('portalRequest.email.required');
    else if (!EMAIL.test(email.trim())) out['requester.email'] = t('portalRequest.email.invalid');
    const filesProblem = checkFiles(files, limits, t, locale);
    if (filesProblem) out.attachments = filesProblem;
    if (!consent) out.consent = t('portalRequest.consent.required');
    return out;
  };

  const showErrors = (found: Record<string, string>) => {
    setErrors(found);
    // The summary is rendered by then: focus lands on it, and from its links on each field.
    setTimeout(() => summary.current?.focus(), 0);
  };

  const send = async (retryOnChallenge: boolean): Promise<FiledRequest> => {
    setWaitingProof(proof.solving);
    const { challenge, nonce } = await proof.solution();
    setWaitingProof(false);
    const fields = Object.fromEntries(extraFields.filter((f) => extra[f.key]?.trim()).map((f) => [f.key, (extra[f.key] ?? '').trim()]));
    const faqSessionId = fromFaq ? portalSessionId() : undefined;
    const body: NewRequest = {
      ...(target === 'body' ? { organisationId } : { place: place.trim() }),
      ...(topic ? { topic } : {}),
      subject: subject.trim(),
      description: description.trim(),
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
      requester: { name: name.trim(), email: email.trim(), ...(phone.trim() ? { phone: phone.trim() } : {}) },
      replyChannel,
      lang: locale,
      consent: true,
      website,
      challenge,
      nonce,
      submissionKey: submissionKey(),
      ...(faqSessionId ? { faqSessionId } : {}),
    };
    try {
      return (await unwrap(client.POST('/portal/requests', { body }))).data;
    } catch (err) {
      // Every attempt spends its challenge: the next one needs a fresh proof.
      proof.renew();
      if (retryOnChallenge && err instanceof ApiError && err.code?.startsWith('portal.challenge')) return send(false);
      throw err;
    }
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setSubmitError(null);
    const found = validate();
    if (Object.keys(found).length > 0) {
      showErrors(found);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const created = await send(true);
      forgetSubmissionKey();
      setFiled(created);
      void uploadAll(created.trackingToken, files);
    } catch (err) {
      const fromServer = fieldErrorMessages(err, locale);
      if (Object.keys(fromServer).length > 0) showErrors(fromServer);
      else setSubmitError(err);
    } finally {
      setBusy(false);
      setWaitingProof(false);
    }
  };

  /** After filing: the attachments one by one; a refused file says why, the request stays filed. */
  const uploadAll = async (token: string, chosen: readonly File[]) => {
    const state: Upload[] = chosen.map((file) => ({ name: file.name, state: 'pending' }));
    setUploads([...state]);
    for (const [index, file] of chosen.entries()) {
      state[index] = { name: file.name, state: 'uploading' };
      setUploads([...state]);
      try {
        await uploadAttachment(token, file);
        state[index] = { name: file.name, state: 'done' };
      } catch (err) {
        state[index] = { name: file.name, state: 'failed', message: errorMessage(err, t) };
      }
      setUploads([...state]);
    }
  };

  useEffect(() => {
    if (filed) done.current?.focus();
  }, [filed]);

  const reset = () => {
    setFiled(null);
    setUploads([]);
    setSubject('');
    setDescription('');
    setFiles([]);
    setConsent(false);
    setExtra({});
  };

  if (filed) return <Filed filed={filed} uploads={uploads} panelRef={done} onAnother={reset} />;

  const err = (path: string) => errors[path];
  const errorEntries = Object.entries(errors);
  // The citizen consents to the notice of the body that will receive the request: the chosen one, or
  // for the whole network the one the form names once topic or place are known. Bodies without a
  // notice of their own use the network's (/privacy).
  const receiving = target === 'body'
    ? chosenOrganisation && { name: chosenOrganisation.name, notice: chosenOrganisation.privacyNoticeUrl }
    : form?.office && { name: form.office.organisation, notice: form.office.privacyNoticeUrl };
  const consentLabel = receiving ? t('portalRequest.consent.label', { organisation: receiving.name }) : t('portalRequest.consent.labelNetwork');
  const noticeHref = receiving?.notice ?? '/privacy';

  return (
    <div className="row justify-content-center">
      <section className="col-12 col-lg-9" aria-labelledby="page-title">
        <h1 id="page-title">{t('portalRequest.title')}</h1>
        <p>{t('portalRequest.intro')}</p>
        <p className="small">{t('portalRequest.requiredNote')}</p>

        {errorEntries.length > 0 && (
          <div ref={summary} tabIndex={-1} className="alert alert-danger" aria-labelledby="pr-errors-title" data-testid="error-summary">
            <h2 id="pr-errors-title" className="h5">
              {errorEntries.length === 1 ? t('portalRequest.errors.titleOne') : t('portalRequest.errors.title', { count: errorEntries.length })}
            </h2>
            <ul className="mb-0">
              {errorEntries.map(([path, message]) => {
                const id = elementOf(path);
                return (
                  <li key={path}>
                    {id ? (
                      <a
                        href={`#${id}`}
                        onClick={(event) => {
                          event.preventDefault();
                          document.getElementById(id)?.focus();
                        }}
                      >
                        {labels[path] ?? path}: {message}
                      </a>
                    ) : (
                      <>
                        {labels[path] ?? path}: {message}
                      </>
                    )}
                  </li>
                );
              })}
            </ul>
          </div>
        )}
        <ErrorAlert error={submitError} onClose={() => setSubmitError(null)} />
        <ErrorAlert error={formError} />
        {!form && !formError && <Spinner />}

        <form onSubmit={onSubmit} noValidate aria-busy={busy} data-testid="portal-request-form">
          <fieldset className="mb-4">
            <legend className="h4">{t('portalRequest.target.legend')}</legend>
            <Radio name="pr-target" id="pr-target-body" checked={target === 'body'} onChange={() => setTarget('body')} label={t('portalRequest.target.body')} hint={t('portalRequest.target.body.hint')} />
            <Radio
              name="pr-target"
              id="pr-target-network"
              checked={target === 'network'}
              onChange={() => setTarget('network')}
              label={t('portalRequest.target.network')}
              hint={t('portalRequest.target.network.hint')}
            />
            {target === 'body' ? (
              <div className="mt-3">
                <Field id="pr-org-search" label={t('portalRequest.org.search')} hint={t('portalRequest.org.search.hint')} error={err('organisationId')} required>
                  <input
                    type="search"
                    className={controlClass('form-control', err('organisationId'))}
                    autoComplete="off"
                    value={orgQuery}
                    onChange={(event) => setOrgQuery(event.target.value)}
                    aria-controls={orgListId}
                    {...fieldA11y('pr-org-search', err('organisationId'), true)}
                  />
                </Field>
                <p className="visually-hidden" aria-live="polite" aria-atomic="true">
                  {form && orgQuery.trim() ? (matches.length === 0 ? t('portalRequest.org.none', { q: orgQuery.trim() }) : matches.length === 1 ? t('portalRequest.org.countOne') : t('portalRequest.org.count', { count: matches.length })) : ''}
                </p>
                <fieldset id={orgListId} aria-describedby={err('organisationId') ? 'pr-org-search-error' : undefined}>
                  <legend className="visually-hidden">{t('portalRequest.org.list')}</legend>
                  {listed.length === 0 && form && <p className="text-muted">{t('portalRequest.org.none', { q: orgQuery.trim() })}</p>}
                  <div className="org-choices">
                    {listed.map((o) => (
                      <Radio key={o.id} name="pr-organisation" id={`pr-org-${o.id}`} checked={organisationId === o.id} onChange={() => setOrganisationId(o.id)} label={o.name} />
                    ))}
                  </div>
                  {matches.length > MAX_LISTED_ORGANISATIONS && <p className="small text-muted">{t('portalRequest.org.more', { count: matches.length - MAX_LISTED_ORGANISATIONS })}</p>}
                </fieldset>
              </div>
            ) : (
              <div className="mt-3">
                <Field id="pr-place" label={t('portalRequest.place')} hint={t('portalRequest.place.hint')} error={err('place')} required>
                  <input
                    type="text"
                    className={controlClass('form-control', err('place'))}
                    autoComplete="address-level2"
                    maxLength={100}
                    required
                    value={place}
                    onChange={(event) => setPlace(event.target.value)}
                    {...fieldA11y('pr-place', err('place'), true)}
                  />
                </Field>
              </div>
            )}
          </fieldset>

          <fieldset className="mb-4">
            <legend className="h4">{t('portalRequest.topic.legend')}</legend>
            <Field id="pr-topic" label={t('portalRequest.topic')} error={err('topic')} required>
              <select className={controlClass('form-select', err('topic'))} required value={topic} onChange={(event) => setTopic(event.target.value)} {...fieldA11y('pr-topic', err('topic'))}>
                <option value="">{t('app.choose')}</option>
                {topicGroups.map((group) => (
                  <optgroup key={group.code} label={group.label}>
                    {group.options.map((option) => (
                      <option key={option.code} value={option.code}>
                        {option.label}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </Field>
            <div aria-live="polite">
              {form?.office && (
                <p className="callout-inline mb-3" data-testid="receiving-office">
                  {t('portalRequest.office', { office: form.office.name, organisation: form.office.organisation })}
                </p>
              )}
            </div>
            {extraFields.length > 0 && (
              <fieldset className="mt-2">
                <legend className="h5">{t('portalRequest.extraFields')}</legend>
                {extraFields.map((field) => (
                  <ExtraFieldInput key={field.key} field={field} value={extra[field.key] ?? ''} error={err(`fields.${field.key}`)} onChange={(value) => setExtra((prev) => ({ ...prev, [field.key]: value }))} />
                ))}
              </fieldset>
            )}
          </fieldset>

          <fieldset className="mb-4">
            <legend className="h4">{t('portalRequest.request.legend')}</legend>
            <Field id="pr-subject" label={t('portalRequest.subject')} hint={t('portalRequest.subject.hint')} error={err('subject')} required>
              <input
                type="text"
                className={controlClass('form-control', err('subject'))}
                maxLength={200}
                required
                value={subject}
                onChange={(event) => setSubject(event.target.value)}
                {...fieldA11y('pr-subject', err('subject'), true)}
              />
            </Field>
            <Field id="pr-description" label={t('portalRequest.description')} hint={t('portalRequest.description.hint')} error={err('description')} required>
              <textarea
                className={controlClass('form-control', err('description'))}
                rows={6}
                maxLength={10_000}
                required
                value={description}
                onChange={(event) => setDescription(event.target.value)}
                {...fieldA11y('pr-description', err('description'), true)}
              />
            </Field>
          </fieldset>

          <fieldset className="mb-4">
            <legend className="h4">{t('portalRequest.you.legend')}</legend>
            <Field id="pr-name" label={t('portalRequest.name')} error={err('requester.name')} required>
              <input
                type="text"
                className={controlClass('form-control', err('requester.name'))}
                autoComplete="name"
                maxLength={200}
                required
                value={name}
                onChange={(event) => setName(event.target.value)}
                {...fieldA11y('pr-name', err('requester.name'))}
              />
            </Field>
            <Field id="pr-email" label={t('portalRequest.email')} hint={t('portalRequest.email.hint')} error={err('requester.email')} required>
              <input
                type="email"
                className={controlClass('form-control', err('requester.email'))}
                autoComplete="email"
                maxLength={254}
                required
                value={email}
                onChange={(event) => setEmail(event.target.value)}
                {...fieldA11y('pr-email', err('requester.email'), true)}
              />
            </Field>
            <Field id="pr-phone" label={t('portalRequest.phone')} hint={t('portalRequest.phone.hint')} error={err('requester.phone')}>
              <input
                type="tel"
                className={controlClass('form-control', err('requester.phone'))}
                autoComplete="tel"
                maxLength={40}
                value={phone}
                onChange={(event) => setPhone(event.target.value)}
                {...fieldA11y('pr-phone', err('requester.phone'), true)}
              />
            </Field>
            <fieldset className="mb-3" aria-describedby={err('replyChannel') ? 'pr-channel-error' : undefined}>
              <legend className="fs-6 fw-semibold">{t('portalRequest.channel.legend')}</legend>
              <Radio name="pr-channel" id="pr-channel-email" checked={replyChannel === 'email'} onChange={() => setReplyChannel('email')} label={t('portalRequest.channel.email')} />
              <Radio name="pr-channel" id="pr-channel-pec" checked={replyChannel === 'pec'} onChange={() => setReplyChannel('pec')} label={t('portalRequest.channel.pec')} hint={t('portalRequest.channel.pec.hint')} />
              {err('replyChannel') && (
                <div id="pr-channel-error" className="invalid-feedback d-block">
                  {err('replyChannel')}
                </div>
              )}
            </fieldset>
            <p className="small text-muted">{t('portalRequest.language')}</p>
          </fieldset>

          <fieldset className="mb-4">
            <legend className="h4">{t('portalRequest.files.legend')}</legend>
            <Field
              id="pr-files"
              label={t('portalRequest.files.label')}
              hint={t('portalRequest.files.hint', { count: limits.maxAttachments, size: formatBytes(limits.maxAttachmentBytes, locale) })}
              error={err('attachments')}
            >
              <input
                ref={fileInput}
                type="file"
                multiple
                accept={ACCEPTED_FILES}
                className={controlClass('form-control', err('attachments'))}
                onChange={(event) => {
                  const next = [...files, ...Array.from(event.target.files ?? [])];
                  const problem = checkFiles(next, limits, t, locale);
                  setErrors((prev) => {
                    const { attachments: _, ...rest } = prev;
                    return problem ? { ...rest, attachments: problem } : rest;
                  });
                  setFiles(next);
                  event.target.value = '';
                }}
                {...fieldA11y('pr-files', err('attachments'), true)}
              />
            </Field>
            <ChosenFiles
              files={files}
              label={t('portalRequest.files.chosen')}
              onRemove={(index) => {
                const next = files.filter((_, i) => i !== index);
                setFiles(next);
                if (!checkFiles(next, limits, t, locale)) setErrors(({ attachments: _, ...rest }) => rest);
                fileInput.current?.focus();
              }}
            />
          </fieldset>

          <fieldset className="mb-4">
            <legend className="h4">{t('portalRequest.consent.legend')}</legend>
            <div className="form-check">
              <input
                className={controlClass('form-check-input', err('consent'))}
                type="checkbox"
                id="pr-consent"
                required
                checked={consent}
                onChange={(event) => setConsent(event.target.checked)}
                aria-invalid={err('consent') ? true : undefined}
                aria-describedby={err('consent') ? 'pr-consent-error' : undefined}
              />
              <label className="form-check-label" htmlFor="pr-consent">
                {consentLabel}
                <RequiredMark />
              </label>
              {err('consent') && (
                <div id="pr-consent-error" className="invalid-feedback d-block">
                  {err('consent')}
                </div>
              )}
            </div>
            <p className="mt-2">
              <a href={noticeHref} target="_blank" rel="noopener" data-testid="privacy-notice-link">
                {receiving ? t('portalRequest.consent.linkOf', { organisation: receiving.name }) : t('portalRequest.consent.link')}{' '}
                <span className="visually-hidden">{t('a11y.newWindow')}</span>
              </a>
            </p>
          </fieldset>

          {/* A trap for robots: hidden from people and from assistive technology, out of the tab order. */}
          <div aria-hidden="true" style={{ position: 'absolute', left: '-10000px', top: 'auto', width: 1, height: 1, overflow: 'hidden' }}>
            <label htmlFor="pr-website">{t('portalRequest.honeypot')}</label>
            <input type="text" id="pr-website" name="website" tabIndex={-1} autoComplete="off" value={website} onChange={(event) => setWebsite(event.target.value)} />
          </div>

          <div aria-live="polite" className="mb-2" data-testid="proof-status">
            {busy && waitingProof && (
              <p className="mb-1 d-flex align-items-center gap-2">
                <span className="progress-spinner progress-spinner-active size-sm" aria-hidden="true" />
                <span>
                  {t('portalRequest.verifying')} <span className="small text-muted">{t('portalRequest.verifyingHint')}</span>
                </span>
              </p>
            )}
          </div>
          <button type="submit" className="btn btn-primary btn-lg" disabled={busy}>
            {busy ? t('portalRequest.submitting') : t('portalRequest.submit')}
          </button>
        </form>
      </section>
    </div>
  );
}

function Radio({ name, id, checked, onChange, label, hint }: { name: string; id: string; checked: boolean; onChange: () => void; label: ReactNode; hint?: string }) {
  return (
    <div className="form-check">
      <input className="form-check-input" type="radio" name={name} id={id} checked={checked} onChange={onChange} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label className="form-check-label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <div id={`${id}-hint`} className="form-text mt-0 mb-2">
          {hint}
        </div>
      )}
    </div>
  );
}

/** One of the fields the receiving office asks for this topic. */
function ExtraFieldInput({ field, value, error, onChange }: { field: ExtraField; value: string; error: string | undefined; onChange: (value: string) => void }) {
  const { t } = useI18n();
  const id = `pr-field-${field.key}`;
  const common = { ...fieldA11y(id, error), required: field.required, value };
  let control: ReactNode;
  if (field.type === 'textarea') control = <textarea className={controlClass('form-control', error)} rows={3} onChange={(e) => onChange(e.target.value)} {...common} />;
  else if (field.type === 'select')
    control = (
      <select className={controlClass('form-select', error)} onChange={(e) => onChange(e.target.value)} {...common}>
        <option value="">{t('app.choose')}</option>
        {(field.options ?? []).map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  else control = <input type={field.type} className={controlClass('form-control', error)} onChange={(e) => onChange(e.target.value)} {...common} />;
  return (
    <Field id={id} label={field.label} error={error} required={field.required}>
      {control}
    </Field>
  );
}

/** The confirmation: the code, who will handle the request, the private link; then the attachments' uploads. */
function Filed({ filed, uploads, panelRef, onAnother }: { filed: FiledRequest; uploads: readonly Upload[]; panelRef: RefObject<HTMLElement | null>; onAnother: () => void }) {
  const { t } = useI18n();
  const failed = uploads.some((u) => u.state === 'failed');
  return (
    <div className="row justify-content-center">
      <section className="col-12 col-lg-9" aria-labelledby="page-title">
        <h1 id="page-title">{t('portalRequest.title')}</h1>
        <section ref={panelRef} tabIndex={-1} role="status" aria-labelledby="pr-done-title" className="callout success p-4 mb-4" data-testid="request-filed">
          <h2 id="pr-done-title" className="callout-title h3">
            {t('portalRequest.done.title')}
          </h2>
          <p className="mb-1">{t('portalRequest.done.code')}</p>
          <p className="font-monospace fw-bold mb-3 text-dark" style={{ fontSize: '2.25rem', letterSpacing: '0.05em' }} data-testid="request-code">
            {filed.code}
          </p>
          <p>{t('portalRequest.done.office', { office: filed.office.name, organisation: filed.office.organisation })}</p>
          <p className="mb-1 fw-semibold">{t('portalRequest.done.link')}</p>
          <p className="text-break">
            <a href={filed.trackingUrl || trackingHref(filed.trackingToken)} data-testid="tracking-link">
              {filed.trackingUrl || trackingHref(filed.trackingToken)}
            </a>
          </p>
          <p className="mb-0">{t('portalRequest.done.keep')}</p>
        </section>
        {uploads.length > 0 && (
          <section aria-labelledby="pr-uploads-title" className="mb-4">
            <h2 id="pr-uploads-title" className="h4">
              {t('portalRequest.upload.title')}
            </h2>
            <ul className="list-unstyled" aria-live="polite" data-testid="uploads">
              {uploads.map((upload, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the uploads keep the order of the chosen files
                <li key={index} className={upload.state === 'failed' ? 'text-danger' : undefined}>
                  {upload.name}: {upload.state === 'failed' ? t('portalRequest.upload.failed', { message: upload.message ?? '' }) : t(`portalRequest.upload.${upload.state}` as MessageKey)}
                </li>
              ))}
            </ul>
            {failed && <Alert kind="warning">{t('portalRequest.upload.note')}</Alert>}
          </section>
        )}
        <p>
          <a href={trackingHref(filed.trackingToken)} className="btn btn-primary me-2">
            {t('portalRequest.done.open')}
          </a>
          <Link href={REQUEST_PATH} className="btn btn-outline-primary" onClick={onAnother}>
            {t('portalRequest.done.another')}
          </Link>
        </p>
      </section>
    </div>
  );
}
