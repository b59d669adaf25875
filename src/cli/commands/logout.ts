// `mailsmith logout --profile-file P`: forgets the profile's OAuth 2.0 sign-in (its stored refresh token).
// The provider may still list Mailsmith among the account's apps: remove it there to revoke the grant too.
import type { CommandSpec } from '../args';
import type { CliCommand } from '../io';
import { PROFILE_OPTIONS } from '../profileFile';
import { cliTokenStore } from '../secrets';
import { oauthProfile } from './login';

const spec: CommandSpec = {
  name: 'logout',
  summary: "Forget a profile's OAuth 2.0 sign-in (the refresh token `mailsmith login` kept).",
  positionals: '',
  minPositionals: 0,
  maxPositionals: 0,
  options: { ...PROFILE_OPTIONS },
  notes: `To revoke the access at the provider as well, remove the app from your account's permissions
(Microsoft: https://account.live.com/consent/Manage or https://myapps.microsoft.com; Google:
https://myaccount.google.com/permissions).`,
};

export const logoutCommand: CliCommand = {
  spec,
  async run({ values }, io) {
    const { profile, config } = oauthProfile(values, io, 'logout', { forgetOnly: true });
    const forgot = await cliTokenStore(io).forget(config.grantKey);
    io.stdout(
      forgot
        ? `Signed out: the sign-in of ${config.user} at ${config.providerLabel} for the profile "${profile.name}" is forgotten.\n`
        : `The profile "${profile.name}" had no stored sign-in; nothing to forget.\n`,
    );
    if (config.refreshTokenFromEnv) io.stderr(`mailsmith logout: note: $${config.refreshTokenEnv} still holds a refresh token, which the profile uses\n`);
    return 0;
  },
};
