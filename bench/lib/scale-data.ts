/**
 * Italian vocabulary for the network-scale benchmark: what citizens ask or report, per area of the
 * `tema` taxonomy (the first segment of the code), plus intros, streets, requests and a few common
 * misspellings. The SQL generator combines them with the taxonomy labels and the offices' places
 * (templates × places × topics), so that full-text and trigram indexes see realistic vocabulary;
 * the query generator builds *new* descriptions from the same pools with different wording.
 */

/** Per area: things people write about (lower case, no final full stop). */
export const AREA_DETAILS: Record<string, readonly string[]> = {
  identita_digitale: [
    'non riesce ad accedere con SPID al portale dei servizi', 'ha smarrito la carta d’identità elettronica e chiede il duplicato',
    'ha dimenticato il PIN della CIE e non completa l’accesso', 'l’app IO non mostra gli avvisi di pagamento',
    'la firma digitale risulta scaduta e non riesce a rinnovarla', 'chiede come attivare il domicilio digitale',
    'le credenziali SPID sono bloccate dopo troppi tentativi',
  ],
  anagrafe_stato_civile: [
    'ha presentato la dichiarazione di cambio di residenza ma non ha ricevuto conferma', 'chiede un certificato di stato di famiglia',
    'deve registrare la nascita del figlio avvenuta in ospedale', 'vuole fissare la data delle pubblicazioni di matrimonio',
    'chiede come ottenere l’estratto dell’atto di morte per la successione', 'chiede lo stato della pratica di cittadinanza italiana',
    'deve iscriversi all’AIRE per trasferimento all’estero', 'chiede il rinnovo della concessione cimiteriale',
  ],
  tributi: [
    'ha ricevuto un avviso TARI con importo sbagliato', 'chiede come pagare l’acconto IMU sulla seconda casa',
    'ha ricevuto una cartella di pagamento per un bollo auto già pagato', 'il pagamento pagoPA risulta non andato a buon fine',
    'chiede il rimborso di un versamento doppio', 'chiede la rateizzazione della cartella esattoriale',
    'ha bisogno del duplicato del codice fiscale', 'chiede l’esenzione dal canone RAI',
  ],
  previdenza_lavoro: [
    'attende da mesi la liquidazione della pensione', 'chiede lo stato della domanda di NASpI',
    'l’assegno unico non è stato accreditato questo mese', 'deve rinnovare l’ISEE e chiede quali documenti servono',
    'chiede informazioni sulla domanda di invalidità civile', 'chiede come richiedere i permessi della legge 104',
    'chiede come iscriversi al centro per l’impiego',
  ],
  sanita: [
    'non riesce a prenotare la visita specialistica al CUP', 'ha la tessera sanitaria scaduta e chiede il duplicato',
    'deve cambiare il medico di base dopo il trasferimento', 'chiede il rinnovo dell’esenzione dal ticket per reddito',
    'chiede dove fare la vaccinazione antinfluenzale', 'non riesce ad aprire il fascicolo sanitario elettronico',
    'chiede gli orari della guardia medica nel fine settimana',
  ],
  istruzione: [
    'chiede le date per le iscrizioni alla scuola primaria', 'segnala un problema con il pagamento della mensa scolastica',
    'chiede se è attivo il servizio di trasporto scolastico', 'chiede la graduatoria dell’asilo nido comunale',
    'chiede come ottenere il contributo per i libri di testo', 'chiede informazioni sulla borsa di studio universitaria',
  ],
  mobilita_trasporti: [
    'ha ricevuto una multa per accesso alla ZTL con permesso valido', 'chiede come rinnovare la patente di guida',
    'segnala che l’autobus della linea urbana non passa da giorni', 'chiede il rilascio del contrassegno per disabili',
    'chiede come fare il passaggio di proprietà del veicolo', 'chiede il permesso di sosta per residenti',
    'contesta il verbale di violazione del codice della strada',
  ],
  documenti_viaggio_immigrazione: [
    'chiede un appuntamento per il rilascio del passaporto', 'attende da mesi il rinnovo del permesso di soggiorno',
    'chiede i documenti per il ricongiungimento familiare', 'chiede l’assenso per l’espatrio del figlio minore',
    'chiede come ottenere il visto di ingresso per un familiare',
  ],
  ambiente_rifiuti: [
    'segnala che la raccolta differenziata non passa da una settimana', 'chiede il ritiro di rifiuti ingombranti a domicilio',
    'segnala l’abbandono di rifiuti vicino ai cassonetti', 'chiede gli orari del centro di raccolta comunale',
    'segnala rumore notturno e cattivi odori', 'segnala un cane randagio vicino alla scuola',
    'i cassonetti sono pieni e i sacchetti restano in strada',
  ],
  manutenzione_urbana: [
    'segnala una buca profonda sulla strada pericolosa per i motorini', 'segnala che l’illuminazione pubblica è spenta da giorni',
    'segnala il semaforo guasto all’incrocio', 'segnala una perdita d’acqua dalla condotta sul marciapiede',
    'segnala un albero pericolante nel parco pubblico', 'segnala un marciapiede dissestato senza scivolo per disabili',
    'segnala un tombino otturato che allaga la strada quando piove', 'chiede quando finiranno i lavori del cantiere',
  ],
  edilizia_urbanistica: [
    'chiede lo stato della pratica edilizia presentata allo sportello', 'chiede come ottenere il certificato di agibilità',
    'chiede informazioni sulla sanatoria di un abuso edilizio', 'chiede i requisiti per il bonus ristrutturazione',
    'chiede il certificato di destinazione urbanistica del terreno',
  ],
  servizi_sociali: [
    'chiede come presentare la domanda per l’assegno di inclusione', 'chiede la posizione nella graduatoria delle case popolari',
    'chiede il contributo per il pagamento dell’affitto', 'chiede assistenza domiciliare per un genitore anziano',
    'chiede come ottenere il bonus sociale per le bollette', 'chiede aiuto per una situazione di violenza domestica',
  ],
  attivita_produttive_suap: [
    'chiede come presentare la SCIA per aprire un negozio', 'chiede il rinnovo della licenza per il commercio ambulante',
    'chiede l’autorizzazione per il dehors del bar', 'chiede come registrare un affitto breve turistico',
    'chiede la visura camerale dell’impresa',
  ],
  cultura_turismo_sport: [
    'chiede gli orari di apertura della biblioteca comunale', 'chiede il patrocinio per un evento culturale',
    'chiede come prenotare la palestra comunale', 'chiede informazioni turistiche sul centro storico',
  ],
  polizia_locale_sicurezza: [
    'chiede il verbale dell’incidente stradale rilevato dalla polizia locale', 'ha trovato l’auto rimossa e chiede dove ritirarla',
    'segnala un veicolo abbandonato da mesi', 'deve denunciare lo smarrimento del portafoglio',
    'chiede se è stato ritrovato un oggetto smarrito sull’autobus',
  ],
  protezione_civile: [
    'chiede informazioni sull’allerta meteo per domani', 'chiede dove si trova l’area di attesa del piano di emergenza',
    'chiede come richiedere il contributo per i danni dell’alluvione', 'non ha ricevuto il messaggio IT-alert di prova',
  ],
  trasparenza_partecipazione: [
    'chiede l’accesso agli atti della pratica', 'ha smarrito la tessera elettorale e chiede il duplicato',
    'non trova la delibera sull’albo pretorio', 'chiede come partecipare alla consultazione pubblica',
    'chiede la cancellazione dei propri dati personali',
  ],
  rapporti_pa: [
    'non riesce a contattare l’ufficio competente al telefono', 'presenta reclamo per il ritardo nella risposta',
    'chiede l’indirizzo PEC dell’ufficio protocollo', 'chiede il numero di protocollo della propria istanza',
    'chiede informazioni sul bando di concorso pubblico', 'chiede come rivolgersi al difensore civico',
  ],
};

