import { Type } from 'typebox';
import { IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';
import { FAQ_STATUSES } from './knowledge.repository.js';
import { SEARCH_LANGUAGES } from '../../platform/text/text-analysis.js';
import { THESAURUS_KINDS } from '../../platform/text/thesaurus.js';

const searchQueryFields = {
  lang: Type.Optional(StringEnum(SEARCH_LANGUAGES, { description: 'Lingua delle FAQ (predefinita it); senza risultati si ripiega sull’italiano' })),
  place: Type.Optional(Type.String({ maxLength: 100, description: 'Luogo del contesto (es. il comune del portale): le sue FAQ locali salgono in cima' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
  prefix: Type.Optional(Type.Boolean({ description: 'Completa l’ultima parola (ricerca mentre si digita)' })),
};

/** Citizens type short questions; 500 characters is well beyond any of them. */
export const PortalSearchQuery = Type.Object(
  { q: Type.String({ minLength: 1, maxLength: 500, description: 'La domanda, in parole libere' }), ...searchQueryFields },
  { additionalProperties: false },
);

/** Operators search with the ticket description they are typing, which can be long. */
export const ConsoleSearchQuery = Type.Object(
  { q: Type.String({ minLength: 1, maxLength: 4000, description: 'Domanda o testo del ticket' }), ...searchQueryFields },
  { additionalProperties: false },
);

const Organisation = Nullable(Type.Object({ id: Uuid, name: Type.String() }));

export const SearchHitSchema = Type.Object({
  id: Uuid,
  externalId: Nullable(Type.String()),
  title: Type.String(),
  snippet: Type.String(),
  score: Type.Number(),
  lang: Type.String(),
  scope: StringEnum(['network', 'organisation'] as const),
  owner: Type.String(),
  organisation: Organisation,
  tema: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
});

export const InterpretationSchema = Type.Object({
  terms: Type.Array(Type.String()),
  places: Type.Array(Type.String()),
  corrections: Type.Array(Type.Object({ from: Type.String(), to: Type.String() })),
  expansions: Type.Array(Type.String()),
});

export const PortalSearchResponse = Type.Object({
  items: Type.Array(SearchHitSchema),
  lang: Type.String(),
  /** Present when the query had no searchable word (only punctuation or stop words). */
  notice: Type.Optional(Type.String()),
});

export const ConsoleSearchResponse = Type.Object({
  items: Type.Array(SearchHitSchema),
  lang: Type.String(),
  notice: Type.Optional(Type.String()),
  interpretation: InterpretationSchema,
});

export const FaqSchema = Type.Object({
  id: Uuid,
  externalId: Nullable(Type.String()),
  title: Type.String(),
  body: Type.String(),
  lang: Type.String(),
  scope: StringEnum(['network', 'organisation'] as const),
  owner: Type.String(),
  organisation: Organisation,
  canonicalId: Nullable(Uuid),
  translations: Type.Array(Type.Object({ id: Uuid, lang: Type.String(), title: Type.String() })),
  tema: Nullable(Type.String()),
  tipo: Nullable(Type.String()),
  enteCompetente: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  status: StringEnum(FAQ_STATUSES),
  version: Type.Integer(),
  reviewBy: Nullable(Type.String()),
  publishedAt: Nullable(IsoDateTime),
  updatedAt: IsoDateTime,
});

export const FaqIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const LineProblemSchema = Type.Object({ line: Type.Integer(), id: Type.Optional(Type.String()), message: Type.String({ description: 'nella lingua della richiesta (Accept-Language)' }) });

export const ImportReportSchema = Type.Object({
  lines: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  errors: Type.Array(LineProblemSchema),
  warnings: Type.Array(LineProblemSchema),
});

export const ExportQuery = Type.Object(
  { status: Type.Optional(Type.String({ pattern: '^(draft|in_review|published|archived)(,(draft|in_review|published|archived))*$', default: 'published' })) },
  { additionalProperties: false },
);

export const ThesaurusEntrySchema = Type.Object({
  id: Uuid,
  kind: StringEnum(THESAURUS_KINDS),
  lang: Type.String(),
  terms: Type.Array(Type.String()),
  note: Nullable(Type.String()),
  updatedAt: IsoDateTime,
});

export const CreateThesaurusEntryBody = Type.Object(
  {
    kind: StringEnum(THESAURUS_KINDS),
    lang: Type.Optional(StringEnum(SEARCH_LANGUAGES)),
    terms: Type.Array(Type.String({ minLength: 1, maxLength: 120 }), { minItems: 2, maxItems: 50 }),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);
