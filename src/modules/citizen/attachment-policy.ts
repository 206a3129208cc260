/* What the citizen channels accept as attachments, beyond the platform's allowed types (file-storage.ts). */

/** Magic numbers of executables and archives: refused whatever the file is called. */
const REFUSED_SIGNATURES: { name: string; test: (h: Buffer) => boolean }[] = [
  { name: 'exe', test: (h) => h[0] === 0x4d && h[1] === 0x5a },
  { name: 'elf', test: (h) => h.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) },
  { name: 'zip', test: (h) => h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04 },
  { name: 'gzip', test: (h) => h[0] === 0x1f && h[1] === 0x8b },
  { name: 'rar', test: (h) => h.subarray(0, 4).toString('latin1') === 'Rar!' },
  { name: '7z', test: (h) => h.subarray(0, 6).equals(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) },
  { name: 'script', test: (h) => h.subarray(0, 2).toString('latin1') === '#!' },
];
/** Office documents are zip containers: only these extensions may carry a zip signature. */
const ZIP_DOCUMENTS = new Set(['docx', 'xlsx', 'odt', 'ods']);

/** Refuses executables and archives by content (a renamed .exe or a zip bomb called .pdf). */
export function refusedContent(filename: string, head: Buffer): string | null {
  const ext = filename.split('.').pop()?.toLowerCase() ?? '';
  for (const s of REFUSED_SIGNATURES) if (s.test(head) && !(s.name === 'zip' && ZIP_DOCUMENTS.has(ext))) return s.name;
  return null;
}
