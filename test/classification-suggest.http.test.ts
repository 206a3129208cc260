import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseLease, tryAcquireLease } from '../src/modules/classification/model-store.js';
import { retrainClassifier } from '../src/modules/classification/retrain-scheduler.js';
import { deserializeModel, predict } from '../src/modules/classification/text-classifier.js';
import { countTerms, normaliseText } from '../src/modules/classification/text-features.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

let t: TestApp;
let coordinator: Client;
let operator: Client;
let napoliOperator: Client;

/** Closed, classified tickets as the network would have them after months of work. */
const TEMPLATES: { subject: string; description: string; tema: string; tipo: string }[] = [
  { subject: 'Pagamento tassa rifiuti', description: 'Il cittadino chiede come pagare la tassa sui rifiuti e la scadenza della rata', tema: 'tributi.tari', tipo: 'informazione' },
  { subject: 'Buca in strada', description: 'Segnala una buca pericolosa sulla strada davanti a casa, chiede intervento', tema: 'manutenzione_urbana.buche_strade', tipo: 'segnalazione' },
  { subject: 'Lampione spento', description: 'Segnala un lampione spento da giorni nella via, la strada è buia di notte', tema: 'manutenzione_urbana.illuminazione_pubblica', tipo: 'segnalazione' },
  { subject: 'Cambio di residenza', description: 'Chiede lo stato della pratica di cambio residenza presentata il mese scorso', tema: 'anagrafe_stato_civile.residenza', tipo: 'stato_pratica' },
];

async function insertClosedTickets(count: number, extra: (i: number) => string = () => ''): Promise<void> {
  const db = t.database.db;
  const office = await db.selectFrom('offices').select(['id', 'organisation_id']).where('id', '=', operator.officeId).executeTakeFirstOrThrow();
  const rows = Array.from({ length: count }, (_, i) => {
    const tpl = TEMPLATES[i % TEMPLATES.length]!;
    return {
      code: `T${Date.now().toString(36)}${i.toString(36).padStart(4, '0')}${Math.random().toString(36).slice(2, 6)}`.toUpperCase().slice(0, 20),
      organisation_id: office.organisation_id, office_id: office.id, channel: 'telefono', subject: tpl.subject,
      description: `${tpl.description} ${extra(i)}`.trim(), priority: 'normal', status: 'closed' as const,
      classification: JSON.stringify({ tema: tpl.tema, tipo: tpl.tipo, canale: 'telefono', esito: 'risolto' }), taxonomy_version: '1.0.0',
      created_at: new Date(), updated_at: new Date(), closed_at: new Date(),
    };
  });
  await db.insertInto('tickets').values(rows).execute();
}

