import { Type } from 'typebox';
import { IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';
import { TRANSFER_REASONS } from './sharing.service.js';

export const ShareSchema = Type.Object({
  id: Uuid, ticketId: Uuid, officeId: Uuid, officeName: Type.String(), organisationId: Uuid, organisationName: Type.String(),
  mode: StringEnum(['consult', 'collaborate'] as const), status: StringEnum(['pending', 'active', 'declined', 'revoked'] as const),
  shareRequester: Type.Boolean(), reason: Type.String(), declineReason: Nullable(Type.String()), requestedAt: IsoDateTime, respondedAt: Nullable(IsoDateTime),
});

export const CreateShareBody = Type.Object(
  {
    officeId: Uuid,
    mode: StringEnum(['consult', 'collaborate'] as const),
    reason: Type.String({ minLength: 3, maxLength: 2000 }),
    shareRequester: Type.Optional(Type.Boolean({ description: 'Collaboration only: let the office see the requester contact details' })),
  },
  { additionalProperties: false },
);

export const RespondBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

export const TransferSchema = Type.Object({
  id: Uuid, ticketId: Uuid, kind: StringEnum(['transfer', 'escalation'] as const), fromOfficeId: Uuid, fromOfficeName: Type.String(), toOfficeId: Uuid,
  toOfficeName: Type.String(), reasonCode: Type.String(), reason: Type.String(), status: StringEnum(['pending', 'accepted', 'declined', 'cancelled'] as const),
  declineReason: Nullable(Type.String()), requestedAt: IsoDateTime, respondedAt: Nullable(IsoDateTime),
});

export const CreateTransferBody = Type.Object(
  {
    officeId: Uuid,
    kind: StringEnum(['transfer', 'escalation'] as const),
    reasonCode: StringEnum(TRANSFER_REASONS, { description: 'not_competent, needs_authority, complaint_other_body, overflow, other' }),
    reason: Type.String({ minLength: 3, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

export const TaskSchema = Type.Object({
  id: Uuid, ticketId: Uuid, officeId: Uuid, officeName: Type.String(), title: Type.String(), description: Nullable(Type.String()),
  assignee: Nullable(Type.Object({ id: Uuid, name: Type.String() })), status: StringEnum(['open', 'done', 'cancelled'] as const), dueAt: Nullable(IsoDateTime),
  createdAt: IsoDateTime, completedAt: Nullable(IsoDateTime), version: Type.Integer(),
});

export const CreateTaskBody = Type.Object(
  {
    officeId: Uuid,
    title: Type.String({ minLength: 3, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    assigneeId: Type.Optional(Nullable(Uuid)),
    dueAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  },
  { additionalProperties: false },
);

export const UpdateTaskBody = Type.Object(
  { status: Type.Optional(StringEnum(['open', 'done', 'cancelled'] as const)), assigneeId: Type.Optional(Nullable(Uuid)) },
  { additionalProperties: false, minProperties: 1 },
);

export const AgreementSchema = Type.Object({
  id: Uuid, fromOrganisationId: Uuid, fromOrganisationName: Type.String(), toOrganisationId: Uuid, toOrganisationName: Type.String(),
  kinds: Type.Array(Type.String()), topics: Type.Array(Type.String()), autoAccept: Type.Boolean(),
  status: StringEnum(['proposed', 'active', 'rejected', 'revoked'] as const), note: Nullable(Type.String()),
  proposedAt: IsoDateTime, decidedAt: Nullable(IsoDateTime),
  overflow: Nullable(Type.Object({ afterSeconds: Type.Integer(), cap: Nullable(Type.Integer()), when: Type.Array(Type.String()) })),
});

/** Overflow terms of an agreement of kind `overflow`. */
export const AgreementOverflowBody = Type.Object(
  {
    afterSeconds: Type.Integer({ minimum: 0, maximum: 3600, description: 'secondi di attesa presso il proprio ufficio prima che il partner possa rispondere' }),
    cap: Nullable(Type.Integer({ minimum: 0, maximum: 10000, description: 'massimo di contatti dell’ente presso il partner nello stesso momento (null: nessun limite)' })),
    when: Type.Array(StringEnum(['closed', 'queue', 'wait'] as const), { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const CreateAgreementBody = Type.Object(
  {
    fromOrganisationId: Uuid,
    toOrganisationId: Uuid,
    kinds: Type.Array(StringEnum(['share', 'transfer', 'escalation', 'overflow'] as const), { minItems: 1, uniqueItems: true }),
    topics: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9_.]+$' }), { maxItems: 200, uniqueItems: true })),
    autoAccept: Type.Optional(Type.Boolean()),
    overflow: Type.Optional(AgreementOverflowBody),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const CompetencesBody = Type.Object(
  {
    competences: Type.Array(
      Type.Object({ topic: Type.String({ pattern: '^[a-z0-9_.]+$' }), territory: Type.Array(Type.String({ pattern: '^[0-9]{2,6}$' }), { maxItems: 500 }) }, { additionalProperties: false }),
      { maxItems: 300 },
    ),
  },
  { additionalProperties: false },
);

export const NotificationSchema = Type.Object({
  id: Type.Integer(), kind: Type.String(), ticketCode: Nullable(Type.String()), link: Nullable(Type.String()), title: Type.String(), body: Nullable(Type.String()),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), {
    description: 'What the notification says, as data, to write it in the reader\'s language from `kind`; `{}` on older notifications (then use title and body, in Italian)',
  }),
  createdAt: IsoDateTime, readAt: Nullable(IsoDateTime),
});
