// The stable codes of the composer's problems (documents with a Markdown body, front matter or attachments).
// They sit beside the message core's codes (../message/codes.ts) and never reuse one of them.

export const ATTACHMENT_MISSING = 'attachment-missing';
export const ATTACHMENT_UNREADABLE = 'attachment-unreadable';
/** A named file resolves outside the message's folder tree (through `..`, an absolute path or a symlink). */
export const ATTACHMENT_OUTSIDE = 'attachment-outside';
/** A named path is a folder, device, FIFO, socket or kernel pseudo-file (/proc, /sys, /dev). */
export const ATTACHMENT_NOT_REGULAR = 'attachment-not-regular';
export const ATTACHMENT_TOO_LARGE = 'attachment-too-large';
export const MESSAGE_TOO_LARGE = 'message-too-large';
export const INLINE_IMAGE_MISSING = 'inline-image-missing';
export const FRONT_MATTER_INVALID = 'front-matter-invalid';
export const FRONT_MATTER_UNKNOWN_KEY = 'front-matter-unknown-key';
export const ATTACH_UNSUPPORTED_BODY = 'attach-unsupported-body';
export const COMPOSE_FAILED = 'compose-failed';
