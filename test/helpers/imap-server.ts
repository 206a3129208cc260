import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

/**
 * A real IMAP server for tests: Dovecot (Debian's dovecot-imapd, installed by .ci/run), started in
 * the foreground on a free loopback port with its own configuration, users and maildirs in a
 * temporary folder. Plain-text login on loopback, no TLS.
 */

export const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p)) ?? null;

export interface ImapTestServer {
  port: number;
  /** Puts a message in a user's folder (as the mail server's delivery would); returns its UID. */
  append(user: string, raw: string | Buffer, folder?: string, flags?: string[]): Promise<number>;
  /** The flags of every message of a user's folder, by UID. */
  flags(user: string, folder?: string): Promise<Map<number, string[]>>;
  /** Deletes a user's folder and makes it again: a new UIDVALIDITY, its UIDs start over. */
  recreate(user: string, folder: string): Promise<void>;
  /** Changes a user's password (the admin forgot to update urpnet). */
  setPassword(user: string, password: string): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('* OK'));
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startImapServer(users: Record<string, string>): Promise<ImapTestServer> {
  if (!DOVECOT) throw new Error('Dovecot is not installed (apt-get install dovecot-imapd)');
  const dir = mkdtempSync(path.join(tmpdir(), 'urpnet-imap-'));
  chmodSync(dir, 0o755); // Dovecot's auth and mail processes run as its own users: they read the users' file and the homes
  const port = await freePort();
  const root = process.getuid?.() === 0;
  // Dovecot refuses mail access as root: as root the mail belongs to the package's `dovecot` user.
  const mailUser = root ? 'dovecot' : userInfo().username;
  const uid = Number(execFileSync('id', ['-u', mailUser]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', mailUser]).toString().trim());
  const passwd = path.join(dir, 'passwd');
  const passwords = new Map(Object.entries(users));
  // Written aside and renamed: Dovecot sees a new file at once (it re-reads the users' file when it changes).
  const writeUsers = () => {
    writeFileSync(`${passwd}.new`, [...passwords].map(([u, p]) => `${u}:{PLAIN}${p}\n`).join(''));
    renameSync(`${passwd}.new`, passwd);
  };
  writeUsers();
  for (const sub of ['run', 'state', 'home']) mkdirSync(path.join(dir, sub));
  if (root) chownSync(path.join(dir, 'home'), uid, gid);
  const conf = path.join(dir, 'dovecot.conf');
  writeFileSync(conf, `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = ${root ? 'dovecot' : mailUser}
default_login_user = ${root ? 'dovenull' : mailUser}
first_valid_uid = 1
first_valid_gid = 1
service imap-login {
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${passwd}
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%u
}
mail_location = maildir:~/Maildir
`);
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', conf], { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (let i = 0; i < 100 && !(await greets(port)); i++) {
    if (exited) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (exited || !(await greets(port))) {
    const log = existsSync(path.join(dir, 'dovecot.log')) ? readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : '';
    child.kill('SIGKILL');
    throw new Error(`Dovecot did not start on port ${port}: ${log.slice(-2000)}`);
  }

  async function session<T>(user: string, folder: string, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user, pass: passwords.get(user)! }, logger: false });
    await client.connect();
    try {
      if (folder !== 'INBOX' && !(await client.list()).some((f) => f.path === folder)) await client.mailboxCreate(folder);
      return await fn(client);
    } finally {
      await client.logout();
    }
  }

  return {
    port,
    append: (user, raw, folder = 'INBOX', flags = []) =>
      session(user, folder, async (c) => {
        const r = await c.append(folder, raw, flags);
        if (!r || !r.uid) throw new Error('APPEND gave no UID');
        return r.uid;
      }),
    flags: (user, folder = 'INBOX') =>
      session(user, folder, async (c) => {
        const out = new Map<number, string[]>();
        await c.mailboxOpen(folder, { readOnly: true });
        if (!c.mailbox || c.mailbox.exists === 0) return out;
        for await (const m of c.fetch('1:*', { uid: true, flags: true })) out.set(m.uid, [...(m.flags ?? [])]);
        return out;
      }),
    recreate: (user, folder) =>
      session(user, 'INBOX', async (c) => {
        await c.mailboxDelete(folder);
        await c.mailboxCreate(folder);
      }),
    async setPassword(user, password) {
      passwords.set(user, password);
      writeUsers();
      // Dovecot notices a changed users' file within about a second: wait until the new password opens.
      for (let i = 0; ; i++) {
        try {
          return await session(user, 'INBOX', async () => undefined);
        } catch (err) {
          if (i >= 30) throw err;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    async close() {
      if (!exited) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
        if (!exited) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
