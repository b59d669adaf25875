// The built-in profile every user has from the first minute: the local capture inbox, a loopback SMTP server
// Mailsmith runs itself, so a new user can send at once with no credentials and nothing leaves the machine.
// It is recognised by its kind, never by its display name.
import { LOCAL_INBOX_DEFAULT_PORT, LOCAL_INBOX_PROFILE_NAME } from './presets';
import type { SmtpProfile } from './profile';

export const BUILT_IN_INBOX_PROFILE: Readonly<SmtpProfile> = Object.freeze({
  name: LOCAL_INBOX_PROFILE_NAME,
  kind: 'capture-inbox',
  host: '127.0.0.1',
  port: LOCAL_INBOX_DEFAULT_PORT,
  security: 'starttls',
});
