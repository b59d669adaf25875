// Size limits: a single file over the attachment limit, and the files together over what the profile or
// the server takes (SIZE, RFC 1870). Base64 makes a file about 4/3 larger on the wire (RFC 2045 section
// 6.8) plus a CRLF every 76 characters, so the check uses the encoded size.
import * as codes from '../codes';
import type { ComposeRule } from './rule';

export const DEFAULT_MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/** Bytes a file takes once base64-encoded in lines of 76 characters. */
export function base64Size(bytes: number): number {
  const encoded = Math.ceil(bytes / 3) * 4;
  return encoded + Math.ceil(encoded / 76) * 2;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export const attachmentSize: ComposeRule = {
  name: 'attachmentSize',
  codes: [codes.ATTACHMENT_TOO_LARGE],
  check(ctx) {
    const maxFile = ctx.options.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
    const maxMessage = ctx.options.maxMessageBytes;
    let total = Buffer.byteLength(ctx.source.text, 'utf8') * 2; // the body goes out as text and as HTML
    for (const { ref, state } of ctx.files) {
      if (state.status !== 'ok') continue;
      if (state.size > maxFile) {
        ctx.report(codes.ATTACHMENT_TOO_LARGE, 'error', `"${ref.path}" is ${formatBytes(state.size)}, over the ${formatBytes(maxFile)} limit for one attachment`, ref.range);
        continue;
      }
      const before = total;
      total += base64Size(state.size);
      if (maxMessage !== undefined && total > maxMessage && before <= maxMessage) {
        ctx.report(
          codes.ATTACHMENT_TOO_LARGE,
          'error',
          `with "${ref.path}" the message grows to about ${formatBytes(total)} encoded, over the ${formatBytes(maxMessage)} the server or profile accepts`,
          ref.range,
        );
      }
    }
  },
};
