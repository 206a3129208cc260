/**
 * Demo network seeded by urpnet on first start (pure data, no I/O).
 *
 * The network is the "Linea Amica – Fase 2" URP network described in the
 * founding document: 6 Regioni, 11 Province / Città Metropolitane / Liberi
 * Consorzi, the Comuni named there (Celano, Cagliari, Napoli, Salerno, Catania,
 * Siracusa), four Comuni of southern Salento, one ASL and the national contact
 * centre.
 *
 * Where the codes come from:
 *  - ISTAT codes are the real ISTAT codes ("Elenco dei codici e delle
 *    denominazioni delle unità territoriali"): regions 2 digits, provinces the
 *    classic 3-digit province code (063 Napoli, not the 263 Città Metropolitana
 *    code), comuni 6 digits (province code + progressive number). The Lecce
 *    province comuni (075xxx) were cross-checked against a public ISTAT-based list.
 *  - Cadastral (Belfiore) codes are the real Agenzia delle Entrate codes.
 *  - IPA codes follow the IPA naming conventions and are NOT verified against
 *    indicepa.gov.it: comuni 'c_' + lowercase Belfiore code (e.g. 'c_c426');
 *    regions 'r_' + the first six letters of the region name (e.g. 'r_campan');
 *    provinces / liberi consorzi 'p_' + lowercase sigla (e.g. 'p_av');
 *    città metropolitane 'cm_' + lowercase sigla (e.g. 'cm_na'); other bodies a
 *    short lowercase mnemonic.
 *  - taxCode (codice fiscale) is set only for bodies whose code we know; every
 *    one of them passes the 11-digit check-digit test. Unknown ones are null.
 *  - Population figures are approximate recent ISTAT resident population.
 *
 * CONTACTS ARE DEMO-ONLY: e-mail and PEC addresses live under demo.urpnet.it and
 * are not real mailboxes. Phone numbers are plausible numbers with the correct
 * area code, except the Celano Sportello del Cittadino number (quoted in the
 * founding document) and the Linea Amica toll-free number 803 001. Addresses are
 * the real seats where known, otherwise the town-hall / seat street of the town.
 */
import type { WeeklyHours } from './office-calendar.js';

export type OrganisationType =
  | 'regione'
  | 'provincia'
  | 'citta_metropolitana'
  | 'comune'
  | 'asl'
  | 'ente_nazionale'
  | 'altro';

export type OfficeKind = 'urp' | 'back_office' | 'contact_centre';

export type OfficeChannel = 'telefono' | 'email' | 'pec' | 'web' | 'sportello' | 'chat' | 'app' | 'social';

export interface DemoOffice {
  /** Unique across the network, kebab-case, e.g. 'celano-urp'. */
  slug: string;
  /** Italian display name. */
  name: string;
  kind: OfficeKind;
  /** Always '<slug>@demo.urpnet.it' (demo-only). */
  email: string;
  /** '<slug>@pec.demo.urpnet.it' (demo-only), or null when the office has no PEC. */
  pec: string | null;
  phone: string;
  address: string;
  channels: OfficeChannel[];
  openingHours: WeeklyHours;
  /** ISTAT codes of the territory the office covers. */
  territoryIstat: string[];
}

export interface DemoOrganisation {
  /** e.g. 'comune-celano' */
  slug: string;
  /** Official Italian name. */
  name: string;
  type: OrganisationType;
  /** IPA-style code (see header for the convention). */
  ipaCode: string;
  /** Real ISTAT code; null for national bodies. */
  istatCode: string | null;
  /** Comuni only: Belfiore code. */
  cadastralCode?: string;
  /** Codice fiscale only when known; never invented. */
  taxCode: string | null;
  /** 2-digit ISTAT region code ('00' for national bodies). */
  regionIstat: string;
  /** Province sigla, e.g. 'AQ'. */
  provinceCode?: string;
  /** Comuni only: approximate latest ISTAT resident population. */
  population?: number;
  /** Comuni only: feast of the patron saint (local public holiday). */
  patronDay?: { month: number; day: number; name: string };
  offices: DemoOffice[];
}

// ---------------------------------------------------------------------------
// Opening-hours templates (realistic URP front-office hours)
// ---------------------------------------------------------------------------

type Shift = { open: string; close: string };

