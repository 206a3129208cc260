import { Type } from 'typebox';
import { IsoDateTime, Nullable, StringEnum, Uuid } from '../../../platform/schema.js';
import { ACTION_KINDS, ACTION_ORIGINS, ACTION_STATUSES, ACTION_TYPES } from './action-status.js';

const Day = Type.String({ format: 'date', description: 'Giorno (AAAA-MM-GG)' });

export const ActionIdParams = Type.Object({ id: Uuid });

export const SliceSchema = Type.Object(
  {
    topic: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Codice di tema della tassonomia di rete (comprende i sottotemi)' })),
    territory: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'Codice ISTAT di comune, provincia o regione' })),
    channel: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    officeId: Type.Optional(Uuid),
    organisationId: Type.Optional(Uuid),
  },
  { additionalProperties: false, $id: 'ActionSlice', description: "La porzione dei contatti su cui l'azione agisce e se ne misura l'effetto" },
);

const ForecastDay = Type.Object({ date: Type.String(), mean: Type.Number(), lo80: Type.Number(), hi80: Type.Number() });

export const ActionSchema = Type.Object(
  {
    id: Uuid,
    organisationId: Uuid,
    title: Type.String(),
    description: Type.String(),
    kind: StringEnum(ACTION_KINDS),
    actionType: StringEnum(ACTION_TYPES),
    origin: StringEnum(ACTION_ORIGINS),
    originRef: Nullable(Type.String()),
    slice: SliceSchema,
    ownerUserId: Nullable(Uuid),
    dueDate: Nullable(Type.String()),
    status: StringEnum(ACTION_STATUSES),
    nextStatuses: Type.Array(StringEnum(ACTION_STATUSES)),
    effectiveDate: Nullable(Type.String()),
    counterfactual: Nullable(
      Type.Object({ madeAt: IsoDateTime, historyFrom: Nullable(Type.String()), historyTo: Nullable(Type.String()), days: Type.Array(ForecastDay) }, { description: "La previsione della porzione fatta con lo storico precedente all'azione" }),
    ),
    createdBy: Nullable(Uuid),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
    version: Type.Integer(),
  },
  { $id: 'ActionPlan' },
);

export const NewActionBody = Type.Object(
  {
    organisationId: Type.Optional(Uuid),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    kind: StringEnum(ACTION_KINDS),
    actionType: StringEnum(ACTION_TYPES),
    origin: StringEnum(ACTION_ORIGINS),
    originRef: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    slice: SliceSchema,
    ownerUserId: Type.Optional(Nullable(Uuid)),
    dueDate: Type.Optional(Nullable(Day)),
  },
  { additionalProperties: false },
);

export const ActionChangeBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    kind: Type.Optional(StringEnum(ACTION_KINDS)),
    actionType: Type.Optional(StringEnum(ACTION_TYPES)),
    slice: Type.Optional(SliceSchema),
    ownerUserId: Type.Optional(Nullable(Uuid)),
    dueDate: Type.Optional(Nullable(Day)),
    status: Type.Optional(StringEnum(ACTION_STATUSES)),
    effectiveDate: Type.Optional(Day),
  },
  { additionalProperties: false },
);

export const ActionsQuery = Type.Object({
  status: Type.Optional(StringEnum(ACTION_STATUSES)),
  organisationId: Type.Optional(Uuid),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const ActionEffectSchema = Type.Object(
  {
    action: ActionSchema,
    effect: Nullable(
      Type.Object({
        days: Type.Array(Type.Object({ date: Type.String(), mean: Type.Number(), lo80: Type.Number(), hi80: Type.Number(), observed: Nullable(Type.Integer()) })),
        comparedDays: Type.Integer(),
        observedThrough: Type.String({ description: "Ultimo giorno di apertura che l'archivio contiene per intero" }),
        observed: Nullable(Type.Integer()),
        expected: Type.Number(),
        difference: Nullable(Type.Number()),
        differenceLo80: Nullable(Type.Number()),
        differenceHi80: Nullable(Type.Number()),
        relative: Nullable(Type.Number()),
        relativeLo80: Nullable(Type.Number()),
        relativeHi80: Nullable(Type.Number()),
        verdict: StringEnum(['pending', 'reduced', 'increased', 'no_clear_effect'] as const),
        withheldDays: Type.Integer(),
      }),
    ),
  },
  { $id: 'ActionEffect' },
);
