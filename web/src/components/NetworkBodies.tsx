import { type FormEvent, type Ref, useEffect, useRef, useState } from 'react';
import { type ApiResponseBody, client, unwrap } from '../api/client.js';
import type { Organisation } from '../api/types.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { Modal } from './Modal.js';
import { controlClass, DataTable, ErrorAlert, Field, fieldA11y, HiddenHeading, Spinner } from './ui.js';

/** What the exit of a body answers: its preview (`dryRun`) or what was done. */
export type ExitReport = ApiResponseBody<'/organisations/{id}/leave', 'post'>;
type RejoinReport = ApiResponseBody<'/organisations/{id}/rejoin', 'post'>;

/** The counts of an exit report, in the order they are read out. */
export const EXIT_COUNTS = [
  'ticketsToFormerOwners',
  'ticketsToCoordinator',
  'participationsEnded',
  'openTicketsKept',
  'usersDisabled',
  'membershipsEnded',
  'officesDeactivated',
  'agreementsEnded',
  'invitationsWithdrawn',
] as const satisfies readonly (keyof ExitReport)[];

/** The tickets listed one by one; the counts say how many there are in all. */
const MAX_TICKETS_SHOWN = 200;

/**
 * The bodies of the network, for its coordinator: each one's status, and the way out of the network
 * (with its preview and the IPA code as confirmation) or, for a body that left, back in. The
 * coordinator's own body cannot leave: it takes over the tickets of those that do.
 */
