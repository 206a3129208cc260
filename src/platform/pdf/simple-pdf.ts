/**
 * A small PDF writer for reports (PDF 1.4): A4 pages with text in the standard Helvetica fonts
 * (WinAnsiEncoding, so Italian accents print) and filled rectangles for bar charts. No embedded
 * fonts, no images, no compression: enough for a weekly report a printer and every reader accept,
 * without a browser or a native library on the server.
 */

export const A4 = { width: 595.28, height: 841.89 } as const;

export type Rgb = readonly [number, number, number];

/** WinAnsi (cp1252) codes of the characters above Latin-1's printable range that reports use. */
const WIN_ANSI_EXTRA: Record<string, number> = {
  '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '™': 0x99,
};

/** A string as a PDF literal in WinAnsiEncoding: parentheses and backslashes escaped, unknown characters as '?'. */
export function pdfString(text: string): string {
  let out = '(';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    let byte: number;
    if (ch === '(' || ch === ')' || ch === '\\') {
      out += `\\${ch}`;
      continue;
    }
    if (code >= 0x20 && code < 0x7f) byte = code;
    else if (code >= 0xa0 && code <= 0xff) byte = code;
    else if (WIN_ANSI_EXTRA[ch] !== undefined) byte = WIN_ANSI_EXTRA[ch];
    else if (ch === '\n' || ch === '\t') byte = 0x20;
    else byte = 0x3f;
    out += byte < 0x80 ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out})`;
}

/** The width of a text in Helvetica at a size, roughly (average glyph widths: enough to wrap lines). */
export function textWidth(text: string, size: number, bold = false): number {
  let units = 0;
  for (const ch of text) {
    if ('il.,:;!|\'ìí'.includes(ch)) units += 250;
    else if ('ftrjI()[] '.includes(ch)) units += 300;
    else if ('mwMW'.includes(ch)) units += 830;
    else if (ch >= 'A' && ch <= 'Z') units += 680;
    else units += 550;
  }
  return (units / 1000) * size * (bold ? 1.05 : 1);
}

/** Splits a text into lines no wider than `width`. */
export function wrapText(text: string, size: number, width: number, bold = false): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (line && textWidth(next, size, bold) > width) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    lines.push(line);
  }
  return lines;
}

const num = (x: number) => (Math.round(x * 100) / 100).toString();

export class PdfPage {
  readonly ops: string[] = [];

  /** Text at (x, y), y measured from the top of the page. */
  text(x: number, y: number, text: string, options: { size?: number; bold?: boolean; color?: Rgb } = {}): this {
    const size = options.size ?? 10;
    const [r, g, b] = options.color ?? [0.1, 0.1, 0.1];
    this.ops.push(`BT ${num(r)} ${num(g)} ${num(b)} rg /${options.bold ? 'F2' : 'F1'} ${num(size)} Tf ${num(x)} ${num(A4.height - y)} Td ${pdfString(text)} Tj ET`);
    return this;
  }

  /** A filled rectangle whose top-left corner is (x, y), y from the top. */
  rect(x: number, y: number, width: number, height: number, color: Rgb): this {
    const [r, g, b] = color;
    this.ops.push(`${num(r)} ${num(g)} ${num(b)} rg ${num(x)} ${num(A4.height - y - height)} ${num(width)} ${num(height)} re f`);
    return this;
  }

  /** A line from (x1, y1) to (x2, y2), y from the top. */
  line(x1: number, y1: number, x2: number, y2: number, color: Rgb = [0.7, 0.7, 0.7], width = 0.5): this {
    const [r, g, b] = color;
    this.ops.push(`${num(r)} ${num(g)} ${num(b)} RG ${num(width)} w ${num(x1)} ${num(A4.height - y1)} m ${num(x2)} ${num(A4.height - y2)} l S`);
    return this;
  }
}

export class PdfDocument {
  readonly pages: PdfPage[] = [];

  constructor(readonly title: string) {}

  addPage(): PdfPage {
    const page = new PdfPage();
    this.pages.push(page);
    return page;
  }

  /** The document's bytes: objects, cross-reference table with exact byte offsets, trailer. */
  toBuffer(): Buffer {
    const objects: string[] = [];
    const add = (body: string) => objects.push(body) - 1 + 1; // object numbers start at 1
    const catalog = add('');
    const pagesObj = add('');
    const font1 = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
    const font2 = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
    const info = add(`<< /Title ${pdfString(this.title)} /Producer (urpnet) >>`);
    const pageIds: number[] = [];
    for (const page of this.pages) {
      const content = page.ops.join('\n');
      const contentId = add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
      pageIds.push(add(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 ${A4.width} ${A4.height}] /Resources << /Font << /F1 ${font1} 0 R /F2 ${font2} 0 R >> >> /Contents ${contentId} 0 R >>`));
    }
    objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
    objects[pagesObj - 1] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
    let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
    const offsets: number[] = [];
    objects.forEach((body, i) => {
      offsets.push(Buffer.byteLength(out, 'latin1'));
      out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    });
    const xref = Buffer.byteLength(out, 'latin1');
    out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
    out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return Buffer.from(out, 'latin1');
  }
}