export const INTROS: readonly string[] = [
  'Il cittadino', 'La cittadina', 'L’utente', 'Buongiorno, la signora', 'Il signore allo sportello', 'Contatto telefonico: la persona',
  'Una residente', 'Un residente', 'Il titolare', 'La richiedente', 'Tramite e-mail, il cittadino', 'Dalla chat del portale, l’utente',
];

export const STREETS: readonly string[] = [
  'in via Roma', 'in piazza Garibaldi', 'in corso Vittorio Emanuele', 'in via Mazzini', 'in viale della Repubblica', 'in via Dante Alighieri',
  'in via Giuseppe Verdi', 'in località San Rocco', 'nel quartiere centro storico', 'in via XX Settembre', 'in piazza del Municipio',
  'in via Cavour', 'in contrada Santa Lucia', 'in via Marconi', 'nei pressi della stazione', 'vicino al mercato coperto',
];

export const ASKS: readonly string[] = [
  'Chiede tempi e documenti necessari.', 'Chiede di essere ricontattato.', 'Chiede un appuntamento allo sportello.',
  'Vorrebbe sapere a quale ufficio rivolgersi.', 'Chiede un intervento urgente.', 'Sollecita una risposta alla richiesta precedente.',
  'Chiede la modulistica da compilare.', 'Chiede se la pratica può essere fatta online.', 'Lamenta tempi di attesa troppo lunghi.',
  'Chiede conferma via e-mail.',
];

