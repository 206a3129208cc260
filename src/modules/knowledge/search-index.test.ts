import { describe, expect, it } from 'vitest';
import { FaqSearchIndex, type IndexableFaq } from './search-index.js';
import type { ThesaurusEntry } from '../../platform/text/thesaurus.js';

const faq = (id: string, title: string, body: string, extra: Partial<IndexableFaq> = {}): IndexableFaq => ({ id, title, body, tags: [], topic: '', places: [], ...extra });

const DOCS: IndexableFaq[] = [
  faq('tari', 'Come si paga la TARI?', 'La tassa sui rifiuti si paga con avviso pagoPA in due rate.', { tags: ['TARI', 'rifiuti'] }),
  faq('tari-celano', 'TARI a Celano: scadenze', 'Il Comune di Celano invia gli avvisi della tassa rifiuti a maggio.', { places: ['celano'], tags: ['TARI Celano'] }),
  faq('urp', "Quali sono gli orari dell'URP?", 'Gli uffici relazioni con il pubblico sono aperti la mattina.', { tags: ['URP', 'orari'] }),
  faq('urp-celano', "Orari dell'URP di Celano", 'Lo sportello del cittadino di Celano è aperto dal lunedì al venerdì.', { places: ['celano'], tags: ['URP Celano'] }),
  faq('spid', "Che cos'è lo SPID?", 'Il sistema pubblico di identità digitale dà accesso ai servizi online.', { tags: ['SPID'] }),
  faq('residenza', 'Come cambio la residenza?', 'La dichiarazione di residenza si presenta all’anagrafe del nuovo comune.'),
  faq('body-only', 'Servizi demografici', 'Informazioni sulla residenza e sui certificati.'),
];

const THESAURUS: ThesaurusEntry[] = [
  { kind: 'acronym', lang: 'it', terms: ['TARI', 'tassa rifiuti', 'tassa sulla spazzatura'] },
  { kind: 'synonym', lang: 'it', terms: ['residenza', 'domicilio', 'cambio di indirizzo'] },
  { kind: 'acronym', lang: 'it', terms: ['SPID', 'identità digitale', 'credenziali'] },
];

const index = new FaqSearchIndex(DOCS, { thesaurus: THESAURUS, placeNames: ['Celano', 'Napoli'] });
const ids = (q: string, options = {}) => index.search(q, options).hits.map((h) => h.id);

describe('FAQ ranking', () => {
  it('ranks a title match above a body-only match', () => {
    expect(ids('residenza').slice(0, 2)).toEqual(['residenza', 'body-only']);
  });

  it('expands thesaurus synonyms and acronyms, single words and phrases', () => {
    expect(ids('cambio di domicilio')[0]).toBe('residenza');
    expect(ids('tassa sulla spazzatura')[0]).toBe('tari');
    expect(ids('credenziali')[0]).toBe('spid');
    expect(index.interpret('tassa sulla spazzatura').expansions).toContain('tar');
  });

  it('corrects typos against the index vocabulary', () => {
    expect(ids('resideza')[0]).toBe('residenza');
    expect(index.interpret('resideza').corrections).toEqual([{ from: 'resideza', to: 'residenza' }]);
  });

  it('puts the local FAQ first when the query names its place, and network FAQs first otherwise', () => {
    expect(ids('orari urp celano')[0]).toBe('urp-celano');
    expect(ids('orari urp')[0]).toBe('urp');
    expect(ids('tari celano')[0]).toBe('tari-celano');
    expect(ids('tari')[0]).toBe('tari');
    expect(ids('orari urp', { place: 'Celano' })[0]).toBe('urp-celano');
    expect(index.interpret('orari URP Celano').places).toEqual(['celano']);
  });

  it('keeps the FAQs of a place that contains the named one level with the network FAQs, and pushes down the unrelated', () => {
    const regional = new FaqSearchIndex(
      [
        faq('tari', 'Come si paga la TARI?', 'La tassa sui rifiuti si paga con avviso pagoPA.', { tags: ['TARI'] }),
        faq('tari-abruzzo', 'TARI: agevolazioni regionali', 'La Regione Abruzzo finanzia riduzioni della tassa rifiuti.', { places: ['abruzzo'] }),
        faq('tari-napoli', 'TARI: agevolazioni a Napoli', 'Il Comune di Napoli riduce la tassa rifiuti.', { places: ['napoli'] }),
      ],
      { thesaurus: THESAURUS },
    );
    const scores = (options: object) => Object.fromEntries(regional.search('agevolazioni tari', options).hits.map((h) => [h.id, h.score]));
    const unplaced = scores({});
    const atOcre = scores({ places: ['Ocre'], enclosingPlaces: ["L'Aquila", 'Abruzzo'] });
    expect(atOcre['tari-abruzzo']).toBeGreaterThan(unplaced['tari-abruzzo']!);
    expect(atOcre['tari-napoli']).toBeLessThan(unplaced['tari-napoli']!);
    expect(regional.interpret('agevolazioni tari', { places: ['Ocre'] }).places).toEqual(['ocre']);
  });

  it('completes the last word while typing', () => {
    expect(ids('resid', { prefix: true })).toContain('residenza');
    expect(ids('resid')).toEqual([]);
  });

  it('answers nothing, without failing, to queries with no searchable word', () => {
    for (const q of ['', '   ', '?!?!', 'di la che', "'; drop table faq_articles; --", '<script>alert(1)</script>', 'x'.repeat(2000), 'a '.repeat(1000), '检索 問題', '🙂🙂']) {
      expect(() => index.search(q)).not.toThrow();
    }
    expect(ids('?!?!')).toEqual([]);
    expect(ids('di la che')).toEqual([]);
  });

  it('respects the limit and returns scores best first', () => {
    const { hits } = index.search('residenza celano tari urp', { limit: 3 });
    expect(hits).toHaveLength(3);
    expect(hits[0]!.score).toBeGreaterThanOrEqual(hits[1]!.score);
  });
});

