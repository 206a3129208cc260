import type { Taxonomy } from '../src/api/types.js';

export const taxonomy: Taxonomy = {
  scheme: 'urpnet',
  version: '2026.1',
  facets: [
    {
      code: 'tipo',
      label: { it: 'Tipo di richiesta', en: 'Request type' },
      required: true,
      multi: false,
      nodes: [
        { code: 'informazione', label: { it: 'Informazione', en: 'Information' } },
        { code: 'reclamo', label: { it: 'Reclamo', en: 'Complaint' } },
      ],
    },
    {
      code: 'tema',
      label: { it: 'Tema', en: 'Topic' },
      required: true,
      multi: false,
      nodes: [
        {
          code: 'identita_digitale',
          label: { it: 'Identità digitale', en: 'Digital identity' },
          children: [
            { code: 'identita_digitale.spid', label: { it: 'SPID' } },
            { code: 'identita_digitale.cie', label: { it: 'Carta d’identità elettronica', en: 'Electronic ID card' } },
          ],
        },
        {
          code: 'tributi',
          label: { it: 'Tributi locali', en: 'Local taxes' },
          children: [
            { code: 'tributi.tari', label: { it: 'TARI – rifiuti', en: 'Waste tax' } },
            { code: 'tributi.imu', label: { it: 'IMU', en: 'Property tax' } },
          ],
        },
        { code: 'anagrafe', label: { it: 'Anagrafe e stato civile', en: 'Registry office' } },
      ],
    },
    {
      code: 'canale',
      label: { it: 'Canale', en: 'Channel' },
      required: true,
      multi: false,
      nodes: [
        { code: 'telefono', label: { it: 'Telefono', en: 'Phone' } },
        { code: 'email', label: { it: 'E-mail' } },
      ],
    },
    {
      code: 'esito',
      label: { it: 'Esito', en: 'Outcome' },
      required: false,
      multi: false,
      nodes: [{ code: 'risolto_in_linea', label: { it: 'Risolto in linea' } }],
    },
  ],
};
