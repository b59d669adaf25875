// The stable codes of the message problems: the CLI prints them, the editor shows them, tests match them.
// Renaming one is a breaking change.

export const MISSING_FROM = 'missing-from';
export const MISSING_RECIPIENTS = 'missing-recipients';
export const MISSING_SUBJECT = 'missing-subject';
export const MISSING_DATE = 'missing-date';
export const MISSING_MESSAGE_ID = 'missing-message-id';
export const DUPLICATE_FIELD = 'duplicate-field';
export const FROM_NEEDS_SENDER = 'from-needs-sender';
export const SENDER_NOT_SINGLE = 'sender-not-single';
export const BCC_REMOVED = 'bcc-removed';

export const ADDRESS_SYNTAX = 'address-syntax';
export const ADDRESS_EMPTY_ENTRY = 'address-empty-entry';
export const ADDRESS_SEMICOLON = 'address-semicolon';
export const ADDRESS_EMPTY_LIST = 'address-empty-list';
export const ADDRESS_NEEDS_SMTPUTF8 = 'address-needs-smtputf8';
export const ADDRESS_IDN = 'address-idn';

export const HEADER_NO_COLON = 'header-no-colon';
export const HEADER_CONTINUATION_FIRST = 'header-continuation-first';
export const MBOX_FROM_LINE = 'mbox-from-line';
export const FIELD_NAME_ILLEGAL = 'field-name-illegal';
export const SPACE_BEFORE_COLON = 'space-before-colon';
export const HEADER_NON_ASCII = 'header-non-ascii';
export const HEADER_CONTROL_CHAR = 'header-control-char';
export const HEADER_INJECTION = 'header-injection';
export const EMPTY_FOLDED_LINE = 'empty-folded-line';

export const LINE_TOO_LONG = 'line-too-long';
export const LINE_OVER_78 = 'line-over-78';
export const BARE_LF = 'bare-lf';
export const BARE_CR = 'bare-cr';
export const BOM = 'bom';
export const INVALID_UTF8 = 'invalid-utf8';

export const BODY_8BIT_UNDECLARED = 'body-8bit-undeclared';
export const BODY_NUL = 'body-nul';
export const MIME_BOUNDARY_MISSING = 'mime-boundary-missing';
export const MIME_BOUNDARY_UNUSED = 'mime-boundary-unused';
export const MIME_UNTERMINATED = 'mime-unterminated';

export const ENVELOPE_NO_SENDER = 'envelope-no-sender';
export const ENVELOPE_NO_RECIPIENTS = 'envelope-no-recipients';
export const ENVELOPE_BAD_ADDRESS = 'envelope-bad-address';
export const DEFAULTS_BAD_ADDRESS = 'defaults-bad-address';
export const DEFAULTS_CONTROL_CHAR = 'defaults-control-char';

/** The summary of the problems of one field past the first few (the rest are counted, not listed). */
export const TOO_MANY_PROBLEMS = 'too-many-problems';
