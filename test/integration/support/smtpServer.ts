// A real smtp-server on 127.0.0.1 (ephemeral port) for suites that send: STARTTLS with a fresh
// self-signed certificate, AUTH PLAIN/LOGIN required after TLS (RFC 3207, RFC 4954), and every accepted
// message kept with its envelope and exact bytes.
import { generate } from 'selfsigned';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMessage {
  mailFrom: string;
  rcptTo: string[];
  /** The DATA bytes as received, dot-unstuffed, without the final "." line. */
  raw: Buffer;
  user: string | undefined;
  secure: boolean;
}

export interface TestSmtpServer {
  host: '127.0.0.1';
  port: number;
  /** The server's certificate (PEM), for a profile that verifies it through a CA file. */
  certificatePem: string;
  received: ReceivedMessage[];
  /** Resolves with the n-th (1-based) message once it has arrived. */
  waitForMessage(count?: number, timeoutMs?: number): Promise<ReceivedMessage>;
  close(): Promise<void>;
}

export interface TestSmtpServerOptions {
  user?: string;
  password?: string;
  /** false: AUTH is offered but not required (a profile without credentials can send). Default true. */
  requireAuth?: boolean;
  /** Extra smtp-server options (e.g. onRcptTo to reject a recipient). */
  server?: Partial<SMTPServerOptions>;
}

export async function startTestSmtpServer(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const user = options.user ?? 'tester';
  const password = options.password ?? 'correct horse battery staple';
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
  });
  const received: ReceivedMessage[] = [];
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    secure: false,
    key: pems.private,
    cert: pems.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: false,
    authOptional: options.requireAuth === false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          user: typeof session.user === 'string' ? session.user : undefined,
          secure: session.secure,
        });
        waiters.splice(0).forEach((wake) => wake());
        callback(null);
      });
    },
    ...options.server,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('smtp-server has no TCP address');

  return {
    host: '127.0.0.1',
    port: address.port,
    certificatePem: pems.cert,
    received,
    async waitForMessage(count = 1, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no message #${count} at the test SMTP server within ${timeoutMs} ms (got ${received.length})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received[count - 1];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
