import { type FormEvent, type ReactNode, useState } from 'react';
import { client, fieldErrors, newIdempotencyKey, requestHeaders, unwrap } from '../api/client.js';
import {
  type DirectoryHit,
  type Participants,
  type Share,
  type ShareMode,
  type Task,
  type Ticket,
  type TicketAction,
  TRANSFER_REASONS,
  type TransferKind,
  type TransferReason,
} from '../api/types.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { useApiGet, useSubmission } from '../lib/hooks.js';
import { type AskKind, type PendingLink, type SimilarTicket, similarByCode } from '../lib/network.js';
import { DirectorySearch } from './DirectorySearch.js';
import { DialogActions, Modal } from './Modal.js';
import { applyLink, askOwningOffice, SimilarTickets } from './SimilarTickets.js';
import { controlClass, ErrorAlert, Field, fieldA11y, Icon, Spinner } from './ui.js';

/** What the caller may do on the ticket; an answer without `myAccess` (older server) allows everything. */
export function ticketCan(ticket: Ticket, action: TicketAction): boolean {
  return !ticket.myAccess || ticket.myAccess.actions.includes(action);
}


const SHARE_STATUS_CLASS: Record<string, string> = { pending: 'bg-warning text-dark', active: 'bg-success', declined: 'bg-danger', revoked: 'bg-secondary' };
const TRANSFER_STATUS_CLASS: Record<string, string> = { pending: 'bg-warning text-dark', accepted: 'bg-success', declined: 'bg-danger', cancelled: 'bg-secondary' };

function Section({ id, title, children, actions }: { id: string; title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="card card-bg shadow-sm mb-4 ticket-panel" aria-labelledby={`${id}-title`} data-testid={id}>
      <div className="card-body">
        <h2 id={`${id}-title`} className="h5 card-title">
          {title}
        </h2>
        {children}
        {actions}
      </div>
    </section>
  );
}

interface NetworkProps {
  ticket: Ticket;
  participants: Participants | null;
  /** Reloads the participants, the ticket and its history after a change. */
  onChanged: (message: string) => Promise<void>;
  onError: (error: unknown) => void;
}

