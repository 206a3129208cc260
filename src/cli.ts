#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import { type Config, ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { analyzeAction } from './modules/analytics/series/analyze.command.js';
import { simulateAction } from './modules/routing/simulation/simulate.command.js';
import { classifyEvaluateAction } from './modules/classification/classify-evaluate.command.js';
import { importHistoryAction } from './modules/history-import/history-import.command.js';
import { archiveExportCommand, archiveRunAction, archiveStatusAction } from './modules/archive/index.js';
import { territoryImportAction, territoryShowAction } from './modules/territory/territory.command.js';
import { closureImportAction, createApiToken, createUser, FIRST_PASSWORD_LINK_HOURS, grantRole, importCommandAction, initNetwork, invitationLinksAction } from './modules/identity/index.js';
import { ORGANISATION_TYPES } from './modules/identity/identity.schemas.js';
import { AppError } from './platform/errors.js';
import { createMailer } from './platform/mailer.js';
import { createFaqSearchEngine, exportFaqs, importFaqs } from './modules/knowledge/index.js';
import { SEARCH_LANGUAGES, type SearchLanguage } from './platform/text/text-analysis.js';
import * as identityRepo from './modules/identity/identity.repository.js';
import { ROLES, type Role, TOKEN_SCOPES, type TokenScope } from './platform/actor.js';
import { importCompetencesAction } from './modules/sharing/index.js';
import { retentionRunAction } from './modules/privacy/index.js';
import { seedAll } from './seed.js';
import { startServer } from './server.js';

function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>['db'], cfg: Config) => Promise<T>, options = { migrate: true }): Promise<T> {
  const cfg = config();
  const database = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, poolSize: 2 });
  try {
    if (options.migrate) await migrateToLatest(database.db);
    return await fn(database.db, cfg);
  } finally {
    await database.close();
  }
}

function fail(message: string): never {
  process.stderr.write(`errore: ${message}\n`);
  process.exit(1);
}

const program = new Command();
program.name('urpnet').description('urpnet — piattaforma condivisa della rete degli URP').version('0.1.0');

program
  .command('serve')
  .description('avvia il server HTTP (API + applicazione web) e i processi in background')
  .action(async () => {
    await startServer(config(), { installSignalHandlers: true });
  });

program
  .command('migrate')
  .description('applica le migrazioni del database')
  .action(async () => {
    const applied = await withDatabase(async (db) => (await migrateToLatest(db)).applied, { migrate: false });
    process.stdout.write(applied.length > 0 ? `migrazioni applicate: ${applied.join(', ')}\n` : 'database già aggiornato\n');
  });

program
  .command('seed')
  .description('carica la tassonomia condivisa e, con --demo, la rete dimostrativa')
  .option('--demo', 'crea la rete dimostrativa se il database è vuoto', false)
  .action(async (opts: { demo: boolean }) => {
    const result = await withDatabase((db, cfg) => seedAll(db, cfg, opts.demo));
    process.stdout.write(`tassonomia ${result.taxonomy.version}: ${result.taxonomy.created ? 'caricata' : 'già presente'}\n`);
    if (opts.demo) {
      process.stdout.write(result.demo ? `rete dimostrativa creata: ${result.demo.organisations} enti, ${result.demo.users} utenti; credenziali in ${result.demo.credentialsFile}\n` : 'rete dimostrativa non creata: il database contiene già delle organizzazioni\n');
    }
  });

