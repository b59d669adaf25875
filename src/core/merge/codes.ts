// The stable codes of a mail merge's own checks. Everything a single message can have wrong keeps the
// message core's and the composer's codes: each row is checked with exactly those rules.

/** A `${name}` the data has no column for. */
export const MERGE_UNKNOWN_COLUMN = 'merge-unknown-column';
/** A field value is empty in a row where the template uses it. */
export const MERGE_EMPTY_VALUE = 'merge-empty-value';
/** A field value that would change the message's structure: a control character, more than one address, a path leaving its folder. */
export const MERGE_UNSAFE_VALUE = 'merge-unsafe-value';
/** A placeholder where no value may go (a field name, Date, Message-ID, a comment, a YAML key). */
export const MERGE_PLACEHOLDER_PLACE = 'merge-placeholder-place';
/** Two rows would go to the same recipients (or have the same Merge-Key): exactly-once needs one row per key. */
export const MERGE_DUPLICATE_RECIPIENT = 'merge-duplicate-recipient';
/** The data file cannot be read as CSV or JSON rows. */
export const MERGE_DATA_INVALID = 'merge-data-invalid';
/** No data file: the template names none and none was given, or it cannot be read. */
export const MERGE_NO_DATA = 'merge-no-data';
/** The template's own Message-ID would be the same for every row. */
export const MERGE_FIXED_MESSAGE_ID = 'merge-fixed-message-id';
/** A row was sent by an earlier run with other values (the journal knows its recipients). */
export const MERGE_SENT_BEFORE = 'merge-sent-before';
/** A merge template given to the single-message send: it goes out only through the merge. */
export const MERGE_TEMPLATE = 'merge-template';
