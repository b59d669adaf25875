// Proof Key for Code Exchange (RFC 7636): the authorization code is useless to anyone who intercepts the
// redirect (another program on this machine listening for it), because redeeming it needs the verifier that
// never left this process. Always S256 (section 4.2); "plain" is not offered.
import { createHash, randomBytes } from 'node:crypto';

export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/** base64url without padding (RFC 7636 appendix A). */
export function base64Url(bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The S256 challenge of a verifier: BASE64URL(SHA256(ASCII(verifier))) (section 4.2). */
export function pkceChallenge(verifier: string): string {
  return base64Url(createHash('sha256').update(verifier, 'ascii').digest());
}

/** A fresh verifier of 32 random octets (43 characters, section 4.1) and its challenge. */
export function createPkce(): Pkce {
  const verifier = base64Url(randomBytes(32));
  return { verifier, challenge: pkceChallenge(verifier), method: 'S256' };
}

/** An unguessable `state` value (RFC 6749 section 10.12): ties the redirect to the request we made. */
export function randomState(): string {
  return base64Url(randomBytes(24));
}
