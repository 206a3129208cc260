import { defineErrors } from '../../platform/errors.js';

/* Errors of the citizen channels (issue 15): the portal form, the tracking page, mailboxes and the quarantine. Codes are part of the API contract. */

export const citizenErrors = defineErrors('citizen', {
  /** A tracking link nobody holds: mistyped, cut short or invented. */
  trackingNotFound: {
    code: 'portal.tracking_not_found',
    status: 404,
    it: () => 'Il link per seguire la richiesta non è valido: controlla di averlo copiato per intero dalla e-mail ricevuta.',
    en: () => 'The tracking link is not valid: check that you copied all of it from the e-mail you received.',
  },
  /** The ticket was closed long ago (or its personal data purged): the link no longer opens it. */
  trackingExpired: {
    code: 'portal.tracking_expired',
    status: 410,
    example: { code: 'K7M2-Q9X4-B' },
    it: (p: { code: string }) => `La richiesta ${p.code} è chiusa da tempo e il link non è più attivo: per una nuova esigenza apri una nuova richiesta.`,
    en: (p: { code: string }) => `Request ${p.code} was closed long ago and the link no longer works: open a new request for a new need.`,
  },
  /** The honeypot field was filled in, or the proof of work is missing, wrong or spent. */
  challengeFailed: {
    code: 'portal.challenge_failed',
    status: 422,
    example: { problem: 'expired' },
    it: (p: { problem: string }) => `Verifica anti-abuso non superata (${p.problem}): ricarica la pagina e invia di nuovo il modulo.`,
    en: (p: { problem: string }) => `The anti-abuse check failed (${p.problem}): reload the page and send the form again.`,
  },
  /** Filing without accepting the privacy notice of the chosen body. */
  consentRequired: {
    code: 'portal.consent_required',
    status: 422,
    it: () => "Per inviare la richiesta devi dichiarare di aver letto l'informativa sulla privacy dell'ente.",
    en: () => "To send the request you must state that you have read the body's privacy notice.",
  },
  /** Neither an organisation nor a place/topic the network can route. */
  noOfficeForRequest: {
    code: 'portal.no_office',
    status: 422,
    it: () => "Non troviamo un ufficio della rete che possa ricevere questa richiesta: scegli l'ente a cui scrivere oppure indica il comune e l'argomento.",
    en: () => 'No office of the network can take this request: choose the body to write to, or give the municipality and the topic.',
  },
  /** A required field of the topic's form is missing. */
  fieldRequired: {
    code: 'portal.field_required',
    status: 422,
    example: { field: 'numero_pratica' },
    it: (p: { field: string }) => `Compila il campo obbligatorio "${p.field}".`,
    en: (p: { field: string }) => `Fill in the required field "${p.field}".`,
  },
  /** Replies need somewhere to go: an e-mail address (or PEC) of the citizen. */
  contactRequired: {
    code: 'portal.contact_required',
    status: 422,
    it: () => "Indica un indirizzo e-mail valido: è lì che riceverai il codice, il link per seguire la richiesta e le risposte dell'ufficio.",
    en: () => "Give a valid e-mail address: that is where you receive the code, the tracking link and the office's replies.",
  },
  /** The rating asks for a resolved or closed request. */
  notYetResolved: {
    code: 'portal.not_resolved',
    status: 409,
    it: () => "Potrai valutare la risposta quando l'ufficio avrà chiuso la richiesta.",
    en: () => 'You can rate the answer once the office has resolved the request.',
  },
  /** A second rating of the same request. */
  alreadyRated: {
    code: 'portal.already_rated',
    status: 409,
    it: () => 'Hai già valutato questa risposta: grazie.',
    en: () => 'You already rated this answer: thank you.',
  },
  /** Answering a request closed for good. */
  requestClosed: {
    code: 'portal.request_closed',
    status: 409,
    it: () => 'La richiesta è chiusa e non accetta altri messaggi: per una nuova esigenza apri una nuova richiesta.',
    en: () => 'The request is closed and takes no more messages: open a new request for a new need.',
  },
  /** The attachment is over the size limit: the request is kept, the file is not. */
  attachmentTooLarge: {
    code: 'portal.attachment_too_large',
    status: 413,
    example: { filename: 'scansione.pdf', maxMb: 10 },
    it: (p: { filename: string; maxMb: number }) => `Il file "${p.filename}" supera i ${p.maxMb} MB e non è stato allegato; la richiesta è comunque registrata. Riduci il file e allegalo di nuovo dalla pagina della richiesta.`,
    en: (p: { filename: string; maxMb: number }) => `The file "${p.filename}" is over ${p.maxMb} MB and was not attached; the request is recorded anyway. Make the file smaller and attach it again from the request page.`,
  },
  /** Executables, archives and types the portal does not take. */
  attachmentRefused: {
    code: 'portal.attachment_refused',
    status: 415,
    example: { filename: 'programma.exe' },
    it: (p: { filename: string }) => `Il file "${p.filename}" non è accettato: allega documenti PDF, immagini (JPG, PNG), testi o documenti di ufficio (ODT, DOCX, XLSX).`,
    en: (p: { filename: string }) => `The file "${p.filename}" is not accepted: attach PDF documents, images (JPG, PNG), text or office documents (ODT, DOCX, XLSX).`,
  },
  /** Too many files on one request from the portal. */
  tooManyAttachments: {
    code: 'portal.too_many_attachments',
    status: 422,
    example: { max: 10 },
    it: (p: { max: number }) => `Puoi allegare al massimo ${p.max} file a una richiesta.`,
    en: (p: { max: number }) => `You can attach at most ${p.max} files to one request.`,
  },
  mailboxNotFound: {
    code: 'mailbox.not_found',
    status: 404,
    example: { id: '00000000-0000-0000-0000-000000000000' },
    it: (p: { id: string }) => `Casella di posta ${p.id} inesistente o non gestita da te.`,
    en: (p: { id: string }) => `Mailbox ${p.id} does not exist or is not managed by you.`,
  },
  outgoingSmtpInvalid: {
    code: 'mailbox.outgoing_invalid',
    status: 400,
    it: () => "Il server di invio va scritto come indirizzo smtps://utente:password@server:porta (o smtp:// con STARTTLS), per esempio smtps://urp%40pec.comune.esempio.it:password@smtps.pec.esempio.it:465.",
    en: () => 'The outgoing server must be written as smtps://user:password@server:port (or smtp:// with STARTTLS), for example smtps://urp%40pec.comune.example.it:password@smtps.pec.example.it:465.',
  },
  incomingImapInvalid: {
    code: 'mailbox.incoming_invalid',
    status: 400,
    it: () => "Il server di ricezione va scritto come indirizzo imaps://utente:password@server:porta/cartella (o imap:// con STARTTLS; la cartella, se omessa, è INBOX), per esempio imaps://urp%40comune.esempio.it:password@imap.esempio.it:993/INBOX.",
    en: () => 'The incoming server must be written as imaps://user:password@server:port/folder (or imap:// with STARTTLS; the folder defaults to INBOX), for example imaps://urp%40comune.example.it:password@imap.example.it:993/INBOX.',
  },
  incomingMissing: {
    code: 'mailbox.no_incoming_server',
    status: 409,
    example: { address: 'urp@comune.esempio.it' },
    it: (p: { address: string }) => `La casella ${p.address} non ha un server IMAP da leggere: la sua posta arriva per SMTP.`,
    en: (p: { address: string }) => `The mailbox ${p.address} has no IMAP server to read: its mail arrives by SMTP.`,
  },
  quarantineNotKept: {
    code: 'mail.quarantine_not_kept',
    status: 409,
    example: { id: '00000000-0000-0000-0000-000000000000' },
    it: (p: { id: string }) => `Il messaggio ${p.id} non è stato scaricato perché supera il limite di dimensione: aprilo dalla casella sul server di posta, poi scartalo da qui.`,
    en: (p: { id: string }) => `Message ${p.id} was not downloaded because it exceeds the size limit: open it from the mailbox on the mail server, then dismiss it here.`,
  },
  mailboxTaken: {
    code: 'mailbox.address_taken',
    status: 409,
    example: { address: 'urp@comune.esempio.it' },
    it: (p: { address: string }) => `L'indirizzo ${p.address} è già la casella di un ufficio della rete.`,
    en: (p: { address: string }) => `The address ${p.address} is already the mailbox of an office of the network.`,
  },
  quarantineNotFound: {
    code: 'mail.quarantine_not_found',
    status: 404,
    example: { id: '00000000-0000-0000-0000-000000000000' },
    it: (p: { id: string }) => `Messaggio ${p.id} non presente in quarantena (già gestito o non visibile a te).`,
    en: (p: { id: string }) => `Message ${p.id} is not in quarantine (already handled or not visible to you).`,
  },
  duplicateField: {
    code: 'portal.duplicate_field',
    status: 422,
    example: { field: 'numero_pratica' },
    it: (p: { field: string }) => `Il campo "${p.field}" compare due volte: ogni campo deve avere una chiave diversa.`,
    en: (p: { field: string }) => `The field "${p.field}" appears twice: every field needs its own key.`,
  },
  selectNeedsOptions: {
    code: 'portal.select_needs_options',
    status: 422,
    example: { field: 'tipo_veicolo' },
    it: (p: { field: string }) => `Il campo a scelta "${p.field}" deve elencare le opzioni (options).`,
    en: (p: { field: string }) => `The choice field "${p.field}" must list its options.`,
  },
  unknownTopic: {
    code: 'portal.unknown_topic',
    status: 422,
    example: { topic: 'tributi.imu' },
    it: (p: { topic: string }) => `L'argomento "${p.topic}" non esiste nella tassonomia della rete (facet tema).`,
    en: (p: { topic: string }) => `The topic "${p.topic}" does not exist in the network taxonomy (facet tema).`,
  },
  officeNotManaged: {
    code: 'citizen.office_not_managed',
    status: 403,
    example: { officeId: '00000000-0000-0000-0000-000000000000' },
    it: (p: { officeId: string }) => `Non amministri l'ufficio ${p.officeId}: servono i ruoli di amministratore dell'ente o di supervisore dell'ufficio.`,
    en: (p: { officeId: string }) => `You do not manage office ${p.officeId}: it takes the organisation admin role or the office supervisor role.`,
  },
  organisationNotManaged: {
    code: 'citizen.organisation_not_managed',
    status: 403,
    example: { organisationId: '00000000-0000-0000-0000-000000000000' },
    it: (p: { organisationId: string }) => `Non amministri l'ente ${p.organisationId}: l'informativa privacy la imposta l'amministratore dell'ente o il coordinamento della rete.`,
    en: (p: { organisationId: string }) => `You do not manage organisation ${p.organisationId}: the privacy notice is set by the organisation's admin or the network coordination.`,
  },
  /** The notice must be where citizens can read it safely: on the body's site, over HTTPS. */
  privacyNoticeNotHttps: {
    code: 'citizen.privacy_notice_not_https',
    status: 400,
    example: { url: 'http://www.comune.example.it/privacy' },
    it: (p: { url: string }) => `L'indirizzo dell'informativa (${p.url}) deve essere una pagina web https:// completa, per esempio https://www.comune.esempio.it/privacy.`,
    en: (p: { url: string }) => `The notice's address (${p.url}) must be a full https:// web page, for example https://www.comune.example.it/privacy.`,
  },
});
