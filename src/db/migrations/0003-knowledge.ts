import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * The shared FAQ knowledge base: articles (network-wide or owned by an organisation), their version
 * snapshots, translations linked to the canonical article, and the editorial board's thesaurus.
 * `knowledge_revision` is bumped by triggers on every change, so that each server instance can
 * check cheaply whether its in-memory search index is still current.
 */

/**
 * The first thesaurus of the network: general public-administration vocabulary (acronyms, official
 * names and everyday words for the same thing). The editorial board edits it in the database.
 */
export const SEED_THESAURUS: readonly { kind: 'synonym' | 'acronym'; terms: string[] }[] = [
  // Identità digitale e documenti
  { kind: 'acronym', terms: ['SPID', 'sistema pubblico di identità digitale', 'identità digitale', 'credenziali digitali', 'credenziali SPID', 'credenziali per i servizi online'] },
  { kind: 'acronym', terms: ['CIE', "carta d'identità elettronica", 'carta di identità elettronica', 'carta identità elettronica'] },
  { kind: 'synonym', terms: ["carta d'identità", 'documento di identità', 'documento di riconoscimento', 'documento d’identità'] },
  { kind: 'acronym', terms: ['CNS', 'carta nazionale dei servizi'] },
  { kind: 'acronym', terms: ['PEC', 'posta elettronica certificata'] },
  { kind: 'acronym', terms: ['INAD', 'domicilio digitale', 'indice nazionale dei domicili digitali'] },
  { kind: 'synonym', terms: ['firma digitale', 'firma elettronica', 'firma elettronica qualificata'] },
  { kind: 'synonym', terms: ['app IO', 'applicazione IO', 'IO app'] },
  { kind: 'synonym', terms: ['password', 'credenziali', 'parola chiave', 'codice di accesso'] },
  { kind: 'synonym', terms: ['smarrimento', 'smarrito', 'smarrita', 'perso', 'persa', 'perduto', 'perdita', 'non trovo più'] },
  { kind: 'synonym', terms: ['furto', 'rubato', 'rubata', 'derubato', 'scippo', 'sottratto'] },
  { kind: 'synonym', terms: ['rinnovo', 'rinnovare', 'scaduto', 'scaduta', 'in scadenza'] },
  { kind: 'synonym', terms: ['duplicato', 'copia', 'seconda copia', 'ristampa'] },
  { kind: 'synonym', terms: ['certificato', 'certificazione', 'attestato', 'attestazione'] },
  { kind: 'synonym', terms: ['autocertificazione', 'dichiarazione sostitutiva di certificazione', 'autodichiarazione'] },
  { kind: 'acronym', terms: ['PIN', 'codice PIN'] },
  // Anagrafe e stato civile
  { kind: 'synonym', terms: ['residenza', 'cambio di residenza', 'domicilio', 'cambio di domicilio', 'cambio di indirizzo', 'cambio di abitazione', 'trasloco', 'trasferirsi', 'trasferimento'] },
  { kind: 'acronym', terms: ['ANPR', 'anagrafe nazionale della popolazione residente', 'anagrafe nazionale'] },
  { kind: 'acronym', terms: ['AIRE', "anagrafe degli italiani residenti all'estero", "italiani all'estero", "residenti all'estero", "trasferirsi all'estero", "vivere all'estero", 'espatriare'] },
  { kind: 'synonym', terms: ['anagrafe', 'ufficio anagrafe', 'servizi demografici', 'ufficio anagrafico'] },
  { kind: 'synonym', terms: ['stato di famiglia', 'certificato di famiglia', 'nucleo familiare', 'composizione della famiglia'] },
  { kind: 'synonym', terms: ['nascita', 'neonato', 'neonata', 'nato', 'nata', 'parto', 'denuncia di nascita'] },
  { kind: 'synonym', terms: ['decesso', 'morte', 'morto', 'morta', 'defunto', 'lutto', 'deceduto', 'scomparsa di un familiare'] },
  { kind: 'synonym', terms: ['matrimonio', 'sposarsi', 'nozze', 'pubblicazioni di matrimonio'] },
  { kind: 'synonym', terms: ['unione civile', 'unioni civili', 'convivenza di fatto'] },
  { kind: 'synonym', terms: ['separazione', 'divorzio', 'separarsi', 'divorziare', 'separati', 'ex coniuge', 'ex marito', 'ex moglie'] },
  { kind: 'synonym', terms: ['cittadinanza', 'cittadinanza italiana', 'naturalizzazione', 'diventare italiano'] },
  { kind: 'synonym', terms: ['cimitero', 'servizi cimiteriali', 'loculo', 'sepoltura', 'tumulazione', 'cremazione'] },
  { kind: 'synonym', terms: ['tessera elettorale', 'scheda elettorale', 'certificato elettorale'] },
  { kind: 'synonym', terms: ['votare', 'voto', 'elezioni', 'seggio'] },
  // Tributi e pagamenti
  { kind: 'acronym', terms: ['TARI', 'tassa rifiuti', 'tassa sui rifiuti', 'tassa spazzatura', 'tassa sulla spazzatura', 'tassa immondizia', 'tariffa rifiuti', 'TARSU', 'TIA'] },
  { kind: 'synonym', terms: ['rifiuti', 'spazzatura', 'immondizia', 'pattume', 'monnezza'] },
  { kind: 'acronym', terms: ['IMU', 'imposta municipale propria', 'imposta municipale unica', 'tassa sulla casa', 'tassa casa', 'ICI'] },
  { kind: 'synonym', terms: ['bollo auto', 'tassa automobilistica', 'tassa di possesso', 'bollo della macchina', 'bollo'] },
  { kind: 'acronym', terms: ['IRPEF', 'imposta sul reddito', 'tasse sul reddito'] },
  { kind: 'synonym', terms: ['730', 'dichiarazione dei redditi', 'modello 730', 'dichiarazione precompilata', 'modello redditi'] },
  { kind: 'synonym', terms: ['cartella esattoriale', 'cartella di pagamento', 'agenzia delle entrate riscossione', 'equitalia', 'rottamazione', 'cartella'] },
  { kind: 'synonym', terms: ['pagoPA', 'avviso pagoPA', 'avviso di pagamento', 'bollettino', 'pagamento online'] },
  { kind: 'acronym', terms: ['F24', 'modello F24', 'delega F24'] },
  { kind: 'synonym', terms: ['canone RAI', 'canone tv', 'canone televisivo', 'abbonamento RAI', 'abbonamento alla televisione', 'televisione', 'televisore'] },
  { kind: 'acronym', terms: ['CF', 'codice fiscale'] },
  { kind: 'synonym', terms: ['canone unico', 'occupazione di suolo pubblico', 'suolo pubblico', 'COSAP', 'TOSAP'] },
  { kind: 'synonym', terms: ['multa', 'multe', 'contravvenzione', 'verbale', 'sanzione', 'infrazione'] },
  { kind: 'synonym', terms: ['rimborso', 'restituzione', 'soldi indietro', 'rimborsare'] },
  { kind: 'synonym', terms: ['esenzione', 'esente', 'esonero'] },
  { kind: 'synonym', terms: ['agevolazione', 'riduzione', 'sconto', 'tariffa agevolata', 'pagare meno', 'pagare di meno'] },
  { kind: 'synonym', terms: ['rateizzazione', 'pagamento a rate', 'rate', 'dilazione', 'rateizzare'] },
  { kind: 'synonym', terms: ['pagare', 'pagamento', 'versamento', 'saldare'] },
  { kind: 'synonym', terms: ['scadenza', 'termine', 'entro quando', 'data di scadenza', 'ultimo giorno'] },
  // Previdenza, lavoro e famiglie
  { kind: 'acronym', terms: ['NASpI', 'indennità di disoccupazione', 'disoccupazione', 'sussidio di disoccupazione', 'assegno di disoccupazione', 'nuova assicurazione sociale per l’impiego'] },
  { kind: 'synonym', terms: ['disoccupato', 'disoccupata', 'senza lavoro', 'perso il lavoro', 'licenziato', 'licenziata', 'licenziamento'] },
  { kind: 'acronym', terms: ['DIS-COLL', 'DISCOLL', 'disoccupazione collaboratori'] },
  { kind: 'acronym', terms: ['assegno unico', 'assegno unico universale', 'AUU', 'assegni familiari', 'assegno per i figli', 'bonus figli'] },
  { kind: 'acronym', terms: ['ISEE', 'indicatore della situazione economica equivalente', 'DSU', 'dichiarazione sostitutiva unica', 'indicatore ISEE'] },
  { kind: 'synonym', terms: ['pensione', 'pensionamento', 'trattamento pensionistico', 'andare in pensione'] },
  { kind: 'acronym', terms: ['INPS', 'istituto nazionale della previdenza sociale', 'previdenza sociale'] },
  { kind: 'acronym', terms: ['INAIL', 'infortunio sul lavoro', 'infortuni sul lavoro', 'malattia professionale'] },
  { kind: 'synonym', terms: ['invalidità civile', 'invalido civile', 'invalidità', 'riconoscimento invalidità'] },
  { kind: 'synonym', terms: ['legge 104', 'permessi 104', 'handicap grave', 'disabilità grave'] },
  { kind: 'synonym', terms: ['disabilità', 'disabile', 'persona con disabilità', 'portatore di handicap', 'handicap', 'non vedente', 'non udente'] },
  { kind: 'synonym', terms: ['maternità', 'congedo di maternità', 'gravidanza', 'incinta', 'aspetto un bambino'] },
  { kind: 'synonym', terms: ['paternità', 'congedo di paternità', 'neo papà'] },
  { kind: 'synonym', terms: ['congedo parentale', 'maternità facoltativa', 'congedi parentali'] },
  { kind: 'synonym', terms: ["centro per l'impiego", 'ufficio di collocamento', 'collocamento', 'CPI', 'cercare lavoro'] },
  { kind: 'synonym', terms: ['assegno di inclusione', 'ADI', 'reddito di cittadinanza', 'sostegno al reddito', 'supporto formazione e lavoro', 'SFL'] },
  { kind: 'synonym', terms: ['bonus', 'contributo', 'sussidio', 'aiuto economico', 'sostegno economico', 'agevolazione economica'] },
  { kind: 'synonym', terms: ['figlio', 'figli', 'figlia', 'bambino', 'bambina', 'bambini', 'minore', 'minorenne'] },
  { kind: 'synonym', terms: ['lavoro', 'occupazione', 'impiego', 'posto di lavoro'] },
  // Sanità
  { kind: 'synonym', terms: ['tessera sanitaria', 'TEAM', 'tessera europea di assicurazione malattia', 'carta sanitaria', 'tesserino sanitario'] },
  { kind: 'acronym', terms: ['CUP', 'centro unico di prenotazione', 'prenotazione visite', 'prenotare una visita', 'prenotazione esami', 'prenotare un esame'] },
  { kind: 'synonym', terms: ['visita specialistica', 'visita medica', 'visita dallo specialista', 'specialista'] },
  { kind: 'synonym', terms: ['esame', 'esami', 'analisi', 'analisi del sangue', 'accertamenti diagnostici', 'prelievo'] },
  { kind: 'synonym', terms: ['ricetta', 'impegnativa', 'prescrizione', 'ricetta elettronica', 'ricetta dematerializzata', 'NRE'] },
  { kind: 'synonym', terms: ['medico di base', 'medico di famiglia', 'medico curante', 'medico di medicina generale', 'MMG', 'dottore', 'cambio del medico', 'scelta del medico'] },
  { kind: 'synonym', terms: ['pediatra', 'pediatra di libera scelta', 'PLS', 'medico dei bambini'] },
  { kind: 'synonym', terms: ['ticket sanitario', 'ticket', 'compartecipazione alla spesa sanitaria'] },
  { kind: 'acronym', terms: ['FSE', 'fascicolo sanitario elettronico', 'fascicolo sanitario', 'referti online'] },
  { kind: 'synonym', terms: ['referto', 'referti', 'esito degli esami', 'risultati delle analisi'] },
  { kind: 'synonym', terms: ['guardia medica', 'continuità assistenziale', 'medico di notte', 'medico nei festivi'] },
  { kind: 'synonym', terms: ['pronto soccorso', 'emergenza sanitaria', '118'] },
  { kind: 'acronym', terms: ['NUE', 'numero unico di emergenza', '112', 'numero di emergenza'] },
  { kind: 'synonym', terms: ['vaccino', 'vaccini', 'vaccinazione', 'vaccinazioni', 'richiamo vaccinale'] },
  { kind: 'acronym', terms: ['ASL', 'azienda sanitaria locale', 'ASP', 'azienda sanitaria provinciale', 'azienda sanitaria', 'USL', 'ULSS'] },
  { kind: 'synonym', terms: ['ospedale', 'presidio ospedaliero', 'clinica', 'struttura sanitaria'] },
  // Istruzione
  { kind: 'synonym', terms: ['mensa scolastica', 'refezione scolastica', 'mensa', 'pranzo a scuola', 'pasti a scuola'] },
  { kind: 'synonym', terms: ['trasporto scolastico', 'scuolabus', 'pulmino della scuola', 'pulmino'] },
  { kind: 'synonym', terms: ['asilo nido', 'nido', 'micronido', 'nido d’infanzia'] },
  { kind: 'synonym', terms: ["scuola dell'infanzia", 'scuola materna', 'materna', 'asilo'] },
  { kind: 'synonym', terms: ['iscrizione', 'iscrizioni', 'iscriversi', 'iscrivere'] },
  { kind: 'synonym', terms: ['borsa di studio', 'borse di studio', 'contributo allo studio', 'diritto allo studio'] },
  { kind: 'synonym', terms: ['libri di testo', 'cedole librarie', 'buoni libro', 'libri scolastici'] },
  { kind: 'synonym', terms: ['università', 'ateneo', 'universitario', 'studente universitario'] },
  { kind: 'acronym', terms: ['ADISU', 'ADSU', 'ERSU', 'DSU universitario', 'ente per il diritto allo studio universitario'] },
  { kind: 'synonym', terms: ['scuola', 'istituto scolastico', 'scuole'] },
  // Mobilità e trasporti
  { kind: 'synonym', terms: ['patente', 'patente di guida', 'licenza di guida'] },
  { kind: 'synonym', terms: ['rinnovo della patente', 'conferma di validità della patente', 'patente scaduta'] },
  { kind: 'synonym', terms: ['foglio rosa', 'autorizzazione alla guida', 'permesso provvisorio di guida'] },
  { kind: 'acronym', terms: ['motorizzazione', 'motorizzazione civile', 'MCTC', 'UMC'] },
  { kind: 'acronym', terms: ['PRA', 'pubblico registro automobilistico', 'ACI'] },
  { kind: 'synonym', terms: ['passaggio di proprietà', 'vendita auto', 'compravendita del veicolo', 'trasferimento di proprietà', 'vendere la macchina', 'comprare auto usata'] },
  { kind: 'synonym', terms: ['auto', 'automobile', 'macchina', 'veicolo', 'vettura', 'autovettura'] },
  { kind: 'synonym', terms: ['moto', 'motociclo', 'motorino', 'scooter', 'ciclomotore'] },
  { kind: 'synonym', terms: ['revisione', 'revisione auto', 'collaudo'] },
  { kind: 'acronym', terms: ['ZTL', 'zona a traffico limitato', 'varco elettronico', 'varchi'] },
  { kind: 'synonym', terms: ['parcheggio', 'sosta', 'strisce blu', 'posteggio', 'parcheggiare'] },
  { kind: 'acronym', terms: ['CUDE', 'contrassegno disabili', 'contrassegno invalidi', 'pass disabili', 'tagliando disabili'] },
  { kind: 'synonym', terms: ['autobus', 'bus', 'pullman', 'trasporto pubblico', 'mezzi pubblici', 'metropolitana', 'metro', 'tram'] },
  { kind: 'synonym', terms: ['abbonamento', 'tessera di viaggio', 'abbonarsi'] },
  { kind: 'synonym', terms: ['rimozione forzata', 'carro attrezzi', 'rimozione del veicolo', 'auto rimossa', 'macchina portata via'] },
  { kind: 'synonym', terms: ['incidente', 'sinistro', 'incidente stradale', 'tamponamento'] },
  // Documenti di viaggio e immigrazione
  { kind: 'synonym', terms: ['passaporto', "documento per l'espatrio", 'documento valido per l’espatrio'] },
  { kind: 'acronym', terms: ['permesso di soggiorno', 'carta di soggiorno', 'PDS', 'titolo di soggiorno'] },
  { kind: 'synonym', terms: ['questura', 'polizia di stato', 'ufficio immigrazione'] },
  { kind: 'acronym', terms: ['prefettura', 'UTG', 'ufficio territoriale del governo'] },
  { kind: 'synonym', terms: ['straniero', 'stranieri', 'cittadino straniero', 'extracomunitario', 'immigrato', 'cittadino non comunitario'] },
  { kind: 'synonym', terms: ['ricongiungimento familiare', 'ricongiungimento', 'far venire la famiglia in Italia'] },
  { kind: 'synonym', terms: ['visto', "visto d'ingresso", 'visto turistico', 'invito'] },
  { kind: 'synonym', terms: ['espatrio', "viaggio all'estero", "andare all'estero", "vacanza all'estero", 'viaggiare'] },
  { kind: 'synonym', terms: ['denuncia', 'querela', 'esposto', 'sporgere denuncia'] },
  { kind: 'synonym', terms: ['carabinieri', 'forze dell’ordine', 'polizia', 'commissariato', 'caserma'] },
  // Ambiente e rifiuti
  { kind: 'synonym', terms: ['raccolta differenziata', 'differenziata', 'porta a porta', 'raccolta dei rifiuti', 'calendario della raccolta'] },
  { kind: 'synonym', terms: ['ingombranti', 'rifiuti ingombranti', 'mobili vecchi', 'vecchi mobili', 'materasso', 'elettrodomestici', 'RAEE'] },
  { kind: 'synonym', terms: ['centro di raccolta', 'isola ecologica', 'ecocentro', 'piattaforma ecologica', 'CCR', 'ecopunto'] },
  { kind: 'synonym', terms: ['abbandono di rifiuti', 'discarica abusiva', 'rifiuti abbandonati'] },
  { kind: 'synonym', terms: ['cane', 'cani', 'gatto', 'gatti', "animali d'affezione", 'animale domestico', 'animali'] },
  { kind: 'synonym', terms: ['microchip', 'anagrafe canina', 'anagrafe degli animali'] },
  { kind: 'synonym', terms: ['rumore', 'rumori', 'schiamazzi', 'inquinamento acustico', 'disturbo della quiete'] },
  { kind: 'synonym', terms: ['cattivi odori', 'puzza', 'miasmi', 'odori molesti'] },
  // Manutenzione urbana
  { kind: 'synonym', terms: ['buca', 'buche', 'strada dissestata', 'manto stradale', 'asfalto rotto', 'dissesto stradale'] },
  { kind: 'synonym', terms: ['lampione', 'lampioni', 'illuminazione pubblica', 'luce pubblica', 'lampione spento', 'strada al buio'] },
  { kind: 'synonym', terms: ['semaforo', 'semafori', 'segnaletica', 'cartello stradale', 'segnaletica stradale'] },
  { kind: 'synonym', terms: ['acqua', 'acquedotto', 'servizio idrico', 'fornitura idrica', 'bolletta dell’acqua'] },
  { kind: 'synonym', terms: ['fognatura', 'fogna', 'tombino', 'caditoia', 'allagamento'] },
  { kind: 'synonym', terms: ['verde pubblico', 'alberi', 'albero', 'potatura', 'giardini pubblici', 'parco', 'aiuole'] },
  { kind: 'synonym', terms: ['barriere architettoniche', 'accessibilità', 'scivolo per disabili'] },
  { kind: 'synonym', terms: ['guasto', 'rotto', 'non funziona', 'danneggiato', 'malfunzionamento'] },
  // Edilizia e urbanistica
  { kind: 'synonym', terms: ['permesso di costruire', 'concessione edilizia', 'licenza edilizia'] },
  { kind: 'acronym', terms: ['CILA', 'comunicazione di inizio lavori asseverata', 'SCIA', 'segnalazione certificata di inizio attività', 'DIA', 'pratica edilizia'] },
  { kind: 'synonym', terms: ['sanatoria', 'condono', 'condono edilizio', 'abuso edilizio'] },
  { kind: 'synonym', terms: ['agibilità', 'abitabilità', 'certificato di agibilità'] },
  { kind: 'synonym', terms: ['bonus edilizi', 'superbonus', 'ecobonus', 'bonus ristrutturazione', 'detrazioni per lavori'] },
  { kind: 'acronym', terms: ['CDU', 'certificato di destinazione urbanistica'] },
  { kind: 'synonym', terms: ['catasto', 'visura catastale', 'rendita catastale', 'planimetria catastale'] },
  { kind: 'synonym', terms: ['passo carrabile', 'passo carraio', 'accesso carrabile'] },
  { kind: 'synonym', terms: ['ristrutturazione', 'lavori in casa', 'lavori edilizi', 'ristrutturare'] },
  // Servizi sociali
  { kind: 'acronym', terms: ['casa popolare', 'case popolari', 'alloggio popolare', 'edilizia residenziale pubblica', 'ERP', 'alloggio ERP'] },
  { kind: 'synonym', terms: ['contributo affitto', 'bonus affitto', 'sostegno affitto', 'fondo affitti', 'aiuto per pagare l’affitto'] },
  { kind: 'synonym', terms: ['affitto', 'locazione', 'canone di locazione', 'pigione'] },
  { kind: 'synonym', terms: ['sfratto', 'morosità', 'sfrattato'] },
  { kind: 'synonym', terms: ['anziani', 'anziano', 'terza età', 'non autosufficiente', 'non autosufficienza', 'nonno', 'nonna', 'over 75'] },
  { kind: 'synonym', terms: ['badante', 'assistenza domiciliare', 'SAD', 'assistente familiare'] },
  { kind: 'synonym', terms: ['bonus sociale', 'bonus bollette', 'bonus luce', 'bonus gas', 'bonus acqua'] },
  { kind: 'synonym', terms: ['bolletta', 'bollette', 'utenze', 'luce e gas'] },
  { kind: 'synonym', terms: ['violenza di genere', 'violenza domestica', 'centro antiviolenza', '1522', 'maltrattamenti'] },
  { kind: 'synonym', terms: ['servizi sociali', 'assistente sociale', 'segretariato sociale'] },
  { kind: 'synonym', terms: ['povertà', 'difficoltà economiche', 'famiglia in difficoltà', 'indigenza'] },
  // Attività produttive
  { kind: 'acronym', terms: ['SUAP', 'sportello unico per le attività produttive', 'sportello unico attività produttive'] },
  { kind: 'synonym', terms: ['avvio attività', 'aprire un negozio', "avviare un'attività", 'aprire un’attività', 'apertura attività', 'partita IVA'] },
  { kind: 'acronym', terms: ['CCIAA', 'camera di commercio', 'registro delle imprese', 'visura camerale'] },
  { kind: 'synonym', terms: ['dehors', 'tavolini all’aperto', 'tavolini esterni'] },
  { kind: 'synonym', terms: ['commercio ambulante', 'ambulante', 'mercato', 'bancarella'] },
  { kind: 'synonym', terms: ['affitti brevi', 'bed and breakfast', 'B&B', 'affittacamere', 'casa vacanze', 'CIN', 'struttura ricettiva'] },
  { kind: 'synonym', terms: ['bar', 'ristorante', 'pubblico esercizio', 'locale'] },
  // Cultura, turismo e sport
  { kind: 'synonym', terms: ['biblioteca', 'prestito libri', 'prestito bibliotecario'] },
  { kind: 'synonym', terms: ['museo', 'musei', 'mostra', 'monumento', 'visita guidata'] },
  { kind: 'synonym', terms: ['impianti sportivi', 'palestra', 'campo sportivo', 'piscina', 'palazzetto'] },
  { kind: 'synonym', terms: ['turismo', 'turista', 'ufficio turistico', 'informazioni turistiche', 'IAT'] },
  { kind: 'synonym', terms: ['evento', 'eventi', 'manifestazione', 'festa', 'spettacolo'] },
  // Polizia locale e sicurezza
  { kind: 'synonym', terms: ['polizia locale', 'polizia municipale', 'vigili urbani', 'vigili', 'vigile'] },
  { kind: 'synonym', terms: ['oggetti smarriti', 'oggetti ritrovati', 'ufficio oggetti smarriti', 'ho perso un oggetto'] },
  { kind: 'synonym', terms: ['veicolo abbandonato', 'auto abbandonata', 'macchina abbandonata', 'relitto'] },
  // Protezione civile
  { kind: 'synonym', terms: ['allerta meteo', 'allerta', 'maltempo', 'avviso meteo', 'bollettino meteo', 'temporale'] },
  { kind: 'synonym', terms: ['protezione civile', 'emergenza', 'piano di emergenza'] },
  { kind: 'synonym', terms: ['terremoto', 'sisma', 'scossa'] },
  { kind: 'synonym', terms: ['alluvione', 'esondazione', 'inondazione'] },
  // URP, contatti e procedure
  { kind: 'acronym', terms: ['URP', 'ufficio relazioni con il pubblico', 'sportello del cittadino', 'ufficio per le relazioni con il pubblico'] },
  { kind: 'synonym', terms: ['orari', 'orario', "orari di apertura", 'aperto', 'apertura al pubblico'] },
  { kind: 'synonym', terms: ['contatti', 'contattare', 'telefono', 'numero di telefono', 'recapiti', 'indirizzo email', 'chiamare'] },
  { kind: 'synonym', terms: ['reclamo', 'lamentela', 'protesta', 'protestare', 'disservizio', 'lamentarsi'] },
  { kind: 'synonym', terms: ['segnalazione', 'segnalare', 'segnalo'] },
  { kind: 'synonym', terms: ['accesso agli atti', 'accesso documentale', 'legge 241', 'copia di documenti'] },
  { kind: 'acronym', terms: ['FOIA', 'accesso civico generalizzato', 'accesso civico'] },
  { kind: 'synonym', terms: ['online', 'on line', 'via internet', 'sul sito', 'telematica', 'da casa'] },
  { kind: 'synonym', terms: ['modulo', 'moduli', 'modulistica', 'stampato', 'istanza'] },
  { kind: 'synonym', terms: ['appuntamento', 'prenotazione', 'prenotare', 'agenda', 'prenoto'] },
  { kind: 'synonym', terms: ['costo', 'costa', 'prezzo', 'quanto si paga', 'tariffa', 'diritti di segreteria', 'quanto costa'] },
  { kind: 'synonym', terms: ['tempi', 'quanto tempo', 'tempistiche', 'durata', 'quanti giorni'] },
  { kind: 'synonym', terms: ['comune', 'municipio', 'amministrazione comunale', 'palazzo comunale'] },
  { kind: 'synonym', terms: ['casa', 'abitazione', 'appartamento', 'immobile', 'alloggio'] },
  { kind: 'synonym', terms: ['seconda casa', 'altri immobili', 'immobile non abitativo', 'casa al mare'] },
  { kind: 'synonym', terms: ['prima casa', 'abitazione principale'] },
  { kind: 'synonym', terms: ['casellario giudiziale', 'certificato penale', 'carichi pendenti', 'fedina penale'] },
  { kind: 'synonym', terms: ['autentica di firma', 'autenticazione della firma', 'firma autenticata'] },
  { kind: 'synonym', terms: ['cittadino comunitario', 'cittadino europeo', 'cittadino UE', 'comunitario'] },
  { kind: 'synonym', terms: ['soldi', 'denaro', 'importo', 'somma', 'quanto spetta', 'quanto mi spetta'] },
  { kind: 'synonym', terms: ['al mese', 'mensile', 'mensilità', 'ogni mese'] },
  { kind: 'synonym', terms: ['inagibile', 'fatiscente', 'diroccato', 'pericolante', 'cade a pezzi'] },
  { kind: 'synonym', terms: ['non ricevuto', 'non arrivato', 'mancata ricezione', 'mancato recapito', 'non mi è arrivato'] },
  { kind: 'synonym', terms: ['password dimenticata', 'recupero password', 'non ricordo la password', 'reimpostare la password'] },
  { kind: 'synonym', terms: ['cellulare', 'telefonino', 'smartphone', 'numero di cellulare'] },
  { kind: 'synonym', terms: ['sito', 'portale', 'piattaforma online', 'sito internet'] },
  { kind: 'synonym', terms: ['ufficio postale', 'poste', 'posta'] },
  { kind: 'synonym', terms: ['difensore civico', 'garante'] },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table faq_articles (
      id uuid primary key default gen_random_uuid(),
      external_id text unique check (external_id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$'),
      organisation_id uuid references organisations(id),
      scope text not null check (scope in ('network','organisation')),
      owner_label text not null check (length(owner_label) between 1 and 200),
      canonical_id uuid references faq_articles(id) on delete cascade,
      lang text not null default 'it' check (lang in ('it','en','de','fr','sl')),
      title text not null check (length(title) between 3 and 300),
      body text not null check (length(body) between 1 and 20000),
      tema text,
      tipo text,
      ente_competente text,
      tags jsonb not null default '[]',
      status text not null default 'draft' check (status in ('draft','in_review','published','archived')),
      version integer not null default 1,
      review_by date,
      published_at timestamptz,
      created_by uuid references users(id),
      updated_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      search tsvector generated always as (
        setweight(to_tsvector('italian', title), 'A') || setweight(to_tsvector('italian', body), 'D')
      ) stored,
      check ((scope = 'organisation') = (organisation_id is not null)),
      check (canonical_id is null or canonical_id <> id)
    )`.execute(db);
  await sql`create unique index faq_articles_translation_idx on faq_articles (canonical_id, lang) where canonical_id is not null`.execute(db);
  await sql`create index faq_articles_status_idx on faq_articles (status, lang)`.execute(db);
  await sql`create index faq_articles_organisation_idx on faq_articles (organisation_id)`.execute(db);
  await sql`create index faq_articles_search_idx on faq_articles using gin (search)`.execute(db);

  await sql`
    create table faq_versions (
      faq_id uuid not null references faq_articles(id) on delete cascade,
      version integer not null,
      title text not null,
      body text not null,
      tema text,
      tipo text,
      ente_competente text,
      tags jsonb not null,
      status text not null,
      changed_by uuid references users(id),
      changed_at timestamptz not null default now(),
      note text,
      primary key (faq_id, version)
    )`.execute(db);

  await sql`
    create table faq_thesaurus (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('synonym','acronym')),
      lang text not null default 'it' check (lang in ('it','en','de','fr','sl')),
      terms jsonb not null check (jsonb_typeof(terms) = 'array' and jsonb_array_length(terms) between 2 and 50),
      note text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      updated_by uuid references users(id)
    )`.execute(db);

  await sql`
    create table knowledge_revision (
      id integer primary key check (id = 1),
      revision bigint not null default 0,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`insert into knowledge_revision (id, revision) values (1, 0)`.execute(db);
  await sql`
    create function knowledge_bump_revision() returns trigger language plpgsql as $$
    begin
      update knowledge_revision set revision = revision + 1, updated_at = now() where id = 1;
      return null;
    end $$`.execute(db);
  for (const table of ['faq_articles', 'faq_thesaurus']) {
    await sql`
      create trigger ${sql.raw(`${table}_bump_revision`)} after insert or update or delete on ${sql.table(table)}
      for each statement execute function knowledge_bump_revision()`.execute(db);
  }

  for (const entry of SEED_THESAURUS) {
    await sql`insert into faq_thesaurus (kind, lang, terms) values (${entry.kind}, 'it', ${JSON.stringify(entry.terms)}::jsonb)`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['faq_thesaurus', 'faq_versions', 'faq_articles', 'knowledge_revision']) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`drop function if exists knowledge_bump_revision()`.execute(db);
}
