import type { Database } from '../../db/database.js';
import * as repo from './sharing.repository.js';
import { loadTerritory } from '../territory/index.js';
import * as identity from '../identity/index.js';

/** What each kind of body is typically competent for (taxonomy `tema` codes), for the demo network. */
const BY_TYPE: Record<string, string[]> = {
  comune: [
    'anagrafe_stato_civile', 'tributi.imu', 'tributi.tari', 'tributi.canone_unico', 'ambiente_rifiuti', 'manutenzione_urbana', 'edilizia_urbanistica',
    'servizi_sociali', 'istruzione.iscrizioni_scolastiche', 'istruzione.mensa_scolastica', 'istruzione.trasporto_scolastico', 'istruzione.asilo_nido',
    'attivita_produttive_suap', 'polizia_locale_sicurezza', 'mobilita_trasporti.ztl', 'mobilita_trasporti.sosta_residenti', 'mobilita_trasporti.contrassegno_disabili',
    'identita_digitale.cie', 'trasparenza_partecipazione', 'cultura_turismo_sport', 'protezione_civile.piano_emergenza', 'rapporti_pa',
  ],
  provincia: ['istruzione.trasporto_scolastico', 'manutenzione_urbana.segnaletica', 'ambiente_rifiuti.aria_rumore', 'previdenza_lavoro.centri_impiego', 'trasparenza_partecipazione', 'rapporti_pa'],
  citta_metropolitana: ['istruzione.trasporto_scolastico', 'manutenzione_urbana.segnaletica', 'ambiente_rifiuti.aria_rumore', 'mobilita_trasporti.trasporto_pubblico', 'trasparenza_partecipazione', 'rapporti_pa'],
  regione: [
    'sanita', 'tributi.bollo_auto', 'istruzione.diritto_studio_universitario', 'istruzione.borse_studio', 'mobilita_trasporti.trasporto_pubblico',
    'protezione_civile', 'previdenza_lavoro.centri_impiego', 'servizi_sociali.contributo_affitto', 'trasparenza_partecipazione', 'rapporti_pa',
  ],
  asl: ['sanita', 'previdenza_lavoro.invalidita_civile', 'previdenza_lavoro.legge_104'],
  ente_nazionale: ['rapporti_pa', 'identita_digitale', 'documenti_viaggio_immigrazione', 'previdenza_lavoro', 'tributi.dichiarazione_redditi', 'tributi.codice_fiscale', 'tributi.cartelle_riscossione'],
};

/** Back offices are competent for their own narrow subject. */
const BY_OFFICE_SLUG: Record<string, string[]> = {
  'regione-abruzzo-sanita-esenzioni': ['sanita.esenzioni_ticket', 'sanita.tessera_sanitaria', 'sanita.assistenza_estero'],
  'napoli-servizio-tributi': ['tributi.imu', 'tributi.tari', 'tributi.canone_unico'],
};

/** Declares the demo offices' competences (once: skipped when any competence exists). */
export async function seedDemoCompetences(db: Database): Promise<number> {
  if (await db.selectFrom('office_competences').select('id').limit(1).executeTakeFirst()) return 0;
  const offices = await db
    .selectFrom(identity.officeDirectory().as('f'))
    .innerJoin(identity.organisationDirectory().as('o'), 'o.id', 'f.organisation_id')
    .select(['f.id', 'f.slug', 'f.territory', 'o.type', 'o.istat_code', 'o.region_istat'])
    .execute();
  const italy = await loadTerritory(db);
  const provincesOfRegion = (region: string) => italy.provinces(region).map((p) => p.code);
  let count = 0;
  await db.transaction().execute(async (trx) => {
    for (const f of offices) {
      const topics = BY_OFFICE_SLUG[f.slug] ?? BY_TYPE[f.type] ?? [];
      const declared = f.territory.length > 0 ? f.territory : f.istat_code ? [f.istat_code] : [];
      // Regions cover their provinces; a nationwide body declares no territory at all.
      const territory = f.type === 'ente_nazionale' ? [] : declared.flatMap((c) => (c.length === 2 ? [c, ...provincesOfRegion(c)] : [c]));
      await repo.replaceCompetences(trx, f.id, topics.map((topic) => ({ topic, territory })));
      count += topics.length;
    }
  });
  return count;
}
