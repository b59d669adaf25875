// A named attachment or inline image that cannot be found would make the send fail late (or, worse, be
// sent without it): report it where the document names it.
import * as codes from '../codes';
import type { ComposeRule } from './rule';

export const attachmentMissing: ComposeRule = {
  name: 'attachmentMissing',
  codes: [codes.ATTACHMENT_MISSING, codes.INLINE_IMAGE_MISSING, codes.ATTACHMENT_UNREADABLE],
  check(ctx) {
    for (const { ref, state } of ctx.files) {
      const what = ref.kind === 'inline-image' ? 'image' : 'attachment';
      const code = ref.kind === 'inline-image' ? codes.INLINE_IMAGE_MISSING : codes.ATTACHMENT_MISSING;
      if (state.status === 'no-folder') {
        ctx.report(code, 'error', `${what} "${ref.path}" is relative: save the document first so it has a folder`, ref.range);
      } else if (state.status === 'missing') {
        ctx.report(code, 'error', `${what} "${ref.path}" not found (looked for ${state.absolutePath})`, ref.range);
      } else if (state.status !== 'ok') {
        ctx.report(codes.ATTACHMENT_UNREADABLE, 'error', `${what} "${ref.path}" cannot be read: ${state.reason}`, ref.range);
      }
    }
  },
};