const network = program.command('network').description('la rete: primo avvio di una rete reale');
network
  .command('init')
  .description("crea la rete, l'ente di coordinamento e il primo coordinatore su un database senza coordinatore")
  .requiredOption('--name <name>', 'nome della rete, es. "Rete URP Regione Abruzzo"')
  .requiredOption('--coordinator-email <email>', 'email del primo coordinatore')
  .option('--coordinator-name <name>', 'nome e cognome del coordinatore', 'Coordinatore di rete')
  .option('--organisation <name>', "nome dell'ente che coordina la rete (default: il nome della rete)")
  .option('--ipa-code <code>', "codice IPA dell'ente di coordinamento")
  .addOption(new Option('--organisation-type <type>', "tipo dell'ente di coordinamento").choices([...ORGANISATION_TYPES]).default('altro'))
  .action(async (opts: { name: string; coordinatorEmail: string; coordinatorName: string; organisation?: string; ipaCode?: string; organisationType: (typeof ORGANISATION_TYPES)[number] }) => {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(opts.coordinatorEmail)) fail(`«${opts.coordinatorEmail}» non è un indirizzo email`);
    if (opts.name.trim().length < 3) fail('il nome della rete deve avere almeno 3 caratteri');
    const result = await withDatabase(async (db, cfg) => {
      const created = await db.transaction().execute((trx) =>
        initNetwork(trx, cfg.secret, {
          networkName: opts.name.trim(),
          organisation: { name: (opts.organisation ?? opts.name).trim(), ipaCode: opts.ipaCode?.trim() || null, type: opts.organisationType },
          coordinator: { email: opts.coordinatorEmail.trim(), name: opts.coordinatorName.trim(), password: null, locale: 'it' },
        }, new Date()),
      );
      const link = `${cfg.baseUrl}/imposta-password#${created.passwordToken}`;
      const mailer = createMailer(cfg.smtpUrl, cfg.mailFrom);
      let mailed = false;
      if (mailer) {
        try {
          await mailer.send({
            to: opts.coordinatorEmail.trim(),
            subject: `urpnet — ${opts.name.trim()}: imposta la tua password`,
            text: `Sei il primo coordinatore della rete «${opts.name.trim()}».\n\nImposta la password entro ${FIRST_PASSWORD_LINK_HOURS} ore da questo link (valido una sola volta):\n${link}\n`,
          });
          mailed = true;
        } catch (err) {
          process.stderr.write(`avviso: invio email non riuscito (${(err as Error).message}): consegna il link a mano\n`);
        } finally {
          mailer.close();
        }
      }
      return { link, mailed, expiresAt: created.passwordTokenExpiresAt };
    }).catch((err: Error) => fail(err instanceof AppError && err.code === 'setup.already_done' ? 'la rete ha già un coordinatore: accedi con il suo account (nulla è stato modificato)' : err.message));
    process.stdout.write(`rete «${opts.name.trim()}» creata; coordinatore: ${opts.coordinatorEmail.trim()}\n`);
    if (result.mailed) process.stdout.write(`link per impostare la password inviato per email (valido fino a ${result.expiresAt?.toISOString()})\n`);
    else process.stdout.write(`link monouso per impostare la password (valido fino a ${result.expiresAt?.toISOString()}):\n${result.link}\n`);
  });

const user = program.command('user').description('gestione utenti');
user
  .command('add')
  .description('crea un utente e gli assegna un ruolo')
  .requiredOption('--email <email>', 'email di accesso')
  .requiredOption('--name <name>', 'nome e cognome')
  .requiredOption('--organisation <slug>', "slug dell'organizzazione, es. comune-celano")
  .addOption(new Option('--role <role>', 'ruolo').choices([...ROLES]).makeOptionMandatory())
  .option('--office <slug>', "slug dell'ufficio (per i ruoli di ufficio)")
  .option('--password <password>', 'password (altrimenti letta da URPNET_USER_PASSWORD)')
  .action(async (opts: { email: string; name: string; organisation: string; role: Role; office?: string; password?: string }) => {
    const password = opts.password ?? process.env.URPNET_USER_PASSWORD;
    if (!password) fail('indicare --password oppure impostare URPNET_USER_PASSWORD');
    const created = await withDatabase(async (db) => {
      const org = await identityRepo.findOrganisationBySlug(db, opts.organisation);
      if (!org) fail(`organizzazione «${opts.organisation}» inesistente`);
      let officeId: string | null = null;
      if (opts.office) {
        const office = (await identityRepo.listOffices(db, org.id)).find((o) => o.slug === opts.office);
        if (!office) fail(`ufficio «${opts.office}» inesistente in ${org.name}`);
        officeId = office.id;
      }
      return db.transaction().execute(async (trx) => {
        const u = await createUser(trx, { email: opts.email, name: opts.name, password, locale: 'it' });
        await grantRole(trx, null, { userId: u.id, role: opts.role, organisationId: org.id, officeId });
        return u;
      });
    }).catch((err: Error) => fail(err.message));
    process.stdout.write(`utente creato: ${created.email} (${created.id})\n`);
  });

