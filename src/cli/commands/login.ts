// `mailsmith login --profile-file P [--device]`: signs the profile in with its OAuth 2.0 provider and keeps the
// refresh token (in <state folder>/oauth/, readable by the owner only), so that `send` and `doctor` get a
// fresh access token by themselves from then on. In the browser by default (PKCE, a loopback redirect to
// this process: RFC 8252); with --device, with a code typed on any other device (RFC 8628).
import { signInWithBrowser } from '../../core/secrets/oauth/browserFlow';
import { resolveOAuth, type ResolvedOAuth } from '../../core/secrets/oauth/config';
import { signInWithDeviceCode } from '../../core/secrets/oauth/deviceFlow';
import { storeSignIn } from '../../core/secrets/oauth/oauthSecrets';
import { OAUTH_PRESETS } from '../../core/secrets/oauth/presets';
import { OAuthError, type TokenSet } from '../../core/secrets/oauth/tokenEndpoint';
import type { SmtpProfile } from '../../core/profiles/profile';
import type { CommandSpec, ParsedValues } from '../args';
import { CliError, type CliCommand, type CliIo } from '../io';
import { openInBrowser } from '../openBrowser';
import { PROFILE_OPTIONS, profileFromOptions } from '../profileFile';
import { cliTokenStore } from '../secrets';

const spec: CommandSpec = {
  name: 'login',
  summary: "Sign a profile in with its OAuth 2.0 provider (Microsoft, Google, ...) and keep the sign-in for sending.",
  positionals: '',
  minPositionals: 0,
  maxPositionals: 0,
  options: {
    ...PROFILE_OPTIONS,
    device: { type: 'boolean', description: 'sign in with a code on another device (no browser needed here; RFC 8628)' },
    'no-browser': { type: 'boolean', description: 'print the sign-in URL instead of opening a browser' },
  },
  notes: `The profile needs auth XOAUTH2 or OAUTHBEARER and an oauth section (provider, clientId, ...; see the
README). The refresh token is kept in the state folder's oauth/ (mode 600), never in the profile; the access
token is renewed by itself before it expires. \`mailsmith logout\` forgets the sign-in.
Exit status: 0 signed in, 1 the sign-in failed, 2 bad usage.`,
};

export const loginCommand: CliCommand = {
  spec,
  async run({ values }, io) {
    const { profile, config } = oauthProfile(values, io, 'login');
    if (config.refreshTokenFromEnv)
      io.stderr(`mailsmith login: note: $${config.refreshTokenEnv} is set, and the profile uses it before any stored sign-in\n`);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    let tokens: TokenSet;
    try {
      tokens = values.device === true ? await deviceSignIn(config, io, controller.signal) : await browserSignIn(config, io, values, controller.signal);
    } catch (err) {
      if (err instanceof OAuthError) throw new CliError(`not signed in: ${err.message}`, 1);
      throw err;
    } finally {
      process.off('SIGINT', stop);
    }
    const store = cliTokenStore(io);
    const grant = await storeSignIn(config, tokens, store, undefined).catch((err: Error) => {
      throw new CliError(`not signed in: ${err.message}`, 1);
    });
    io.stdout(`Signed in to ${config.providerLabel} as ${grant.account} for the profile "${profile.name}". The sign-in is kept in ${store.fileFor(config.grantKey)} (readable by you only).\n`);
    return 0;
  },
};

/** The profile the options name, which must sign in with OAuth 2.0, and its settings made concrete. */
export function oauthProfile(values: ParsedValues, io: CliIo, command: string, options: { forgetOnly?: boolean } = {}): { profile: SmtpProfile; config: ResolvedOAuth } {
  const profile = profileFromOptions(values, io);
  if (!profile) throw new CliError(`${command} needs --profile-file (the profile to sign ${command === 'logout' ? 'out' : 'in'})`);
  if (!profile.oauth)
    throw new CliError(`the profile "${profile.name}" does not sign in with OAuth 2.0: give it "auth: XOAUTH2" and an "oauth" section (provider, clientId; see the README)`);
  const resolved = resolveOAuth(profile, io.env, options);
  if (!resolved.ok) throw new CliError(resolved.reason);
  return { profile, config: resolved.config };
}

async function browserSignIn(config: ResolvedOAuth, io: CliIo, values: ParsedValues, signal: AbortSignal): Promise<TokenSet> {
  return signInWithBrowser(config, {
    signal,
    open: async (url) => {
      io.stderr(`To sign in with ${config.providerLabel}, open this address in a browser on this machine:\n\n  ${url}\n\n`);
      if (values['no-browser'] !== true && !(await openInBrowser(url))) io.stderr('(No browser could be opened here: open the address yourself, or use --device.)\n');
      io.stderr('Waiting for the sign-in (Ctrl-C to stop)...\n');
    },
  });
}

async function deviceSignIn(config: ResolvedOAuth, io: CliIo, signal: AbortSignal): Promise<TokenSet> {
  const preset = config.provider === 'custom' ? undefined : OAUTH_PRESETS[config.provider];
  if (preset && !preset.deviceFlowForMail) io.stderr(`mailsmith login: note: ${config.providerLabel}'s device flow does not allow the mail scope; if it refuses, sign in without --device\n`);
  return signInWithDeviceCode(config, {
    signal,
    show: (prompt) => {
      const until = new Date(prompt.expiresAt).toTimeString().slice(0, 5);
      io.stderr(`To sign in with ${config.providerLabel}, open ${prompt.verificationUri} on any device and enter the code ${prompt.userCode} (before ${until}).\n`);
      if (prompt.verificationUriComplete) io.stderr(`Or open ${prompt.verificationUriComplete}\n`);
      io.stderr('Waiting for the sign-in (Ctrl-C to stop)...\n');
    },
  });
}
