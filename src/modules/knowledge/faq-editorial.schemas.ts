import { Type } from 'typebox';
import { IsoDateTime, Nullable, PageQuery, StringEnum, Uuid } from '../../platform/schema.js';
import { FAQ_FLAGS, WORKFLOW_ACTIONS } from './faq-workflow.js';
import { FAQ_STATUSES } from './knowledge.repository.js';
import { SEARCH_LANGUAGES } from '../../platform/text/text-analysis.js';

const Day = Type.String({ format: 'date', description: 'Giorno (AAAA-MM-GG)' });
const Code = Type.String({ minLength: 1, maxLength: 120, pattern: '^[a-z0-9_.]+$' });
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 30 });
const Title = Type.String({ minLength: 3, maxLength: 300, pattern: '\\S' });
const Body = Type.String({ minLength: 1, maxLength: 20000, pattern: '\\S' });
const LocalFields = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), Type.String({ maxLength: 2000 }), {
  description: 'Valori dei campi locali della FAQ di rete ({{nome_campo}} nel testo)',
});

const contentFields = {
  tema: Type.Optional(Nullable(Code)),
  tipo: Type.Optional(Nullable(Code)),
  enteCompetente: Type.Optional(Nullable(Type.String({ maxLength: 120 }))),
  tags: Type.Optional(Tags),
};

const metaFields = {
  ownerId: Type.Optional(Nullable(Uuid)),
  reviewBy: Type.Optional(Nullable(Day)),
  publishAt: Type.Optional(Nullable(IsoDateTime)),
  expiresAt: Type.Optional(Nullable(IsoDateTime)),
};

export const CreateFaqBody = Type.Object(
  {
    scope: StringEnum(['network', 'organisation'] as const, { description: 'network: redazione di rete; organisation: FAQ del proprio ente' }),
    organisationId: Type.Optional(Uuid),
    title: Title,
    body: Body,
    ...contentFields,
    ...metaFields,
  },
  { additionalProperties: false },
);

export const UpdateFaqBody = Type.Object(
  { title: Type.Optional(Title), body: Type.Optional(Body), ...contentFields, ...metaFields, localFields: Type.Optional(LocalFields) },
  { additionalProperties: false, minProperties: 1 },
);

export const TransitionBody = Type.Object(
  { action: StringEnum(WORKFLOW_ACTIONS), note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) },
  { additionalProperties: false },
);

export const RollbackBody = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const AdoptBody = Type.Object({ organisationId: Type.Optional(Uuid), localFields: Type.Optional(LocalFields) }, { additionalProperties: false });

export const TranslationBody = Type.Object(
  { lang: StringEnum(SEARCH_LANGUAGES), title: Title, body: Body, tags: Type.Optional(Tags) },
  { additionalProperties: false },
);

export const ListFaqQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ pattern: '^(draft|in_review|published|archived)(,(draft|in_review|published|archived))*$' })),
    scope: Type.Optional(StringEnum(['network', 'organisation'] as const)),
    organisationId: Type.Optional(Uuid),
    owner: Type.Optional(StringEnum(['me'] as const)),
    flag: Type.Optional(StringEnum(FAQ_FLAGS)),
    lang: Type.Optional(StringEnum(SEARCH_LANGUAGES)),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const FlagsQuery = Type.Object({ mine: Type.Optional(Type.Boolean({ default: false })) }, { additionalProperties: false });

