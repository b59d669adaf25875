// Real SMTP peers on 127.0.0.1 (ephemeral ports) for the sending tests: smtp-server with STARTTLS, implicit
// TLS and AUTH, plus raw TCP servers that misbehave on purpose (no greeting, silence after the final dot).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface TestCertificate {
  key: string;
  cert: string;
  /** The certificate written to a file, for a profile's caFile. */
  certFile: string;
}

const certificates = new Map<string, Promise<TestCertificate>>();

/** A self-signed certificate valid for the given names (cached per name set: key generation is slow). */
export function testCertificate(names: { dns?: string[]; ip?: string[] } = { dns: ['localhost'], ip: ['127.0.0.1'] }): Promise<TestCertificate> {
  const cacheKey = JSON.stringify(names);
  let cert = certificates.get(cacheKey);
  if (!cert) {
    cert = (async () => {
      const altNames = [...(names.dns ?? []).map((value) => ({ type: 2, value })), ...(names.ip ?? []).map((ip) => ({ type: 7, ip }))];
      const pems = await generate([{ name: 'commonName', value: names.dns?.[0] ?? names.ip?.[0] ?? 'test' }], {
        keySize: 2048,
        algorithm: 'sha256',
        extensions: [{ name: 'basicConstraints', cA: true }, { name: 'subjectAltName', altNames }],
      } as never);
      const dir = mkdtempSync(join(tmpdir(), 'mailsmith-cert-'));
      // Kept for the whole run (the cache hands it out again), removed when the test process ends.
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      const certFile = join(dir, 'cert.pem');
      writeFileSync(certFile, pems.cert);
      return { key: pems.private, cert: pems.cert, certFile };
    })();
    certificates.set(cacheKey, cert);
  }
  return cert;
}

export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  user?: string;
  secure: boolean;
}

export interface RunningServer {
  port: number;
  received: Received[];
  /** Every AUTH attempt's method, as the server saw it. */
  authMethods: string[];
  close(): Promise<void>;
}

export interface SmtpTestOptions {
  /** Require AUTH with these credentials (all of PLAIN, LOGIN, CRAM-MD5 and XOAUTH2 offered). */
  auth?: { user: string; password?: string; accessToken?: string };
  /** Offer STARTTLS (default true). */
  starttls?: boolean;
  /** Implicit TLS from the first byte. */
  secure?: boolean;
  certificate?: TestCertificate;
  /** Per-recipient reply: return an error code and text to refuse it. */
  rcpt?: (address: string) => { code: number; message: string } | undefined;
  mailFrom?: (address: string) => { code: number; message: string } | undefined;
  /** Reply after the final dot: an error to refuse the message. */
  afterData?: () => { code: number; message: string } | undefined;
  size?: number;
  extra?: Partial<SMTPServerOptions>;
}

export async function startSmtpServer(options: SmtpTestOptions = {}): Promise<RunningServer> {
  const certificate = options.certificate ?? (await testCertificate());
  const received: Received[] = [];
  const authMethods: string[] = [];
  const fail = (r: { code: number; message: string }) => Object.assign(new Error(r.message), { responseCode: r.code });
  const server = new SMTPServer({
    secure: options.secure ?? false,
    key: certificate.key,
    cert: certificate.cert,
    hideSTARTTLS: options.starttls === false,
    authOptional: !options.auth,
    disabledCommands: options.auth ? [] : ['AUTH'],
    authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'],
    allowInsecureAuth: true,
    size: options.size,
    logger: false,
    onAuth(auth, _session, callback) {
      authMethods.push(auth.method);
      const expected = options.auth!;
      const ok =
        auth.username === expected.user &&
        (auth.method === 'XOAUTH2'
          ? auth.accessToken === expected.accessToken
          : auth.method === 'CRAM-MD5'
            ? Boolean(expected.password && auth.validatePassword(expected.password))
            : auth.password === expected.password);
      if (!ok) return callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
      callback(null, { user: auth.username });
    },
    onMailFrom(address, _session, callback) {
      const r = options.mailFrom?.(address.address);
      callback(r ? fail(r) : undefined);
    },
    onRcptTo(address, _session, callback) {
      const r = options.rcpt?.(address.address);
      callback(r ? fail(r) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const r = options.afterData?.();
        if (r) return callback(fail(r));
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((a) => a.address),
          raw: Buffer.concat(chunks),
          user: session.user as string | undefined,
          secure: Boolean(session.secure),
        });
        callback(null, 'OK queued as TESTQ1');
      });
    },
    ...options.extra,
  });
  server.on('error', () => undefined);
  const port = await listen(server.server, (p) => server.listen(p, '127.0.0.1'));
  return { port, received, authMethods, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A TCP server that runs a script per connection: for faults smtp-server will not produce. */
export async function startRawServer(onConnection: (socket: Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  const port = await listen(server, (p) => server.listen(p, '127.0.0.1'));
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/**
 * A scripted SMTP server: greets, answers EHLO, MAIL, RCPT and DATA with 250/354, then calls `afterDot`
 * (or `duringData` on the first data chunk) so a test can stay silent or cut the connection.
 */
export function scriptedSmtp(script: { greeting?: string | null; ehlo?: string[]; duringData?: (s: Socket) => void; afterDot?: (s: Socket) => void }) {
  return (socket: Socket) => {
    if (script.greeting === null) return; // never greets
    socket.write(`${script.greeting ?? '220 scripted ESMTP'}\r\n`);
    let inData = false;
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      if (inData) {
        if (script.duringData) {
          script.duringData(socket);
          return;
        }
        const end = buffer.indexOf('\r\n.\r\n');
        if (end === -1) return;
        inData = false;
        buffer = buffer.slice(end + 5);
        if (script.afterDot) script.afterDot(socket);
        else socket.write('250 OK\r\n');
        return;
      }
      let nl: number;
      while ((nl = buffer.indexOf('\r\n')) !== -1) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.split(' ')[0].toUpperCase();
        if (verb === 'EHLO') socket.write(['250-scripted', ...(script.ehlo ?? ['SIZE 10000000']).map((e) => `250-${e}`), '250 8BITMIME'].join('\r\n') + '\r\n');
        else if (verb === 'HELO' || verb === 'MAIL' || verb === 'RCPT' || verb === 'RSET' || verb === 'NOOP') socket.write('250 OK\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
          if (buffer.length && script.duringData) script.duringData(socket);
          return;
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('502 not implemented\r\n');
      }
    });
  };
}

async function listen(server: Server, start: (port: number) => void): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => resolve());
    start(0);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
