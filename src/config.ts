import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';

/** The platform's configuration, parsed once at boot and frozen. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** PostgreSQL URL; null means the embedded PGlite database under `dataDir`. */
  readonly databaseUrl: string | null;
  readonly baseUrl: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Secret for signing/hashing session and API tokens (HMAC key). */
  readonly secret: string;
  readonly demoPassword: string | null;
  readonly sessionTtlHours: number;
  readonly rateLimitPerMinute: number;
  readonly maxAttachmentBytes: number;
  readonly maxBodyBytes: number;
  readonly seedDemo: boolean;
  readonly webDist: string;
  readonly taxonomyFile: string;
  readonly secureCookies: boolean;
  /**
   * Reverse proxies whose X-Forwarded-For is believed (addresses, CIDRs or `loopback`, `linklocal`,
   * `uniquelocal`); false: the client address is the TCP peer and forwarding headers are ignored.
   */
  readonly trustProxy: readonly string[] | false;
  readonly dbPoolSize: number;
  /** SMTP server for e-mail to office mailboxes, e.g. smtp://user:pass@mail.ente.it:587; null disables e-mail. */
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  /**
   * Where the e-mail/PEC intake listens (SMTP, for the offices' mailboxes: the organisation's mail
   * server forwards citizens' mail here); null: no listener. MAIL_INTAKE_PORT=0 picks a free port.
   */
  readonly mailIntakePort: number | null;
  readonly mailIntakeHost: string;
  /** Largest message the intake accepts (bytes); bigger ones are refused during the SMTP exchange. */
  readonly mailIntakeMaxBytes: number;
  /**
   * The intake's TLS key and certificate (PEM, read from MAIL_INTAKE_TLS_KEY / MAIL_INTAKE_TLS_CERT):
   * STARTTLS is offered, so mail crosses the network encrypted; MAIL_INTAKE_REQUIRE_TLS=true refuses
   * mail sent without it. Null: no STARTTLS (a listener on the loopback or behind the body's own relay).
   */
  readonly mailIntakeTls: { key: string; cert: string; required: boolean } | null;
  /** Leading zero bits the portal form's proof of work asks for (2^n hashes on average in the browser). */
  readonly portalPowDifficulty: number;
  /** Hours between automatic retrainings of the classification suggester; 0 disables them. */
  readonly classifierRetrainHours: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configurazione non valida:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name}="${raw}" deve essere un intero tra ${min} e ${max}`);
    return fallback;
  }
  return value;
}

/** Cookies are Secure whenever the public address is https, however the scheme is spelt. */
function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

const PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: unset/`off`/`false` trusts nobody; otherwise a comma list of proxy addresses or CIDRs. */
function trustProxyVar(env: NodeJS.ProcessEnv, problems: string[]): readonly string[] | false {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === 'off' || raw === 'false') return false;
  const entries = raw.split(',').map((e) => e.trim()).filter((e) => e !== '');
  const invalid = entries.filter((entry) => {
    if (PROXY_KEYWORDS.includes(entry)) return false;
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined) return true;
    if (prefix === undefined) return false;
    const bits = Number(prefix);
    return !/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128);
  });
  if (invalid.length > 0 || entries.length === 0) {
    problems.push(`TRUST_PROXY="${raw}" non valido (${invalid.join(', ') || 'vuoto'}): usa off oppure indirizzi o CIDR dei proxy separati da virgola, es. 10.0.0.5,192.168.1.0/24`);
    return false;
  }
  return Object.freeze(entries);
}

/**
 * Reads the secret from URPNET_SECRET, or from DATA_DIR/secret (created on first boot), so that
 * sessions survive restarts without configuration on a single-office install.
 */
function loadSecret(env: NodeJS.ProcessEnv, dataDir: string, problems: string[]): string {
  const fromEnv = env.URPNET_SECRET;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < 32) problems.push('URPNET_SECRET deve avere almeno 32 caratteri');
    return fromEnv;
  }
  const file = path.join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Parses the environment into a frozen Config; throws ConfigError listing every problem. */
/** The intake's PEM key and certificate, both or neither, each a readable file. */
function intakeTlsVar(env: NodeJS.ProcessEnv, problems: string[]): { key: string; cert: string; required: boolean } | null {
  const keyFile = env.MAIL_INTAKE_TLS_KEY || '';
  const certFile = env.MAIL_INTAKE_TLS_CERT || '';
  const required = env.MAIL_INTAKE_REQUIRE_TLS === 'true';
  if (!keyFile && !certFile) {
    if (required) problems.push('MAIL_INTAKE_REQUIRE_TLS=true richiede MAIL_INTAKE_TLS_KEY e MAIL_INTAKE_TLS_CERT (file PEM di chiave e certificato)');
    return null;
  }
  if (!keyFile || !certFile) {
    problems.push('MAIL_INTAKE_TLS_KEY e MAIL_INTAKE_TLS_CERT vanno indicati insieme (file PEM di chiave e certificato)');
    return null;
  }
  const read = (name: string, file: string) => {
    try {
      const pem = readFileSync(file, 'utf8');
      if (!pem.includes('-----BEGIN ')) problems.push(`${name}="${file}" non è un file PEM`);
      return pem;
    } catch {
      problems.push(`${name}="${file}": file non leggibile`);
      return '';
    }
  };
  return { key: read('MAIL_INTAKE_TLS_KEY', keyFile), cert: read('MAIL_INTAKE_TLS_CERT', certFile), required };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const port = intVar(env, 'PORT', 3000, 0, 65535, problems);
  const dataDir = path.resolve(env.DATA_DIR || path.join(process.cwd(), 'data'));
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL deve iniziare con postgres:// o postgresql:// (oppure non impostarla per usare il database integrato)');
  }
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL="${env.LOG_LEVEL}" non valido: usare ${LOG_LEVELS.join(', ')}`);
  const host = env.HOST || '0.0.0.0';
  const baseUrl = env.BASE_URL || `http://localhost:${port}`;
  try {
    new URL(baseUrl);
  } catch {
    problems.push(`BASE_URL="${baseUrl}" non è un URL valido`);
  }
  const demoPassword = env.URPNET_DEMO_PASSWORD || null;
  if (demoPassword !== null && demoPassword.length < 8) problems.push('URPNET_DEMO_PASSWORD deve avere almeno 8 caratteri');
  const config: Config = {
    port,
    host,
    dataDir,
    databaseUrl,
    baseUrl,
    logLevel,
    secret: problems.length === 0 ? loadSecret(env, dataDir, problems) : '',
    demoPassword,
    sessionTtlHours: intVar(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30, problems),
    rateLimitPerMinute: intVar(env, 'RATE_LIMIT_PER_MINUTE', 1200, 1, 10_000_000, problems),
    maxAttachmentBytes: intVar(env, 'MAX_ATTACHMENT_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024, problems),
    maxBodyBytes: intVar(env, 'MAX_BODY_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024, problems),
    seedDemo: env.URPNET_SEED_DEMO !== 'false',
    webDist: path.resolve(env.URPNET_WEB_DIST || path.join(projectRoot, 'web', 'dist')),
    taxonomyFile: path.resolve(env.URPNET_TAXONOMY_FILE || path.join(projectRoot, 'data-seed', 'urp-taxonomy.json')),
    secureCookies: env.SECURE_COOKIES === 'true' || isHttps(baseUrl),
    trustProxy: trustProxyVar(env, problems),
    dbPoolSize: intVar(env, 'DB_POOL_SIZE', 10, 1, 200, problems),
    smtpUrl: env.SMTP_URL || null,
    mailFrom: env.MAIL_FROM || 'urpnet <noreply@urpnet.invalid>',
    mailIntakePort: env.MAIL_INTAKE_PORT === undefined || env.MAIL_INTAKE_PORT === '' ? null : intVar(env, 'MAIL_INTAKE_PORT', 2525, 0, 65535, problems),
    mailIntakeHost: env.MAIL_INTAKE_HOST || '127.0.0.1',
    mailIntakeMaxBytes: intVar(env, 'MAIL_INTAKE_MAX_BYTES', 30 * 1024 * 1024, 64 * 1024, 200 * 1024 * 1024, problems),
    mailIntakeTls: intakeTlsVar(env, problems),
    portalPowDifficulty: intVar(env, 'PORTAL_POW_DIFFICULTY', 16, 0, 28, problems),
    classifierRetrainHours: intVar(env, 'CLASSIFIER_RETRAIN_HOURS', 24, 0, 24 * 365, problems),
  };
  if (config.smtpUrl !== null && !/^smtps?:\/\//.test(config.smtpUrl)) problems.push('SMTP_URL deve iniziare con smtp:// o smtps://');
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

export { projectRoot };
