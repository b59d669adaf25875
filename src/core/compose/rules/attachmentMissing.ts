// Every file a document names must be there, be a regular file of the user's, and lie inside the message's
// folder tree unless the user allowed otherwise: report each problem where the document names the file.
// A missing file would make the send fail late (or, worse, go without it); a file outside the tree is how a
// message from someone else's repository would mail out a private file.
import * as codes from '../codes';
import type { ComposeRule } from './rule';

export const attachmentMissing: ComposeRule = {
  name: 'attachmentMissing',
  codes: [codes.ATTACHMENT_MISSING, codes.INLINE_IMAGE_MISSING, codes.ATTACHMENT_UNREADABLE, codes.ATTACHMENT_OUTSIDE, codes.ATTACHMENT_NOT_REGULAR],
  check(ctx) {
    for (const { ref, state } of ctx.files) {
      const what = ref.kind === 'inline-image' ? 'image' : 'attachment';
      const code = ref.kind === 'inline-image' ? codes.INLINE_IMAGE_MISSING : codes.ATTACHMENT_MISSING;
      switch (state.status) {
        case 'ok':
          break;
        case 'no-folder':
          ctx.report(code, 'error', `${what} "${ref.path}" is relative: save the document first so it has a folder`, ref.range);
          break;
        case 'missing':
          ctx.report(code, 'error', `${what} "${ref.path}" not found (looked for ${state.absolutePath})`, ref.range);
          break;
        case 'outside':
          ctx.report(codes.ATTACHMENT_OUTSIDE, 'error', `${what} "${ref.path}" is not sent: ${state.reason} (setting mailsmith.attachments.allowOutside, or --allow-outside-files)`, ref.range);
          break;
        case 'not-regular':
          ctx.report(codes.ATTACHMENT_NOT_REGULAR, 'error', `${what} "${ref.path}" is not sent: ${state.reason}`, ref.range);
          break;
        case 'unreadable':
          ctx.report(codes.ATTACHMENT_UNREADABLE, 'error', `${what} "${ref.path}" cannot be read: ${state.reason}`, ref.range);
          break;
      }
    }
  },
};
