import sanitizeHtml from 'sanitize-html';

/**
 * HTML of inbound citizen e-mail is shown to operators inside the console, so it is reduced to
 * basic formatting: no scripts, styles, frames, objects, forms or event handlers, links only to
 * http/https/mailto, and images only from the message itself (`cid:`) or as inline
 * `data:image/(png|jpeg|gif)`. Remote images are dropped because they are tracking pixels as often
 * as content, and loading them would tell the sender when an operator opened the message.
 */

const INLINE_DATA_IMAGE = /^data:image\/(?:png|jpeg|gif);base64,[a-z0-9+/=\s]*$/i;
const CID_URL = /^cid:[^\s"'<>]+$/i;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'code', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'li', 'ol', 'p', 'pre', 's',
    'small', 'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  // The content of these elements is code or metadata, never text the citizen wrote.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'xml', 'iframe', 'object', 'select'],
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow' } }),
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !isAllowedImageSource(frame.attribs['src']),
};

function isAllowedImageSource(src: string | undefined): boolean {
  if (src === undefined) return false;
  const value = src.trim();
  return CID_URL.test(value) || INLINE_DATA_IMAGE.test(value);
}

/**
 * Sanitises the HTML body of an inbound message (see the module comment for what is kept).
 *
 * As a second line of defence the serialised result never contains the tokens `<script`,
 * `javascript:` or an `on…=` handler, not even as visible text: they are written with a character
 * reference instead (`javascript&#58;`), which renders the same but cannot be mistaken for code by
 * a later consumer that pastes the HTML into another context or filters it by text.
 */
export function sanitiseHtml(html: string): string {
  return neutraliseTokens(sanitizeHtml(html, OPTIONS));
}

function neutraliseTokens(html: string): string {
  return html
    .replace(/<(\s*script)/gi, '&lt;$1')
    .replace(/(java|vb)script(\s*):/gi, '$1script$2&#58;')
    .replace(/(on[a-z]+)(\s*)=/gi, '$1$2&#61;');
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', euro: '€', laquo: '«', raquo: '»', copy: '©', reg: '®', deg: '°', hellip: '…',
  ndash: '–', mdash: '—', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', agrave: 'à', aacute: 'á', egrave: 'è', eacute: 'é', igrave: 'ì',
  iacute: 'í', ograve: 'ò', oacute: 'ó', ugrave: 'ù', uacute: 'ú', Agrave: 'À', Egrave: 'È', Eacute: 'É', Igrave: 'Ì', Ograve: 'Ò', Ugrave: 'Ù',
  ccedil: 'ç', ntilde: 'ñ', uuml: 'ü', ouml: 'ö', auml: 'ä', szlig: 'ß',
};

/** Decodes the character references sanitize-html leaves in its output (it escapes only `&<>"`, plus our own `&#58;`/`&#61;`). */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && (code >= 32 || code === 9 || code === 10) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

const BLOCK_END = /<\/(?:p|div|h[1-6]|li|tr|table|pre|ul|ol)\s*>/gi;
const QUOTE_OPEN = '\u0001';
const QUOTE_CLOSE = '\u0002';

/** Turns the blockquote markers left by {@link htmlToText} into `> ` prefixes, one per nesting level. */
function prefixQuotedLines(text: string): string {
  let depth = 0;
  const lines: string[] = [];
  for (const rawLine of text.split('\n')) {
    const lineDepth = depth + (rawLine.match(/\u0001/g)?.length ?? 0);
    depth = Math.max(0, lineDepth - (rawLine.match(/\u0002/g)?.length ?? 0));
    const line = rawLine.replace(/[\u0001\u0002]/g, '').replace(/[ \t\u00a0]+/g, ' ').trim();
    if (line === '' && lineDepth > 0) continue;
    lines.push(lineDepth > 0 ? `${'> '.repeat(lineDepth)}${line}`.trimEnd() : line);
  }
  return lines.join('\n');
}

/**
 * Plain text of already sanitised HTML, for messages that have no text/plain part: block
 * elements become line breaks, list items get a dash, a link keeps its address when the text
 * does not already show it, and blockquotes (the quoted history of HTML replies) become
 * `>`-prefixed lines so that {@link stripQuotedReply} can recognise them.
 */
export function htmlToText(sanitisedHtml: string): string {
  let html = sanitisedHtml
    .replace(/\r\n?/g, '\n')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[\u0001\u0002]/g, '')
    .replace(/<blockquote\b[^>]*>/gi, `\n${QUOTE_OPEN}`)
    .replace(/<\/blockquote\s*>/gi, `${QUOTE_CLOSE}\n`);
  html = html
    .replace(/<a\b[^>]*?href="([^"]*)"[^>]*>([\s\S]*?)<\/a\s*>/gi, (_whole, href: string, inner: string) => {
      const label = inner.replace(/<[^>]*>/g, '').trim();
      const address = decodeEntities(href).replace(/^mailto:/i, '');
      return label === '' || decodeEntities(label).includes(address) ? inner || address : `${inner} (${address})`;
    })
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<(?:td|th)\b[^>]*>/gi, ' ')
    .replace(/<hr\b[^>]*>/gi, '\n')
    .replace(BLOCK_END, '\n')
    .replace(/<(?:p|div|h[1-6]|tr|table|ul|ol|pre)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  return prefixQuotedLines(decodeEntities(html))
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
