// The local capture inbox: an SMTP server on loopback that stores what it receives as .eml files, with
// the envelope beside each in a .json file. It is the default profile, so a new user can send at once
// and nothing leaves the machine. STARTTLS uses a self-signed certificate made once and kept in the folder.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { LOCAL_INBOX_PROFILE_NAME } from '../profiles/presets';
import type { SmtpProfile } from '../profiles/profile';
import { silentLogger, type Logger } from '../types';

export interface CaptureInboxOptions {
  /** Where messages are stored. */
  dir: string;
  /** Loopback only: anything else is refused. */
  host?: string;
  /** 0 (the default) takes any free port. */
  port?: number;
  /** When `port` is taken, listen on any free port instead (and say so) rather than fail. */
  freePortIfBusy?: boolean;
  /** When set, AUTH is required with these credentials (to rehearse a real server). */
  auth?: { user: string; password: string };
  /** Largest message accepted, announced with SIZE (default 25 MB). */
  maxSize?: number;
  logger?: Logger;
  onMessage?: (message: CapturedMessage) => void;
}

export interface CapturedMessage {
  /** The stored .eml file. */
  file: string;
  envelopeFile: string;
  envelope: { from: string; to: string[] };
  size: number;
  receivedAt: string;
}

export interface CaptureInbox {
  host: string;
  port: number;
  /** The address the listening socket is bound to, as the operating system reports it. */
  boundAddress?: string;
  dir: string;
  /** A profile that sends here. */
  profile: SmtpProfile;
  /** PEM of the inbox's certificate: trust it (caFile) to verify the TLS session. */
  certificateFile: string;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;
// Captured mail is private: only the user who runs the inbox may read it (not 755/644).
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Creates the folder (and its missing parents) private. A folder that already exists keeps its mode (it
 * may be one the user chose for more than this); the files in it are private either way.
 */
function makePrivateDir(dir: string): boolean {
  return mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR }) !== undefined;
}

/** How the capture inbox greets (the doctor recognises it by this). */
export const CAPTURE_INBOX_BANNER = 'Mailsmith capture inbox: nothing leaves this machine';

export async function startCaptureInbox(options: CaptureInboxOptions): Promise<CaptureInbox> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host)) throw new Error(`the capture inbox listens on loopback only, not on "${host}"`);
  const logger = options.logger ?? silentLogger;
  if (!makePrivateDir(options.dir) && process.platform !== 'win32' && (statSync(options.dir).mode & 0o077) !== 0) {
    logger.warn(`The capture folder ${options.dir} can be listed by other users of this machine; the messages in it are readable by you only`);
  }
  const { key, cert, certificateFile } = await loadOrCreateCertificate(options.dir);
  const server = new SMTPServer({
    name: 'mailsmith.capture.local',
    banner: CAPTURE_INBOX_BANNER,
    key,
    cert,
    size: options.maxSize ?? 25 * 1024 * 1024,
    authOptional: !options.auth,
    // Credentials to a loopback server are fine in clear text; tests rehearse both ways.
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5'],
    disabledCommands: options.auth ? [] : ['AUTH'],
    logger: false,
    onAuth(auth, _session, callback) {
      const expected = options.auth;
      const ok = expected && auth.username === expected.user && (auth.method === 'CRAM-MD5' ? auth.validatePassword?.(expected.password) : auth.password === expected.password);
      if (!ok) return callback(new Error('Invalid username or password'));
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          const err = new Error('Message exceeds the fixed maximum message size') as Error & { responseCode?: number };
          err.responseCode = 552;
          return callback(err);
        }
        const raw = Buffer.concat(chunks);
        const receivedAt = new Date().toISOString();
        const id = `${receivedAt.replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`;
        const file = join(options.dir, `${id}.eml`);
        const envelopeFile = join(options.dir, `${id}.json`);
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        try {
          // The folder may have been removed while the inbox runs: make it again.
          makePrivateDir(options.dir);
          writeFileSync(file, raw, { mode: PRIVATE_FILE });
          writeFileSync(envelopeFile, JSON.stringify({ ...envelope, size: raw.length, receivedAt, secure: session.secure ?? false }, null, 2) + '\n', { mode: PRIVATE_FILE });
        } catch (err) {
          // A throw here would end the process; a 451 tells the sender to try again (RFC 5321 section 4.2.3).
          logger.error(`Capture inbox: cannot store the message in ${options.dir}: ${(err as Error).message}`);
          return callback(Object.assign(new Error('Cannot store the message in the capture folder'), { responseCode: 451 }));
        }
        logger.info(`Captured ${raw.length} bytes from ${envelope.from || '<>'} to ${envelope.to.join(', ')}: ${file}`);
        options.onMessage?.({ file, envelopeFile, envelope, size: raw.length, receivedAt });
        callback(null, `Message captured as ${id}`);
      });
    },
  });
  // A failed listen (EADDRINUSE) is the caller's to handle: logging it would print the busy address
  // before the real one, and `npm start` takes the first 127.0.0.1:<port> it sees.
  let listening = false;
  server.on('error', (err) => listening && logger.error(`Capture inbox: ${err.message}`));
  const listenOn = (wanted: number) =>
    new Promise<{ port: number; address: string }>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.server.once('error', onError);
      server.listen(wanted, host, () => {
        server.server.off('error', onError);
        listening = true;
        const address = server.server.address();
        resolve(typeof address === 'object' && address ? { port: address.port, address: address.address } : { port: wanted, address: String(address) });
      });
    });
  const wanted = options.port ?? 0;
  let bound: { port: number; address: string };
  try {
    bound = await listenOn(wanted);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || wanted === 0 || !options.freePortIfBusy) throw err;
    logger.warn(`port ${wanted} is busy; taking a free one`);
    bound = await listenOn(0);
  }
  const port = bound.port;
  logger.info(`Capture inbox listening on ${host}:${port}, storing messages in ${options.dir}`);
  const profile: SmtpProfile = {
    name: LOCAL_INBOX_PROFILE_NAME,
    host,
    port,
    security: 'starttls',
    caFile: certificateFile,
    ...(options.auth ? { user: options.auth.user } : {}),
  };
  return {
    host,
    port,
    boundAddress: bound.address,
    dir: options.dir,
    profile,
    certificateFile,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A self-signed certificate for 127.0.0.1/localhost, generated once and kept beside the messages. */
async function loadOrCreateCertificate(dir: string): Promise<{ key: string; cert: string; certificateFile: string }> {
  const certDir = join(dir, '.tls');
  const keyFile = join(certDir, 'key.pem');
  const certificateFile = join(certDir, 'cert.pem');
  if (existsSync(keyFile) && existsSync(certificateFile)) {
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certificateFile, 'utf8'), certificateFile };
  }
  const selfsigned = await import('selfsigned');
  const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 5 * 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  } as never);
  mkdirSync(certDir, { recursive: true, mode: PRIVATE_DIR });
  writeFileSync(keyFile, pems.private, { mode: PRIVATE_FILE });
  writeFileSync(certificateFile, pems.cert, { mode: PRIVATE_FILE });
  return { key: pems.private, cert: pems.cert, certificateFile };
}