const token = program.command('token').description('token API per le integrazioni');
token
  .command('create')
  .description("crea un token API per un utente e ne stampa il segreto (una sola volta)")
  .requiredOption('--email <email>', "email dell'utente")
  .requiredOption('--name <name>', 'nome del token')
  .option('--scopes <scopes>', `ambiti separati da virgola (${TOKEN_SCOPES.join(', ')})`, 'tickets:read,tickets:write')
  .option('--expires-in-days <days>', 'scadenza in giorni')
  .option('--json', 'stampa JSON', false)
  .action(async (opts: { email: string; name: string; scopes: string; expiresInDays?: string; json: boolean }) => {
    const scopes = opts.scopes.split(',').map((s) => s.trim()) as TokenScope[];
    const bad = scopes.filter((s) => !TOKEN_SCOPES.includes(s));
    if (bad.length > 0) fail(`ambiti sconosciuti: ${bad.join(', ')}`);
    const days = opts.expiresInDays === undefined ? null : Number(opts.expiresInDays);
    if (days !== null && (!Number.isInteger(days) || days < 1)) fail('--expires-in-days deve essere un intero positivo');
    const result = await withDatabase(async (db, cfg) => {
      const u = await identityRepo.findUserByEmail(db, opts.email);
      if (!u) fail(`utente «${opts.email}» inesistente`);
      return db.transaction().execute((trx) => createApiToken(trx, cfg.secret, { userId: u.id, name: opts.name, scopes, expiresInDays: days }));
    });
    process.stdout.write(opts.json ? `${JSON.stringify({ id: result.token.id, secret: result.secret, scopes })}\n` : `${result.secret}\n`);
  });

const faq = program.command('faq').description('FAQ condivise: importazione, esportazione e ricerca');
faq
  .command('import')
  .description('importa FAQ da un file JSON Lines (stesso id: aggiorna invece di duplicare); le righe malformate sono segnalate con il numero di riga')
  .argument('<file>', 'file .jsonl, una FAQ per riga')
  .option('--json', 'stampa il resoconto in JSON', false)
  .action(async (file: string, opts: { json: boolean }) => {
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (err) {
      fail(`impossibile leggere ${file}: ${(err as Error).message}`);
    }
    const report = await withDatabase((db) => db.transaction().execute((trx) => importFaqs(trx, content))).catch((err: Error) => fail(err.message));
    if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      process.stdout.write(`righe lette: ${report.lines}; inserite: ${report.inserted}; aggiornate: ${report.updated}; invariate: ${report.unchanged}; scartate: ${report.errors.length}\n`);
      for (const w of report.warnings) process.stderr.write(`avviso riga ${w.line}${w.id ? ` (${w.id})` : ''}: ${w.message}\n`);
    }
    for (const e of report.errors) process.stderr.write(`errore riga ${e.line}${e.id ? ` (${e.id})` : ''}: ${e.message}\n`);
    if (report.errors.length > 0) process.exitCode = 3;
  });
faq
  .command('export')
  .description('esporta le FAQ in JSON Lines sullo standard output (formato di importazione)')
  .option('--status <statuses>', 'stati separati da virgola (draft, in_review, published, archived)', 'published')
  .action(async (opts: { status: string }) => {
    const statuses = opts.status.split(',').map((x) => x.trim());
    const bad = statuses.filter((x) => !['draft', 'in_review', 'published', 'archived'].includes(x));
    if (bad.length > 0) fail(`stati sconosciuti: ${bad.join(', ')}`);
    // `urpnet faq export | head` closes the pipe early: that is not an error.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 0 : 1));
    const records = await withDatabase((db) => exportFaqs(db, statuses as ('draft' | 'in_review' | 'published' | 'archived')[]));
    for (const r of records) process.stdout.write(`${JSON.stringify(r)}\n`);
  });
