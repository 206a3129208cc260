import { Type } from 'typebox';
import { IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';
import { CHANNELS, PRESENCES } from './routing-policy.js';

const Channel = StringEnum(CHANNELS);
const Counts = Type.Object(Object.fromEntries(CHANNELS.map((c) => [c, Type.Optional(Type.Integer({ minimum: 0, maximum: 50 }))])), { additionalProperties: false });
const TopicCode = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,100}$' });
const Language = Type.String({ pattern: '^[a-z]{2}$' });
const PhoneNumber = Type.String({ pattern: '^\\+?[0-9]{2,20}$', description: 'numero in formato E.164, solo cifre e + iniziale' });

export const IdParams = Type.Object({ id: Uuid });
export const OfficeParams = Type.Object({ officeId: Uuid });
export const UserParams = Type.Object({ userId: Uuid });

export const OperatorStateSchema = Type.Object({
  userId: Uuid,
  officeId: Uuid,
  presence: StringEnum(PRESENCES),
  presenceSince: IsoDateTime,
  idleSince: IsoDateTime,
  topics: Type.Array(Type.String()),
  languages: Type.Array(Type.String()),
  channels: Type.Array(Channel),
  capacity: Counts,
  load: Counts,
  extension: Nullable(Type.String()),
});

export const OfferSchema = Type.Object({
  id: Uuid,
  itemId: Uuid,
  userId: Uuid,
  officeId: Uuid,
  overflow: Type.Boolean(),
  status: StringEnum(['pending', 'accepted', 'declined', 'expired', 'withdrawn'] as const),
  offeredAt: IsoDateTime,
  expiresAt: IsoDateTime,
});

export const WorkItemSchema = Type.Object({
  id: Uuid,
  officeId: Uuid,
  organisationId: Uuid,
  channel: Channel,
  topic: Nullable(Type.String()),
  language: Nullable(Type.String()),
  priority: Type.Integer(),
  status: StringEnum(['waiting', 'offered', 'assigned', 'completed', 'abandoned', 'cancelled'] as const),
  ticketId: Nullable(Uuid),
  callId: Nullable(Type.String()),
  caller: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  enqueuedAt: IsoDateTime,
  notBefore: Nullable(IsoDateTime),
  overflowOfficeIds: Type.Array(Uuid),
  assignedTo: Nullable(Uuid),
  assignedOfficeId: Nullable(Uuid),
  answeredAt: Nullable(IsoDateTime),
  endedAt: Nullable(IsoDateTime),
  outcome: Nullable(Type.String()),
});

export const OfferWithItemSchema = Type.Object({ offer: OfferSchema, item: WorkItemSchema });

export const OperatorViewSchema = Type.Object({
  state: Nullable(OperatorStateSchema),
  offices: Type.Array(Type.Object({ id: Uuid, name: Type.String(), organisationId: Uuid })),
  offers: Type.Array(OfferWithItemSchema),
  items: Type.Array(WorkItemSchema),
});

export const PresenceBody = Type.Object(
  { presence: StringEnum(PRESENCES), officeId: Type.Optional(Uuid) },
  { additionalProperties: false },
);

export const CompleteBody = Type.Object({ wrapUp: Type.Optional(Type.Boolean({ description: 'dopo una chiamata, passa al lavoro post-contatto' })) }, { additionalProperties: false });

export const EnqueueBody = Type.Object(
  {
    officeId: Uuid,
    channel: StringEnum(['chat', 'email', 'web', 'callback'] as const, { description: 'le chiamate arrivano dal centralino (CTI)' }),
    topic: Type.Optional(Nullable(TopicCode)),
    language: Type.Optional(Nullable(Language)),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })),
    ticketId: Type.Optional(Nullable(Uuid)),
    subject: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    caller: Type.Optional(Nullable(PhoneNumber)),
    notBefore: Type.Optional(Nullable(IsoDateTime)),
  },
  { additionalProperties: false },
);

export const QueueQuery = Type.Object({ officeId: Uuid, status: Type.Optional(StringEnum(['waiting', 'offered', 'assigned'] as const)) }, { additionalProperties: false });

export const SettingsSchema = Type.Object({
  officeId: Uuid,
  maxQueue: Nullable(Type.Integer({ minimum: 0, maximum: 100000 })),
  maxWaitSeconds: Nullable(Type.Integer({ minimum: 1, maximum: 86400 })),
  offerTimeoutSeconds: Type.Integer({ minimum: 5, maximum: 600 }),
  serviceLevelSeconds: Type.Integer({ minimum: 1, maximum: 86400 }),
  handleSeconds: Type.Integer({ minimum: 10, maximum: 86400 }),
  callbackAfterSeconds: Nullable(Type.Integer({ minimum: 1, maximum: 86400 })),
  numbers: Type.Array(PhoneNumber, { maxItems: 50, uniqueItems: true }),
  version: Type.Integer(),
});

