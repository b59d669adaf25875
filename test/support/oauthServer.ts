// An OAuth 2.0 authorization server of our own on 127.0.0.1 (a real HTTP server, ephemeral port), strict
// where real providers are strict: the authorization code grant with PKCE S256 only (RFC 7636) and a
// consent page a browser (or a test) answers, refresh tokens it can revoke and may rotate, the device grant
// (RFC 8628) with authorization_pending and slow_down, and access tokens valid for a few seconds. The SMTP
// test server asks it whether a token is currently valid.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OAuthTestServerOptions {
  clientId?: string;
  /** When set, the token endpoint requires this client_secret. */
  clientSecret?: string;
  /** How long an access token really works (default 3000 ms). */
  accessTtlMs?: number;
  /** What `expires_in` says (seconds); by default the truth, rounded up. A lie tests the refusal path. */
  reportedExpiresInS?: number;
  /** Issue a new refresh token on every renewal, and refuse the spent one from then on. */
  rotateRefreshTokens?: boolean;
  /** The device grant's polling interval, seconds (default 0.2). */
  deviceIntervalS?: number;
  /** The ID token's email claim (an ID token is issued when scopes include openid). */
  email?: string;
  /** The consent page approves by itself (a browser that follows the redirect needs no click). */
  autoApprove?: boolean;
}

export interface IssuedToken {
  value: string;
  expiresAt: number;
}

export interface OAuthTestServer {
  origin: string;
  authorizeUrl: string;
  tokenUrl: string;
  deviceUrl: string;
  clientId: string;
  /** Every access token issued, and every refresh token: for "never appears anywhere" checks. */
  issuedAccessTokens: string[];
  issuedRefreshTokens: string[];
  /** Every token endpoint request's grant_type, in order. */
  grants: string[];
  /** The query of each authorization request. */
  authorizeRequests: URLSearchParams[];
  /** Issued here, not expired, not revoked. */
  isValidAccessToken(token: string): boolean;
  /** Refresh tokens stop working (the user removed the app, or an administrator did). */
  revokeRefreshTokens(): void;
  /** Access tokens issued so far stop working before their time. */
  revokeAccessTokens(): void;
  /** How long access tokens issued from now on work (and what expires_in says, unless reportedExpiresInS). */
  setAccessTtlMs(ms: number): void;
  /** The user codes of device sign-ins not approved yet (what a person would read off the screen). */
  pendingUserCodes(): string[];
  /** Approves the device sign-in with this user code (a person typing it on their phone). */
  approveDevice(userCode: string): void;
  close(): Promise<void>;
}

const b64url = (bytes: Buffer) => bytes.toString('base64url');
const token = (prefix: string) => `${prefix}.${b64url(randomBytes(24))}`;

interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state: string;
  challenge: string;
  scope: string;
}

