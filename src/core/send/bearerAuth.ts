// The two SASL mechanisms that carry an OAuth 2.0 bearer token: XOAUTH2 (Google's and Microsoft's) and
// OAUTHBEARER (RFC 7628, the standard one). nodemailer knows XOAUTH2 only; both are plugged in here through
// SMTPConnection's `customAuth` option (its extension point for SASL mechanisms), so that both behave alike:
// the token goes in the initial response, and a refusal ends the exchange the way each mechanism says,
// rather than nodemailer's XOAUTH2 retrying the same token.
import type { AuthMechanism } from './session';

export type BearerMechanism = Extract<AuthMechanism, 'XOAUTH2' | 'OAUTHBEARER'>;

export function isBearerMechanism(mechanism: string): mechanism is BearerMechanism {
  return mechanism === 'XOAUTH2' || mechanism === 'OAUTHBEARER';
}

/** XOAUTH2's initial client response: `user=U ^A auth=Bearer T ^A ^A`, base64 (Google's XOAUTH2 protocol). */
export function xoauth2InitialResponse(user: string, token: string): string {
  return Buffer.from(`user=${user}\u0001auth=Bearer ${token}\u0001\u0001`, 'utf8').toString('base64');
}

/**
 * OAUTHBEARER's initial client response (RFC 7628 section 3.1): a GS2 header naming the user as the
 * authorization identity (`n,a=U,`, RFC 5801 section 4 escapes "," and "="), then host, port and the
 * bearer token (RFC 6750), each ended by ^A, and a final ^A.
 */
export function oauthBearerInitialResponse(user: string, token: string, host: string, port: number): string {
  const saslName = user.replace(/=/g, '=3D').replace(/,/g, '=2C');
  return Buffer.from(`n,a=${saslName},\u0001host=${host}\u0001port=${port}\u0001auth=Bearer ${token}\u0001\u0001`, 'utf8').toString('base64');
}

/**
 * What the client answers to the server's error challenge (a 334 carrying a JSON status): RFC 7628 section
 * 3.2.3 has OAUTHBEARER send a single ^A ("AQ=="); Google's XOAUTH2 has the client send an empty line. The
 * server then fails the exchange with its final reply (535 or the like).
 */
export function bearerErrorAcknowledgement(mechanism: BearerMechanism): string {
  return mechanism === 'OAUTHBEARER' ? Buffer.from('\u0001').toString('base64') : '';
}

/** Where the bearer token goes, for the OAUTHBEARER host and port fields. */
export interface BearerTarget {
  host: string;
  port: number;
}

interface CustomAuthContext {
  auth: { credentials?: { user?: string; pass?: string } };
  method: string;
  sendCommand(command: string): Promise<{ status: number; response: string; text?: string }>;
}

/** The error status a server sends in its 334 challenge (RFC 7628 section 3.2.2), when it parses. */
function challengeStatus(text: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from((text ?? '').trim(), 'base64').toString('utf8')) as { status?: unknown };
    return typeof parsed.status === 'string' ? parsed.status : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `customAuth` handlers for SMTPConnection. The token arrives as the login's `pass` (nodemailer hands it
 * to the handler as `auth.credentials.pass`, and masks every command the handler sends in its log).
 */
export function bearerCustomAuth(target: BearerTarget): Record<BearerMechanism, (ctx: CustomAuthContext) => Promise<void>> {
  const handler = (mechanism: BearerMechanism) => async (ctx: CustomAuthContext) => {
    const user = ctx.auth.credentials?.user ?? '';
    const token = ctx.auth.credentials?.pass ?? '';
    const initial = mechanism === 'XOAUTH2' ? xoauth2InitialResponse(user, token) : oauthBearerInitialResponse(user, token, target.host, target.port);
    const first = await ctx.sendCommand(`AUTH ${mechanism} ${initial}`);
    if (first.status === 235) return;
    if (first.status !== 334) throw new Error('Invalid login');
    const status = challengeStatus(first.text);
    const final = await ctx.sendCommand(bearerErrorAcknowledgement(mechanism));
    if (final.status === 235) return;
    // nodemailer adds the last reply (the 535) to the message and takes its code from it.
    throw new Error(`Invalid login${status ? ` (the server says ${status.replace(/[^\w.-]/g, '')})` : ''}`);
  };
  return { XOAUTH2: handler('XOAUTH2'), OAUTHBEARER: handler('OAUTHBEARER') };
}
