import { describe, expect, it } from 'vitest';
import { PdfDocument, pdfString, wrapText } from './simple-pdf.js';

describe('simple PDF', () => {
  it('writes Italian text in WinAnsi, escaping what PDF strings need', () => {
    expect(pdfString('Perché (sì)')).toBe('(Perch\\351 \\(s\\354\\))');
    expect(pdfString('10 € — “ok”')).toBe('(10 \\200 \\227 \\223ok\\224)');
    expect(pdfString('日本')).toBe('(??)');
  });

  it('wraps long text to a width', () => {
    const lines = wrapText('contatti sulla tassa dei rifiuti in forte aumento questa settimana', 10, 120);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe('contatti sulla tassa dei rifiuti in forte aumento questa settimana');
  });

  it('gives a well-formed file: every xref offset points at its object', () => {
    const doc = new PdfDocument('Rapporto settimanale');
    doc.addPage().text(50, 60, 'Contatti della settimana: 1.234', { size: 14, bold: true }).rect(50, 80, 200, 12, [0, 0.4, 0.8]);
    doc.addPage().text(50, 60, 'Seconda pagina');
    const pdf = doc.toBuffer().toString('latin1');
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    const xrefAt = Number(/startxref\n(\d+)/.exec(pdf)![1]);
    expect(pdf.slice(xrefAt, xrefAt + 4)).toBe('xref');
    const entries = pdf.slice(xrefAt).split('\n').slice(3).filter((l) => / n $/.test(l));
    entries.forEach((line, i) => {
      const offset = Number(line.slice(0, 10));
      expect(pdf.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
    });
    expect(pdf).toContain('/Count 2');
    expect(pdf).toContain('(Contatti della settimana: 1.234) Tj');
  });
});
