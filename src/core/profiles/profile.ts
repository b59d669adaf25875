// The SMTP profile: where and how to send. The password is never part of it: callers bring it from a
// secret store (SecretStorage in VS Code, an environment variable in the CLI).
import { BlockList, isIP } from 'node:net';
import type { MessageDefaults } from '../message/types';
import { AUTH_CHOICES, KIND_CHOICES, OAUTH_PROVIDER_CHOICES, PARTIAL_CHOICES, SECURITY_CHOICES } from './schema';

/**
 * - `none`: plain SMTP, never upgraded (local servers, test sinks).
 * - `starttls`: STARTTLS required; a server that does not offer it fails before AUTH or MAIL.
 * - `starttls-optional`: STARTTLS when offered, otherwise clear text (and then no password to a remote host).
 * - `tls`: implicit TLS from the first byte (usually port 465, RFC 8314).
 */
export type SecurityMode = (typeof SECURITY_CHOICES)[number]['id'];
export const SECURITY_MODES: readonly SecurityMode[] = SECURITY_CHOICES.map((c) => c.id);

export type AuthMechanism = (typeof AUTH_CHOICES)[number]['id'];
export const AUTH_MECHANISM_NAMES: readonly AuthMechanism[] = AUTH_CHOICES.map((c) => c.id);

/** The SASL mechanisms that carry an OAuth 2.0 bearer token rather than a password. */
export const TOKEN_MECHANISMS: readonly AuthMechanism[] = ['XOAUTH2', 'OAUTHBEARER'];

export function usesTokenAuth(profile: Pick<SmtpProfile, 'auth'> | undefined): boolean {
  return TOKEN_MECHANISMS.includes(profile?.auth as AuthMechanism);
}

export type OAuthProviderId = (typeof OAUTH_PROVIDER_CHOICES)[number]['id'];
export const OAUTH_PROVIDER_IDS: readonly OAuthProviderId[] = OAUTH_PROVIDER_CHOICES.map((c) => c.id);

/**
 * OAuth 2.0 sign-in for a profile (auth XOAUTH2 or OAUTHBEARER). No token is ever part of it: the refresh
 * token lives in a token store (SecretStorage, or an owner-only file for the CLI), the access token in memory.
 */
export interface OAuthSettings {
  /** Default `custom` (endpoints given below). */
  provider?: OAuthProviderId;
  clientId?: string;
  /** The environment variable holding the client secret (Google's desktop clients have one). */
  clientSecretEnv?: string;
  authorizeUrl?: string;
  tokenUrl?: string;
  /** RFC 8628 device authorization endpoint. */
  deviceUrl?: string;
  /** Space-separated (RFC 6749 section 3.3); a list in a profile file is joined. */
  scopes?: string;
  /** Microsoft: common, consumers, organizations, or a tenant ID or domain. */
  tenant?: string;
  /** The environment variable holding a refresh token (CI): used instead of a stored sign-in. */
  refreshTokenEnv?: string;
  /** VS Code only, Microsoft only: sign in through VS Code's own Microsoft account provider. */
  vscodeAccount?: boolean;
}

/** What to do when the server accepts some recipients and rejects others. */
export type PartialRecipientsPolicy = (typeof PARTIAL_CHOICES)[number]['id'];

/** An SMTP server, or the local capture inbox Mailsmith runs itself (host and port are where it listens). */
export type ProfileKind = (typeof KIND_CHOICES)[number]['id'];

/**
 * Two kinds of limits. `connectMs`, `greetingMs` and `socketMs` measure silence (the TCP connect, the wait
 * for the greeting, then any pause of the server). The `...DeadlineMs` ones bound a whole stage however
 * the server spreads its bytes, so a server that trickles one byte at a time cannot hold a send forever;
 * when one passes the connection is closed.
 */
export interface SmtpTimeouts {
  connectMs?: number;
  greetingMs?: number;
  socketMs?: number;
  /** From the start of the connection (DNS, TCP) to the end of the server's greeting. */
  greetingDeadlineMs?: number;
  /** EHLO, STARTTLS, the TLS handshake and the EHLO after it. */
  setupDeadlineMs?: number;
  /** The whole AUTH exchange. */
  authDeadlineMs?: number;
  /** Each of MAIL FROM, RCPT TO, DATA (until its 354), RSET and QUIT. */
  commandDeadlineMs?: number;
  /** Handing the message over, from the 354 to the final dot. */
  dataDeadlineMs?: number;
  /** The reply after the final dot; when it passes the outcome is unknown (the message may have gone). */
  finalReplyDeadlineMs?: number;
  /** How long a passwordCommand or tokenCommand may run. */
  secretCommandMs?: number;
}