/** "Uffici coinvolti": the owner, the offices the ticket is shared with, its transfers; share, transfer, revoke, cancel. */
export function ParticipantsPanel({ ticket, participants, onChanged, onError }: NetworkProps) {
  const { t, fmt } = useI18n();
  const [dialog, setDialog] = useState<'share' | 'transfer' | null>(null);
  const canReshare = ticketCan(ticket, 'reshare');
  const canTransfer = ticketCan(ticket, 'transfer');
  const closed = ticket.status === 'resolved' || ticket.status === 'closed';

  const act = async (call: () => Promise<unknown>, message: string) => {
    try {
      await call();
      await onChanged(message);
    } catch (err) {
      onError(err);
    }
  };

  const shares = participants?.shares ?? [];
  const visibleShares = shares.filter((s) => s.status === 'active' || s.status === 'pending');
  const pastShares = shares.filter((s) => s.status !== 'active' && s.status !== 'pending');
  const transfers = participants?.transfers ?? [];
  const pendingTransfer = transfers.find((x) => x.status === 'pending');

  return (
    <Section
      id="participants-panel"
      title={t('participants.title')}
      actions={
        (canReshare || (canTransfer && !closed)) && (
          <div className="d-flex flex-wrap gap-2 mt-3">
            {canReshare && (
              <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setDialog('share')}>
                <Icon name="share" size="sm" className="icon-primary me-1" />
                {t('share.open')}
              </button>
            )}
            {canTransfer && !closed && (
              <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setDialog('transfer')} disabled={Boolean(pendingTransfer)}>
                <Icon name="exchange-circle" size="sm" className="icon-primary me-1" />
                {t('transfer.open')}
              </button>
            )}
          </div>
        )
      }
    >
      {!participants ? (
        <Spinner />
      ) : (
        <ul className="list-unstyled mb-0 participants-list">
          <li className="participant owner" data-office={ticket.officeId}>
            <div className="fw-semibold">{ticket.officeName}</div>
            <div className="small text-muted">{ticket.organisationName}</div>
            <span className="badge bg-primary">{t('participants.owner')}</span>
          </li>
          {visibleShares.map((share) => (
            <ShareItem key={share.id} share={share} canRevoke={canReshare} onRevoke={() => void act(() => unwrap(client.POST('/shares/{id}/revoke', { params: { path: { id: share.id } } })), t('share.revoked', { office: share.officeName }))} />
          ))}
        </ul>
      )}
      {transfers.length > 0 && (
        <>
          <h3 className="h6 mt-3">{t('participants.transfers')}</h3>
          <ul className="list-unstyled mb-0 transfers-list">
            {transfers.map((x) => (
              <li key={x.id} className="participant" data-transfer-status={x.status}>
                <div>
                  <span className="small">{x.fromOfficeName}</span> <Icon name="arrow-right" size="sm" /> <span className="fw-semibold">{x.toOfficeName}</span>
                </div>
                <div className="small">
                  <span className="badge bg-light text-dark border me-1">{t(x.kind === 'escalation' ? 'transfer.kind.escalation' : 'transfer.kind.transfer')}</span>
                  <span className={`badge ${TRANSFER_STATUS_CLASS[x.status] ?? 'bg-secondary'} me-1`}>{translateCode(t, 'transfer.status', x.status)}</span>
                  {translateCode(t, 'transfer.reason', x.reasonCode)} · {fmt(x.requestedAt)}
                </div>
                <div className="small text-muted">{x.reason}</div>
                {x.declineReason && <div className="small">{t('participants.declineReason', { reason: x.declineReason })}</div>}
                {x.status === 'pending' && canTransfer && (
                  <button type="button" className="btn btn-link btn-sm p-0" onClick={() => void act(() => unwrap(client.POST('/transfers/{id}/cancel', { params: { path: { id: x.id } } })), t('transfer.cancelled'))}>
                    {t('transfer.cancel')}
                    <span className="visually-hidden"> – {x.toOfficeName}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {pastShares.length > 0 && (
        <details className="mt-3">
          <summary className="small fw-semibold">{t('participants.past', { count: pastShares.length })}</summary>
          <ul className="list-unstyled mb-0 mt-2">
            {pastShares.map((share) => (
              <ShareItem key={share.id} share={share} canRevoke={false} onRevoke={() => {}} />
            ))}
          </ul>
        </details>
      )}
      {dialog === 'share' && (
        <ShareDialog
          ticket={ticket}
          shares={shares}
          onClose={() => setDialog(null)}
          onDone={async (office) => {
            setDialog(null);
            await onChanged(t('share.sent', { office }));
          }}
        />
      )}
      {dialog === 'transfer' && (
        <TransferDialog
          ticket={ticket}
          onClose={() => setDialog(null)}
          onDone={async (office) => {
            setDialog(null);
            await onChanged(t('transfer.sent', { office }));
          }}
        />
      )}
    </Section>
  );
}

function ShareItem({ share, canRevoke, onRevoke }: { share: Share; canRevoke: boolean; onRevoke: () => void }) {
  const { t } = useI18n();
  return (
    <li className="participant" data-office={share.officeId} data-share-status={share.status} data-mode={share.mode}>
      <div className="fw-semibold">{share.officeName}</div>
      <div className="small text-muted">{share.organisationName}</div>
      <div className="small">
        <span className="badge bg-info text-dark me-1">{t(`share.mode.${share.mode}`)}</span>
        <span className={`badge ${SHARE_STATUS_CLASS[share.status] ?? 'bg-secondary'} me-1`}>{translateCode(t, 'share.status', share.status)}</span>
        {share.mode === 'collaborate' && <span>{share.shareRequester ? t('share.requesterShared') : t('share.requesterNotShared')}</span>}
      </div>
      <div className="small text-muted">{share.reason}</div>
      {share.declineReason && <div className="small">{t('participants.declineReason', { reason: share.declineReason })}</div>}
      {canRevoke && (share.status === 'active' || share.status === 'pending') && (
        <button type="button" className="btn btn-link btn-sm p-0" onClick={onRevoke}>
          {t('share.revoke')}
          <span className="visually-hidden"> – {share.officeName}</span>
        </button>
      )}
    </li>
  );
}

function ChosenOffice({ hit, onChange }: { hit: DirectoryHit; onChange: () => void }) {
  const { t } = useI18n();
  return (
    <div className="alert alert-info d-flex justify-content-between align-items-center gap-2 py-2" data-testid="chosen-office">
      <div>
        <span className="small d-block">{t('directory.chosen')}</span>
        <strong>{hit.office.name}</strong> – {hit.organisationName}
      </div>
      <button type="button" className="btn btn-link btn-sm" onClick={onChange}>
        {t('directory.change')}
      </button>
    </div>
  );
}

/** Radio buttons named `name`, each with a hint under it (share mode, transfer kind). */
function RadioChoices<T extends string>({
  name,
  legend,
  options,
  value,
  onChange,
  label,
  hint,
}: {
  name: string;
  legend: string;
  options: readonly T[];
  value: T;
  onChange: (value: T) => void;
  label: (option: T) => string;
  hint: (option: T) => string;
}) {
  return (
    <fieldset className="mb-3">
      <legend className="form-label fw-semibold fs-6">{legend}</legend>
      {options.map((option) => (
        <div className="form-check" key={option}>
          <input className="form-check-input" type="radio" name={name} id={`${name}-${option}`} checked={value === option} onChange={() => onChange(option)} aria-describedby={`${name}-${option}-hint`} />
          <label className="form-check-label" htmlFor={`${name}-${option}`}>
            {label(option)}
          </label>
          <div id={`${name}-${option}-hint`} className="form-text mt-0 mb-1">
            {hint(option)}
          </div>
        </div>
      ))}
    </fieldset>
  );
}

interface OfficeRequestDialogProps {
  /** The i18n prefix and id prefix: `share` or `transfer`. */
  prefix: 'share' | 'transfer';
  ticket: Ticket;
  /** Offices the directory shows but does not offer, with why. */
  excluded: Map<string, string>;
  submitLabel: string;
  onClose: () => void;
  onDone: (office: string) => Promise<void>;
  /** Posts the request for the chosen office with the trimmed reason, under the dialog's idempotency key. */
  send: (officeId: string, reason: string, idempotencyKey: string) => Promise<unknown>;
  /** The request's own fields, between the errors and the reason. */
  children: (errors: Record<string, string>) => ReactNode;
}

/** A request to another office about the ticket (share, transfer): the office found in the directory, the request's fields and its reason. */
function OfficeRequestDialog({ prefix, ticket, excluded, submitLabel, onClose, onDone, send, children }: OfficeRequestDialogProps) {
  const { t } = useI18n();
  const [hit, setHit] = useState<DirectoryHit | null>(null);
  const [reason, setReason] = useState('');
  const [missingOffice, setMissingOffice] = useState(false);
  const { busy, error, run } = useSubmission();
  const [key] = useState(newIdempotencyKey);
  const errors = fieldErrors(error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!hit) {
      setMissingOffice(true);
      return;
    }
    await run(async () => {
      await send(hit.office.id, reason.trim(), key);
      await onDone(hit.office.name);
    });
  };

  return (
    <Modal title={t(`${prefix}.title`, { code: ticket.code })} description={t(`${prefix}.intro`)} onClose={onClose} testId={`${prefix}-dialog`}>
      {hit ? (
        <ChosenOffice hit={hit} onChange={() => setHit(null)} />
      ) : (
        <DirectorySearch idPrefix={`${prefix}-dir`} value="" onChange={(h) => { setHit(h); setMissingOffice(false); }} excluded={excluded} suggestTopic={ticket.classification.tema} />
      )}
      <form onSubmit={submit} noValidate className="mt-3 border-top pt-3" aria-label={t(`${prefix}.form`)}>
        {missingOffice && (
          <div className="alert alert-warning" role="alert">
            {t('directory.pickFirst')}
          </div>
        )}
        <ErrorAlert error={error} />
        {children(errors)}
        <Field id={`${prefix}-reason`} label={t(`${prefix}.reason`)} required error={errors.reason}>
          <textarea rows={3} className={controlClass('form-control', errors.reason)} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} {...fieldA11y(`${prefix}-reason`, errors.reason)} />
        </Field>
        <DialogActions onCancel={onClose} submitLabel={submitLabel} busy={busy} />
      </form>
    </Modal>
  );
}

function ShareDialog({ ticket, shares, onClose, onDone }: { ticket: Ticket; shares: Share[]; onClose: () => void; onDone: (office: string) => Promise<void> }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<ShareMode>('consult');
  const [shareRequester, setShareRequester] = useState(false);

  const excluded = new Map<string, string>([[ticket.officeId, t('directory.excluded.owner')]]);
  for (const s of shares) if (s.status === 'active' || s.status === 'pending') excluded.set(s.officeId, t('directory.excluded.involved'));

  return (
    <OfficeRequestDialog
      prefix="share"
      ticket={ticket}
      excluded={excluded}
      submitLabel={t('share.submit')}
      onClose={onClose}
      onDone={onDone}
      send={(officeId, reason, idempotencyKey) =>
        unwrap(
          client.POST('/tickets/{code}/shares', {
            params: { path: { code: ticket.code } },
            body: { officeId, mode, reason, ...(mode === 'collaborate' && { shareRequester }) },
            headers: requestHeaders({ idempotencyKey }),
          }),
        )
      }
    >
      {() => (
        <>
          <RadioChoices
            name="share-mode"
            legend={t('share.mode')}
            options={['consult', 'collaborate'] as const}
            value={mode}
            onChange={setMode}
            label={(m) => t(`share.mode.${m}`)}
            hint={(m) => t(`share.mode.${m}.hint`)}
          />
          {mode === 'collaborate' && (
            <div className="form-check mb-3">
              <input className="form-check-input" type="checkbox" id="share-requester" checked={shareRequester} onChange={(e) => setShareRequester(e.target.checked)} />
              <label className="form-check-label" htmlFor="share-requester">
                {t('share.shareRequester')}
              </label>
            </div>
          )}
        </>
      )}
    </OfficeRequestDialog>
  );
}

function TransferDialog({ ticket, onClose, onDone }: { ticket: Ticket; onClose: () => void; onDone: (office: string) => Promise<void> }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<TransferKind>('transfer');
  const [reasonCode, setReasonCode] = useState<TransferReason>('not_competent');
  const excluded = new Map<string, string>([[ticket.officeId, t('directory.excluded.owner')]]);

  return (
    <OfficeRequestDialog
      prefix="transfer"
      ticket={ticket}
      excluded={excluded}
      submitLabel={t(kind === 'escalation' ? 'transfer.submit.escalation' : 'transfer.submit.transfer')}
      onClose={onClose}
      onDone={onDone}
      send={(officeId, reason, idempotencyKey) =>
        unwrap(
          client.POST('/tickets/{code}/transfers', {
            params: { path: { code: ticket.code } },
            body: { officeId, kind, reasonCode, reason },
            headers: requestHeaders({ idempotencyKey }),
          }),
        )
      }
    >
      {(errors) => (
        <>
          <RadioChoices
            name="transfer-kind"
            legend={t('transfer.kind')}
            options={['transfer', 'escalation'] as const}
            value={kind}
            onChange={setKind}
            label={(k) => t(`transfer.kind.${k}`)}
            hint={(k) => t(`transfer.kind.${k}.hint`)}
          />
          <Field id="transfer-reason-code" label={t('transfer.reasonCode')} required error={errors.reasonCode}>
            <select className={controlClass('form-select', errors.reasonCode)} value={reasonCode} onChange={(e) => setReasonCode(e.target.value as TransferReason)} {...fieldA11y('transfer-reason-code', errors.reasonCode)}>
              {TRANSFER_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`transfer.reason.${r}`)}
                </option>
              ))}
            </select>
          </Field>
        </>
      )}
    </OfficeRequestDialog>
  );
}

