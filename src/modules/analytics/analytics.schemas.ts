import { Type } from 'typebox';
import { ARCHIVE_SOURCES } from '../archive/index.js';
import { Nullable, StringEnum } from '../../platform/schema.js';
import { DASHBOARD_GRANULARITIES } from './dashboard-periods.js';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Code = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.-]+$', description }));

export const DashboardQuery = Type.Object(
  {
    granularity: StringEnum(DASHBOARD_GRANULARITIES, { default: 'month', description: "Passo della serie temporale; 'hour' solo con un periodo di al massimo 31 giorni" }),
    organisationId: Code("L'ente"),
    officeId: Code("L'ufficio"),
    topic: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[a-z0-9_.]+$', description: 'Codice della tassonomia: il tema e i suoi sotto-temi' })),
    requestType: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9_]+$', description: 'Tipo di richiesta (facet «tipo»: informazione, reclamo, …)' })),
    channel: Code('Il canale'),
    territory: Type.Optional(Type.String({ pattern: '^\\d{2,6}$', description: 'Codice ISTAT di comune, provincia o regione' })),
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    source: Type.Optional(StringEnum(ARCHIVE_SOURCES)),
    slaHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 90, default: 48, description: 'Obiettivo di prima risposta, in ore di tempo trascorso (predefinito 48)' })),
  },
  { additionalProperties: false },
);

const Count = Nullable(Type.Integer());
const CellStatus = StringEnum(['published', 'primary', 'secondary'] as const);
const Breakdown = Type.Object({
  items: Type.Array(Type.Object({ key: Nullable(Type.String()), count: Count, status: CellStatus })),
  total: Count,
  otherGroups: Type.Integer(),
});
const Rate = {
  count: Count,
  of: Count,
  rate: Nullable(Type.Number({ description: 'Quota (0–1), solo quando le due parti sono pubblicate' })),
};

export const DashboardResponse = Type.Object(
  {
    granularity: StringEnum(DASHBOARD_GRANULARITIES),
    threshold: Type.Integer({ description: 'I conteggi da 1 a questo valore sono omessi (null), con quelli che permetterebbero di ricalcolarli' }),
    slaMinutes: Type.Integer(),
    empty: Type.Boolean({ description: 'Nessun contatto nella selezione: i grafici mostrano «nessun dato»' }),
    total: Count,
    series: Type.Object({
      periods: Type.Array(Type.String()),
      counts: Type.Array(Count),
      status: Type.Array(CellStatus),
      withoutHour: Count,
    }),
    breakdowns: Type.Object({
      topic: Breakdown,
      topicRoot: Breakdown,
      requestType: Breakdown,
      channel: Breakdown,
      office: Breakdown,
      organisation: Breakdown,
      province: Breakdown,
      region: Breakdown,
    }),
    sparklines: Type.Object({
      months: Type.Array(Type.String()),
      topics: Type.Array(Type.Object({ key: Nullable(Type.String()), total: Count, counts: Type.Array(Count) })),
    }),
    kpis: Type.Object({
      firstContactResolution: Type.Object(Rate, { description: "Risolti dall'ufficio che li ha ricevuti, senza coinvolgere altri uffici né passaggi ad altri enti" }),
      handoffs: Type.Object({ ...Rate, handoffs: Count }, { description: 'Contatti passati ad altri uffici o enti, e numero di passaggi' }),
      sla: Type.Object(Rate, { description: "Prima risposta entro l'obiettivo, sui contatti con una prima risposta" }),
      satisfaction: Type.Object({ rated: Count, mean: Nullable(Type.Number()) }),
    }),
    suppressed: Type.Object({ primary: Type.Integer(), secondary: Type.Integer() }),
    deflection: Nullable(
      Type.Object(
        { from: Type.String(), to: Type.String(), sessions: Type.Integer(), deflected: Type.Integer(), rate: Nullable(Type.Number()) },
        { description: "Contatti evitati dalle FAQ nel periodo (al più gli ultimi 366 giorni; gli ultimi 30 senza periodo): sessioni del portale che hanno letto una risposta senza poi contattare un ufficio. Per la rete o un ente; null con altri filtri, che il portale non conosce" },
      ),
    ),
  },
  { $id: 'AnalyticsDashboard' },
);
