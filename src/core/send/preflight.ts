// Checks made before any connection: the profile is usable, credentials are present, TLS rules hold.
// Each failure is an outcome, not an exception. (The hourly limit is a reservation: ./rateLimit.ts.)
import { expandProfileEnv } from '../profiles/envExpand';
import { isLoopbackHost, type SmtpProfile, type SmtpSecret } from '../profiles/profile';
import { validateProfile } from '../profiles/validate';
import type { SendOptions, SendStage } from './types';

export type Preflight = { ok: true; profile: SmtpProfile } | { ok: false; stage: SendStage; reason: string };

export function preflight(rawProfile: SmtpProfile, secret: SmtpSecret, options: SendOptions): Preflight {
  // Profiles come from settings, files and webviews: a value that is not one is a config failure, not a crash.
  if (typeof rawProfile !== 'object' || rawProfile === null || Array.isArray(rawProfile)) {
    return { ok: false, stage: 'config', reason: 'no usable profile was given (a profile is a set of fields: name, host, port, security, ...)' };
  }
  const { profile, missing } = expandProfileEnv(rawProfile, options.env ?? process.env);
  if (missing.length) return { ok: false, stage: 'config', reason: `the profile uses environment variables that are not set: ${missing.join(', ')}` };
  const errors = validateProfile(profile).filter((i) => i.severity === 'error');
  if (errors.length) return { ok: false, stage: 'config', reason: `the profile "${profile.name}" is not valid: ${errors.map((e) => e.message).join(' ')}` };
  if (profile.user && !secret.password && !secret.accessToken) {
    return { ok: false, stage: 'config', reason: `the profile "${profile.name}" has a user but no password was given${profile.passwordEnv ? ` (environment variable ${profile.passwordEnv} is empty)` : ''}` };
  }
  if (profile.user && profile.security === 'none' && !isLoopbackHost(profile.host)) {
    return { ok: false, stage: 'config', reason: `refusing to send a password to ${profile.host} without TLS: choose STARTTLS or implicit TLS` };
  }
  return { ok: true, profile };
}