export function NetworkBodies({ organisations, coordinatingId, onChanged }: { organisations: Organisation[]; coordinatingId: string | undefined; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<{ organisation: Organisation; action: 'leave' | 'rejoin' } | null>(null);
  const [changed, setChanged] = useState(false);

  const close = () => {
    setOpen(null);
    if (changed) {
      setChanged(false);
      void onChanged();
    }
  };

  return (
    <section aria-labelledby="network-bodies-title" className="mt-4" data-testid="network-bodies">
      <h2 id="network-bodies-title" className="h3">
        {t('network.bodies.title')}
      </h2>
      <p className="small text-muted">{t('network.bodies.intro')}</p>
      <DataTable
        caption={t('network.bodies.caption')}
        className="table-sm align-middle"
        columns={[t('network.bodies.col.name'), t('network.bodies.col.ipa'), t('network.bodies.col.status'), <HiddenHeading key="actions">{t('network.bodies.col.actions')}</HiddenHeading>]}
      >
        {organisations.map((o) => (
          <tr key={o.id} data-ipa={o.ipaCode} data-active={o.active}>
            <th scope="row">{o.name}</th>
            <td>
              <code>{o.ipaCode}</code>
            </td>
            <td>
              <span className={`badge ${o.active ? 'bg-success' : 'bg-secondary'}`}>{o.active ? t('network.bodies.active') : t('network.bodies.inactive')}</span>
            </td>
            <td>
              {o.id === coordinatingId ? (
                <span className="small">{t('network.bodies.coordinating')}</span>
              ) : o.active ? (
                <button type="button" className="btn btn-link btn-sm p-0" onClick={() => setOpen({ organisation: o, action: 'leave' })}>
                  {t('network.exit.open')}
                  <span className="visually-hidden"> – {o.name}</span>
                </button>
              ) : (
                <button type="button" className="btn btn-link btn-sm p-0" onClick={() => setOpen({ organisation: o, action: 'rejoin' })}>
                  {t('network.rejoin.open')}
                  <span className="visually-hidden"> – {o.name}</span>
                </button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      {open?.action === 'leave' && <LeaveDialog organisation={open.organisation} onClose={close} onDone={() => setChanged(true)} />}
      {open?.action === 'rejoin' && <RejoinDialog organisation={open.organisation} onClose={close} onDone={() => setChanged(true)} />}
    </section>
  );
}

/** The counts of an exit report and its tickets, each with what happens to it. */
export function ExitReportView({ report, headingRef }: { report: ExitReport; headingRef?: Ref<HTMLHeadingElement> }) {
  const { t } = useI18n();
  const id = report.dryRun ? 'exit-preview' : 'exit-result';
  return (
    <section aria-labelledby={`${id}-title`} data-testid={id}>
      <h3 id={`${id}-title`} className="h5" tabIndex={-1} ref={headingRef}>
        {report.dryRun ? t('network.exit.preview') : t('network.exit.done')}
      </h3>
      <dl className="compact-dl">
        {EXIT_COUNTS.map((key) => (
          <div key={key}>
            <dt>{t(`network.exit.${key}`)}</dt>
            <dd data-testid={`${id}-${key}`}>{report[key]}</dd>
          </div>
        ))}
      </dl>
      {report.tickets.length === 0 ? (
        <p>{t('network.exit.noTickets')}</p>
      ) : (
        <>
          <h4 className="h6 mt-3">{t('network.exit.tickets')}</h4>
          <DataTable caption={t('network.exit.ticketsCaption')} className="table-sm align-middle" columns={[t('network.exit.col.code'), t('network.exit.col.office'), t('network.exit.col.action')]}>
            {report.tickets.slice(0, MAX_TICKETS_SHOWN).map((ticket) => (
              <tr key={`${ticket.code}-${ticket.action}`} data-code={ticket.code} data-action={ticket.action}>
                <th scope="row">
                  <code>{ticket.code}</code>
                </th>
                <td>{ticket.officeName ?? '—'}</td>
                <td>{translateCode(t, 'network.exit.action', ticket.action)}</td>
              </tr>
            ))}
          </DataTable>
          {report.tickets.length > MAX_TICKETS_SHOWN && <p className="small">{t('network.exit.moreTickets', { count: report.tickets.length - MAX_TICKETS_SHOWN })}</p>}
        </>
      )}
    </section>
  );
}

/** The exit of a body: the preview is loaded first, the IPA code typed to confirm, then the result shown. */
function LeaveDialog({ organisation, onClose, onDone }: { organisation: Organisation; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const [preview, setPreview] = useState<ExitReport | null>(null);
  const [result, setResult] = useState<ExitReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>();
  const codeRef = useRef<HTMLInputElement>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const path = { id: organisation.id };

  useEffect(() => {
    let alive = true;
    unwrap(client.POST('/organisations/{id}/leave', { params: { path: { id: organisation.id }, query: { dryRun: true } }, body: null })).then(
      ({ data }) => alive && setPreview(data),
      (err: unknown) => alive && setError(err),
    );
    return () => {
      alive = false;
    };
  }, [organisation.id]);

  // The result is read out: focus moves to its heading.
  useEffect(() => {
    if (result) resultHeading.current?.focus();
  }, [result]);

  const confirmation = preview?.confirmation ?? organisation.ipaCode;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (code.trim() !== confirmation) {
      setCodeError(t('network.exit.confirmMismatch', { code: confirmation }));
      codeRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { data } = await unwrap(client.POST('/organisations/{id}/leave', { params: { path }, body: { confirm: code.trim() } }));
      setResult(data);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('network.exit.title', { name: organisation.name })} description={t('network.exit.description')} onClose={onClose} testId="exit-dialog">
      <ErrorAlert error={error} />
      {result ? (
        <>
          <ExitReportView report={result} headingRef={resultHeading} />
          <div className="d-flex justify-content-end mt-3">
            <button type="button" className="btn btn-primary" onClick={onClose}>
              {t('network.exit.close')}
            </button>
          </div>
        </>
      ) : !preview ? (
        !error && <Spinner />
      ) : (
        <>
          <ExitReportView report={preview} />
          <form noValidate onSubmit={submit} aria-busy={busy} className="mt-3">
            <Field id="exit-confirm" label={t('network.exit.confirm', { code: confirmation })} hint={t('network.exit.confirmHint')} error={codeError} required>
              <input
                ref={codeRef}
                type="text"
                autoComplete="off"
                spellCheck={false}
                className={controlClass('form-control', codeError)}
                value={code}
                onChange={(e) => {
                  setCode(e.target.value);
                  setCodeError(undefined);
                }}
                aria-required="true"
                {...fieldA11y('exit-confirm', codeError, true)}
              />
            </Field>
            <div className="d-flex gap-2 justify-content-end">
              <button type="button" className="btn btn-outline-secondary" onClick={onClose}>
                {t('app.cancel')}
              </button>
              <button type="submit" className="btn btn-danger" disabled={busy}>
                {t('network.exit.submit')}
              </button>
            </div>
          </form>
        </>
      )}
    </Modal>
  );
}

/** A body that left comes back: it, its offices and the people the exit disabled are active again. */
function RejoinDialog({ organisation, onClose, onDone }: { organisation: Organisation; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const [result, setResult] = useState<RejoinReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const resultHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (result) resultHeading.current?.focus();
  }, [result]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { data } = await unwrap(client.POST('/organisations/{id}/rejoin', { params: { path: { id: organisation.id } } }));
      setResult(data);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('network.rejoin.title', { name: organisation.name })} description={t('network.rejoin.description')} onClose={onClose} testId="rejoin-dialog">
      <ErrorAlert error={error} />
      {result ? (
        <section aria-labelledby="rejoin-result-title" data-testid="rejoin-result">
          <h3 id="rejoin-result-title" className="h5" tabIndex={-1} ref={resultHeading}>
            {t('network.rejoin.done')}
          </h3>
          <dl className="compact-dl">
            <div>
              <dt>{t('network.rejoin.officesReactivated')}</dt>
              <dd data-testid="rejoin-result-officesReactivated">{result.officesReactivated}</dd>
            </div>
            <div>
              <dt>{t('network.rejoin.usersReactivated')}</dt>
              <dd data-testid="rejoin-result-usersReactivated">{result.usersReactivated}</dd>
            </div>
          </dl>
          <div className="d-flex justify-content-end mt-3">
            <button type="button" className="btn btn-primary" onClick={onClose}>
              {t('network.exit.close')}
            </button>
          </div>
        </section>
      ) : (
        <form noValidate onSubmit={submit} aria-busy={busy}>
          <div className="d-flex gap-2 justify-content-end">
            <button type="button" className="btn btn-outline-secondary" onClick={onClose}>
              {t('app.cancel')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t('network.rejoin.submit')}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