export async function startOAuthServer(options: OAuthTestServerOptions = {}): Promise<OAuthTestServer> {
  const clientId = options.clientId ?? 'mailsmith-test-client';
  let ttl = options.accessTtlMs ?? 3000;
  const access = new Map<string, IssuedToken & { revoked?: boolean }>();
  const refresh = new Map<string, { revoked: boolean; scope: string }>();
  const pendingConsents = new Map<string, PendingAuthorization>();
  const codes = new Map<string, PendingAuthorization & { used: boolean }>();
  const devices = new Map<string, { userCode: string; approved: boolean; scope: string; lastPoll: number }>();
  const issuedAccessTokens: string[] = [];
  const issuedRefreshTokens: string[] = [];
  const grants: string[] = [];
  const authorizeRequests: URLSearchParams[] = [];

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  };
  const issue = (scope: string, withRefresh: boolean) => {
    const at = token('AT');
    access.set(at, { value: at, expiresAt: Date.now() + ttl });
    issuedAccessTokens.push(at);
    const body: Record<string, unknown> = {
      access_token: at,
      token_type: 'Bearer',
      expires_in: options.reportedExpiresInS ?? Math.ceil(ttl / 1000),
      scope,
    };
    if (withRefresh) {
      const rt = token('RT');
      refresh.set(rt, { revoked: false, scope });
      issuedRefreshTokens.push(rt);
      body.refresh_token = rt;
    }
    if (/\bopenid\b/.test(scope) && options.email) {
      body.id_token = [b64url(Buffer.from('{"alg":"none"}')), b64url(Buffer.from(JSON.stringify({ email: options.email }))), ''].join('.');
    }
    return body;
  };
  const readForm = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  };
  const clientOk = (form: URLSearchParams) => form.get('client_id') === clientId && (!options.clientSecret || form.get('client_secret') === options.clientSecret);

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
      if (req.method === 'GET' && url.pathname === '/authorize') {
        const q = url.searchParams;
        authorizeRequests.push(q);
        const redirectUri = q.get('redirect_uri') ?? '';
        if (q.get('client_id') !== clientId || !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/?$/.test(redirectUri)) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('unknown client or redirect URI');
          return;
        }
        if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !q.get('state')) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('PKCE S256 and state are required');
          return;
        }
        const id = b64url(randomBytes(12));
        pendingConsents.set(id, { clientId, redirectUri, state: q.get('state')!, challenge: q.get('code_challenge')!, scope: q.get('scope') ?? '' });
        if (options.autoApprove) return decide(res, id, 'allow');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
          `<!DOCTYPE html><html><head><title>Test provider sign-in</title></head><body><h1>Allow Mailsmith to send mail as ${escapeHtml(q.get('login_hint') ?? 'you')}?</h1>` +
            `<form method="post" action="authorize/decision"><input type="hidden" name="request" value="${id}">` +
            `<button id="allow" name="decision" value="allow">Allow</button> <button id="deny" name="decision" value="deny">Deny</button></form></body></html>`,
        );
        return;
      }
      if (req.method === 'POST' && url.pathname === '/authorize/decision') {
        const form = await readForm(req);
        return decide(res, form.get('request') ?? '', form.get('decision') ?? '');
      }
      if (req.method === 'POST' && url.pathname === '/token') {
        const form = await readForm(req);
        const grant = form.get('grant_type') ?? '';
        grants.push(grant);
        if (!clientOk(form)) return json(res, 401, { error: 'invalid_client' });
        if (grant === 'authorization_code') {
          const code = codes.get(form.get('code') ?? '');
          if (!code || code.used || code.redirectUri !== form.get('redirect_uri')) return json(res, 400, { error: 'invalid_grant', error_description: 'unknown or used code' });
          code.used = true;
          const verifier = form.get('code_verifier') ?? '';
          if (b64url(createHash('sha256').update(verifier).digest()) !== code.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
          return json(res, 200, issue(code.scope, true));
        }
        if (grant === 'refresh_token') {
          const rt = form.get('refresh_token') ?? '';
          const known = refresh.get(rt);
          if (!known || known.revoked) return json(res, 400, { error: 'invalid_grant', error_description: 'The refresh token has expired or been revoked.' });
          if (options.rotateRefreshTokens) {
            known.revoked = true;
            return json(res, 200, issue(known.scope, true));
          }
          return json(res, 200, issue(known.scope, false));
        }
        if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
          const device = devices.get(form.get('device_code') ?? '');
          if (!device) return json(res, 400, { error: 'invalid_grant' });
          const now = Date.now();
          const tooSoon = now - device.lastPoll < (options.deviceIntervalS ?? 0.2) * 1000 * 0.8;
          device.lastPoll = now;
          if (!device.approved) return json(res, 400, { error: tooSoon ? 'slow_down' : 'authorization_pending' });
          devices.delete(form.get('device_code') ?? '');
          return json(res, 200, issue(device.scope, true));
        }
        return json(res, 400, { error: 'unsupported_grant_type' });
      }
      if (req.method === 'POST' && url.pathname === '/device') {
        const form = await readForm(req);
        if (!clientOk(form)) return json(res, 401, { error: 'invalid_client' });
        const deviceCode = token('DC');
        const userCode = randomBytes(4).toString('hex').toUpperCase();
        devices.set(deviceCode, { userCode, approved: false, scope: form.get('scope') ?? '', lastPoll: 0 });
        return json(res, 200, { device_code: deviceCode, user_code: userCode, verification_uri: `${origin}/device`, expires_in: 600, interval: options.deviceIntervalS ?? 0.2 });
      }
      res.writeHead(404).end();
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });

  function decide(res: ServerResponse, id: string, decision: string): void {
    const pending = pendingConsents.get(id);
    if (!pending) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('no such request');
      return;
    }
    pendingConsents.delete(id);
    const target = new URL(pending.redirectUri);
    if (decision === 'allow') {
      const code = b64url(randomBytes(16));
      codes.set(code, { ...pending, used: false });
      target.searchParams.set('code', code);
    } else target.searchParams.set('error', 'access_denied');
    target.searchParams.set('state', pending.state);
    res.writeHead(302, { location: target.toString() }).end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    authorizeUrl: `${origin}/authorize`,
    tokenUrl: `${origin}/token`,
    deviceUrl: `${origin}/device`,
    clientId,
    issuedAccessTokens,
    issuedRefreshTokens,
    grants,
    authorizeRequests,
    isValidAccessToken: (value) => {
      const t = access.get(value);
      return Boolean(t && !t.revoked && Date.now() < t.expiresAt);
    },
    revokeRefreshTokens: () => refresh.forEach((r) => (r.revoked = true)),
    revokeAccessTokens: () => access.forEach((t) => (t.revoked = true)),
    setAccessTtlMs: (ms) => {
      ttl = ms;
    },
    pendingUserCodes: () => [...devices.values()].filter((d) => !d.approved).map((d) => d.userCode),
    approveDevice: (userCode) => devices.forEach((d) => d.userCode === userCode && (d.approved = true)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * What a browser does with the authorization URL, without a browser: loads the consent page, presses
 * Allow (or Deny), and follows the provider's redirect to the loopback listener. Returns the listener's page.
 */
export async function consentWithoutBrowser(authorizationUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<{ status: number; text: string }> {
  const page = await fetch(authorizationUrl);
  const html = await page.text();
  const id = /name="request" value="([^"]+)"/.exec(html)?.[1];
  if (!id) throw new Error(`no consent form in: ${html.slice(0, 200)}`);
  const decided = await fetch(new URL('/authorize/decision', authorizationUrl), {
    method: 'POST',
    body: new URLSearchParams({ request: id, decision }),
    redirect: 'manual',
  });
  const location = decided.headers.get('location');
  if (!location) throw new Error(`the provider did not redirect (HTTP ${decided.status})`);
  const landed = await fetch(location);
  return { status: landed.status, text: await landed.text() };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
