// The CLI's credentials for a profile: its credential command (the profile file was named on the command
// line, so the user chose it), its OAuth 2.0 sign-in (kept by `mailsmith login` in an owner-only file in the
// state folder, or a refresh token from the environment for CI), else the password from the environment
// variable the profile names or a hidden prompt.
import type { SmtpProfile } from '../core/profiles/profile';
import { AccessTokenCache } from '../core/secrets/oauth/oauthSecrets';
import { environmentSecrets, type SecretProvider } from '../core/secrets/provider';
import { secretsForProfile } from '../core/secrets/select';
import { FileTokenStore, oauthStoreDir } from '../core/secrets/tokenStore';
import { defaultStateDir } from '../core/state/paths';
import { stringValue, type ParsedValues } from './args';
import type { CliIo } from './io';

export function cliTokenStore(io: CliIo): FileTokenStore {
  return new FileTokenStore(oauthStoreDir(defaultStateDir(io.env)));
}

export function cliSecrets(profile: SmtpProfile, io: CliIo, values: ParsedValues): SecretProvider {
  return secretsForProfile(profile, {
    command: { env: io.env },
    oauth: { store: cliTokenStore(io), env: io.env, cache: new AccessTokenCache(), signInHint: `run: ${loginCommandLine(values)}` },
    password: environmentSecrets(profile, { env: io.env, ask: io.isTTY ? io.askHidden : undefined }),
  });
}

/** The `mailsmith login` command line for the profile these options name, ready to paste into a shell. */
export function loginCommandLine(values: ParsedValues, command: 'login' | 'logout' = 'login'): string {
  const file = stringValue(values, 'profile-file');
  const name = stringValue(values, 'profile');
  return `mailsmith ${command}${file ? ` --profile-file ${shellWord(file)}` : ''}${name ? ` --profile ${shellWord(name)}` : ''}`;
}

function shellWord(word: string): string {
  return /^[\w./@:=+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