export const CLOSINGS: readonly string[] = [
  '', '', '', 'Allega la documentazione.', 'Ha lasciato un recapito telefonico.', 'Seconda segnalazione in una settimana.',
  'Situazione segnalata anche da altri residenti.', 'Persona anziana, richiede assistenza.',
];

/** Generic places for offices that are not a comune (regioni, province, ASL, national bodies). */
export const EXTRA_PLACES: readonly string[] = [
  'Avezzano', 'Sulmona', 'Pescara', 'Chieti', 'Bari', 'Taranto', 'Foggia', 'Potenza', 'Matera', 'Campobasso', 'Cosenza', 'Avellino',
  'Benevento', 'Caserta', 'Messina', 'Enna', 'Sassari', 'Nuoro', 'Oristano', 'Andria', 'Trani', 'Brindisi', 'Roma', 'Palermo',
];

/** Misspellings applied to a few per cent of the descriptions and subjects (typos the trigram index must survive). */
export const TYPOS: readonly (readonly [string, string])[] = [
  ['residenza', 'residensa'], ['certificato', 'certificatto'], ['illuminazione', 'iluminazione'], ['raccolta', 'racolta'],
  ['pagamento', 'pagamnto'], ['appuntamento', 'apuntamento'], ['segnala', 'segala'], ['documenti', 'documeti'],
  ['prenotare', 'prenottare'], ['passaporto', 'pasaporto'], ['marciapiede', 'marciapiedi'], ['rifiuti', 'rifuti'],
];

/** Query texts: new contacts written differently from the stored ones (same problems, other words). */
const QUERY_OPENINGS: readonly string[] = [
  'Buongiorno, scrivo perché', 'Salve, vorrei segnalare che', 'Mia madre', 'Da stamattina', 'Ancora una volta', 'Mi rivolgo a voi perché',
  'Sono un residente e', 'Gentile ufficio,',
];
const QUERY_TAILS: readonly string[] = [
  'Potete aiutarmi?', 'Cosa devo fare?', 'Aspetto una risposta.', 'È la terza volta che chiamo.', 'Grazie.', 'Chi è competente?',
];

export interface SimilarQuestion {
  text: string;
  /** A tema code of the same area, for the `&topic=` variant. */
  topic: string;
}

/**
 * `count` new descriptions: a detail of some area (sometimes with a typo), a street and a place,
 * wrapped in wording the stored tickets never use. `temaByArea` gives real tema codes per area.
 */
export function similarQuestions(count: number, random: () => number, places: readonly string[], temaByArea: ReadonlyMap<string, readonly string[]>): SimilarQuestion[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const areas = Object.keys(AREA_DETAILS).filter((a) => temaByArea.has(a));
  const out: SimilarQuestion[] = [];
  for (let i = 0; i < count; i++) {
    const area = pick(areas);
    let detail = pick(AREA_DETAILS[area]!);
    if (random() < 0.15) {
      const [right, wrong] = pick(TYPOS);
      detail = detail.replace(right, wrong);
    }
    const text = `${pick(QUERY_OPENINGS)} ${detail} ${pick(STREETS)} a ${pick(places)}. ${pick(QUERY_TAILS)}`;
    out.push({ text, topic: pick(temaByArea.get(area)!) });
  }
  return out;
}

/** Escapes a string for a single-quoted SQL literal. */
export const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
export const textArray = (list: readonly string[]) => `array[${list.map(lit).join(',')}]::text[]`;
