import { describe, expect, it } from 'vitest';
import { unseal } from '../../platform/sealed.js';
import { parseIncomingUrl, sealIncoming } from './imap-intake.js';

describe('the incoming IMAP server an admin types', () => {
  it('reads user, password, host, port and folder, with the defaults of each scheme', () => {
    expect(parseIncomingUrl('imaps://urp%40comune.esempio.it:p%40ss@imap.esempio.it/Posta%20in%20arrivo')?.server).toEqual({
      host: 'imap.esempio.it', port: 993, secure: true, user: 'urp@comune.esempio.it', password: 'p@ss', folder: 'Posta in arrivo',
    });
    expect(parseIncomingUrl('imap://u:p@imap.esempio.it')?.server).toMatchObject({ port: 143, secure: false, folder: 'INBOX' });
    expect(parseIncomingUrl(' imap://u:p@[::1]:1143/INBOX ')?.server).toMatchObject({ host: '::1', port: 1143 });
  });

  it('shows everything but the password', () => {
    const parsed = parseIncomingUrl('imaps://urp%40comune.esempio.it:segreta@imap.esempio.it:993/INBOX');
    expect(parsed?.label).toBe('imaps://urp@comune.esempio.it@imap.esempio.it:993/INBOX');
    expect(parsed?.label).not.toContain('segreta');
  });

  it('refuses what is not an IMAP URL with a user and a password', () => {
    for (const bad of ['', 'imap.esempio.it', 'smtp://u:p@host', 'imaps://imap.esempio.it', 'imaps://solo-utente@imap.esempio.it', 'imaps://u:p@host/%E0%A4%A', 'https://u:p@host']) {
      expect(parseIncomingUrl(bad), bad).toBeNull();
    }
  });

  it('seals the URL for its own purpose: it opens with the secret, and not as another kind of sealed value', () => {
    const sealed = sealIncoming('segreto-del-server-di-prova-2026', 'imaps://u:parola-segreta-lunga@imap.esempio.it:993/INBOX');
    expect(sealed?.sealed).not.toContain('parola-segreta-lunga');
    expect(unseal('segreto-del-server-di-prova-2026', 'mailbox-incoming-imap', sealed!.sealed)).toBe('imaps://u:parola-segreta-lunga@imap.esempio.it:993/INBOX');
    expect(unseal('segreto-del-server-di-prova-2026', 'mailbox-outgoing-smtp', sealed!.sealed)).toBeNull();
    expect(unseal('un-altro-segreto-del-server-2026', 'mailbox-incoming-imap', sealed!.sealed)).toBeNull();
  });
});
