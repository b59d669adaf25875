// Where the credentials of a send come from, behind one small interface: a face decides the source (the
// extension's SecretStorage, the CLI's environment variable or prompt, a credential command (./command.ts), an
// OAuth 2.0 sign-in that renews its token (./oauth/), chosen by ./select.ts), the send pipeline only asks. `refresh` is asked once after the server refused the credentials,
// which is how a token that expired between two messages is renewed without the user noticing.
import { usesTokenAuth, type SmtpProfile, type SmtpSecret } from '../profiles/profile';

export interface SecretProvider {
  /** The credentials for the next connection (may prompt, read a store or run a command). */
  get(): Promise<SmtpSecret>;
  /** Fresh credentials after the server refused the last ones; undefined when there are none to try. */
  refresh?(): Promise<SmtpSecret | undefined>;
}

/** The credentials could not be had: the message says why and what to do, and holds no secret. */
export class SecretUnavailable extends Error {}

/** A profile without a user needs no credentials. */
export const noSecrets: SecretProvider = { get: async () => ({}) };

export function staticSecrets(secret: SmtpSecret): SecretProvider {
  return { get: async () => secret };
}

/** A password (or, for XOAUTH2 and OAUTHBEARER, a token) as the secret that profile expects. */
export function secretFor(profile: Pick<SmtpProfile, 'auth'>, value: string): SmtpSecret {
  return usesTokenAuth(profile) ? { accessToken: value } : { password: value };
}

export interface EnvironmentSecretOptions {
  env: Record<string, string | undefined>;
  /** Asks a person (a terminal prompt); absent where nobody can answer (CI). */
  ask?: (question: string) => Promise<string>;
}

/** The CLI's source: the variable the profile names in `passwordEnv`, else a prompt when there is a terminal. */
export function environmentSecrets(profile: SmtpProfile, options: EnvironmentSecretOptions): SecretProvider {
  return {
    async get() {
      if (!profile.user) return {};
      if (profile.passwordEnv) {
        const value = options.env[profile.passwordEnv];
        if (value) return secretFor(profile, value);
        if (!options.ask) throw new SecretUnavailable(`the profile "${profile.name}" reads its password from $${profile.passwordEnv}, which is not set`);
      } else if (!options.ask) {
        throw new SecretUnavailable(`the profile "${profile.name}" has a user but no passwordEnv, and there is no terminal to ask for the password`);
      }
      return secretFor(profile, await options.ask(`Password for ${profile.user} at ${profile.host}: `));
    },
  };
}
