import { Type } from 'typebox';
import { IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';
import { REJECTION_REASONS } from './contact-row.js';
import { DATE_FORMATS } from './legacy-dates.js';

const Code = Type.String({ minLength: 1, maxLength: 200, pattern: '^[a-z0-9_.]+$' });
const Legacy = Type.String({ maxLength: 500 });
const ColumnName = Type.String({ minLength: 1, maxLength: 200 });
const SourceName = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'Nome della fonte: lettere minuscole, cifre e trattini' });

export const DELIMITER_PARAM = ['comma', 'semicolon', 'tab', 'pipe'] as const;

export const UploadQuery = Type.Object(
  {
    organisationId: Uuid,
    source: Type.Optional(SourceName),
    filename: Type.Optional(Type.String({ maxLength: 200, description: 'Nome del file quando il corpo è il CSV stesso' })),
    delimiter: Type.Optional(StringEnum(DELIMITER_PARAM, { description: 'Separatore, se non va riconosciuto automaticamente' })),
    header: Type.Optional(StringEnum(['auto', 'yes', 'no'] as const)),
  },
  { additionalProperties: false },
);

export const ListQuery = Type.Object({ organisationId: Type.Optional(Uuid) }, { additionalProperties: false });
export const IdParams = Type.Object({ id: Uuid });

export const ColumnRolesSchema = Type.Object(
  {
    id: ColumnName,
    createdAt: ColumnName,
    createdFormat: StringEnum(DATE_FORMATS),
    closedAt: Type.Optional(ColumnName),
    closedFormat: Type.Optional(StringEnum(DATE_FORMATS)),
    channel: Type.Optional(ColumnName),
    text: Type.Optional(Type.Array(ColumnName, { maxItems: 5 })),
    category: ColumnName,
    categorySeparator: Type.Optional(Type.String({ minLength: 1, maxLength: 3 })),
    status: Type.Optional(ColumnName),
    timeZone: Type.String({ minLength: 1, maxLength: 64, default: 'Europe/Rome' }),
  },
  { additionalProperties: false },
);

const Count = Type.Object({ value: Type.String(), count: Type.Integer() });
const LegacyValueSchema = Type.Object({ value: Type.String(), count: Type.Integer(), mapped: Nullable(Type.Boolean()) });

export const ReportSchema = Type.Object({
  mode: StringEnum(['dry_run', 'commit'] as const),
  unmappedPolicy: StringEnum(['skip', 'unclassified'] as const),
  totalRows: Type.Integer(),
  imported: Type.Integer(),
  unclassified: Type.Integer(),
  alreadyPresent: Type.Integer(),
  rejected: Type.Integer(),
  rejectedByReason: Type.Record(Type.String(), Type.Integer()),
  rejectedRows: Type.Array(Type.Object({ line: Type.Integer(), reason: StringEnum(REJECTION_REASONS), message: Type.String() })),
  unmappedCategories: Type.Array(Count),
  unmappedChannels: Type.Array(Count),
  unmappedStatuses: Type.Array(Count),
  truncated: Type.Boolean(),
});

export const ImportSchema = Type.Object({
  id: Uuid,
  organisationId: Uuid,
  source: Type.String(),
  filename: Type.String(),
  size: Type.Integer(),
  compression: Type.String(),
  encoding: Type.String(),
  delimiter: Type.String(),
  hasHeader: Type.Boolean(),
  columns: Type.Array(Type.String()),
  rowCount: Type.Integer(),
  settings: Nullable(ColumnRolesSchema),
  mappingId: Nullable(Uuid),
  unmappedPolicy: Nullable(StringEnum(['skip', 'unclassified'] as const)),
  status: StringEnum(['uploaded', 'configured', 'checked', 'committing', 'committed', 'failed'] as const, {
    description: 'committing: importazione in corso in background (vedi progress); failed: non riuscita (vedi error), si può ripetere',
  }),
  report: Nullable(ReportSchema),
  importedCount: Type.Integer(),
  fileAvailable: Type.Boolean(),
  createdAt: IsoDateTime,
  committedAt: Nullable(IsoDateTime),
  progress: Nullable(
    Type.Object({ done: Type.Integer({ description: 'Righe lette' }), total: Type.Integer({ description: 'Righe del file' }) }, { description: "Avanzamento dell'importazione (null se mai avviata)" }),
  ),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() }, { description: "Perché l'ultima importazione non è riuscita" })),
});

export const ImportDetailSchema = Type.Object({
  ...ImportSchema.properties,
  preview: Nullable(
    Type.Object({
      rows: Type.Array(Type.Object({ line: Type.Integer(), cells: Type.Array(Type.String()) })),
      dateFormats: Type.Record(Type.String(), Type.Array(StringEnum(DATE_FORMATS))),
    }),
  ),
});

export const ValuesQuery = Type.Object({ mappingId: Type.Optional(Uuid) }, { additionalProperties: false });
export const ValuesSchema = Type.Object({
  categories: Type.Array(LegacyValueSchema),
  combinations: Type.Array(LegacyValueSchema),
  channels: Type.Array(LegacyValueSchema),
  statuses: Type.Array(LegacyValueSchema),
  truncated: Type.Boolean(),
});

export const RunBody = Type.Object(
  { mappingId: Uuid, unmappedPolicy: StringEnum(['skip', 'unclassified'] as const, { description: 'Righe con categoria non mappata: scartate o importate senza tema' }) },
  { additionalProperties: false },
);
export const RunResponse = Type.Object({ import: ImportSchema, report: ReportSchema });

const CategoryRuleSchema = Type.Object(
  { legacy: Legacy, tema: Code, tipo: Type.Optional(Code), canale: Type.Optional(Code), esito: Type.Optional(Code) },
  { additionalProperties: false },
);
export const MappingContentSchema = {
  taxonomyVersion: Type.String({ pattern: '^\\d+\\.\\d+\\.\\d+$' }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  categories: Type.Array(CategoryRuleSchema, { maxItems: 5000 }),
  channels: Type.Array(Type.Object({ legacy: Legacy, canale: Code }, { additionalProperties: false }), { maxItems: 500, default: [] }),
  statuses: Type.Array(Type.Object({ legacy: Legacy, esito: Code }, { additionalProperties: false }), { maxItems: 500, default: [] }),
};

export const MappingInput = Type.Object(
  { organisationId: Uuid, name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'Nome della mappatura (ogni salvataggio crea una nuova versione)' }), ...MappingContentSchema },
  { additionalProperties: false },
);

export const MappingSchema = Type.Object({
  id: Uuid,
  organisationId: Uuid,
  name: Type.String(),
  version: Type.Integer(),
  taxonomyVersion: Type.String(),
  description: Nullable(Type.String()),
  categories: Type.Array(CategoryRuleSchema),
  channels: Type.Array(Type.Object({ legacy: Type.String(), canale: Type.String() })),
  statuses: Type.Array(Type.Object({ legacy: Type.String(), esito: Type.String() })),
  createdAt: IsoDateTime,
});

export const ContactsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })) },
  { additionalProperties: false },
);
export const ContactSchema = Type.Object({
  id: Uuid,
  legacyId: Type.String(),
  createdAt: IsoDateTime,
  closedAt: Nullable(IsoDateTime),
  legacyChannel: Nullable(Type.String()),
  legacyCategory: Nullable(Type.String()),
  legacyStatus: Nullable(Type.String()),
  taxonomyVersion: Type.String(),
  classification: Type.Record(Type.String(), Type.String()),
  classified: Type.Boolean(),
  text: Nullable(Type.String()),
  anonymised: Type.Boolean(),
});
