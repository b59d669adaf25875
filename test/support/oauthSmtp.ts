// A real smtp-server on 127.0.0.1 that takes XOAUTH2 and OAUTHBEARER, and only a token that is valid right
// now (it asks the test authorization server). smtp-server implements XOAUTH2; OAUTHBEARER (RFC 7628) is
// added to its table of SASL mechanisms (`SASL_<NAME>` members, run with the connection as `this`), written
// here from the RFC independently of Mailsmith's client: the GS2 header, the ^A-separated pairs, and on a
// refusal the 334 JSON challenge, the client's ^A and a 535 (section 3.2.2).
import { SMTPServer } from 'smtp-server';
import SASL from 'smtp-server/lib/sasl';
import { testCertificate, type Received, type TestCertificate } from './smtpServers';

export interface BearerAttempt {
  method: string;
  user: string;
  token: string;
  accepted: boolean;
}

export interface OAuthSmtpServer {
  port: number;
  certificate: TestCertificate;
  received: Received[];
  attempts: BearerAttempt[];
  close(): Promise<void>;
}

interface SaslConnection {
  send(code: number, text?: string): void;
  session: unknown;
  _nextHandler?: (data: string, callback: () => void) => void;
  _server: { onAuth(auth: unknown, session: unknown, callback: (err: Error | null, response?: { user?: string }) => void): void };
}

/** RFC 5801 section 4: saslname escapes "," as =2C and "=" as =3D. */
function unescapeSaslName(name: string): string {
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

function oauthBearerResponse(this: SaslConnection, raw: string, callback: () => void): void {
  const text = Buffer.from(raw.trim(), 'base64').toString('utf8');
  // gs2-header "n," [ "a=" saslname ] "," then kvpairs each ended by ^A, then a final ^A (section 3.1).
  const parsed = /^n,(?:a=([^,]*))?,\u0001((?:[A-Za-z]+=[^\u0001]*\u0001)*)\u0001$/.exec(text);
  const pairs = new Map((parsed?.[2] ?? '').split('\u0001').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]));
  const bearer = /^Bearer (.+)$/.exec(pairs.get('auth') ?? '');
  if (!parsed || !parsed[1] || !bearer) {
    this.send(501, 'Error: invalid OAUTHBEARER initial response');
    return callback();
  }
  this._server.onAuth({ method: 'OAUTHBEARER', username: unescapeSaslName(parsed[1]), accessToken: bearer[1], host: pairs.get('host'), port: pairs.get('port') }, this.session, (err, response) => {
    if (!err && response?.user) {
      (this.session as { user?: string }).user = response.user;
      this.send(235, 'Authentication successful');
      return callback();
    }
    // Section 3.2.2: the failure is a 334 with a JSON status; the client's dummy ^A gets the final 535.
    this._nextHandler = (_data, next) => {
      this._nextHandler = undefined;
      this.send(535, 'Error: authentication failed');
      next();
    };
    this.send(334, Buffer.from(JSON.stringify({ status: 'invalid_token', scope: 'mail' })).toString('base64'));
    callback();
  });
}

const table = SASL as unknown as Record<string, unknown>;
table.SASL_OAUTHBEARER ??= function (this: SaslConnection, args: string[], callback: () => void) {
  if (args.length > 1) {
    this.send(501, 'Error: syntax: AUTH OAUTHBEARER token');
    return callback();
  }
  if (!args.length) {
    this._nextHandler = (data, next) => {
      this._nextHandler = undefined;
      oauthBearerResponse.call(this, data, next);
    };
    this.send(334);
    return callback();
  }
  oauthBearerResponse.call(this, args[0], callback);
};

export async function startOAuthSmtpServer(options: { user: string; isValid(token: string): boolean; mechanisms?: string[]; certificate?: TestCertificate }): Promise<OAuthSmtpServer> {
  const certificate = options.certificate ?? (await testCertificate());
  const received: Received[] = [];
  const attempts: BearerAttempt[] = [];
  const server = new SMTPServer({
    key: certificate.key,
    cert: certificate.cert,
    authMethods: options.mechanisms ?? ['XOAUTH2', 'OAUTHBEARER'],
    logger: false,
    onAuth(auth, _session, callback) {
      const token = auth.accessToken ?? '';
      const accepted = auth.username === options.user && options.isValid(token);
      attempts.push({ method: auth.method, user: auth.username ?? '', token, accepted });
      if (accepted) return callback(null, { user: auth.username });
      // XOAUTH2 in smtp-server: no user and a data object gives the 334 JSON challenge, then 535.
      if (auth.method === 'XOAUTH2') return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'mail' } } as never);
      callback(Object.assign(new Error('refused'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((a) => a.address), raw: Buffer.concat(chunks), user: session.user as string | undefined, secure: Boolean(session.secure) });
        callback(null, 'OK queued as OAUTHQ1');
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { port, certificate, received, attempts, close: () => new Promise<void>((r) => server.close(() => r())) };
}
