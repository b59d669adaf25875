// Checks made before any connection: the profile is usable, credentials are present, TLS rules hold,
// the hourly limit allows one more. Each failure is an outcome, not an exception.
import { expandProfileEnv } from '../profiles/envExpand';
import { DEFAULT_MAX_PER_HOUR, isLoopbackHost, type SmtpProfile, type SmtpSecret } from '../profiles/profile';
import { validateProfile } from '../profiles/validate';
import { checkHourlyLimit } from './rateLimit';
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
  if (options.rateLimitStatePath) {
    const max = profile.maxPerHour ?? DEFAULT_MAX_PER_HOUR;
    const check = checkHourlyLimit(options.rateLimitStatePath, profile.name, max, (options.now ?? Date.now)());
    if (!check.allowed) {
      const at = check.retryAt ? new Date(check.retryAt).toISOString().slice(11, 16) + ' UTC' : 'later';
      return { ok: false, stage: 'limit', reason: `the hourly limit of profile "${profile.name}" (${max} messages) is reached; nothing was sent. Try again after ${at}` };
    }
  }
  return { ok: true, profile };
}
