import { Type } from 'typebox';
import { IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';
import { EXPORT_FORMATS } from './archive-export.js';
import { AGGREGATE_DIMENSIONS, ARCHIVE_SOURCES, PERIOD_GRANULARITIES } from './archive-query.js';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

const filterProperties = {
  organisationId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  officeId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  topic: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[a-z0-9_.]+$', description: 'Codice della tassonomia: il tema e i suoi sotto-temi' })),
  channel: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  territory: Type.Optional(Type.String({ pattern: '^\\d{2,6}$', description: 'Codice ISTAT di comune, provincia o regione' })),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  source: Type.Optional(StringEnum(ARCHIVE_SOURCES)),
};

export const AggregatesQuery = Type.Object(
  {
    dimension: StringEnum(AGGREGATE_DIMENSIONS, { default: 'topic' }),
    granularity: StringEnum(PERIOD_GRANULARITIES, { default: 'month' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    ...filterProperties,
  },
  { additionalProperties: false },
);

export const RecordsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
    ...filterProperties,
  },
  { additionalProperties: false },
);

const Count = Nullable(Type.Integer());
const CellStatus = StringEnum(['published', 'primary', 'secondary'] as const);
const Duration = Nullable(Type.Object({ count: Type.Integer(), mean: Nullable(Type.Number()), p50: Nullable(Type.Number()), p90: Nullable(Type.Number()) }));

export const AggregatesResponse = Type.Object({
  dimension: Type.String(),
  granularity: Type.String(),
  threshold: Type.Integer({ description: 'Le celle da 1 a questo valore sono omesse (null), con quelle che permetterebbero di ricalcolarle' }),
  periods: Type.Array(Type.String()),
  groups: Type.Array(
    Type.Object({
      key: Nullable(Type.String()),
      counts: Type.Array(Count),
      status: Type.Array(CellStatus),
      total: Count,
      firstResponseMinutes: Duration,
      resolutionMinutes: Duration,
    }),
  ),
  totals: Type.Array(Count),
  total: Count,
  suppressed: Type.Object({ primary: Type.Integer(), secondary: Type.Integer() }),
  otherGroups: Type.Integer(),
});

const Levels = Type.Object({ office: Type.Integer(), period: Type.Integer(), topic: Type.Integer(), territory: Type.Integer(), channel: Type.Integer() });

export const RecordsResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      recordId: Type.String(),
      source: Type.String(),
      organisationId: Type.String(),
      organisationIpa: Nullable(Type.String()),
      officeId: Nullable(Type.String()),
      channel: Nullable(Type.String()),
      taxonomyVersion: Type.String(),
      topicCode: Nullable(Type.String()),
      territoryCode: Nullable(Type.String()),
      territoryLevel: Nullable(Type.String()),
      period: Type.String(),
      firstResponseMinutes: Nullable(Type.Integer()),
      resolutionMinutes: Nullable(Type.Integer()),
      officesInvolved: Type.Integer(),
      handoffs: Type.Integer(),
      outcome: Nullable(Type.String()),
      satisfaction: Nullable(Type.Integer()),
      text: Type.String(),
      classification: Type.Unknown(),
    }),
  ),
  total: Type.Integer(),
  levels: Levels,
  generalised: Type.Boolean(),
  suppressed: Type.Integer(),
  k: Type.Integer(),
});

export const ExportBody = Type.Object(
  {
    format: StringEnum(EXPORT_FORMATS),
    includeText: Type.Optional(Type.Boolean({ default: false, description: 'Solo per esportazioni interne: il testo delle richieste (con i dati personali sostituiti da segnaposto)' })),
  },
  { additionalProperties: false },
);

export const ExportIdParams = Type.Object({ id: Uuid });
export const ExportFileParams = Type.Object({ id: Uuid, '*': Type.String({ minLength: 1, maxLength: 200 }) });

export const ExportSchema = Type.Object({
  id: Uuid,
  format: StringEnum(EXPORT_FORMATS),
  includeText: Type.Boolean(),
  status: StringEnum(['queued', 'running', 'done', 'failed'] as const),
  createdAt: IsoDateTime,
  startedAt: Nullable(IsoDateTime),
  finishedAt: Nullable(IsoDateTime),
  progress: Nullable(Type.Object({ done: Type.Integer(), total: Type.Integer() })),
  report: Nullable(
    Type.Object({
      totalRecords: Type.Integer(),
      rows: Type.Integer(),
      suppressedRows: Type.Integer(),
      k: Type.Integer(),
      levels: Levels,
      generalisation: Type.Record(Type.String(), Type.String()),
      informationLoss: Type.Number(),
      partition: Type.String(),
      smallestClass: Type.Integer(),
      seconds: Type.Number(),
    }),
  ),
  files: Type.Array(Type.Object({ name: Type.String(), rows: Type.Integer(), bytes: Type.Integer(), url: Type.String() })),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
});