export const SettingsBody = Type.Object(
  {
    maxQueue: Nullable(Type.Integer({ minimum: 0, maximum: 100000 })),
    maxWaitSeconds: Nullable(Type.Integer({ minimum: 1, maximum: 86400 })),
    offerTimeoutSeconds: Type.Integer({ minimum: 5, maximum: 600 }),
    serviceLevelSeconds: Type.Integer({ minimum: 1, maximum: 86400 }),
    handleSeconds: Type.Integer({ minimum: 10, maximum: 86400 }),
    callbackAfterSeconds: Nullable(Type.Integer({ minimum: 1, maximum: 86400 })),
    numbers: Type.Array(PhoneNumber, { maxItems: 50, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const ProfileBody = Type.Object(
  {
    officeId: Uuid,
    topics: Type.Array(TopicCode, { maxItems: 200, uniqueItems: true }),
    languages: Type.Array(Language, { maxItems: 20, uniqueItems: true }),
    channels: Type.Array(Channel, { maxItems: 5, uniqueItems: true }),
    capacity: Counts,
    extension: Nullable(Type.String({ pattern: '^[A-Za-z0-9@._:+-]{1,40}$' })),
  },
  { additionalProperties: false },
);

export const OperatorsSchema = Type.Object({
  items: Type.Array(Type.Intersect([OperatorStateSchema, Type.Object({ name: Type.String() })])),
});

const Figures = {
  waiting: Type.Integer(),
  oldestWaitSeconds: Nullable(Type.Integer()),
  operators: Type.Object(Object.fromEntries(PRESENCES.map((p) => [p, Type.Integer()]))),
  offered: Type.Integer(),
  answered: Type.Integer(),
  abandoned: Type.Integer(),
  serviceLevel: Nullable(Type.Number()),
  abandonment: Nullable(Type.Number()),
  asaSeconds: Nullable(Type.Number()),
  overflowIn: Type.Integer(),
  overflowOut: Type.Integer(),
};

export const WallboardQuery = Type.Object({ officeId: Type.Optional(Uuid) }, { additionalProperties: false });

export const WallboardSchema = Type.Object({
  at: IsoDateTime,
  since: IsoDateTime,
  total: Type.Object(Figures),
  offices: Type.Array(Type.Object({ officeId: Uuid, officeName: Type.String(), organisationId: Uuid, open: Type.Boolean(), serviceLevelSeconds: Type.Integer(), ...Figures })),
  series: Type.Array(Type.Object({ slot: IsoDateTime, arrived: Type.Integer(), answered: Type.Integer(), abandoned: Type.Integer() })),
});

export const ErlangBody = Type.Object(
  {
    model: StringEnum(['C', 'A'] as const, { description: 'C: chi aspetta non riattacca; A: pazienza esponenziale (patienceSeconds)' }),
    callsPerHour: Type.Number({ minimum: 0, maximum: 1_000_000 }),
    handleSeconds: Type.Number({ exclusiveMinimum: 0, maximum: 86400 }),
    serviceLevelSeconds: Type.Number({ minimum: 0, maximum: 86400 }),
    patienceSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86400 })),
    agents: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, description: 'valuta questo organico; senza, calcola il minimo che raggiunge l’obiettivo' })),
    targetServiceLevel: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
    shrinkage: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1, description: 'quota di tempo non disponibile (pause, formazione, assenze)' })),
  },
  { additionalProperties: false },
);

export const ErlangSchema = Type.Object({
  model: StringEnum(['C', 'A'] as const),
  agents: Type.Integer(),
  rostered: Type.Integer(),
  load: Type.Number(),
  waitProbability: Type.Number(),
  serviceLevel: Type.Number(),
  averageWaitSeconds: Type.Number(),
  abandonment: Type.Number(),
  occupancy: Type.Number(),
  stable: Type.Boolean(),
});

// --------------------------------------------------------------------------------------- CTI

export const CallBody = Type.Object(
  {
    callId: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:@-]+$', description: 'identificativo della chiamata nel centralino (univoco)' }),
    caller: Nullable(PhoneNumber),
    dialled: PhoneNumber,
  },
  { additionalProperties: false },
);

export const CallParams = Type.Object({ callId: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:@-]+$' }) });

export const CallEventBody = Type.Object(
  {
    type: StringEnum(['answered', 'ended', 'abandoned', 'callback_requested'] as const),
    callbackNumber: Type.Optional(Nullable(PhoneNumber)),
  },
  { additionalProperties: false },
);

export const CallRouteSchema = Type.Object({
  callId: Type.String(),
  itemId: Uuid,
  officeId: Uuid,
  officeName: Type.String(),
  decision: StringEnum(['queued', 'closed'] as const),
  position: Nullable(Type.Integer()),
  estimatedWaitSeconds: Nullable(Type.Integer()),
  callbackOffered: Type.Boolean(),
  nextOpening: Nullable(IsoDateTime),
  state: Nullable(Type.String()),
});

export const CallEventResultSchema = Type.Object({ changed: Type.Boolean(), call: CallRouteSchema, callbackItemId: Nullable(Uuid) });
