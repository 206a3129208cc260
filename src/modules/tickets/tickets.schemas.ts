import { Type } from 'typebox';
import { IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';
import { TICKET_ACTIONS } from './ticket-access.js';
import { TICKET_STATUSES } from './ticket-status.js';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const CHANNELS = ['telefono', 'email', 'pec', 'web', 'sportello', 'chat', 'app', 'social', 'posta', 'altro'] as const;
/** Channels where the citizen wrote to the network by themselves (portal, e-mail, PEC), with no operator in between. */
export const SELF_SERVICE_CHANNELS: ReadonlySet<string> = new Set(['web', 'email', 'pec']);
export const MESSAGE_KINDS = ['reply', 'note'] as const;
/** What a thread holds: staff replies and notes, and the citizen's own messages (portal, e-mail, PEC). */
export const THREAD_KINDS = ['reply', 'note', 'citizen'] as const;

const PersonRef = Nullable(Type.Object({ id: Uuid, name: Type.String() }));
const Classification = Type.Record(Type.String({ pattern: '^[a-z_]{2,40}$' }), Type.String({ minLength: 1, maxLength: 120 }), { maxProperties: 20 });

/** Codice fiscale: 16 alphanumerics (persons) or 11 digits (bodies/companies). */
const FiscalCode = Type.String({ pattern: '^([A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]|[0-9]{11})$' });

export const RequesterInput = Type.Object(
  {
    name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
    phone: Type.Optional(Nullable(Type.String({ pattern: '^[0-9 +().-]{3,40}$' }))),
    fiscalCode: Type.Optional(Nullable(FiscalCode)),
  },
  { additionalProperties: false },
);

export const RequesterSchema = Type.Object({
  name: Nullable(Type.String()),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  fiscalCode: Nullable(Type.String()),
});

export const TicketSchema = Type.Object({
  myAccess: Type.Optional(Type.Object({
    relation: StringEnum(['owner', 'collaborate', 'consult'] as const),
    /** A consultation that follows a ticket this office owned before a transfer: reads what it recorded (requester included). */
    formerOwner: Type.Boolean(),
    officeId: Uuid,
    actions: Type.Array(StringEnum(TICKET_ACTIONS)),
  })),
  id: Uuid,
  code: Type.String(),
  version: Type.Integer(),
  officeId: Uuid,
  officeName: Type.String(),
  organisationId: Uuid,
  organisationName: Type.String(),
  channel: Type.String(),
  subject: Type.String(),
  description: Type.String(),
  priority: StringEnum(PRIORITIES),
  status: StringEnum(TICKET_STATUSES),
  outcome: Nullable(Type.String()),
  classification: Type.Record(Type.String(), Type.String()),
  taxonomyVersion: Type.String(),
  assignee: PersonRef,
  requester: Nullable(RequesterSchema),
  dueAt: Nullable(IsoDateTime),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  resolvedAt: Nullable(IsoDateTime),
  closedAt: Nullable(IsoDateTime),
  createdBy: PersonRef,
  allowedTransitions: Type.Array(StringEnum(TICKET_STATUSES)),
});

export const TicketSummarySchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  subject: Type.String(),
  status: StringEnum(TICKET_STATUSES),
  priority: StringEnum(PRIORITIES),
  channel: Type.String(),
  classification: Type.Record(Type.String(), Type.String()),
  assignee: PersonRef,
  requesterName: Nullable(Type.String()),
  officeId: Uuid,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  dueAt: Nullable(IsoDateTime),
});

export const CreateTicketBody = Type.Object(
  {
    officeId: Uuid,
    channel: StringEnum(CHANNELS),
    subject: Type.String({ minLength: 3, maxLength: 200 }),
    description: Type.String({ minLength: 1, maxLength: 20_000 }),
    priority: Type.Optional(StringEnum(PRIORITIES)),
    requester: Type.Optional(Nullable(RequesterInput)),
    classification: Type.Optional(Classification),
    assigneeId: Type.Optional(Nullable(Uuid)),
    classificationSuggestionId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const UpdateTicketBody = Type.Object(
  {
    subject: Type.Optional(Type.String({ minLength: 3, maxLength: 200 })),
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
    priority: Type.Optional(StringEnum(PRIORITIES)),
    classification: Type.Optional(Classification),
    assigneeId: Type.Optional(Nullable(Uuid)),
    requester: Type.Optional(Nullable(RequesterInput)),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const StatusChangeBody = Type.Object(
  {
    status: StringEnum(TICKET_STATUSES),
    outcome: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 120 }))),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const INBOX_VIEWS = ['all', 'mine', 'office', 'shared', 'waiting'] as const;

export const ListTicketsQuery = Type.Object(
  {
    view: Type.Optional(StringEnum(INBOX_VIEWS, { description: 'all (default), mine, office (owned), shared (shared with my office), waiting (on another office)' })),
    officeId: Type.Optional(Uuid),
    status: Type.Optional(Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$', maxLength: 200 })),
    channel: Type.Optional(StringEnum(CHANNELS)),
    topic: Type.Optional(Type.String({ pattern: '^[a-z0-9_.]+$', maxLength: 120 })),
    assignee: Type.Optional(Type.String({ pattern: '^(me|none|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$' })),
    priority: Type.Optional(StringEnum(PRIORITIES)),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
    cursor: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);

export const AttachmentSchema = Type.Object({ id: Uuid, filename: Type.String(), contentType: Type.String(), size: Type.Integer(), createdAt: IsoDateTime });

export const MessageSchema = Type.Object({
  id: Uuid,
  kind: StringEnum(THREAD_KINDS),
  /** For a citizen's message: the channel it came through. */
  channel: Nullable(StringEnum(['web', 'email', 'pec'] as const)),
  body: Type.String(),
  author: PersonRef,
  createdAt: IsoDateTime,
  attachments: Type.Array(AttachmentSchema),
});

export const CreateMessageBody = Type.Object(
  {
    kind: StringEnum(MESSAGE_KINDS),
    body: Type.String({ minLength: 1, maxLength: 20_000 }),
    attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false },
);

/** A value in a history entry (see HistoryValue in src/db/schema.ts). */
const HistoryValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null(), Type.Array(Type.String()), Type.Record(Type.String(), Nullable(Type.String()))]);

export const HistoryEntrySchema = Type.Object({
  id: Type.Integer(),
  action: Type.String(),
  actor: PersonRef,
  at: IsoDateTime,
  changes: Type.Record(Type.String(), Type.Object({ from: HistoryValue, to: HistoryValue })),
});

export const CodeParams = Type.Object({ code: Type.String({ minLength: 9, maxLength: 20 }) });
