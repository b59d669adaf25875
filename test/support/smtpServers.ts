// Real SMTP peers on 127.0.0.1 (ephemeral ports) for the sending tests: smtp-server with STARTTLS, implicit
// TLS and AUTH, plus raw TCP servers that misbehave on purpose (no greeting, silence after the final dot).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
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
  /** Where to listen (default 127.0.0.1). */
  host?: string;
}

/**
 * An address of this machine that is not loopback (e.g. the container's eth0 address), or undefined.
 * Traffic to it never leaves the machine, but to the clear-text rule it is what a remote server is: a
 * non-loopback peer reached through a non-loopback name. Tests of that rule's "remote" side listen there.
 */
/** Resolves with "connected" or the error code (what a client on this machine gets at host:port). */
export function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

export function nonLoopbackAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') return a.address;
  }
  return undefined;
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
  const port = await listen(server.server, (p) => server.listen(p, options.host ?? '127.0.0.1'));
  return { port, received, authMethods, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export interface RawServer {
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Every byte the clients sent, all connections together (latin1). */
  bytes(): string;
  close(): Promise<void>;
}

/** A TCP server that runs a script per connection: for faults smtp-server will not produce. */
export async function startRawServer(onConnection: (socket: Socket) => void, host = '127.0.0.1'): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const chunks: Buffer[] = [];
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  const port = await listen(server, (p) => server.listen(p, host));
  return {
    port,
    connections: () => connections,
    bytes: () => Buffer.concat(chunks).toString('latin1'),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/**
 * Writes `text` one byte every `everyMs` (again and again when `repeat`), the way a server that keeps a
 * client waiting forever without ever being silent would. Stops when the socket closes.
 */
export function trickle(socket: Socket, text: string, everyMs = 50, repeat = true): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || (!repeat && i >= text.length)) return clearInterval(timer);
    socket.write(text[i % text.length]);
    i++;
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

export interface Script {
  /** null: never greets. */
  greeting?: string | null;
  /** EHLO keywords after the first line (default SIZE 10000000); 8BITMIME is always last. */
  ehlo?: string[];
  /** Replaces the answer to a verb (upper case: EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, RSET, QUIT). */
  on?: Partial<Record<string, (socket: Socket, line: string) => void | 'continue'>>;
  /** The line after a handler returned 'continue' (a SASL response after a 334); may continue again. */
  onContinuation?: (socket: Socket, line: string) => void | 'continue';
  duringData?: (s: Socket) => void;
  afterDot?: (s: Socket) => void;
}

/**
 * A scripted SMTP server: greets, answers EHLO, MAIL, RCPT and DATA with 250/354, then calls `afterDot`
 * (or `duringData` on the first data chunk) so a test can stay silent or cut the connection; `on`
 * replaces the answer to any verb.
 */
export function scriptedSmtp(script: Script) {
  return (socket: Socket) => {
    if (script.greeting === null) return; // never greets
    socket.write(`${script.greeting ?? '220 scripted ESMTP'}\r\n`);
    let inData = false;
    let continuation = false;
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
        const custom = script.on?.[verb];
        if (continuation) continuation = script.onContinuation?.(socket, line) === 'continue';
        else if (custom) continuation = custom(socket, line) === 'continue';
        else if (verb === 'EHLO') socket.write(['250-scripted', ...(script.ehlo ?? ['SIZE 10000000']).map((e) => `250-${e}`), '250 8BITMIME'].join('\r\n') + '\r\n');
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

/**
 * What a STARTTLS-stripping attacker shows: no STARTTLS, every AUTH mechanism offered, and any
 * credential accepted. Whatever the client sends is kept (RawServer.bytes) to look for credentials.
 */
export function credentialTrap(): (socket: Socket) => void {
  return (socket) => {
    let loginStep: 'user' | 'password' | undefined;
    scriptedSmtp({
      ehlo: ['AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2'],
      on: {
        AUTH: (s, line) => {
          const [, mechanism = '', initial] = line.split(' ');
          if (/^LOGIN$/i.test(mechanism)) {
            loginStep = initial ? 'password' : 'user';
            s.write(initial ? '334 UGFzc3dvcmQ6\r\n' : '334 VXNlcm5hbWU6\r\n');
            return 'continue';
          }
          if (/^CRAM-MD5$/i.test(mechanism) || !initial) {
            s.write('334 PDEyMzQ1LjY3ODlAdHJhcD4=\r\n');
            return 'continue';
          }
          s.write('235 2.7.0 accepted\r\n');
          return undefined;
        },
      },
      onContinuation: (s) => {
        if (loginStep === 'user') {
          loginStep = 'password';
          s.write('334 UGFzc3dvcmQ6\r\n');
          return 'continue';
        }
        loginStep = undefined;
        s.write('235 2.7.0 accepted\r\n');
        return undefined;
      },
    })(socket);
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
