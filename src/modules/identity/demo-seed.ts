import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../../db/database.js';
import type { Role } from '../../platform/actor.js';
import { hashPassword } from '../../platform/auth.js';
import { DEMO_NETWORK, NATIONAL_CONTACT_CENTRE_SLUG } from './demo-network.data.js';
import * as repo from './identity.repository.js';
import { DEFAULT_TIME_ZONE } from './office-calendar.js';

export const DEMO_EMAIL_DOMAIN = 'demo.urpnet.it';

const FIRST_NAMES = ['Giulia', 'Marco', 'Francesca', 'Luca', 'Chiara', 'Alessandro', 'Sara', 'Davide', 'Elena', 'Matteo', 'Martina', 'Andrea', 'Valentina', 'Simone', 'Federica', 'Stefano', 'Anna', 'Paolo', 'Laura', 'Giuseppe', 'Roberta', 'Antonio', 'Silvia', 'Vincenzo'];
const LAST_NAMES = ['Rossi', 'Esposito', 'Russo', 'Ferrari', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti', 'De Luca', 'Mancini', 'Costa', 'Giordano', 'Rizzo', 'Lombardi', 'Moretti', 'Barbieri', 'Fontana', 'Santoro', 'Mariani', 'Caruso', 'Ferri', 'Serra', 'Fabbri', 'Pellegrino', 'Palumbo', 'Sanna', 'Piras', 'Melis'];

/** The demo staff of each organisation: e-mail prefix, role, and whether the role is on the URP office. */
const STAFF: { prefix: string; role: Role; onOffice: boolean; title: string }[] = [
  { prefix: 'operatore', role: 'operator', onOffice: true, title: 'operatore' },
  { prefix: 'backoffice', role: 'back_office', onOffice: true, title: 'back office' },
  { prefix: 'responsabile', role: 'supervisor', onOffice: true, title: 'responsabile URP' },
  { prefix: 'admin', role: 'org_admin', onOffice: false, title: 'amministratore' },
];

export interface DemoSeedResult {
  organisations: number;
  offices: number;
  users: number;
  password: string;
  generatedPassword: boolean;
  credentialsFile: string;
}

/**
 * Seeds the demo network of the brief (organisations with real ISTAT codes, one URP each, the
 * national contact centre) and demo staff in every role. Does nothing when organisations exist.
 */
export async function seedDemoNetwork(db: Database, options: { dataDir: string; password: string | null }): Promise<DemoSeedResult | null> {
  const existing = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  if (existing) return null;
  const generatedPassword = options.password === null;
  const password = options.password ?? `urp-${randomBytes(9).toString('base64url')}`;
  // One argon2id hash serves every demo account: they share the password by design.
  const passwordHash = await hashPassword(password);
  const lines: string[] = [];
  let people = 0;
  const personName = () => {
    const first = FIRST_NAMES[people % FIRST_NAMES.length];
    const last = LAST_NAMES[(people * 7 + Math.floor(people / FIRST_NAMES.length)) % LAST_NAMES.length];
    people++;
    return `${first} ${last}`;
  };
  let offices = 0;
  await db.transaction().execute(async (trx) => {
    const ids = new Map<string, string>();
    for (const o of DEMO_NETWORK) {
      const org = await repo.insertOrganisation(trx, {
        slug: o.slug, name: o.name, type: o.type, ipaCode: o.ipaCode, istatCode: o.istatCode, taxCode: o.taxCode,
        regionIstat: o.regionIstat === '00' ? null : o.regionIstat, parentId: null,
      });
      ids.set(o.slug, org.id);
      let firstOfficeId: string | null = null;
      let backOfficeId: string | null = null;
      for (const f of o.offices) {
        const office = await repo.insertOffice(trx, {
          organisationId: org.id, slug: f.slug, name: f.name, kind: f.kind, email: f.email, pec: f.pec, phone: f.phone, address: f.address,
          channels: f.channels, territory: f.territoryIstat,
          calendar: { timeZone: DEFAULT_TIME_ZONE, weekly: f.openingHours, closures: [], patronDays: o.patronDay ? [o.patronDay] : [], observeNationalHolidays: true },
        });
        offices++;
        firstOfficeId ??= office.id;
        if (f.kind === 'back_office') backOfficeId ??= office.id;
      }
      lines.push(`\n# ${o.name}`);
      for (const staff of STAFF) {
        const email = `${staff.prefix}.${o.slug}@${DEMO_EMAIL_DOMAIN}`;
        const user = await repo.insertUser(trx, { email, name: personName(), passwordHash, locale: 'it', homeOrganisationId: org.id });
        // The back-office officer works in the body's back office where there is one.
        const officeId = !staff.onOffice ? null : staff.role === 'back_office' ? (backOfficeId ?? firstOfficeId) : firstOfficeId;
        await repo.insertGrant(trx, { userId: user.id, role: staff.role, organisationId: org.id, officeId, createdBy: null });
        lines.push(`${email}\t${staff.title}`);
      }
    }
    const national = ids.get(NATIONAL_CONTACT_CENTRE_SLUG);
    if (national) {
      lines.push('\n# Rete');
      for (const [prefix, role, title] of [['coordinatore', 'network_coordinator', 'coordinatore di rete'], ['analista', 'analyst', 'analista']] as const) {
        const email = `${prefix}@${DEMO_EMAIL_DOMAIN}`;
        const user = await repo.insertUser(trx, { email, name: personName(), passwordHash, locale: 'it', homeOrganisationId: national });
        await repo.insertGrant(trx, { userId: user.id, role, organisationId: national, officeId: null, createdBy: null });
        lines.push(`${email}\t${title}`);
      }
    }
  });
  mkdirSync(options.dataDir, { recursive: true });
  const credentialsFile = path.join(options.dataDir, 'demo-credentials.txt');
  writeFileSync(
    credentialsFile,
    `# urpnet — credenziali della rete dimostrativa\n# Password di tutti gli utenti demo: ${password}\n${lines.join('\n')}\n`,
    { mode: 0o600 },
  );
  return { organisations: DEMO_NETWORK.length, offices, users: people, password, generatedPassword, credentialsFile };
}
