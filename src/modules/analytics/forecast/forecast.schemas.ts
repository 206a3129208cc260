import { Type } from 'typebox';
import { Nullable, Uuid } from '../../../platform/schema.js';

export const SliceForecastQuery = Type.Object(
  {
    officeId: Type.Optional(Uuid),
    organisationId: Type.Optional(Uuid),
    topic: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Codice di tema della tassonomia di rete (comprende i sottotemi)' })),
    channel: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    territory: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'Codice ISTAT di comune, provincia o regione' })),
    horizon: Type.Integer({ minimum: 1, maximum: 90, default: 28, description: "Giorni da prevedere dopo lo storico completo dell'archivio" }),
    days: Type.Integer({ minimum: 7, maximum: 365, default: 56, description: 'Giorni di storico osservato da mostrare accanto alla previsione' }),
  },
  { additionalProperties: false },
);

export const SliceForecastSchema = Type.Object({
  historyFrom: Nullable(Type.String({ description: 'Primo giorno con contatti della porzione (null: nessun contatto, nessuna previsione)' })),
  historyTo: Type.String({ description: "Ultimo giorno che l'archivio contiene per intero: la previsione comincia il giorno dopo" }),
  history: Type.Array(
    Type.Object({
      date: Type.String(),
      count: Nullable(Type.Integer({ description: 'Contatti aperti nel giorno (null: da 1 a 3, omessi per chi non è dell’ente)' })),
    }),
  ),
  withheld: Type.Boolean({ description: 'Vero quando i giorni con 1–3 contatti sono omessi' }),
  forecast: Type.Array(Type.Object({ date: Type.String(), mean: Type.Number(), lo80: Type.Number(), hi80: Type.Number() }, { description: 'Contatti previsti, con intervallo di previsione all’80%' })),
  total: Type.Object({ mean: Type.Number(), days: Type.Integer() }, { description: "Contatti previsti sull'intero orizzonte" }),
});
