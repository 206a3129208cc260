import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_ENGINE } from './helpers/test-app.js';

/** `urpnet import organisations|offices|users|links|closures|competences` on an empty network (no demo), as a region adopting urpnet runs them. */
const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-cli-onboarding-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const root = path.resolve(import.meta.dirname, '..');
const fixture = (name: string) => path.join(root, 'test/fixtures/onboarding', name);
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', BASE_URL: 'https://urp.regione.abruzzo.it', SMTP_URL: '', URPNET_SECRET: 'cli-onboarding-secret-0123456789-abcdefghij' };
const urpnet = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env, cwd: root });

describe.skipIf(TEST_ENGINE !== 'pglite')('urpnet import (onboarding)', () => {
  it('imports bodies, offices, people, closures and the competence matrix, refuses bad files whole, and lists the password links to hand over', { timeout: 300_000 }, async () => {
    await urpnet('seed');
    const dry = await urpnet('import', 'organisations', fixture('ipa-amministrazioni-vecchio.txt'), '--dry-run');
    expect(dry.stdout).toContain('enti: righe lette 5, valide 5, nuove 5');
    expect(dry.stdout).toContain('prova: nulla è stato scritto');
    expect((await urpnet('import', 'organisations', fixture('ipa-amministrazioni-vecchio.txt'))).stdout).toContain('importazione completata');
    expect((await urpnet('import', 'organisations', fixture('ipa-amministrazioni-vecchio.txt'))).stdout).toContain('nuove 0, aggiornate 0, invariate 5');

    // All or nothing by default: exit 1, every bad line on stderr with its number.
    const refused = urpnet('import', 'organisations', fixture('enti-righe-non-valide.csv'));
    await expect(refused).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('riga 4: il comune Moransengo (005079) non esiste più') });
    await expect(urpnet('import', 'organisations', fixture('enti-righe-non-valide.csv'), '--skip-bad-lines')).rejects.toMatchObject({ code: 3, stdout: expect.stringContaining('scritte le righe valide') });

    // Celano is not in this network: its line is skipped (exit 3), the others go in.
    await expect(urpnet('import', 'offices', fixture('uffici.csv'), '--skip-bad-lines')).rejects.toMatchObject({
      code: 3, stdout: expect.stringMatching(/uffici: righe lette 4, valide 3, nuove 3[\s\S]*riga 5: ente con codice IPA «c_c426» inesistente/),
    });
    // The command line may name a network coordinator (a web upload never can).
    const people = path.join(dataDir, 'persone.csv');
    writeFileSync(people, 'email;nome;codice_ipa;ruolo\nanna@regione.abruzzo.it;Anna Coordinatrice;r_abruzz;coordinatore di rete\nbruno@comune.pescara.it;Bruno Bianchi;c_g482;operatore\n');
    const imported = await urpnet('import', 'users', people);
    expect(imported.stdout).toContain('ruoli assegnati 2, inviti ad altri enti 0, link per la password accodati 2');
    const links = await urpnet('import', 'links');
    expect(links.stdout).toContain('link da consegnare: 2');
    expect(links.stdout).toMatch(/bruno@comune\.pescara\.it\tComune di Pescara\tda consegnare\tfino al \S+\thttps:\/\/urp\.regione\.abruzzo\.it\/imposta-password#[A-Za-z0-9_-]{40,}\n/);
    expect((await urpnet('import', 'links', '--organisation', 'c_g482')).stdout).toContain('link da consegnare: 1');

    // Patron days and closures; the same file again changes nothing.
    const closures = path.join(dataDir, 'chiusure.csv');
    writeFileSync(closures, 'ente;ufficio;tipo;data;al;motivo\nc_g482;;patrono;10/10;;San Cetteo\nc_g482;pescara-urp;chiusura;2027-08-16;2027-08-20;Ferie\n');
    expect((await urpnet('import', 'closures', closures)).stdout).toContain('importazione completata');
    expect((await urpnet('import', 'closures', closures, '--json')).stdout).toMatch(/"inserted":0,"updated":0,"unchanged":\d/);

    // The competence matrix: a bad line refuses the file, a merged comune counts as its successor.
    const matrix = path.join(dataDir, 'competenze.csv');
    writeFileSync(matrix, 'argomento;territorio;ente;ufficio\ntributi.tari;068028;c_g482;pescara-tributi\ntributi;Abruzzo;c_g482;pescara-urp\nnon.esiste;068028;c_g482;pescara-urp\n');
    await expect(urpnet('import', 'competences', matrix)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('riga 4') });
    const competences = await urpnet('import', 'competences', matrix, '--skip-bad-lines').catch((e: { code: number; stdout: string }) => e);
    expect(competences).toMatchObject({ code: 3, stdout: expect.stringContaining('uffici nominati 2, modificati 2') });
  });
});
