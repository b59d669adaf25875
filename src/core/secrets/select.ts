// Which source a profile's credentials come from: its credential command, its OAuth 2.0 sign-in, or whatever
// the face does for a password (SecretStorage, an environment variable, a prompt). The face decides whether
// the profile may run a command at all (only one from the user's own settings or a profile file they named).
import type { SmtpProfile } from '../profiles/profile';
import { commandSecrets, type CommandOptions } from './command';
import { oauthSecrets, type OAuthSecretOptions } from './oauth/oauthSecrets';
import type { SecretProvider } from './provider';

export interface SecretSources {
  command: CommandOptions;
  oauth: OAuthSecretOptions;
  /** A stored or typed password (or pasted token). */
  password: SecretProvider;
}

export type CredentialSource = 'command' | 'oauth' | 'password';

export function credentialSource(profile: Pick<SmtpProfile, 'passwordCommand' | 'tokenCommand' | 'oauth'>): CredentialSource {
  if (profile.passwordCommand !== undefined || profile.tokenCommand !== undefined) return 'command';
  if (profile.oauth) return 'oauth';
  return 'password';
}

export function secretsForProfile(profile: SmtpProfile, sources: SecretSources): SecretProvider {
  switch (credentialSource(profile)) {
    case 'command':
      return commandSecrets(profile, sources.command);
    case 'oauth':
      return oauthSecrets(profile, sources.oauth);
    default:
      return sources.password;
  }
}
