import { Type } from 'typebox';
import { IsoDateTime, Nullable, StringEnum, Uuid } from '../../../platform/schema.js';

export const ALARM_KINDS = ['spike', 'level_shift', 'trend', 'drop', 'emerging_term'] as const;
export const ALARM_STATUSES = ['open', 'acknowledged', 'dismissed'] as const;

const Day = Type.String({ format: 'date', description: 'Giorno (AAAA-MM-GG)' });
const Code = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '^[A-Za-z0-9_.\\-]+$' });

export const AlarmSliceSchema = Type.Object(
  {
    topic: Type.Optional(Code(200)),
    territory: Type.Optional(Type.String({ pattern: '^\\d{2,6}$', description: 'Codice ISTAT di regione (2 cifre) o provincia (3 cifre)' })),
    channel: Type.Optional(Code(40)),
  },
  { additionalProperties: false, $id: 'AlarmSlice' },
);

export const AlarmSchema = Type.Object(
  {
    id: Uuid,
    slice: AlarmSliceSchema,
    kind: StringEnum(ALARM_KINDS),
    day: Type.String({ description: "Giorno in cui l'allarme è scattato" }),
    since: Type.String({ description: "Giorno d'inizio dell'anomalia" }),
    term: Nullable(Type.String({ description: 'Per gli argomenti emergenti: la parola o la frase' })),
    observed: Type.Number(),
    expected: Type.Number(),
    score: Type.Number(),
    status: StringEnum(ALARM_STATUSES),
    statusAt: Nullable(IsoDateTime),
    createdAt: IsoDateTime,
  },
  { $id: 'Alarm' },
);

export const AlarmsQuery = Type.Object({
  status: Type.Optional(StringEnum(ALARM_STATUSES)),
  kind: Type.Optional(StringEnum(ALARM_KINDS)),
  topic: Type.Optional(Code(200)),
  territory: Type.Optional(Type.String({ pattern: '^\\d{2,6}$' })),
  channel: Type.Optional(Code(40)),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

export const AlarmIdParams = Type.Object({ id: Uuid });

export const AlarmDetailSchema = Type.Object({
  alarm: AlarmSchema,
  chart: Type.Array(Type.Object({ date: Type.String(), observed: Type.Number(), expected: Nullable(Type.Number()), lo80: Nullable(Type.Number()), hi80: Nullable(Type.Number()) }), {
    description: 'La serie della porzione nei giorni attorno all’allarme: contatti osservati e attesi dal modello (con intervallo all’80%), giorno per giorno',
  }),
});

export const AlarmStatusBody = Type.Object({ status: StringEnum(ALARM_STATUSES) }, { additionalProperties: false });

export const WatchSchema = Type.Object({ id: Uuid, slice: AlarmSliceSchema, digest: Type.Boolean({ description: 'Riceve il riepilogo quotidiano per e-mail' }), createdAt: IsoDateTime }, { $id: 'AlarmWatch' });
export const WatchBody = Type.Object({ slice: AlarmSliceSchema, digest: Type.Optional(Type.Boolean({ default: true })) }, { additionalProperties: false });
export const WatchIdParams = Type.Object({ id: Uuid });

export const ScanSchema = Type.Object({
  id: Uuid,
  trigger: StringEnum(['schedule', 'manual'] as const),
  startedAt: IsoDateTime,
  finishedAt: Nullable(IsoDateTime),
  seriesScanned: Type.Integer(),
  alarmsFound: Type.Integer(),
  recordsRead: Type.Integer(),
  throughDay: Nullable(Type.String()),
  error: Nullable(Type.String()),
});