faq
  .command('search')
  .description('ricerca in blocco: legge righe JSON {"qid","query"} dallo standard input e scrive {"qid","results":[{"id","score"}]} (prime 10)')
  .option('--lang <lang>', `lingua delle FAQ (${SEARCH_LANGUAGES.join(', ')})`, 'it')
  .option('--limit <n>', 'risultati per domanda', '10')
  .action(async (opts: { lang: string; limit: string }) => {
    if (!SEARCH_LANGUAGES.includes(opts.lang as SearchLanguage)) fail(`lingua non ammessa: ${opts.lang}`);
    const limit = Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) fail('--limit deve essere un intero tra 1 e 100');
    await withDatabase(async (db) => {
      const engine = createFaqSearchEngine(db);
      await engine.warm();
      let lineNo = 0;
      for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
        lineNo++;
        if (line.trim() === '') continue;
        let request: { qid?: unknown; query?: unknown; place?: unknown };
        try {
          request = JSON.parse(line) as typeof request;
        } catch {
          process.stderr.write(`riga ${lineNo}: JSON non valido, ignorata\n`);
          continue;
        }
        const query = typeof request.query === 'string' ? request.query.slice(0, 4000) : '';
        const result = await engine.search({ query, lang: opts.lang as SearchLanguage, limit, place: typeof request.place === 'string' ? request.place : null });
        const results = result.items.map((i) => ({ id: i.faq.externalId ?? i.faq.id, score: i.score }));
        process.stdout.write(`${JSON.stringify({ qid: request.qid ?? null, results })}\n`);
      }
    });
  });

program
  .command('analyze')
  .description(
    'allarmi (picco, cambio di livello, tendenza, calo) e previsione per serie giornaliere di conteggi: legge un CSV date,series,count (date AAAA-MM-GG, giorni mancanti = zero) e scrive JSON su stdout; ' +
      'le righe non valide (date errate o future, conteggi negativi o non numerici, coppie data/serie ripetute: vale la prima) sono segnalate su stderr con il numero di riga e ignorate; ' +
      'codice di uscita 1 solo se nessuna riga è utilizzabile',
  )
  .requiredOption('--input <file>', 'file CSV (anche .csv.gz) con intestazione date,series,count')
  .option('--horizon <days>', 'giorni da prevedere dopo l’ultima data', '14')
  .option('--country <code>', 'calendario delle festività (IT, oppure none per ignorarle)', 'IT')
  .action(analyzeAction);

program
  .command('simulate')
  .description(
    "simula l'instradamento dei contatti telefonici tra gli uffici di uno scenario (JSON, vedi scenarios/README.md) con la politica di instradamento in produzione: " +
      'due esecuzioni sulle stesse estrazioni casuali, uffici isolati e rete con trabocco; per ufficio e per la rete offerti, risposti, abbandonati, livello di servizio, attesa media, occupazione e trabocchi; ' +
      'codice di uscita 2 se lo scenario non è valido',
  )
  .requiredOption('--scenario <file>', 'file JSON dello scenario')
  .option('--json', 'stampa un oggetto JSON', false)
  .action(simulateAction);

const classify = program.command('classify').description('classificazione automatica dei contatti (tema, tipo)');
classify
  .command('evaluate')
  .description('addestra il classificatore su un file e ne misura accuratezza@1/@3, macro-F1 e latenza su un altro (CSV, CSV.gz o JSONL)')
  .requiredOption('--train <file>', 'file di addestramento')
  .requiredOption('--test <file>', 'file di valutazione')
  .requiredOption('--text <fields>', 'campo del testo; più campi uniti con +, es. title+body')
  .requiredOption('--label <field>', 'campo della categoria')
  .option('--lang <lang>', 'lingua di radici e tesauro (it, en, de, fr, sl) oppure none per solo parole e n-grammi', 'it')
  .option('--json', 'stampa un oggetto JSON', false)
  .action(classifyEvaluateAction);