const MORNING: Shift = { open: '09:00', close: '12:30' };
const AFTERNOON: Shift = { open: '15:00', close: '17:00' };
const AFTERNOON_LATE: Shift = { open: '15:30', close: '17:30' };

/** mon–fri 09:00–12:30; tue and thu also 15:00–17:00 (classic comune/regione URP). */
const HOURS_STANDARD: WeeklyHours = {
  mon: [MORNING],
  tue: [MORNING, AFTERNOON],
  wed: [MORNING],
  thu: [MORNING, AFTERNOON],
  fri: [MORNING],
};

/** Larger cities: mon–fri 08:30–13:00, tue+thu 14:30–17:30, sat 09:00–12:00. */
const HOURS_CITY: WeeklyHours = {
  mon: [{ open: '08:30', close: '13:00' }],
  tue: [{ open: '08:30', close: '13:00' }, { open: '14:30', close: '17:30' }],
  wed: [{ open: '08:30', close: '13:00' }],
  thu: [{ open: '08:30', close: '13:00' }, { open: '14:30', close: '17:30' }],
  fri: [{ open: '08:30', close: '13:00' }],
  sat: [{ open: '09:00', close: '12:00' }],
};

/** Provinces / consorzi: mon–fri 09:00–13:00, wed also 15:30–17:30. */
const HOURS_PROVINCE: WeeklyHours = {
  mon: [{ open: '09:00', close: '13:00' }],
  tue: [{ open: '09:00', close: '13:00' }],
  wed: [{ open: '09:00', close: '13:00' }, AFTERNOON_LATE],
  thu: [{ open: '09:00', close: '13:00' }],
  fri: [{ open: '09:00', close: '13:00' }],
};

/** Small comuni: mon–sat mornings, tue+thu afternoons. */
const HOURS_SMALL_COMUNE: WeeklyHours = {
  mon: [{ open: '09:00', close: '12:00' }],
  tue: [{ open: '09:00', close: '12:00' }, { open: '16:00', close: '18:00' }],
  wed: [{ open: '09:00', close: '12:00' }],
  thu: [{ open: '09:00', close: '12:00' }, { open: '16:00', close: '18:00' }],
  fri: [{ open: '09:00', close: '12:00' }],
  sat: [{ open: '09:00', close: '11:30' }],
};

/** Back offices: mornings only, open to the public three days a week. */
const HOURS_BACK_OFFICE: WeeklyHours = {
  mon: [{ open: '10:00', close: '12:00' }],
  wed: [{ open: '10:00', close: '12:00' }, AFTERNOON],
  fri: [{ open: '10:00', close: '12:00' }],
};

/** National contact centre: mon–fri 09:00–18:00 continuous. */
const HOURS_CONTACT_CENTRE: WeeklyHours = {
  mon: [{ open: '09:00', close: '18:00' }],
  tue: [{ open: '09:00', close: '18:00' }],
  wed: [{ open: '09:00', close: '18:00' }],
  thu: [{ open: '09:00', close: '18:00' }],
  fri: [{ open: '09:00', close: '18:00' }],
};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

interface OfficeInput {
  slug: string;
  name: string;
  kind?: OfficeKind;
  hasPec?: boolean;
  phone: string;
  address: string;
  channels: OfficeChannel[];
  openingHours: WeeklyHours;
  territoryIstat: string[];
}

function office(input: OfficeInput): DemoOffice {
  return {
    slug: input.slug,
    name: input.name,
    kind: input.kind ?? 'urp',
    email: `${input.slug}@demo.urpnet.it`,
    pec: input.hasPec === false ? null : `${input.slug}@pec.demo.urpnet.it`,
    phone: input.phone,
    address: input.address,
    channels: input.channels,
    openingHours: input.openingHours,
    territoryIstat: input.territoryIstat,
  };
}

/** ISTAT codes of all 20 regions ('01' Piemonte … '20' Sardegna). */
const ALL_REGIONS_ISTAT: string[] = Array.from({ length: 20 }, (_, i) => String(i + 1).padStart(2, '0'));

const CH_FULL: OfficeChannel[] = ['telefono', 'email', 'pec', 'web', 'sportello', 'social'];
const CH_STANDARD: OfficeChannel[] = ['telefono', 'email', 'pec', 'web', 'sportello'];
const CH_SMALL: OfficeChannel[] = ['telefono', 'email', 'pec', 'sportello'];

// ---------------------------------------------------------------------------
// The network
// ---------------------------------------------------------------------------

