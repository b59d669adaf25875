// The loopback redirect of a native app (RFC 8252 section 7.3): a one-shot HTTP listener on this machine's
// loopback interface, on a port the system picks, that takes the browser's redirect carrying the
// authorization code. Only a request with the `state` we sent counts (RFC 6749 section 10.12: anything else
// may be forged by a page the browser had open); it answers such requests with an error page and keeps
// waiting. It never listens beyond loopback, and closes once it has its answer or gives up.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuthError } from './tokenEndpoint';
import { sanitizeForDisplay } from '../../send/sanitize';

export interface LoopbackOptions {
  /** The `state` sent in the authorization request. */
  state: string;
  /** The redirect URI's host: 127.0.0.1 (RFC 8252 section 8.3), or localhost for providers that require it. */
  host?: '127.0.0.1' | 'localhost';
  /** Who signs in, for the pages and errors ("Microsoft"). */
  providerLabel?: string;
  signal?: AbortSignal;
  /** How long to wait for the browser (default 5 minutes). */
  timeoutMs?: number;
}

export interface LoopbackRedirect {
  /** `http://127.0.0.1:PORT` (or `http://localhost:PORT`): the redirect_uri to send. */
  redirectUri: string;
  /** The authorization code, once the browser brings it; rejects with an OAuthError on a refusal or time-out. */
  code: Promise<string>;
  close(): Promise<void>;
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // The code is in this page's URL: no referrer may carry it further, and the page runs nothing.
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
};

function page(title: string, text: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>body{font:16px system-ui,sans-serif;margin:3em auto;max-width:36em;padding:0 1em}</style></head><body><h1>${escape(title)}</h1><p>${escape(text)}</p></body></html>`;
}

export async function listenForRedirect(options: LoopbackOptions): Promise<LoopbackRedirect> {
  const host = options.host ?? '127.0.0.1';
  const who = options.providerLabel ?? 'the provider';
  const servers: Server[] = [];
  let settle: { resolve(code: string): void; reject(err: Error): void } | undefined;
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may be waiting on `code` yet when it fails (e.g. cancelled before the browser opened).
  code.catch(() => undefined);
  const close = async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
  let done = false;
  // Set once listening; `finish` may run before that (an aborted signal).
  const deadline: { timer?: NodeJS.Timeout } = {};
  const finish = (outcome: { code: string } | { error: Error }) => {
    if (done) return;
    done = true;
    clearTimeout(deadline.timer);
    options.signal?.removeEventListener('abort', onAbort);
    if ('code' in outcome) settle!.resolve(outcome.code);
    else settle!.reject(outcome.error);
    // Let the page's response go out before the listener stops.
    setImmediate(() => void close());
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const params = url.searchParams;
    if (req.method !== 'GET' || url.pathname !== '/' || (!params.has('state') && !params.has('code') && !params.has('error'))) {
      res.writeHead(404, PAGE_HEADERS).end(page('Not found', 'Mailsmith is waiting for a sign-in here, nothing else.'));
      return;
    }
    if (done || params.get('state') !== options.state) {
      res.writeHead(400, PAGE_HEADERS).end(page('Not this sign-in', 'This link is not the sign-in Mailsmith is waiting for. Start the sign-in again from Mailsmith.'));
      return;
    }
    const error = params.get('error');
    if (error) {
      const description = params.get('error_description');
      res.writeHead(200, PAGE_HEADERS).end(page('Not signed in', `${who} did not sign you in (${error}). You can close this tab.`));
      const why = sanitizeForDisplay(`${error}${description ? `: ${description}` : ''}`).slice(0, 300);
      finish({ error: new OAuthError(`${who} did not sign you in (${why})`, error === 'access_denied' ? 'access_denied' : sanitizeForDisplay(error).slice(0, 80)) });
      return;
    }
    const value = params.get('code');
    if (!value) {
      res.writeHead(400, PAGE_HEADERS).end(page('No code', `${who} sent no authorization code. Start the sign-in again from Mailsmith.`));
      finish({ error: new OAuthError(`${who} redirected back without an authorization code`) });
      return;
    }
    res.writeHead(200, PAGE_HEADERS).end(page('Signed in', 'Mailsmith has the sign-in. You can close this tab and go back.'));
    finish({ code: value });
  };

  const listen = (address: string, port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer(handle);
      server.once('error', reject);
      server.listen({ host: address, port, exclusive: true }, () => {
        server.off('error', reject);
        resolve(server);
      });
    });

  // Port 0: the system picks a free one (RFC 8252 section 7.3: any port, chosen at run time).
  const first = await listen('127.0.0.1', 0);
  servers.push(first);
  const port = (first.address() as AddressInfo).port;
  if (host === 'localhost') {
    // A browser may resolve localhost to ::1 first: answer there too, where this machine has IPv6.
    await listen('::1', port).then((s) => servers.push(s), () => undefined);
  }

  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  deadline.timer = setTimeout(() => finish({ error: new OAuthError(`no sign-in came back from the browser within ${Math.round(timeoutMs / 1000)} s`) }), timeoutMs);
  deadline.timer.unref?.();
  function onAbort() {
    finish({ error: new OAuthError('cancelled') });
  }
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    redirectUri: `http://${host}:${port}`,
    code,
    close: async () => {
      if (!done) finish({ error: new OAuthError('cancelled') });
      await close();
    },
  };
}
