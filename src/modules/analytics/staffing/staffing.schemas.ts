import { Type } from 'typebox';
import { Nullable, StringEnum, Uuid } from '../../../platform/schema.js';

const Assumptions = {
  handleSeconds: Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'Tempo medio di gestione di un contatto, in secondi (conversazione + attesa + lavoro successivo)' }),
  targetSeconds: Type.Number({ minimum: 0, maximum: 86_400, default: 20, description: 'Risposta entro questi secondi…' }),
  serviceLevel: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.8, description: '…per almeno questa quota di chiamate (es. 0,8)' }),
  shrinkage: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.3, description: 'Quota del tempo retribuito lontano dal telefono (pause, formazione, assenze)' }),
  patienceSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'Pazienza media di chi chiama: se indicata si usa Erlang A (abbandoni), altrimenti Erlang C' })),
  maxOccupancy: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Occupazione massima degli operatori (es. 0,85)' })),
};
const { handleSeconds, ...sharedAssumptions } = Assumptions;

const Interval = Type.Object({ start: Type.String({ minLength: 1, maxLength: 40 }), volume: Type.Number({ minimum: 0, maximum: 1_000_000 }) }, { additionalProperties: false });

export const StaffingBody = Type.Object({ ...Assumptions, intervals: Type.Array(Interval, { minItems: 1, maxItems: 2016, description: 'Contatti attesi per mezz’ora' }) }, { additionalProperties: false });

export const PoolingBody = Type.Object(
  {
    ...sharedAssumptions,
    members: Type.Array(Type.Object({ label: Type.String({ minLength: 1, maxLength: 200 }), handleSeconds, intervals: Type.Array(Interval, { minItems: 1, maxItems: 2016 }) }, { additionalProperties: false }), { minItems: 2, maxItems: 50 }),
  },
  { additionalProperties: false },
);

export const ForecastStaffingQuery = Type.Object({
  officeId: Uuid,
  date: Type.String({ format: 'date', description: 'Giorno da pianificare (AAAA-MM-GG)' }),
  handleSeconds: Type.Number({ exclusiveMinimum: 0, maximum: 86_400, default: 300 }),
  targetSeconds: Assumptions.targetSeconds,
  serviceLevel: Assumptions.serviceLevel,
  shrinkage: Assumptions.shrinkage,
  patienceSeconds: Assumptions.patienceSeconds,
  maxOccupancy: Assumptions.maxOccupancy,
});

const IntervalStaffing = Type.Object({
  start: Type.String(),
  volume: Type.Number(),
  agents: Type.Integer({ description: 'Operatori necessari al telefono' }),
  rostered: Type.Integer({ description: 'Operatori da mettere in turno (con lo shrinkage)' }),
  serviceLevel: Type.Number(),
  averageWaitSeconds: Type.Number(),
  abandonment: Type.Number(),
  occupancy: Type.Number(),
});

export const StaffingPlanSchema = Type.Object(
  {
    model: StringEnum(['erlang-c', 'erlang-a'] as const),
    intervals: Type.Array(IntervalStaffing),
    agentHours: Type.Number(),
    rosteredHours: Type.Number(),
    peakAgents: Type.Integer(),
    peakRostered: Type.Integer(),
    serviceLevel: Type.Number(),
  },
  { $id: 'StaffingPlan' },
);

export const PoolingSchema = Type.Object({
  separate: Type.Array(Type.Object({ label: Type.String(), plan: StaffingPlanSchema })),
  pooled: StaffingPlanSchema,
  separateAgentHours: Type.Number(),
  pooledAgentHours: Type.Number(),
  savedAgentHours: Type.Number(),
  savedShare: Type.Number(),
});

export const ForecastStaffingSchema = Type.Object({
  officeId: Uuid,
  date: Type.String(),
  forecast: Type.Object({ mean: Type.Number(), lo80: Type.Number(), hi80: Type.Number() }, { description: 'Contatti previsti nel giorno, con intervallo all’80%' }),
  historyTo: Nullable(Type.String({ description: "Ultimo giorno dello storico completo dell'archivio usato per la previsione" })),
  profile: StringEnum(['archive_hours', 'opening_hours', 'assumed_hours', 'closed'] as const, {
    description: "Come i contatti del giorno sono distribuiti sulle mezz'ore: dalle ore di apertura dei contatti archiviati, dall'orario dell'ufficio, da un orario presunto (9–17) o ufficio chiuso",
  }),
  plan: StaffingPlanSchema,
});