export const NATIONAL_CONTACT_CENTRE_SLUG = 'linea-amica';

export const DEMO_NETWORK: readonly DemoOrganisation[] = [
  // ------------------------------------------------------------ national
  {
    slug: NATIONAL_CONTACT_CENTRE_SLUG,
    name: 'Linea Amica – Contact center nazionale',
    type: 'ente_nazionale',
    ipaCode: 'lineamica',
    istatCode: null,
    taxCode: null, // service run by Formez PA for the Dipartimento della Funzione Pubblica; not a legal body itself
    regionIstat: '00',
    offices: [
      office({
        slug: 'linea-amica-contact-center',
        name: 'Linea Amica – Contact center nazionale (Formez PA / Dipartimento della Funzione Pubblica)',
        kind: 'contact_centre',
        phone: '803 001',
        address: 'Viale Carlo Marx 15, 00137 Roma (RM)',
        channels: ['telefono', 'email', 'pec', 'web', 'chat', 'social'],
        openingHours: HOURS_CONTACT_CENTRE,
        territoryIstat: ALL_REGIONS_ISTAT, // national: every region
      }),
    ],
  },

  // ------------------------------------------------------------ regioni
  {
    slug: 'regione-sardegna',
    name: 'Regione Autonoma della Sardegna',
    type: 'regione',
    ipaCode: 'r_sardeg',
    istatCode: '20',
    taxCode: '80002870923',
    regionIstat: '20',
    offices: [
      office({
        slug: 'regione-sardegna-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico della Regione Sardegna',
        phone: '070 606 2450',
        address: 'Viale Trento 69, 09123 Cagliari (CA)',
        channels: CH_FULL,
        openingHours: HOURS_STANDARD,
        territoryIstat: ['20'],
      }),
    ],
  },
  {
    slug: 'regione-puglia',
    name: 'Regione Puglia',
    type: 'regione',
    ipaCode: 'r_puglia',
    istatCode: '16',
    taxCode: '80017210727',
    regionIstat: '16',
    offices: [
      office({
        slug: 'regione-puglia-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico della Regione Puglia',
        phone: '080 540 6290',
        address: 'Lungomare Nazario Sauro 33, 70121 Bari (BA)',
        channels: CH_FULL,
        openingHours: HOURS_STANDARD,
        territoryIstat: ['16'],
      }),
    ],
  },
  {
    slug: 'regione-molise',
    name: 'Regione Molise',
    type: 'regione',
    ipaCode: 'r_molise',
    istatCode: '14',
    taxCode: '00169440708',
    regionIstat: '14',
    offices: [
      office({
        slug: 'regione-molise-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico della Regione Molise',
        phone: '0874 429 410',
        address: 'Via Genova 11, 86100 Campobasso (CB)',
        channels: CH_STANDARD,
        openingHours: HOURS_STANDARD,
        territoryIstat: ['14'],
      }),
    ],
  },
  {
    slug: 'regione-basilicata',
    name: 'Regione Basilicata',
    type: 'regione',
    ipaCode: 'r_basili',
    istatCode: '17',
    taxCode: '80002950766',
    regionIstat: '17',
    offices: [
      office({
        slug: 'regione-basilicata-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico della Regione Basilicata',
        phone: '0971 668 120',
        address: 'Via Vincenzo Verrastro 4, 85100 Potenza (PZ)',
        channels: CH_STANDARD,
        openingHours: HOURS_STANDARD,
        territoryIstat: ['17'],
      }),
    ],
  },
  {
    slug: 'regione-campania',
    name: 'Regione Campania',
    type: 'regione',
    ipaCode: 'r_campan',
    istatCode: '15',
    taxCode: '80011990639',
    regionIstat: '15',
    offices: [
      office({
        slug: 'regione-campania-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico della Regione Campania',
        phone: '081 796 2510',
        address: 'Via Santa Lucia 81, 80132 Napoli (NA)',
        channels: CH_FULL,
        openingHours: HOURS_STANDARD,
        territoryIstat: ['15'],
      }),
    ],
  },
  {
    slug: 'regione-abruzzo',
    name: 'Regione Abruzzo',
    type: 'regione',
    ipaCode: 'r_abruzz',
    istatCode: '13',
    taxCode: '80003170661',
    regionIstat: '13',
    offices: [
      office({
        slug: 'regione-abruzzo-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico della Regione Abruzzo',
        phone: '0862 363 410',
        address: 'Via Leonardo da Vinci 6 (Palazzo Silone), 67100 L\'Aquila (AQ)',
        channels: CH_FULL,
        openingHours: HOURS_STANDARD,
        territoryIstat: ['13'],
      }),
      office({
        slug: 'regione-abruzzo-sanita-esenzioni',
        name: 'Servizio Sanità – esenzioni',
        kind: 'back_office',
        phone: '085 767 2640',
        address: 'Via Conte di Ruvo 74, 65127 Pescara (PE)',
        channels: ['telefono', 'email', 'pec'],
        openingHours: HOURS_BACK_OFFICE,
        territoryIstat: ['13'],
      }),
    ],
  },

  // ------------------------------------------------------------ province / città metropolitane / liberi consorzi
  {
    slug: 'citta-metropolitana-napoli',
    name: 'Città Metropolitana di Napoli',
    type: 'citta_metropolitana',
    ipaCode: 'cm_na',
    istatCode: '063',
    taxCode: null,
    regionIstat: '15',
    provinceCode: 'NA',
    offices: [
      office({
        slug: 'citta-metropolitana-napoli-urp',
        name: 'URP – Città Metropolitana di Napoli',
        phone: '081 794 9111',
        address: 'Piazza Giacomo Matteotti 1 (Palazzo Matteotti), 80133 Napoli (NA)',
        channels: CH_STANDARD,
        openingHours: HOURS_PROVINCE,
        territoryIstat: ['063'],
      }),
    ],
  },
  {
    slug: 'provincia-avellino',
    name: 'Provincia di Avellino',
    type: 'provincia',
    ipaCode: 'p_av',
    istatCode: '064',
    taxCode: null,
    regionIstat: '15',
    provinceCode: 'AV',
    offices: [
      office({
        slug: 'provincia-avellino-urp',
        name: 'URP – Provincia di Avellino',
        phone: '0825 790 210',
        address: 'Piazza Libertà 1 (Palazzo Caracciolo), 83100 Avellino (AV)',
        channels: CH_STANDARD,
        openingHours: HOURS_PROVINCE,
        territoryIstat: ['064'],
      }),
    ],
  },
  {
    slug: 'provincia-lecce',
    name: 'Provincia di Lecce',
    type: 'provincia',
    ipaCode: 'p_le',
    istatCode: '075',
    taxCode: null,
    regionIstat: '16',
    provinceCode: 'LE',
    offices: [
      office({
        slug: 'provincia-lecce-urp',
        name: 'URP – Provincia di Lecce',
        phone: '0832 683 310',
        address: 'Via Umberto I 13 (Palazzo dei Celestini), 73100 Lecce (LE)',
        channels: CH_STANDARD,
        openingHours: HOURS_PROVINCE,
        territoryIstat: ['075'],
      }),
    ],
  },
  {
    slug: 'provincia-barletta-andria-trani',
    name: 'Provincia di Barletta-Andria-Trani',
    type: 'provincia',
    ipaCode: 'p_bt',
    istatCode: '110',
    taxCode: null,
    regionIstat: '16',
    provinceCode: 'BT',
    offices: [
      office({
        slug: 'provincia-bat-urp',
        name: 'URP – Provincia di Barletta-Andria-Trani',
        phone: '0883 117 3210',
        address: 'Piazza San Pio X 9, 76123 Andria (BT)',
        channels: CH_STANDARD,
        openingHours: HOURS_PROVINCE,
        territoryIstat: ['110'],
      }),
    ],
  },
  {
    slug: 'provincia-taranto',
    name: 'Provincia di Taranto',
    type: 'provincia',
    ipaCode: 'p_ta',
    istatCode: '073',
    taxCode: null,
    regionIstat: '16',
    provinceCode: 'TA',
    offices: [
      office({
        slug: 'provincia-taranto-urp',
        name: 'URP – Provincia di Taranto',
        phone: '099 458 7210',
        address: 'Via Anfiteatro 4, 74123 Taranto (TA)',
        channels: CH_STANDARD,
        openingHours: HOURS_PROVINCE,
        territoryIstat: ['073'],
      }),
    ],
  },
  {
    slug: 'provincia-cosenza',
    name: 'Provincia di Cosenza',
    type: 'provincia',
    ipaCode: 'p_cs',
    istatCode: '078',
    taxCode: null,
    regionIstat: '18',
    provinceCode: 'CS',
    offices: [
      office({
        slug: 'provincia-cosenza-urp',
        name: 'URP – Provincia di Cosenza',
        phone: '0984 814 210',
        address: 'Piazza XV Marzo 5, 87100 Cosenza (CS)',
        channels: CH_STANDARD,
        openingHours: HOURS_PROVINCE,
        territoryIstat: ['078'],
      }),
    ],
  },
  {
    slug: 'libero-consorzio-siracusa',
    name: 'Libero Consorzio Comunale di Siracusa',
    type: 'provincia',
    ipaCode: 'p_sr',
    istatCode: '089',
    taxCode: null,
    regionIstat: '19',
    provinceCode: 'SR',
    offices: [
      office({
        slug: 'libero-consorzio-siracusa-urp',
        name: 'URP – Libero Consorzio Comunale di Siracusa',
        phone: '0931 709 210',
        address: 'Via Roma 31, 96100 Siracusa (SR)',
        channels: CH_STANDARD,
        openingHours: HOURS_PROVINCE,
        territoryIstat: ['089'],
      }),
    ],
  },
  {
    slug: 'citta-metropolitana-messina',
    name: 'Città Metropolitana di Messina',
    type: 'citta_metropolitana',
    ipaCode: 'cm_me',
    istatCode: '083',
    taxCode: null,
    regionIstat: '19',
    provinceCode: 'ME',
    offices: [
      office({
        slug: 'citta-metropolitana-messina-urp',
        name: 'URP – Città Metropolitana di Messina',
        phone: '090 776 1210',
        address: 'Corso Cavour 87 (Palazzo dei Leoni), 98122 Messina (ME)',
        channels: CH_STANDARD,
        openingHours: HOURS_PROVINCE,
        territoryIstat: ['083'],
      }),
    ],
  },
  {
    slug: 'libero-consorzio-enna',
    name: 'Libero Consorzio Comunale di Enna',
    type: 'provincia',
    ipaCode: 'p_en',
    istatCode: '086',
    taxCode: null,
    regionIstat: '19',
    provinceCode: 'EN',
    offices: [
      office({
        slug: 'libero-consorzio-enna-urp',
        name: 'URP – Libero Consorzio Comunale di Enna',
        phone: '0935 521 210',
        address: 'Piazza Garibaldi 2, 94100 Enna (EN)',
        channels: CH_SMALL,
        openingHours: HOURS_PROVINCE,
        territoryIstat: ['086'],
      }),
    ],
  },
  {
    slug: 'libero-consorzio-ragusa',
    name: 'Libero Consorzio Comunale di Ragusa',
    type: 'provincia',
    ipaCode: 'p_rg',
    istatCode: '088',
    taxCode: null,
    regionIstat: '19',
    provinceCode: 'RG',
    offices: [
      office({
        slug: 'libero-consorzio-ragusa-urp',
        name: 'URP – Libero Consorzio Comunale di Ragusa',
        phone: '0932 675 210',
        address: 'Viale del Fante 10, 97100 Ragusa (RG)',
        channels: CH_STANDARD,
        openingHours: HOURS_PROVINCE,
        territoryIstat: ['088'],
      }),
    ],
  },
  {
    slug: 'citta-metropolitana-catania',
    name: 'Città Metropolitana di Catania',
    type: 'citta_metropolitana',
    ipaCode: 'cm_ct',
    istatCode: '087',
    taxCode: null,
    regionIstat: '19',
    provinceCode: 'CT',
    offices: [
      office({
        slug: 'citta-metropolitana-catania-urp',
        name: 'URP – Città Metropolitana di Catania',
        phone: '095 401 1210',
        address: 'Via Prefettura 14, 95124 Catania (CT)',
        channels: CH_STANDARD,
        openingHours: HOURS_PROVINCE,
        territoryIstat: ['087'],
      }),
    ],
  },

  // ------------------------------------------------------------ comuni
  {
    slug: 'comune-celano',
    name: 'Comune di Celano',
    type: 'comune',
    ipaCode: 'c_c426',
    istatCode: '066032',
    cadastralCode: 'C426',
    taxCode: null,
    regionIstat: '13',
    provinceCode: 'AQ',
    population: 10700,
    // patronDay omitted: the feast of the Santi Martiri celanesi (late August) not pinned to a verified date
    offices: [
      office({
        slug: 'celano-urp',
        name: 'URP – Sportello del Cittadino di Celano',
        phone: '0863 7954224', // quoted in the founding document
        address: 'Via Guglielmo Marconi, 67043 Celano (AQ)',
        channels: CH_SMALL,
        openingHours: HOURS_STANDARD,
        territoryIstat: ['066032'],
      }),
    ],
  },
  {
    slug: 'comune-cagliari',
    name: 'Comune di Cagliari',
    type: 'comune',
    ipaCode: 'c_b354',
    istatCode: '092009',
    cadastralCode: 'B354',
    taxCode: '00147990923',
    regionIstat: '20',
    provinceCode: 'CA',
    population: 148000,
    patronDay: { month: 10, day: 30, name: 'San Saturnino' },
    offices: [
      office({
        slug: 'cagliari-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico del Comune di Cagliari',
        phone: '070 677 7210',
        address: 'Via Roma 145 (Palazzo Civico), 09124 Cagliari (CA)',
        channels: CH_FULL,
        openingHours: HOURS_CITY,
        territoryIstat: ['092009'],
      }),
    ],
  },
  {
    slug: 'comune-napoli',
    name: 'Comune di Napoli',
    type: 'comune',
    ipaCode: 'c_f839',
    istatCode: '063049',
    cadastralCode: 'F839',
    taxCode: '80014890638',
    regionIstat: '15',
    provinceCode: 'NA',
    population: 910000,
    patronDay: { month: 9, day: 19, name: 'San Gennaro' },
    offices: [
      office({
        slug: 'napoli-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico del Comune di Napoli',
        phone: '081 795 2310',
        address: 'Piazza Municipio (Palazzo San Giacomo), 80133 Napoli (NA)',
        channels: ['telefono', 'email', 'pec', 'web', 'sportello', 'app', 'social'],
        openingHours: HOURS_CITY,
        territoryIstat: ['063049'],
      }),
      office({
        slug: 'napoli-servizio-tributi',
        name: 'Servizio Tributi',
        kind: 'back_office',
        phone: '081 795 8110',
        address: 'Piazza Municipio (Palazzo San Giacomo), 80133 Napoli (NA)',
        channels: ['telefono', 'email', 'pec', 'sportello'],
        openingHours: HOURS_BACK_OFFICE,
        territoryIstat: ['063049'],
      }),
    ],
  },
  {
    slug: 'comune-salerno',
    name: 'Comune di Salerno',
    type: 'comune',
    ipaCode: 'c_h703',
    istatCode: '065116',
    cadastralCode: 'H703',
    taxCode: '80000330656',
    regionIstat: '15',
    provinceCode: 'SA',
    population: 126000,
    patronDay: { month: 9, day: 21, name: 'San Matteo' },
    offices: [
      office({
        slug: 'salerno-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico del Comune di Salerno',
        phone: '089 662 210',
        address: 'Via Roma (Palazzo di Città), 84121 Salerno (SA)',
        channels: CH_FULL,
        openingHours: HOURS_CITY,
        territoryIstat: ['065116'],
      }),
    ],
  },
  {
    slug: 'comune-catania',
    name: 'Comune di Catania',
    type: 'comune',
    ipaCode: 'c_c351',
    istatCode: '087015',
    cadastralCode: 'C351',
    taxCode: '00137020871',
    regionIstat: '19',
    provinceCode: 'CT',
    population: 298000,
    patronDay: { month: 2, day: 5, name: "Sant'Agata" },
    offices: [
      office({
        slug: 'catania-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico del Comune di Catania',
        phone: '095 742 2210',
        address: 'Piazza Duomo 3 (Palazzo degli Elefanti), 95124 Catania (CT)',
        channels: CH_FULL,
        openingHours: HOURS_CITY,
        territoryIstat: ['087015'],
      }),
    ],
  },
  {
    slug: 'comune-siracusa',
    name: 'Comune di Siracusa',
    type: 'comune',
    ipaCode: 'c_i754',
    istatCode: '089017',
    cadastralCode: 'I754',
    taxCode: null,
    regionIstat: '19',
    provinceCode: 'SR',
    population: 116000,
    patronDay: { month: 12, day: 13, name: 'Santa Lucia' },
    offices: [
      office({
        slug: 'siracusa-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico del Comune di Siracusa',
        phone: '0931 451 210',
        address: 'Piazza Duomo 4 (Palazzo Vermexio), 96100 Siracusa (SR)',
        channels: CH_STANDARD,
        openingHours: HOURS_CITY,
        territoryIstat: ['089017'],
      }),
    ],
  },

  // Comuni of southern Salento (province LE). Patron days omitted: not verified.
  {
    slug: 'comune-tricase',
    name: 'Comune di Tricase',
    type: 'comune',
    ipaCode: 'c_l419',
    istatCode: '075088',
    cadastralCode: 'L419',
    taxCode: null,
    regionIstat: '16',
    provinceCode: 'LE',
    population: 16800,
    offices: [
      office({
        slug: 'tricase-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico del Comune di Tricase',
        phone: '0833 777 210',
        address: 'Piazza Giuseppe Pisanelli, 73039 Tricase (LE)',
        channels: CH_SMALL,
        openingHours: HOURS_SMALL_COMUNE,
        territoryIstat: ['075088'],
      }),
    ],
  },
  {
    slug: 'comune-gagliano-del-capo',
    name: 'Comune di Gagliano del Capo',
    type: 'comune',
    ipaCode: 'c_d851',
    istatCode: '075028',
    cadastralCode: 'D851',
    taxCode: null,
    regionIstat: '16',
    provinceCode: 'LE',
    population: 5000,
    offices: [
      office({
        slug: 'gagliano-del-capo-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico del Comune di Gagliano del Capo',
        phone: '0833 798 210',
        address: 'Piazza Municipio, 73034 Gagliano del Capo (LE)',
        channels: CH_SMALL,
        openingHours: HOURS_SMALL_COMUNE,
        territoryIstat: ['075028'],
      }),
    ],
  },
  {
    slug: 'comune-castrignano-del-capo',
    name: 'Comune di Castrignano del Capo',
    type: 'comune',
    ipaCode: 'c_c336',
    istatCode: '075019',
    cadastralCode: 'C336',
    taxCode: null,
    regionIstat: '16',
    provinceCode: 'LE',
    population: 5100,
    offices: [
      office({
        slug: 'castrignano-del-capo-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico del Comune di Castrignano del Capo',
        phone: '0833 751 210',
        address: 'Piazza Municipio, 73040 Castrignano del Capo (LE)',
        channels: CH_SMALL,
        openingHours: HOURS_SMALL_COMUNE,
        territoryIstat: ['075019'],
      }),
    ],
  },
  {
    slug: 'comune-alessano',
    name: 'Comune di Alessano',
    type: 'comune',
    ipaCode: 'c_a184',
    istatCode: '075002',
    cadastralCode: 'A184',
    taxCode: null,
    regionIstat: '16',
    provinceCode: 'LE',
    population: 6100,
    offices: [
      office({
        slug: 'alessano-urp',
        name: 'URP – Ufficio Relazioni con il Pubblico del Comune di Alessano',
        phone: '0833 781 210',
        address: 'Piazza Don Tonino Bello, 73031 Alessano (LE)',
        channels: CH_SMALL,
        openingHours: HOURS_SMALL_COMUNE,
        territoryIstat: ['075002'],
      }),
    ],
  },

  // ------------------------------------------------------------ ASL
  {
    slug: 'asl-avezzano-sulmona-laquila',
    name: "ASL Avezzano-Sulmona-L'Aquila",
    type: 'asl',
    ipaCode: 'asl1_abr',
    istatCode: null, // ASLs have no ISTAT territorial code; the territory is on the office
    taxCode: '01792410662',
    regionIstat: '13',
    provinceCode: 'AQ',
    offices: [
      office({
        slug: 'asl-avezzano-sulmona-laquila-urp',
        name: "URP – ASL 1 Avezzano-Sulmona-L'Aquila",
        phone: '0862 368 210',
        address: "Via Giuseppe Saragat, località Campo di Pile, 67100 L'Aquila (AQ)",
        channels: CH_STANDARD,
        openingHours: HOURS_STANDARD,
        territoryIstat: ['066'],
      }),
    ],
  },
];

const BY_SLUG: ReadonlyMap<string, DemoOrganisation> = new Map(DEMO_NETWORK.map((o) => [o.slug, o]));

/** Look up a demo organisation by its slug. */
export function organisationBySlug(slug: string): DemoOrganisation | undefined {
  return BY_SLUG.get(slug);
}