describe('topic of a FAQ', () => {
  // Two FAQs of one topic; a FAQ of another topic that shares only the word "riduzione".
  const docs: IndexableFaq[] = [
    faq('tari-pagamento', 'Come si paga la tassa?', 'La tassa sui rifiuti si paga con avviso in due rate.', { topic: 'Tributi · TARI' }),
    faq('tari-compostaggio', 'Riduzione per il compostaggio', 'Chi fa il compostaggio domestico ha una riduzione della tassa.', { topic: 'Tributi · TARI' }),
    faq('biglietti', 'Riduzione sui biglietti', 'Biglietti con riduzione per giovani: la riduzione vale nei musei civici.', { topic: 'Cultura · Musei ed eventi' }),
  ];
  const rank = (list: IndexableFaq[], query: string, topicWeight?: number) =>
    new FaqSearchIndex(list, topicWeight === undefined ? {} : { tuning: { topicWeight } }).search(query).hits.map((h) => h.id);

  it('carries a query to a FAQ through the words its topic shares (the words the FAQ itself does not repeat)', () => {
    const without = rank(docs, 'riduzione rifiuti', 0);
    expect(without.indexOf('biglietti')).toBeLessThan(without.indexOf('tari-compostaggio'));
    const withTopics = rank(docs, 'riduzione rifiuti');
    expect(withTopics.indexOf('tari-compostaggio')).toBeLessThan(withTopics.indexOf('biglietti'));
  });

  it('keeps a FAQ without a topic on the same footing: it is a topic of its own', () => {
    // A new FAQ, not yet classified, answers all of the query; two FAQs of a topic answer parts of it,
    // and their topic as a whole answers all of it. The topic must not lift them above the new FAQ.
    const list: IndexableFaq[] = [
      faq('nuova', 'Nuova FAQ di prova sul canone unico', 'Testo.'),
      faq('canone', 'Canone unico patrimoniale', 'Il canone unico sostituisce la tassa di occupazione del suolo pubblico.', { topic: 'Tributi · Suolo pubblico' }),
      faq('canone-prova', 'Periodo di prova per i dehors', 'Un periodo di prova per i dehors stagionali, poi la domanda definitiva.', { topic: 'Tributi · Suolo pubblico' }),
      ...['anagrafe', 'scuola', 'sanità', 'mobilità', 'cultura', 'sport'].map((topic, i) => faq(`altro-${i}`, `Servizi: ${topic}`, `Informazioni generali su ${topic}.`, { topic })),
    ];
    expect(rank(list, 'canone unico prova')[0]).toBe('nuova');
  });
});

describe('general Italian lexicon', () => {
  const docs: IndexableFaq[] = [
    faq('rifiuti', 'Come si differenziano i rifiuti?', 'La raccolta dei rifiuti urbani è porta a porta.'),
    faq('sporcizia', 'Strade sporche', 'Segnala la sporcizia sulle strade al servizio di igiene urbana.'),
    faq('medico', 'Come cambio il medico di base?', "La scelta del medico si fa all'ASL."),
  ];
  const lexicon = new Map([
    ['spazzatura', ['immondizia', 'rifiuti']],
    ['rifiuti', ['sporcizia', 'scorie']],
  ]);
  const index = new FaqSearchIndex(docs, { lexicon });

  it('bridges a word no FAQ uses to the synonyms the FAQs do use', () => {
    expect(new FaqSearchIndex(docs).search('spazzatura').hits).toEqual([]);
    expect(index.search('spazzatura').hits.map((h) => h.id)).toEqual(['rifiuti']);
  });

  it('leaves the words the FAQs use as they are', () => {
    expect(index.search('rifiuti').hits.map((h) => h.id)).toEqual(['rifiuti']);
  });
});
