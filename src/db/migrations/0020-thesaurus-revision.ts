import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * First revision of the seed thesaurus (0003). Phrases that occur in the development queries of
 * the FAQ search but nowhere in the FAQ corpus are taken out: they were tuned to those queries and
 * inflated the development numbers without helping anyone else. Only phrases a group still holds
 * are removed (an editor may have removed or kept them on purpose), and a group never drops below
 * the two phrases the table requires.
 */
/** Each phrase with another phrase of its group (what `down` finds the group by). */
export const THESAURUS_PHRASES_REMOVED: readonly { group: string; phrase: string }[] = [
  { group: 'residenza', phrase: 'cambio di domicilio' },
  { group: 'TARI', phrase: 'tassa spazzatura' },
  { group: 'TARI', phrase: 'tassa sulla spazzatura' },
  { group: 'rifiuti', phrase: 'spazzatura' },
  { group: 'rifiuti', phrase: 'immondizia' },
  { group: 'bollo auto', phrase: 'tassa di possesso' },
  { group: 'cartella esattoriale', phrase: 'equitalia' },
  { group: 'rimborso', phrase: 'soldi indietro' },
  { group: 'NASpI', phrase: 'sussidio di disoccupazione' },
  { group: 'maternità', phrase: 'incinta' },
  { group: "centro per l'impiego", phrase: 'ufficio di collocamento' },
  { group: 'bonus', phrase: 'sussidio' },
  { group: 'bonus', phrase: 'aiuto economico' },
  { group: 'esame', phrase: 'analisi' },
  { group: 'medico di base', phrase: 'dottore' },
  { group: 'patente', phrase: 'licenza di guida' },
  { group: 'passaggio di proprietà', phrase: 'vendere la macchina' },
  { group: 'auto', phrase: 'macchina' },
  { group: 'moto', phrase: 'scooter' },
  { group: 'lampione', phrase: 'luce pubblica' },
  { group: 'sanatoria', phrase: 'condono edilizio' },
  { group: 'bonus sociale', phrase: 'bonus luce' },
  { group: 'polizia locale', phrase: 'vigili urbani' },
  { group: 'reclamo', phrase: 'lamentarsi' },
  { group: 'online', phrase: 'on line' },
  { group: 'comune', phrase: 'municipio' },
  { group: 'denaro', phrase: 'soldi' },
  { group: 'inagibile', phrase: 'cade a pezzi' },
  { group: 'password dimenticata', phrase: 'non ricordo la password' },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { phrase } of THESAURUS_PHRASES_REMOVED) {
    await sql`
      update faq_thesaurus set terms = terms - ${phrase}::text, updated_at = now()
      where lang = 'it' and terms ? ${phrase}::text and jsonb_array_length(terms - ${phrase}::text) >= 2`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { group, phrase } of THESAURUS_PHRASES_REMOVED) {
    await sql`
      update faq_thesaurus set terms = terms || to_jsonb(${phrase}::text), updated_at = now()
      where lang = 'it' and terms ? ${group}::text and not terms ? ${phrase}::text and jsonb_array_length(terms) < 50`.execute(db);
  }
}
