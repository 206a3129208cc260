/**
 * Synthetic FAQs for the search benchmark at scale: realistic distractors made by recombining the
 * corpus's own sentences. Most are local FAQs of comuni outside the demo network ("… a Pescara?"),
 * which share vocabulary and topic with the real ones; the rest are network-wide FAQs whose body
 * mixes sentences of two FAQs of the same area and one of another area. Deterministic per seed.
 */
import { mulberry32 } from '../../src/platform/seeded-random.js';

interface CorpusFaq {
  id: string;
  title: string;
  body: string;
  tema: string;
  tipo: string;
  ente_competente: string;
  scope: string;
  owner: string;
  tags: string[];
  lang: string;
}

const OTHER_COMUNI = [
  'Pescara', 'Chieti', 'Teramo', 'Sulmona', 'Avezzano', 'Lanciano', 'Vasto', 'Campobasso', 'Isernia', 'Termoli', 'Potenza', 'Matera', 'Melfi',
  'Bari', 'Brindisi', 'Foggia', 'Altamura', 'Molfetta', 'Monopoli', 'Gallipoli', 'Nardò', 'Otranto', 'Maglie', 'Galatina', 'Caserta', 'Aversa',
  'Benevento', 'Pozzuoli', 'Torre del Greco', 'Castellammare di Stabia', 'Nola', 'Battipaglia', 'Eboli', 'Ariano Irpino', 'Cosenza', 'Rende',
  'Crotone', 'Lamezia Terme', 'Reggio Calabria', 'Vibo Valentia', 'Palermo', 'Trapani', 'Marsala', 'Agrigento', 'Caltanissetta', 'Gela',
  'Acireale', 'Caltagirone', 'Modica', 'Vittoria', 'Noto', 'Augusta', 'Sassari', 'Olbia', 'Nuoro', 'Oristano', 'Carbonia', 'Iglesias',
  'Quartu Sant’Elena', 'Alghero', 'Roma', 'Latina', 'Frosinone', 'Viterbo', 'Rieti', 'Firenze', 'Prato', 'Livorno', 'Perugia', 'Terni',
  'Ancona', 'Pesaro', 'Bologna', 'Modena', 'Parma', 'Torino', 'Genova', 'Milano', 'Brescia', 'Verona', 'Padova', 'Venezia', 'Trieste', 'Trento',
];
const NETWORK_PLACES = /\b(Celano|Napoli|Cagliari|Salerno|Catania|Siracusa|Lecce|Abruzzo|Campania|Puglia|Pirri|Salento)\b/g;

const sentencesOf = (body: string) => body.split(/(?<=[.!?])\s+/).filter((s) => s.length > 20);

/** `count` synthetic FAQs in the import format, ids syn-00001…, recombined from the corpus text. */
export function syntheticFaqs(corpusJsonl: string, count: number, seed: number): CorpusFaq[] {
  const corpus = corpusJsonl.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as CorpusFaq & { translation_of?: string }).filter((f) => f.lang === 'it');
  const byArea = new Map<string, CorpusFaq[]>();
  for (const f of corpus) {
    const area = f.tema.split('.')[0]!;
    byArea.set(area, [...(byArea.get(area) ?? []), f]);
  }
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const out: CorpusFaq[] = [];
  for (let i = 1; i <= count; i++) {
    const base = pick(corpus);
    const sameArea = pick(byArea.get(base.tema.split('.')[0]!)!);
    const elsewhere = pick(corpus);
    const baseSentences = sentencesOf(base.body);
    const sentences = [
      ...baseSentences.filter(() => random() < 0.6).slice(0, 3),
      ...sentencesOf(sameArea.body).filter(() => random() < 0.4).slice(0, 2),
      pick(sentencesOf(elsewhere.body).length > 0 ? sentencesOf(elsewhere.body) : baseSentences),
    ].filter((s) => s !== undefined);
    const local = random() < 0.7;
    const place = pick(OTHER_COMUNI);
    const relocate = (s: string) => (local ? s.replace(NETWORK_PLACES, place) : s);
    let title = relocate(base.title);
    if (local && !title.includes(place)) title = title.replace(/\?\s*$/, '') + ` a ${place}?`;
    if (!local) title = `${title.replace(/\?\s*$/, '')}: ${pick(sameArea.tags).toLowerCase()}?`;
    out.push({
      id: `syn-${String(i).padStart(5, '0')}`,
      title: title.slice(0, 300),
      body: relocate(sentences.join(' ') || base.body),
      tema: base.tema,
      tipo: base.tipo,
      ente_competente: base.ente_competente,
      scope: local ? 'comune' : 'network',
      owner: local ? `Comune di ${place}` : 'Rete URP',
      tags: [...new Set([...base.tags.map(relocate), ...(local ? [place] : [])])].slice(0, 10),
      lang: 'it',
    });
  }
  return out;
}
