// What a person can do next after a send, decided once for both faces: the editor turns each step into a
// button, the CLI into a hint line. A wrong password leads to setting it, a server that is down to testing the
// connection and trying again, a sent message to its exact bytes.
import type { SendOutcome } from '../send/types';

export type NextStep =
  /** Store (or fix) the profile's password. */
  | 'set-password'
  /** Sign in (again) with the profile's OAuth 2.0 provider. */
  | 'sign-in'
  /** Run the connection doctor on the profile. */
  | 'test-connection'
  /** Send the same message again: nothing of it was delivered, and trying later may work. */
  | 'retry'
  /** Open the exact bytes that were sent. */
  | 'open-sent-copy'
  /** The SMTP dialogue, redacted. */
  | 'show-log';

/** `profile`: an OAuth 2.0 profile signs in again where another stores a password. */
export function nextSteps(outcome: SendOutcome, profile?: { oauth?: unknown }): NextStep[] {
  const credentials: NextStep = profile?.oauth ? 'sign-in' : 'set-password';
  switch (outcome.status) {
    case 'sent':
    case 'partial':
      return ['open-sent-copy', 'show-log'];
    // Delivered or not, nobody can tell: sending again could deliver twice, so no Retry.
    case 'unknown':
      return ['open-sent-copy', 'show-log'];
    case 'failed':
      switch (outcome.stage) {
        case 'auth':
          // A temporary refusal (454 4.7.0: too many sign-ins) is not about the credentials: wait, do not retry.
          return outcome.temporary ? ['show-log'] : [credentials, 'test-connection'];
        case 'config':
          return /password|credential|token|sign/i.test(outcome.reason) ? [credentials, 'show-log'] : ['show-log'];
        case 'connect':
        case 'greeting':
        case 'tls':
          return outcome.temporary ? ['test-connection', 'retry'] : ['test-connection', 'show-log'];
        case 'limit':
          return [];
        default:
          return outcome.temporary ? ['retry', 'show-log'] : ['show-log'];
      }
  }
}

/** The CLI's wording of a step, for a profile file (or the capture inbox when there is none). */
export function nextStepHint(step: NextStep, profileFile: string | undefined): string | undefined {
  const profile = profileFile ? ` --profile-file ${profileFile}` : '';
  switch (step) {
    case 'set-password':
      return profileFile ? `check the password: the environment variable the profile's passwordEnv names, or the prompt` : undefined;
    case 'sign-in':
      return profileFile ? `sign in again: mailsmith login${profile}` : undefined;
    case 'test-connection':
      return `test the connection step by step: mailsmith doctor${profile}`;
    case 'retry':
      return 'nothing was delivered: the same command may work later';
    case 'show-log':
      return 'run again with -v to see the SMTP dialogue (credentials redacted)';
    case 'open-sent-copy':
      return undefined;
  }
}