export const DiffQuery = Type.Object(
  { from: Type.Optional(Type.Integer({ minimum: 1 })), to: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);

const Organisation = Nullable(Type.Object({ id: Uuid, name: Type.String() }));
const UserRef = Nullable(Type.Object({ id: Uuid, name: Type.String() }));
const Permissions = Type.Object({ edit: Type.Boolean(), publish: Type.Boolean(), translate: Type.Boolean() });
const WorkflowState = StringEnum(FAQ_STATUSES);

export const FaqSummarySchema = Type.Object({
  id: Uuid,
  externalId: Nullable(Type.String()),
  title: Type.String({ description: 'Titolo pubblicato (o della bozza)' }),
  workingTitle: Type.String({ description: 'Titolo della copia di lavoro, se c’è una modifica in corso' }),
  lang: Type.String(),
  scope: StringEnum(['network', 'organisation'] as const),
  owner: Type.String({ description: 'Ente titolare (etichetta)' }),
  organisation: Organisation,
  ownerUser: UserRef,
  tema: Nullable(Type.String()),
  tipo: Nullable(Type.String()),
  status: StringEnum(FAQ_STATUSES),
  workflowState: WorkflowState,
  hasRevision: Type.Boolean(),
  live: Type.Boolean({ description: 'Visibile ora nella ricerca' }),
  version: Type.Integer(),
  publishedVersion: Nullable(Type.Integer()),
  reviewBy: Nullable(Type.String()),
  publishAt: Nullable(IsoDateTime),
  expiresAt: Nullable(IsoDateTime),
  updatedAt: IsoDateTime,
  adoptedFrom: Nullable(Type.Object({ id: Uuid, title: Type.String() })),
  flags: Type.Array(StringEnum(FAQ_FLAGS)),
  permissions: Permissions,
});

const Content = {
  title: Type.String(),
  body: Type.String(),
  tema: Nullable(Type.String()),
  tipo: Nullable(Type.String()),
  enteCompetente: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
};

export const TranslationInfoSchema = Type.Object({
  id: Uuid,
  lang: Type.String(),
  title: Type.String(),
  status: StringEnum(FAQ_STATUSES),
  workflowState: WorkflowState,
  version: Type.Integer(),
  sourceVersion: Nullable(Type.Integer()),
  outdated: Type.Boolean({ description: 'La FAQ canonica ha una versione pubblicata più recente di quella tradotta' }),
  updatedAt: IsoDateTime,
});

export const EditorialFaqSchema = Type.Object({
  ...FaqSummarySchema.properties,
  ...Content,
  source: Type.Object({ title: Type.String(), body: Type.String() }, { description: 'Testo memorizzato, con i campi locali {{nome}} delle FAQ di rete' }),
  canonicalId: Nullable(Uuid),
  revision: Nullable(Type.Object({ ...Content, status: StringEnum(['draft', 'in_review'] as const) })),
  reviewNote: Nullable(Type.String()),
  publishedAt: Nullable(IsoDateTime),
  createdAt: IsoDateTime,
  localFields: Type.Record(Type.String(), Type.String()),
  templateFields: Type.Array(Type.Object({ name: Type.String(), default: Nullable(Type.String()) })),
  adoptions: Type.Array(Type.Object({ id: Uuid, organisation: Type.Object({ id: Uuid, name: Type.String() }) })),
  translations: Type.Array(TranslationInfoSchema),
  canonical: Nullable(Type.Object({ id: Uuid, title: Type.String(), publishedVersion: Nullable(Type.Integer()) })),
  sourceVersion: Nullable(Type.Integer()),
  outdated: Nullable(Type.Boolean()),
});

export const FaqVersionSchema = Type.Object({
  version: Type.Integer(),
  status: StringEnum(FAQ_STATUSES),
  ...Content,
  changedBy: UserRef,
  changedAt: IsoDateTime,
  note: Nullable(Type.String()),
});

const FieldValue = Type.Union([Type.String(), Type.Array(Type.String()), Type.Null()]);
const Segment = Type.Object({ op: StringEnum(['equal', 'insert', 'delete'] as const), text: Type.String() });

export const DiffSchema = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  title: Type.Array(Segment),
  body: Type.Array(Segment),
  /** tema, tipo and enteCompetente are codes or names (null when unset); tags a list. */
  changes: Type.Array(Type.Object({ field: StringEnum(['tema', 'tipo', 'enteCompetente', 'tags'] as const), from: FieldValue, to: FieldValue })),
});
