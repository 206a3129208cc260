import { Type } from 'typebox';
import { IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';
import { GAP_STATUSES } from './faq-feedback.repository.js';
import { SEARCH_LANGUAGES } from '../../platform/text/text-analysis.js';
import { THESAURUS_KINDS } from '../../platform/text/thesaurus.js';

/** A random id the portal keeps in sessionStorage: no personal data, no cookie. */
export const PortalSessionId = Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$', description: 'Identificativo casuale della sessione del portale (16–64 caratteri alfanumerici, - o _)' });

export const PortalEventBody = Type.Object(
  {
    sessionId: PortalSessionId,
    kind: StringEnum(['search', 'read', 'contact'] as const, { description: 'search: ricerca conclusa; read: FAQ aperta; contact: il cittadino ha scelto di contattare l’URP' }),
    faqId: Type.Optional(Uuid),
    query: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    lang: Type.Optional(StringEnum(SEARCH_LANGUAGES)),
    place: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const CitizenRatingBody = Type.Object(
  {
    sessionId: PortalSessionId,
    helpful: Type.Boolean(),
    comment: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    place: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const OperatorRatingBody = Type.Object(
  { helpful: Type.Boolean(), comment: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))) },
  { additionalProperties: false },
);

export const UseBody = Type.Object({ context: StringEnum(['reply', 'description'] as const) }, { additionalProperties: false });

const Votes = Type.Object({ helpful: Type.Integer(), notHelpful: Type.Integer() });

export const FeedbackStatsSchema = Type.Object({
  faqId: Uuid,
  helpful: Type.Integer(),
  notHelpful: Type.Integer(),
  ratio: Nullable(Type.Number()),
  citizens: Votes,
  operators: Votes,
  uses: Type.Integer(),
  comments: Type.Array(Type.Object({ helpful: Type.Boolean(), source: StringEnum(['citizen', 'operator'] as const), comment: Type.String(), at: IsoDateTime })),
  sourceTicket: Nullable(Type.Object({ code: Type.String() })),
});

export const CitizenRatingResponse = Type.Object({ faqId: Uuid, helpful: Type.Boolean(), counted: StringEnum(['new', 'replaced'] as const) });

export const DeflectionQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 40, description: 'Inizio (data o data e ora ISO 8601, es. 2026-11-01); predefinito: 30 giorni prima di «to»' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'Fine esclusa (data o data e ora ISO 8601); predefinito: adesso' })),
    granularity: Type.Optional(StringEnum(['day', 'week'] as const)),
    organisationId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const DeflectionResponse = Type.Object({
  from: IsoDateTime,
  to: IsoDateTime,
  windowMinutes: Type.Integer(),
  granularity: StringEnum(['day', 'week'] as const),
  totals: Type.Object({ sessions: Type.Integer(), deflected: Type.Integer(), contacted: Type.Integer(), pending: Type.Integer(), rate: Nullable(Type.Number()) }),
  series: Type.Array(Type.Object({ period: Type.String(), sessions: Type.Integer(), deflected: Type.Integer() })),
  byFaq: Type.Array(Type.Object({ faqId: Uuid, title: Type.String(), deflected: Type.Integer() })),
  byOrganisation: Type.Array(Type.Object({ organisationId: Nullable(Uuid), name: Nullable(Type.String()), deflected: Type.Integer() })),
});

export const GapListQuery = Type.Object(
  {
    status: Type.Optional(StringEnum([...GAP_STATUSES, 'all'] as const)),
    organisationId: Type.Optional(Uuid),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  { additionalProperties: false },
);

export const GapSchema = Type.Object({
  id: Uuid,
  lang: Type.String(),
  query: Type.String({ description: 'La ricerca normalizzata (minuscole, senza accenti né punteggiatura), senza dati personali' }),
  territory: Type.String(),
  organisation: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  samples: Type.Array(Type.String()),
  occurrences: Type.Integer(),
  signals: Type.Object({ noResults: Type.Integer(), lowScore: Type.Integer(), notHelpful: Type.Integer(), contact: Type.Integer() }),
  firstSeenAt: IsoDateTime,
  lastSeenAt: IsoDateTime,
  status: StringEnum(GAP_STATUSES),
  faq: Nullable(Type.Object({ id: Uuid, title: Type.String() })),
  note: Nullable(Type.String()),
  decidedAt: Nullable(IsoDateTime),
  version: Type.Integer(),
});

export const GapListResponse = Type.Object({ items: Type.Array(GapSchema), total: Type.Integer() });

export const GapUpdateBody = Type.Object(
  {
    status: StringEnum(GAP_STATUSES),
    faqId: Type.Optional(Nullable(Uuid)),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const ThesaurusPatchBody = Type.Object(
  {
    kind: Type.Optional(StringEnum(THESAURUS_KINDS)),
    terms: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 120 }), { minItems: 2, maxItems: 50 })),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const FaqDraftResponse = Type.Object({
  id: Uuid,
  title: Type.String(),
  body: Type.String(),
  tema: Nullable(Type.String()),
  tipo: Nullable(Type.String()),
  status: Type.Literal('draft'),
  organisationId: Uuid,
  sourceTicket: Type.Object({ code: Type.String() }),
});

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false });
