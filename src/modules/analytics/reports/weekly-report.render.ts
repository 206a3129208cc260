/**
 * The weekly report written out: HTML (the e-mail body and the download, with an inline SVG chart)
 * and PDF (simple-pdf.ts), in Italian or English.
 */
import { A4, PdfDocument, type PdfPage, type Rgb, wrapText } from '../../../platform/pdf/simple-pdf.js';
import type { WeeklyReport } from './weekly-report.js';
import { escapeHtml } from '../../../platform/html.js';

type Lang = 'it' | 'en';

const TEXT = {
  it: {
    title: (r: WeeklyReport) => `Rapporto settimanale ${r.week} — ${r.organisation?.name ?? 'rete degli URP'}`,
    period: (r: WeeklyReport) => `Dal ${r.from} al ${r.to}`,
    total: 'Contatti della settimana',
    before: 'media delle 4 settimane precedenti',
    byDay: 'Contatti per giorno',
    topics: 'Temi principali',
    channels: 'Canali',
    key: 'Voce',
    week: 'Settimana',
    avg: 'Media 4 sett.',
    change: 'Variazione',
    alarms: 'Allarmi della settimana',
    noAlarms: 'Nessun allarme.',
    actions: 'Azioni e loro effetto',
    noActions: 'Nessuna azione in corso o conclusa di recente.',
    kind: { spike: 'picco', level_shift: 'salto di livello', trend: 'tendenza', drop: 'calo', emerging_term: 'argomento emergente' } as Record<string, string>,
    status: { planned: 'pianificata', in_progress: 'in corso', done: 'fatta', cancelled: 'annullata' } as Record<string, string>,
    verdict: { pending: 'effetto ancora da misurare', reduced: 'contatti ridotti', increased: 'contatti aumentati', no_clear_effect: 'nessun effetto chiaro' } as Record<string, string>,
    network: 'rete',
    observed: (o: number, e: number) => `${o} contro ${e} attesi`,
  },
  en: {
    title: (r: WeeklyReport) => `Weekly report ${r.week} — ${r.organisation?.name ?? 'URP network'}`,
    period: (r: WeeklyReport) => `From ${r.from} to ${r.to}`,
    total: 'Contacts this week',
    before: 'mean of the 4 weeks before',
    byDay: 'Contacts by day',
    topics: 'Main topics',
    channels: 'Channels',
    key: 'Item',
    week: 'Week',
    avg: '4-week mean',
    change: 'Change',
    alarms: 'Alarms of the week',
    noAlarms: 'No alarms.',
    actions: 'Actions and their effect',
    noActions: 'No action in progress or recently done.',
    kind: { spike: 'spike', level_shift: 'level shift', trend: 'trend', drop: 'drop', emerging_term: 'emerging subject' } as Record<string, string>,
    status: { planned: 'planned', in_progress: 'in progress', done: 'done', cancelled: 'cancelled' } as Record<string, string>,
    verdict: { pending: 'effect not measured yet', reduced: 'contacts reduced', increased: 'contacts increased', no_clear_effect: 'no clear effect' } as Record<string, string>,
    network: 'network',
    observed: (o: number, e: number) => `${o} against ${e} expected`,
  },
};

const pct = (week: number, before: number) => (before > 0 ? `${week >= before ? '+' : ''}${Math.round(((week - before) / before) * 100)}%` : '—');
const sliceText = (s: { topic?: string; territory?: string; channel?: string }, network: string) => [s.topic, s.territory, s.channel].filter(Boolean).join(' · ') || network;

function alarmLine(a: WeeklyReport['alarms'][number], t: (typeof TEXT)[Lang]): string {
  const what = a.kind === 'emerging_term' ? `«${a.term}»` : sliceText(a.slice, t.network);
  return `${a.day} · ${t.kind[a.kind] ?? a.kind} · ${what} · ${t.observed(Math.round(a.observed), Math.round(a.expected * 10) / 10)}`;
}

function actionLine(x: WeeklyReport['actions'][number], t: (typeof TEXT)[Lang]): string {
  const effect = x.verdict ? ` · ${t.verdict[x.verdict] ?? x.verdict}${x.relative !== null ? ` (${x.relative >= 0 ? '+' : ''}${Math.round(x.relative * 100)}%)` : ''}` : '';
  return `${x.action.title} · ${t.status[x.action.status] ?? x.action.status}${x.action.dueDate ? ` · ${x.action.dueDate}` : ''}${effect}`;
}

/** The report as an HTML page (self-contained: inline styles and an inline SVG chart). */
export function renderWeeklyReportHtml(r: WeeklyReport, lang: Lang): string {
  const t = TEXT[lang];
  const max = Math.max(1, ...r.days.map((d) => d.count));
  const bars = r.days
    .map((d, i) => {
      const h = Math.round((d.count / max) * 100);
      return `<rect x="${10 + i * 60}" y="${110 - h}" width="40" height="${h}" fill="#0066cc"><title>${d.date}: ${d.count}</title></rect><text x="${30 + i * 60}" y="125" font-size="10" text-anchor="middle">${d.date.slice(5)}</text><text x="${30 + i * 60}" y="${105 - h}" font-size="10" text-anchor="middle">${d.count}</text>`;
    })
    .join('');
  const table = (title: string, rows: WeeklyReport['topics']) =>
    `<h2>${escapeHtml(title)}</h2><table><thead><tr><th scope="col">${t.key}</th><th scope="col">${t.week}</th><th scope="col">${t.avg}</th><th scope="col">${t.change}</th></tr></thead><tbody>${rows
      .map((l) => `<tr><td>${escapeHtml(l.key)}</td><td>${l.week}</td><td>${l.before}</td><td>${pct(l.week, l.before)}</td></tr>`)
      .join('')}</tbody></table>`;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(t.title(r))}</title>
