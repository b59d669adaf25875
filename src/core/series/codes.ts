// The stable codes of the series checks (shown on the patch files, printed by `mailsmith series`).
// Renaming one is a breaking change.

/** The cover letter still holds format-patch's `*** SUBJECT HERE ***` or `*** BLURB HERE ***`. */
export const SERIES_COVER_PLACEHOLDER = 'series-cover-placeholder';
/** A body line over 998 octets (RFC 5322 section 2.1.1): sent quoted-printable, as git send-email does. */
export const SERIES_LINE_OVER_998 = 'series-line-over-998';
/** `git apply --check` refuses the patch on top of its base and the patches before it. */
export const SERIES_PATCH_DOES_NOT_APPLY = 'series-patch-does-not-apply';
/** The repository asks for a Signed-off-by (format.signOff, a DCO file) and the patch lacks its author's. */
export const SERIES_MISSING_SIGNOFF = 'series-missing-signoff';
/** The subjects name different versions ([PATCH v2] beside [PATCH v3]) or counts that do not add up. */
export const SERIES_MIXED_VERSIONS = 'series-mixed-versions';
/** A file could not be read, or holds no message. */
export const SERIES_UNREADABLE = 'series-unreadable';
/** A message of the series cannot be built into bytes to send (the message core refused it). */
export const SERIES_MESSAGE_INVALID = 'series-message-invalid';
/** A --to-cmd/--cc-cmd failed, or the repository names one that was not run. */
export const SERIES_COMMAND = 'series-command';

export const SERIES_CODES = [
  SERIES_COVER_PLACEHOLDER,
  SERIES_LINE_OVER_998,
  SERIES_PATCH_DOES_NOT_APPLY,
  SERIES_MISSING_SIGNOFF,
  SERIES_MIXED_VERSIONS,
  SERIES_UNREADABLE,
  SERIES_MESSAGE_INVALID,
  SERIES_COMMAND,
] as const;
