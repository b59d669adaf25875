// Signing in on a machine without a browser: the device authorization grant (RFC 8628). The user opens a
// short URL on any other device and types a code; meanwhile this process polls the token endpoint at the
// interval the provider asks for, slowing down when told to (section 3.5).
import type { ResolvedOAuth } from './config';
import { hostOf, OAuthError, postForm, providerError, tokenRequest, type HttpOptions, type TokenSet } from './tokenEndpoint';

export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  /** The URI with the code in it (section 3.3.1), when the provider gives one. */
  verificationUriComplete?: string;
  /** When the code stops working (ms since the epoch). */
  expiresAt: number;
}

export interface DeviceSignInOptions extends HttpOptions {
  /** Tells the user where to go and what to type. */
  show(prompt: DeviceCodePrompt): void;
  /** Waits between polls (default: a timer that the signal cuts short). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export async function signInWithDeviceCode(config: ResolvedOAuth, options: DeviceSignInOptions): Promise<TokenSet> {
  if (!config.deviceUrl) throw new OAuthError(`no device authorization endpoint is known for ${config.providerLabel} (oauth.deviceUrl)`);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? wait;
  const what = 'device authorization endpoint';
  const { status, body } = await postForm(
    config.deviceUrl,
    { client_id: config.clientId, scope: config.scopes, ...(config.clientSecret ? { client_secret: config.clientSecret } : {}) },
    what,
    options,
  );
  if (status !== 200 || typeof body.error === 'string') throw providerError(body, what, hostOf(config.deviceUrl), status);
  const deviceCode = body.device_code;
  const userCode = body.user_code;
  // Google still names it verification_url.
  const verificationUri = body.verification_uri ?? body.verification_url;
  if (typeof deviceCode !== 'string' || typeof userCode !== 'string' || typeof verificationUri !== 'string')
    throw new OAuthError(`the ${what} at ${hostOf(config.deviceUrl)} answered without a device code, user code and verification URI`);
  const expiresIn = Number(body.expires_in);
  const expiresAt = now() + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 900) * 1000;
  // Section 3.2: 5 seconds when the provider names no interval.
  let intervalMs = Math.max(100, (Number.isFinite(Number(body.interval)) && Number(body.interval) > 0 ? Number(body.interval) : 5) * 1000);
  options.show({
    userCode,
    verificationUri,
    ...(typeof body.verification_uri_complete === 'string' ? { verificationUriComplete: body.verification_uri_complete } : {}),
    expiresAt,
  });
  for (;;) {
    await sleep(intervalMs, options.signal);
    if (options.signal?.aborted) throw new OAuthError('cancelled');
    if (now() >= expiresAt) throw new OAuthError('the code expired before the sign-in was completed: start again', 'expired_token');
    try {
      return await tokenRequest(config, { grant_type: DEVICE_GRANT, device_code: deviceCode }, options);
    } catch (err) {
      const code = err instanceof OAuthError ? err.error : undefined;
      if (code === 'authorization_pending') continue;
      // Section 3.5: slow_down adds 5 seconds to the interval for this and every later request.
      if (code === 'slow_down') {
        intervalMs += 5000;
        continue;
      }
      if (code === 'access_denied') throw new OAuthError(`${config.providerLabel} did not sign you in (access_denied)`, code);
      if (code === 'expired_token') throw new OAuthError('the code expired before the sign-in was completed: start again', code);
      throw err;
    }
  }
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