<style>body{font-family:"Titillium Web",Helvetica,Arial,sans-serif;color:#1a1a1a;max-width:760px;margin:2rem auto;padding:0 1rem}h1{color:#0066cc;font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.5rem}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}td:nth-child(n+2),th:nth-child(n+2){text-align:right}.big{font-size:2rem;font-weight:700}</style></head>
<body><h1>${escapeHtml(t.title(r))}</h1><p>${escapeHtml(t.period(r))}</p>
<p><span class="big">${r.total}</span> ${t.total.toLowerCase()} (${t.before}: ${r.totalBefore}, ${pct(r.total, r.totalBefore)})</p>
<h2>${t.byDay}</h2><svg role="img" aria-label="${escapeHtml(`${t.byDay}: ${r.days.map((d) => `${d.date} ${d.count}`).join(', ')}`)}" viewBox="0 0 430 130" width="430" height="130">${bars}</svg>
${table(t.topics, r.topics)}${table(t.channels, r.channels)}
<h2>${t.alarms}</h2>${r.alarms.length ? `<ul>${r.alarms.map((a) => `<li>${escapeHtml(alarmLine(a, t))}</li>`).join('')}</ul>` : `<p>${t.noAlarms}</p>`}
<h2>${t.actions}</h2>${r.actions.length ? `<ul>${r.actions.map((a) => `<li>${escapeHtml(actionLine(a, t))}</li>`).join('')}</ul>` : `<p>${t.noActions}</p>`}
<p style="color:#666;font-size:.8rem">urpnet</p></body></html>`;
}

const BLUE: Rgb = [0, 0.4, 0.8];
const MARGIN = 50;

/** The report as a PDF: the same sections, one or more A4 pages. */
export function renderWeeklyReportPdf(r: WeeklyReport, lang: Lang): Buffer {
  const t = TEXT[lang];
  const doc = new PdfDocument(t.title(r));
  let page: PdfPage = doc.addPage();
  let y = MARGIN;
  const need = (h: number) => {
    if (y + h > A4.height - MARGIN) {
      page = doc.addPage();
      y = MARGIN;
    }
  };
  const para = (text: string, size = 10, bold = false) => {
    for (const line of wrapText(text, size, A4.width - 2 * MARGIN, bold)) {
      need(size * 1.4);
      page.text(MARGIN, y + size, line, { size, bold });
      y += size * 1.4;
    }
  };
  const heading = (text: string) => {
    y += 10;
    need(40);
    page.text(MARGIN, y + 13, text, { size: 13, bold: true, color: BLUE });
    y += 22;
  };
  for (const line of wrapText(t.title(r), 18, A4.width - 2 * MARGIN, true)) {
    page.text(MARGIN, y + 18, line, { size: 18, bold: true, color: BLUE });
    y += 24;
  }
  para(t.period(r));
  y += 6;
  page.text(MARGIN, y + 26, String(r.total), { size: 26, bold: true });
  para(`        ${t.total} (${t.before}: ${r.totalBefore}, ${pct(r.total, r.totalBefore)})`);
  y += 14;
  heading(t.byDay);
  const max = Math.max(1, ...r.days.map((d) => d.count));
  need(110);
  r.days.forEach((d, i) => {
    const h = (d.count / max) * 80;
    const x = MARGIN + i * 70;
    page.rect(x, y + 80 - h, 45, h, BLUE);
    page.text(x, y + 80 - h - 3, String(d.count), { size: 8 });
    page.text(x, y + 93, d.date.slice(5), { size: 8 });
  });
  y += 100;
  const table = (title: string, rows: WeeklyReport['topics']) => {
    heading(title);
    const cols = [MARGIN, 330, 400, 480];
    need(14);
    for (const [i, h] of [t.key, t.week, t.avg, t.change].entries()) page.text(cols[i]!, y + 10, h, { size: 9, bold: true });
    y += 16;
    for (const l of rows) {
      need(14);
      page.text(cols[0]!, y + 10, l.key.length > 48 ? `${l.key.slice(0, 47)}…` : l.key, { size: 9 });
      page.text(cols[1]!, y + 10, String(l.week), { size: 9 });
      page.text(cols[2]!, y + 10, String(l.before), { size: 9 });
      page.text(cols[3]!, y + 10, pct(l.week, l.before), { size: 9 });
      page.line(MARGIN, y + 13, A4.width - MARGIN, y + 13);
      y += 15;
    }
  };
  table(t.topics, r.topics);
  table(t.channels, r.channels);
  heading(t.alarms);
  if (r.alarms.length === 0) para(t.noAlarms);
  for (const a of r.alarms) para(`• ${alarmLine(a, t)}`, 9);
  heading(t.actions);
  if (r.actions.length === 0) para(t.noActions);
  for (const a of r.actions) para(`• ${actionLine(a, t)}`, 9);
  return doc.toBuffer();
}
