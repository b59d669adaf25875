// The SMTP profile: where and how to send. The password is never part of it: callers bring it from a
// secret store (SecretStorage in VS Code, an environment variable in the CLI).
import type { MessageDefaults } from '../message/types';
import { AUTH_CHOICES, KIND_CHOICES, PARTIAL_CHOICES, SECURITY_CHOICES } from './schema';

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

/** What to do when the server accepts some recipients and rejects others. */
export type PartialRecipientsPolicy = (typeof PARTIAL_CHOICES)[number]['id'];

/** An SMTP server, or the local capture inbox Mailsmith runs itself (host and port are where it listens). */
export type ProfileKind = (typeof KIND_CHOICES)[number]['id'];

export interface SmtpTimeouts {
  connectMs?: number;
  greetingMs?: number;
  socketMs?: number;
}

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
  /** The name we give in EHLO; nodemailer's default is the machine's host name. */
  ehloName?: string;
  defaults?: MessageDefaults;
  /** Hourly send limit (default 1000). */
  maxPerHour?: number;
  /** Default 'reject': all recipients or none, as msmtp and Thunderbird do. */
  partialRecipients?: PartialRecipientsPolicy;
  timeouts?: SmtpTimeouts;
}

export const DEFAULT_MAX_PER_HOUR = 1000;
export const DEFAULT_TIMEOUTS: Required<SmtpTimeouts> = { connectMs: 15_000, greetingMs: 15_000, socketMs: 60_000 };

/** The usual port of each security mode (RFC 8314 for 465, RFC 6409 for 587). */
export const USUAL_PORTS = Object.fromEntries(SECURITY_CHOICES.map((c) => [c.id, c.port])) as Record<SecurityMode, number>;

/** The profile is the local capture inbox (Mailsmith runs the server; nothing leaves the machine). */
export function isCaptureInbox(profile: Pick<SmtpProfile, 'kind'> | undefined): boolean {
  return profile?.kind === 'capture-inbox';
}

/** Credentials, kept apart from the profile. */
export interface SmtpSecret {
  password?: string;
  /** OAuth 2 access token for XOAUTH2. */
  accessToken?: string;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