program
  .command('anonymize')
  .description('anonimizza testi: legge JSONL {"id", "text"} da stdin e scrive su stdout il testo con i dati personali sostituiti e le entità trovate (offset UTF-16)')
  .action(async () => {
    const { anonymizeStream } = await import('./platform/privacy/index.js');
    const summary = await anonymizeStream(process.stdin, process.stdout, process.stderr);
    if (summary.rejected > 0 || summary.invalidUtf8 > 0) {
      process.stderr.write(`anonimizzate ${summary.written} righe; scartate ${summary.rejected}, con byte non UTF-8 ${summary.invalidUtf8}\n`);
      process.exitCode = 1;
    }
  });

const territory = program.command('territory').description("il territorio italiano: regioni, province e comuni con codici ISTAT");
territory
  .command('show')
  .description('mostra la fonte e i numeri del territorio in uso')
  .action(() => withDatabase((db) => territoryShowAction(db)));
territory
  .command('import <file>')
  .description("aggiorna il territorio dall'elenco ufficiale dei comuni dell'ISTAT (Elenco-comuni-italiani.csv, ; e Windows-1252 accettati): tutto o niente")
  .option('--successioni <file>', "elenco ISTAT dei comuni soppressi (codice soppresso, codice del comune associato, data): dice dove sono confluiti")
  .option('--dry-run', 'solo prova: mostra cosa cambierebbe senza scrivere', false)
  .option('--json', 'stampa il resoconto come JSON', false)
  .action((file: string, opts: { successioni?: string; dryRun: boolean; json: boolean }) => withDatabase((db) => territoryImportAction(db, file, opts)));

const importCommand = program.command('import').description('importazione di dati: storico dei contatti, enti, uffici e persone');
importCommand
  .command('history <file>')
  .description("importa i contatti storici di un ente da CSV (anche .csv.gz) con una mappatura delle categorie verso la tassonomia (es. data-seed/mappings/alessandria.json)")
  .requiredOption('--org <slug>', "slug dell'ente")
  .requiredOption('--mapping <file>', 'file JSON con colonne e mappatura')
  .option('--dry-run', 'solo prova: conta righe importabili, scartate e valori non mappati, senza scrivere', false)
  .option('--unmapped <policy>', 'righe con categoria non mappata: skip (scarta) o unclassified (importa senza tema)', 'skip')
  .option('--source <name>', 'nome della fonte (predefinito: dal file di mappatura o dal nome del file)')
  .option('--json', 'stampa il resoconto come JSON', false)
  .action((file: string, opts: { org: string; mapping: string; dryRun: boolean; unmapped: string; source?: string; json: boolean }) =>
    withDatabase((db) => importHistoryAction(db, file, opts)),
  );

const onboardingHelp = {
  organisations: "importa enti dall'export IPA «amministrazioni» (tracciato vecchio a tabulazioni o nuovo CSV; UTF-8 o Windows-1252; separatore tab, , o ;): aggiorna per codice IPA, mai duplicati",
  offices: 'importa uffici: codice IPA ente, codice ufficio, nome, tipo, email, pec, telefono, indirizzo, canali (telefono|email|sportello), orari (lun-ven 09:00-13:00; mar,gio 15:00-17:00)',
  users: "importa persone: email, nome, codice IPA ente, codice ufficio (facoltativo), ruolo, lingua; i nuovi account ricevono un link per impostare la password (in coda)",
} as const;
for (const kind of ['organisations', 'offices', 'users'] as const) {
  importCommand
    .command(`${kind} <file>`)
    .description(onboardingHelp[kind])
    .option('--dry-run', 'solo prova: resoconto riga per riga, nulla è scritto', false)
    .option('--all-or-nothing', 'una sola riga non valida e nulla è scritto (predefinito)', false)
    .option('--skip-bad-lines', 'scrive le righe valide e salta quelle non valide', false)
    .option('--json', 'stampa il resoconto come JSON', false)
    .action((file: string, opts: { dryRun: boolean; allOrNothing: boolean; skipBadLines: boolean; json: boolean }) => withDatabase((db, cfg) => importCommandAction(db, cfg, kind, file, opts)));
}
importCommand
  .command('closures <file>')
  .description("importa festività patronali e chiusure degli uffici: ente (codice IPA), ufficio (vuoto: tutti gli uffici dell'ente), tipo (patrono|chiusura), data oppure dal/al (gg/mm/aaaa o aaaa-mm-gg; patrono anche gg/mm), motivo/nome; reimportare lo stesso file non cambia nulla")
  .option('--dry-run', 'solo prova: resoconto riga per riga, nulla è scritto', false)
  .option('--all-or-nothing', 'una sola riga non valida e nulla è scritto (predefinito)', false)
  .option('--skip-bad-lines', 'scrive le righe valide e salta quelle non valide', false)
  .option('--json', 'stampa il resoconto come JSON', false)
  .action((file: string, opts: { dryRun: boolean; allOrNothing: boolean; skipBadLines: boolean; json: boolean }) => withDatabase((db, cfg) => closureImportAction(db, cfg, file, opts)));