export type DeadlineKey = 'greetingDeadlineMs' | 'setupDeadlineMs' | 'authDeadlineMs' | 'commandDeadlineMs' | 'dataDeadlineMs' | 'finalReplyDeadlineMs';
export const DEADLINE_KEYS: readonly DeadlineKey[] = ['greetingDeadlineMs', 'setupDeadlineMs', 'authDeadlineMs', 'commandDeadlineMs', 'dataDeadlineMs', 'finalReplyDeadlineMs'];

export interface SmtpProfile {
  name: string;
  /** Default `smtp`. */
  kind?: ProfileKind;
  host: string;
  port: number;
  security: SecurityMode;
  /** Verify the server certificate (default true). */
  verifyCertificate?: boolean;
  /** A PEM file of CA certificates to trust for this profile (better than turning verification off). */
  caFile?: string;
  /** No user means no AUTH. */
  user?: string;
  /** The environment variable holding the password (CLI). */
  passwordEnv?: string;
  auth?: AuthMechanism;
  /** A command whose first line of output is the password (never from a workspace: see README). */
  passwordCommand?: string;
  /** A command whose first line of output is an access token for XOAUTH2 or OAUTHBEARER. */
  tokenCommand?: string;
  oauth?: OAuthSettings;
  /** The name we give in EHLO; nodemailer's default is the machine's host name. */
  ehloName?: string;
  defaults?: MessageDefaults;
  /** Hourly send limit (default 1000). */
  maxPerHour?: number;
  /** Default 'reject': all recipients or none, as msmtp and Thunderbird do. */
  partialRecipients?: PartialRecipientsPolicy;
  /** At most this many messages per connection (servers that limit them); a delivery of more logs in again. */
  batchSize?: number;
  /** Seconds to wait before that next connection. */
  reloginDelaySeconds?: number;
  timeouts?: SmtpTimeouts;
}

export const DEFAULT_MAX_PER_HOUR = 1000;
export const DEFAULT_TIMEOUTS: Required<SmtpTimeouts> = {
  connectMs: 15_000,
  greetingMs: 15_000,
  socketMs: 60_000,
  greetingDeadlineMs: 30_000,
  setupDeadlineMs: 30_000,
  authDeadlineMs: 30_000,
  commandDeadlineMs: 120_000,
  dataDeadlineMs: 600_000,
  // RFC 5321 section 4.5.3.2.6: a client should wait 10 minutes for the reply to the final dot, since
  // giving up early can deliver a message twice.
  finalReplyDeadlineMs: 600_000,
  // Long enough for a password manager to ask for its passphrase (gpg's pinentry, a YubiKey touch).
  secretCommandMs: 60_000,
};

/** The usual port of each security mode (RFC 8314 for 465, RFC 6409 for 587). */
export const USUAL_PORTS = Object.fromEntries(SECURITY_CHOICES.map((c) => [c.id, c.port])) as Record<SecurityMode, number>;

/** The profile is the local capture inbox (Mailsmith runs the server; nothing leaves the machine). */
export function isCaptureInbox(profile: Pick<SmtpProfile, 'kind'> | undefined): boolean {
  return profile?.kind === 'capture-inbox';
}

/** Credentials, kept apart from the profile. */
export interface SmtpSecret {
  password?: string;
  /** OAuth 2 access token for XOAUTH2 or OAUTHBEARER. */
  accessToken?: string;
  /**
   * Other secrets that came with this one and must be hidden as well wherever its session is shown (the
   * refresh token, the access token a refresh replaced, a client secret): they never go on the wire.
   */
  related?: readonly string[];
}

/**
 * Whether a profile names this machine: `localhost` (RFC 6761 section 6.3) or a loopback address
 * (127.0.0.0/8, ::1, and IPv4-mapped ::ffff:127.x.x.x). The clear-text rule for credentials also needs the
 * connection itself to have reached a loopback address (`isLoopbackAddress` on the socket's peer).
 */
export function isLoopbackHost(host: string): boolean {
  if (typeof host !== 'string') return false;
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === 'localhost.' || isLoopbackAddress(h);
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** An IP address in 127.0.0.0/8 or ::1, in any spelling (IPv4-mapped included); names are not addresses. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (typeof address !== 'string') return false;
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 6 ? 'ipv6' : 'ipv4');
}