// ------------------------------------------------------------------------------------------ tasks

const TASK_STATUS_CLASS: Record<string, string> = { open: 'bg-warning text-dark', done: 'bg-success', cancelled: 'bg-secondary' };

/** The ticket's tasks, each held by one office (the owner or a collaborating one), with its assignee and due time. */
export function TasksPanel({ ticket, participants, myOfficeIds, onChanged, onError }: NetworkProps & { myOfficeIds: ReadonlySet<string> }) {
  const { t, fmt } = useI18n();
  const [adding, setAdding] = useState(false);
  const access = ticket.myAccess;
  const canManage = ticketCan(ticket, 'manage_tasks');
  const isOwner = !access || access.relation === 'owner';
  const tasks = participants?.tasks ?? [];

  const update = async (task: Task, status: 'done' | 'cancelled') => {
    try {
      await unwrap(client.PATCH('/tasks/{id}', { params: { path: { id: task.id } }, body: { status }, headers: requestHeaders({ ifMatch: `"${task.version}"` }) }));
      await onChanged(t(status === 'done' ? 'tasks.doneNotice' : 'tasks.cancelledNotice', { title: task.title }));
    } catch (err) {
      onError(err);
    }
  };

  // The owner may give a task to itself or to a collaborating office; a participant only to its own office.
  const officeChoices = isOwner
    ? [
        { id: ticket.officeId, name: ticket.officeName },
        ...(participants?.shares ?? []).filter((s) => s.status === 'active' && s.mode === 'collaborate').map((s) => ({ id: s.officeId, name: s.officeName })),
      ]
    : access
      ? [{ id: access.officeId, name: (participants?.shares ?? []).find((s) => s.officeId === access.officeId)?.officeName ?? access.officeId }]
      : [];

  return (
    <Section
      id="tasks-panel"
      title={t('tasks.title')}
      actions={
        canManage &&
        !adding && (
          <button type="button" className="btn btn-outline-primary btn-sm mt-3" onClick={() => setAdding(true)} aria-expanded={false}>
            <Icon name="plus" size="sm" className="icon-primary me-1" />
            {t('tasks.new')}
          </button>
        )
      }
    >
      {!participants ? (
        <Spinner />
      ) : tasks.length === 0 ? (
        <p className="text-muted small mb-0">{t('tasks.empty')}</p>
      ) : (
        <ul className="list-unstyled mb-0 tasks-list">
          {tasks.map((task) => {
            const mine = isOwner || task.officeId === access?.officeId;
            return (
              <li key={task.id} className="participant" data-task-status={task.status}>
                <div className="fw-semibold">{task.title}</div>
                <div className="small">
                  <span className={`badge ${TASK_STATUS_CLASS[task.status] ?? 'bg-secondary'} me-1`}>{translateCode(t, 'tasks.status', task.status)}</span>
                  {task.officeName}
                </div>
                <div className="small text-muted">
                  {t('tasks.assignee')}: {task.assignee?.name ?? t('inbox.unassigned')} · {t('tasks.due')}: {fmt(task.dueAt)}
                </div>
                {task.description && <div className="small">{task.description}</div>}
                {canManage && mine && task.status === 'open' && (
                  <div className="d-flex gap-3">
                    <button type="button" className="btn btn-link btn-sm p-0" onClick={() => void update(task, 'done')}>
                      {t('tasks.markDone')}
                      <span className="visually-hidden"> – {task.title}</span>
                    </button>
                    <button type="button" className="btn btn-link btn-sm p-0" onClick={() => void update(task, 'cancelled')}>
                      {t('tasks.cancel')}
                      <span className="visually-hidden"> – {task.title}</span>
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {adding && (
        <NewTaskForm
          ticket={ticket}
          offices={officeChoices}
          myOfficeIds={myOfficeIds}
          onCancel={() => setAdding(false)}
          onCreated={async (title) => {
            setAdding(false);
            await onChanged(t('tasks.created', { title }));
          }}
        />
      )}
    </Section>
  );
}

function NewTaskForm({
  ticket,
  offices,
  myOfficeIds,
  onCancel,
  onCreated,
}: {
  ticket: Ticket;
  offices: { id: string; name: string }[];
  myOfficeIds: ReadonlySet<string>;
  onCancel: () => void;
  onCreated: (title: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [officeId, setOfficeId] = useState(offices[0]?.id ?? '');
  const [title, setTitle] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const [dueAt, setDueAt] = useState('');
  const { busy, error, run } = useSubmission();
  const [key, setKey] = useState(newIdempotencyKey);
  const errors = fieldErrors(error);
  // Colleagues can be listed only in one's own offices.
  const users = useApiGet(officeId && myOfficeIds.has(officeId) ? '/offices/{id}/users' : null, { path: { id: officeId } });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await unwrap(
        client.POST('/tickets/{code}/tasks', {
          params: { path: { code: ticket.code } },
          body: { officeId, title: title.trim(), ...(assigneeId && { assigneeId }), ...(dueAt && { dueAt: new Date(`${dueAt}T18:00:00`).toISOString() }) },
          headers: requestHeaders({ idempotencyKey: key }),
        }),
      );
      setKey(newIdempotencyKey());
      await onCreated(title.trim());
    });
  };

  return (
    <form className="mt-3 border-top pt-3" onSubmit={submit} aria-labelledby="new-task-title" noValidate>
      <h3 id="new-task-title" className="h6">
        {t('tasks.new')}
      </h3>
      <ErrorAlert error={error} />
      <Field id="task-office" label={t('tasks.office')} required error={errors.officeId}>
        <select
          className={controlClass('form-select', errors.officeId)}
          value={officeId}
          onChange={(e) => {
            setOfficeId(e.target.value);
            setAssigneeId('');
          }}
          {...fieldA11y('task-office', errors.officeId)}
        >
          {offices.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="task-title" label={t('tasks.titleField')} required error={errors.title}>
        <input className={controlClass('form-control', errors.title)} value={title} onChange={(e) => setTitle(e.target.value)} required minLength={3} {...fieldA11y('task-title', errors.title)} />
      </Field>
      <Field id="task-assignee" label={t('tasks.assignee')} error={errors.assigneeId} hint={myOfficeIds.has(officeId) ? undefined : t('tasks.assignee.otherOffice')}>
        <select
          className={controlClass('form-select', errors.assigneeId)}
          value={assigneeId}
          onChange={(e) => setAssigneeId(e.target.value)}
          disabled={!myOfficeIds.has(officeId)}
          {...fieldA11y('task-assignee', errors.assigneeId, !myOfficeIds.has(officeId))}
        >
          <option value="">{t('ticket.unassigned')}</option>
          {(users.data?.items ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="task-due" label={t('tasks.dueField')} hint={t('tasks.dueField.hint')}>
        <input id="task-due" type="date" className="form-control" value={dueAt} onChange={(e) => setDueAt(e.target.value)} aria-describedby="task-due-hint" />
      </Field>
      <div className="d-flex gap-2">
        <button type="submit" className="btn btn-primary btn-sm" disabled={busy || title.trim().length < 3 || !officeId}>
          {t('tasks.create')}
        </button>
        <button type="button" className="btn btn-outline-secondary btn-sm" onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * "Same problem as another ticket": mark this ticket as a duplicate of one the operator can read
 * (by code, or picked among the similar tickets of the network), ask the owning office of one they
 * cannot read, or link it to an open incident. The server applies the rules of a resolve.
 */
export function DuplicatePanel({ ticket, onChanged, onError }: { ticket: Ticket; onChanged: (message: string) => Promise<void>; onError: (error: unknown) => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [searching, setSearching] = useState(false);
  const [asking, setAsking] = useState<SimilarTicket | null>(null);

  const run = async (link: PendingLink) => {
    setBusy(true);
    try {
      await onChanged(await applyLink(ticket.code, link, t));
      setCode('');
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };

  const markByCode = (event: FormEvent) => {
    event.preventDefault();
    const target = code.trim().toUpperCase();
    if (!target) return;
    void run({ kind: 'duplicate', target: similarByCode(target) });
  };

  return (
    <Section id="duplicate-panel" title={t('network.linkPanel.title')}>
      <p className="small">{t('network.linkPanel.intro')}</p>
      <form onSubmit={markByCode} className="mb-2">
        <Field id="duplicate-code" label={t('network.linkPanel.code')}>
          <div className="input-group">
            <input id="duplicate-code" type="text" className="form-control ticket-code" maxLength={20} value={code} onChange={(e) => setCode(e.target.value)} />
            <button type="submit" className="btn btn-outline-primary btn-sm" disabled={busy || !code.trim()}>
              {t('network.linkPanel.markDuplicate')}
            </button>
          </div>
        </Field>
      </form>
      {searching ? (
        <SimilarTickets
          text={`${ticket.subject}\n${ticket.description}`}
          topic={ticket.classification.tema}
          officeId={ticket.officeId}
          excludeCode={ticket.code}
          onChoose={(link) => (link.kind === 'ask' ? setAsking(link.target) : void run(link))}
        />
      ) : (
        <button type="button" className="btn btn-link btn-sm p-0" onClick={() => setSearching(true)}>
          {t('network.linkPanel.findSimilar')}
        </button>
      )}
      {asking && (
        <AskOwnerDialog
          ticket={ticket}
          target={asking}
          onClose={() => setAsking(null)}
          onDone={async () => {
            setAsking(null);
            await onChanged(t('network.ask.sent', { office: asking.officeName }));
          }}
        />
      )}
    </Section>
  );
}

const ASK_KINDS: readonly AskKind[] = ['link', 'share', 'incident'];

/** Asks the office owning a similar ticket the caller cannot read to link, share or open an incident. */
function AskOwnerDialog({ ticket, target, onClose, onDone }: { ticket: Ticket; target: SimilarTicket; onClose: () => void; onDone: () => Promise<void> }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<AskKind>('link');
  const [message, setMessage] = useState('');
  const { busy, error, run } = useSubmission();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await askOwningOffice(target.ref, { kind, ticketCode: ticket.code, message: message.trim() });
      await onDone();
    });
  };
  return (
    <Modal title={t('network.ask.title', { office: target.officeName })} description={target.subject} onClose={onClose} testId="ask-owner-dialog">
      <form onSubmit={submit} noValidate>
        <ErrorAlert error={error} />
        <fieldset className="mb-3">
          <legend className="form-label fw-semibold fs-6">{t('network.ask.kind')}</legend>
          {ASK_KINDS.map((k) => (
            <div className="form-check" key={k}>
              <input className="form-check-input" type="radio" name="ask-kind" id={`ask-kind-${k}`} checked={kind === k} onChange={() => setKind(k)} />
              <label className="form-check-label" htmlFor={`ask-kind-${k}`}>
                {t(`network.ask.kind.${k}`)}
              </label>
            </div>
          ))}
        </fieldset>
        <Field id="ask-message" label={t('network.ask.message')}>
          <textarea id="ask-message" rows={3} className="form-control" maxLength={2000} value={message} onChange={(e) => setMessage(e.target.value)} />
        </Field>
        <DialogActions onCancel={onClose} submitLabel={t('network.ask.send')} busy={busy} />
      </form>
    </Modal>
  );
}