importCommand
  .command('links')
  .description("elabora gli inviti in coda ed elenca i link monouso per impostare la password da consegnare (quando non inviati per email)")
  .option('--organisation <ipa>', "solo le persone create dalle importazioni di questo ente (codice IPA)")
  .option('--json', 'stampa JSON', false)
  .action((opts: { organisation?: string; json: boolean }) => withDatabase((db, cfg) => invitationLinksAction(db, cfg, opts)));

importCommand
  .command('competences <file>')
  .description("importa la matrice delle competenze: argomento (codice del tema), territorio (codice ISTAT di comune, provincia o regione, sigla o nome; vuoto = tutta Italia), ente (codice IPA), ufficio (codice); ogni ufficio nominato avrà esattamente le competenze del file")
  .option('--dry-run', 'solo prova: resoconto per ufficio e riga per riga, nulla è scritto', false)
  .option('--skip-bad-lines', 'scrive le righe valide e salta quelle non valide (predefinito: una riga non valida e nulla è scritto)', false)
  .option('--json', 'stampa il resoconto come JSON', false)
  .action((file: string, opts: { dryRun: boolean; skipBadLines: boolean; json: boolean }) => withDatabase((db) => importCompetencesAction(db, file, opts)));

const privacy = program.command('privacy').description('dati personali: conservazione e cancellazione per scadenza');
privacy
  .command('retention')
  .description('conservazione dei dati personali dei ticket chiusi')
  .command('run')
  .description("esegue ora la cancellazione per scadenza (come il processo notturno) e stampa i conteggi: dati dei richiedenti, testi, allegati")
  .option('--organisation <ipa>', "solo questo ente (codice IPA o slug)")
  .option('--json', 'stampa il resoconto come JSON', false)
  .action((opts: { organisation?: string; json: boolean }) => withDatabase((db, cfg) => retentionRunAction(db, cfg.dataDir, opts)));

/** The anonymised archive (issue 13): archiving runs, status and the open-data export. */
const archiveCommand = program.command('archive').description("l'archivio anonimo dei contatti chiusi: archiviazione e stato");
archiveCommand
  .command('run')
  .description('archivia ora le pratiche chiuse oltre il periodo di attesa e i contatti storici, poi scrive i file Parquet (DATA_DIR/archive/month=AAAA-MM/)')
  .option('--json', 'stampa il resoconto come JSON', false)
  .action((opts: { json: boolean }) => withDatabase((db, cfg) => archiveRunAction(db, cfg.dataDir, opts)));
archiveCommand
  .command('status')
  .description("stato dell'archivio: record in attesa, file per mese, pratiche archiviate, contatti storici da anonimizzare")
  .option('--json', 'stampa JSON', false)
  .action((opts: { json: boolean }) => withDatabase((db) => archiveStatusAction(db, opts)));
archiveExportCommand(archiveCommand, withDatabase);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`errore: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
