import { Type } from 'typebox';
import { IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';
import { SUGGESTED_FACETS } from './training-job.js';

export const SuggestBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 20_000, pattern: '\\S', description: 'Oggetto e/o descrizione del contatto, così come li si sta scrivendo' }),
    lang: Type.Optional(StringEnum(['it', 'en'] as const, { description: 'Lingua delle etichette (predefinita: quella dell’utente)' })),
  },
  { additionalProperties: false },
);

const Suggestion = Type.Object({
  code: Type.String(),
  label: Type.String(),
  confidence: Type.Number({ minimum: 0, maximum: 1, description: 'Probabilità (softmax) tra i codici attivi della faccetta' }),
});

const FacetSuggestion = Type.Object({ modelVersion: Type.Integer(), suggestions: Type.Array(Suggestion) });

export const SuggestionSchema = Type.Object({
  id: Uuid,
  facets: Type.Object({ tema: Type.Optional(FacetSuggestion), tipo: Type.Optional(FacetSuggestion) }),
});

export const FeedbackBody = Type.Object(
  {
    suggestionId: Uuid,
    ticketCode: Type.Optional(Type.String({ minLength: 9, maxLength: 20, description: 'Il ticket classificato (facoltativo)' })),
    choices: Type.Array(
      Type.Object({ facet: StringEnum(SUGGESTED_FACETS), code: Type.String({ minLength: 1, maxLength: 120 }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: SUGGESTED_FACETS.length },
    ),
  },
  { additionalProperties: false },
);

export const FeedbackResult = Type.Object({
  recorded: Type.Array(
    Type.Object({ facet: Type.String(), modelVersion: Type.Integer(), suggestedCode: Type.String(), chosenCode: Type.String(), chosenRank: Nullable(Type.Integer()) }),
  ),
});

const Counts = Type.Record(Type.String(), Type.Number());
const Metrics = Type.Record(Type.String(), Nullable(Type.Number()));

export const ModelSchema = Type.Object({
  id: Uuid,
  facet: Type.String(),
  version: Type.Integer(),
  taxonomyVersion: Type.String(),
  trigger: Type.String(),
  trainedBy: Nullable(Uuid),
  trainedAt: IsoDateTime,
  trainMs: Type.Integer(),
  trainingCounts: Counts,
  metrics: Metrics,
  modelBytes: Type.Integer(),
  suggestions: Type.Optional(Type.Integer()),
  feedback: Type.Optional(
    Type.Object({
      total: Type.Integer(),
      accepted: Type.Integer(),
      inTop3: Type.Integer(),
      corrected: Type.Integer(),
      acceptanceRate: Nullable(Type.Number()),
      correctionRate: Nullable(Type.Number()),
    }),
  ),
});

export const ModelListQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }, { additionalProperties: false });