beforeAll(async () => {
  t = await buildTestApp();
  coordinator = await login(t.app, demoEmail('coordinatore'));
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  napoliOperator = await login(t.app, demoEmail('operatore', 'comune-napoli'));
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('classification suggestions', () => {
  let suggestionId = '';

  it('suggests tema and tipo from day one (FAQs and taxonomy), top 3 with softmax confidences and labels', async () => {
    const res = await operator.post('/api/v1/classification/suggest', { text: 'Devo pagare la tassa sulla spazzatura ma non mi è arrivato il bollettino' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    suggestionId = body.id;
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    const tema = body.facets.tema;
    expect(tema.modelVersion).toBe(1);
    expect(tema.suggestions).toHaveLength(3);
    expect(tema.suggestions[0]).toMatchObject({ code: 'tributi.tari', label: expect.stringMatching(/TARI|rifiuti/i) });
    const confidences = tema.suggestions.map((s: { confidence: number }) => s.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
    expect(confidences.reduce((a: number, b: number) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
    expect(confidences[0]).toBeGreaterThan(confidences[1]);
    expect(body.facets.tipo.suggestions).toHaveLength(3);
  });

  it('answers in English when asked', async () => {
    const res = await operator.post('/api/v1/classification/suggest', { text: 'rinnovo carta di identità elettronica', lang: 'en' });
    expect(res.statusCode, res.body).toBe(200);
    const top = res.json().facets.tema.suggestions[0];
    expect(top.code).toBe('identita_digitale.cie');
    expect(top.label).toMatch(/identity|electronic/i);
  });

  it('rejects a blank or oversized text with a problem that says what to fix', async () => {
    for (const text of ['', '   ']) {
      const res = await operator.post('/api/v1/classification/suggest', { text });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBeTruthy();
    }
    expect((await operator.post('/api/v1/classification/suggest', { text: 'x'.repeat(20_001) })).statusCode).toBe(400);
    expect((await operator.post('/api/v1/classification/suggest', { text: 'tari', lang: 'xx' })).statusCode).toBe(400);
  });

  it('records confirmations and corrections; other users cannot touch the suggestion', async () => {
    const res = await operator.post('/api/v1/classification/feedback', {
      suggestionId,
      choices: [{ facet: 'tema', code: 'tributi.tari' }, { facet: 'tipo', code: 'reclamo' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const recorded = res.json().recorded;
    expect(recorded.find((r: { facet: string }) => r.facet === 'tema')).toMatchObject({ chosenCode: 'tributi.tari', chosenRank: 1, modelVersion: 1 });
    const tipo = recorded.find((r: { facet: string }) => r.facet === 'tipo');
    expect(tipo.chosenCode).toBe('reclamo');
    expect(tipo.chosenRank === null || tipo.chosenRank > 1 || tipo.suggestedCode === 'reclamo').toBe(true);

    const foreign = await napoliOperator.post('/api/v1/classification/feedback', { suggestionId, choices: [{ facet: 'tema', code: 'tributi.imu' }] });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('classification.suggestion_not_found');
    const badCode = await operator.post('/api/v1/classification/feedback', { suggestionId, choices: [{ facet: 'tema', code: 'non.esiste' }] });
    expect(badCode.statusCode).toBe(422);
    expect(badCode.json().code).toBe('classification.invalid_code');
    const badFacet = await operator.post('/api/v1/classification/feedback', { suggestionId, choices: [{ facet: 'canale', code: 'telefono' }] });
    expect(badFacet.statusCode).toBe(400);
  });

  it('records the outcome when a ticket is created with the suggestion id', async () => {
    const s = (await operator.post('/api/v1/classification/suggest', { text: 'buca enorme in mezzo alla strada, pericolo per i motorini' })).json();
    const created = await operator.post('/api/v1/tickets', ticketInput(operator, {
      subject: 'Buca in strada', description: 'Buca enorme in mezzo alla strada', classificationSuggestionId: s.id,
      classification: { tema: 'manutenzione_urbana.buche_strade', tipo: 'segnalazione' },
    }));
    expect(created.statusCode, created.body).toBe(201);
    // Recorded by the classification module's `ticket.created` handler, after the ticket commits.
    await t.events.drain();
    const rows = await t.database.db.selectFrom('classification_feedback').selectAll().where('suggestion_id', '=', s.id).orderBy('facet').execute();
    expect(rows.map((r) => [r.facet, r.chosen_code, r.ticket_id])).toEqual([
      ['tema', 'manutenzione_urbana.buche_strade', created.json().id],
      ['tipo', 'segnalazione', created.json().id],
    ]);
    // An unknown suggestion id never blocks the ticket.
    const other = await operator.post('/api/v1/tickets', ticketInput(operator, { classificationSuggestionId: '00000000-0000-4000-8000-000000000000' }));
    expect(other.statusCode, other.body).toBe(201);
  });

  it('only coordinators train and read the model history', async () => {
    expect((await operator.post('/api/v1/classification/models/train')).statusCode).toBe(403);
    expect((await operator.get('/api/v1/classification/models')).statusCode).toBe(403);
  });

  it('trains on closed tickets without personal data, with held-out metrics, and suggestions move to the new version', async () => {
    // 240 closed tickets; one citizen's surname and e-mail appear in a single ticket only.
    await insertClosedTickets(240, (i) => (i === 7 ? 'scrive la signora Qwertyuiopa, qwertyuiopa@example.org, tel 333 1234567' : i % 3 === 0 ? 'urgentissimo' : ''));
    // A corrected suggestion: the operator chose a topic other than the first one suggested.
    const shown = (await operator.post('/api/v1/classification/suggest', { text: 'Lampione spento davanti alla scuola' })).json();
    const chosen = shown.facets.tema.suggestions[0].code === 'manutenzione_urbana.segnaletica' ? 'manutenzione_urbana.buche_strade' : 'manutenzione_urbana.segnaletica';
    const corrected = await operator.post('/api/v1/tickets', ticketInput(operator, {
      subject: 'Lampione spento', description: 'Lampione spento davanti alla scuola', classificationSuggestionId: shown.id, classification: { tema: chosen, tipo: 'segnalazione' },
    }));
    expect(corrected.statusCode, corrected.body).toBe(201);
    await t.events.drain();
    await t.database.db.updateTable('tickets').set({ status: 'closed', closed_at: new Date() }).where('id', '=', corrected.json().id).execute();
    const res = await coordinator.post('/api/v1/classification/models/train');
    expect(res.statusCode, res.body).toBe(201);
    const items = res.json().items as { facet: string; version: number; trainingCounts: Record<string, number>; metrics: Record<string, number | null>; modelBytes: number; trigger: string }[];
    expect(items.map((m) => [m.facet, m.version, m.trigger])).toEqual([['tema', 2, 'manual'], ['tipo', 2, 'manual']]);
    const tema = items[0]!;
    expect(tema.trainingCounts.tickets).toBe(241);
    expect(tema.trainingCounts.correctedTickets).toBe(1);
    expect(tema.trainingCounts.faqs).toBeGreaterThan(300);
    expect(tema.metrics.heldOutTickets).toBeGreaterThanOrEqual(10);
    if ((tema.metrics.heldOutTickets ?? 0) >= 20) expect(tema.metrics.accuracyAt1).toBeGreaterThan(0.9);
    // ~120 topics: the stored model stays a few megabytes at most.
    expect(tema.modelBytes).toBeLessThan(8 * 1024 * 1024);

    const row = await t.database.db.selectFrom('classification_models').select(['model']).where('facet', '=', 'tema').where('version', '=', 2).executeTakeFirstOrThrow();
    expect(row.model).not.toContain('qwertyuiopa');
    const model = deserializeModel(row.model);
    const wordBucket = (w: string) => [...countTerms(normaliseText(w), model.features).word.keys()][0]!;
    expect(model.bucketIndex.has(wordBucket('qwertyuiopa'))).toBe(false);
    expect(model.bucketIndex.has(wordBucket('urgentissimo'))).toBe(true);
    expect(predict(model, 'lampione spento in via roma', 1)[0]!.label).toBe('manutenzione_urbana.illuminazione_pubblica');

    const s = await operator.post('/api/v1/classification/suggest', { text: 'il lampione sotto casa non si accende' });
    expect(s.json().facets.tema.modelVersion).toBe(2);

    const history = (await coordinator.get('/api/v1/classification/models')).json().items as { facet: string; version: number; feedback: { total: number; accepted: number; acceptanceRate: number | null } }[];
    const v1 = history.find((m) => m.facet === 'tema' && m.version === 1)!;
    expect(v1.feedback.total).toBeGreaterThanOrEqual(2);
    expect(v1.feedback.acceptanceRate).toBeGreaterThan(0);
    expect(history.find((m) => m.facet === 'tema' && m.version === 2)!.feedback.total).toBe(0);
  }, 120_000);

  it('trains one instance at a time (lease), and the schedule trains too', async () => {
    const db = t.database.db;
    expect(await tryAcquireLease(db, 'other-instance', new Date(), 60_000)).toBe(true);
    const busy = await coordinator.post('/api/v1/classification/models/train');
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('classification.training_in_progress');
    expect(await tryAcquireLease(db, 'third-instance', new Date(), 60_000)).toBe(false);
    await releaseLease(db, 'other-instance');
    // An expired lease (crashed trainer) is taken over.
    expect(await tryAcquireLease(db, 'crashed', new Date(Date.now() - 120_000), 60_000)).toBe(true);
    const logs: string[] = [];
    await retrainClassifier(db, 'schedule', { info: (_o, m) => logs.push(m), warn: (_o, m) => logs.push(m) });
    expect(logs).toEqual(['classifier models retrained']);
    const latest = await db.selectFrom('classification_models').select(['version', 'trigger']).where('facet', '=', 'tipo').orderBy('version', 'desc').executeTakeFirstOrThrow();
    expect(latest).toEqual({ version: 3, trigger: 'schedule' });

    // Two concurrent requests: one trains, the other is told to wait.
    const [a, b] = await Promise.all([coordinator.post('/api/v1/classification/models/train'), coordinator.post('/api/v1/classification/models/train')]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
  }, 180_000);
});
