// Threading a series as git send-email does (In-Reply-To and References, RFC 5322 section 3.6.4):
//  - shallow (git's default): every message replies to the first one sent (the cover letter);
//  - deep (--chain-reply-to): each message replies to the one before;
//  - none: no In-Reply-To, unless --in-reply-to names a message, which every message then answers.
// --in-reply-to ID hangs the first message (and so the series) under an earlier one, e.g. v1's cover letter.
// A skipped message is no one's parent. The IDs are those the server really kept: after a send, `sent()`
// takes the ID the server replaced ours with, so later messages still find their parent.
export type ThreadMode = 'shallow' | 'deep' | 'none';

export interface ThreadHeaders {
  inReplyTo?: string;
  references?: string[];
}

export class SeriesThread {
  private inReplyTo: string | undefined;
  private references: string[];
  private processed = 0;

  constructor(
    private readonly mode: ThreadMode,
    private readonly initial?: string,
  ) {
    this.inReplyTo = initial;
    this.references = initial ? [initial] : [];
  }

  /** The threading fields of the next message. */
  next(): ThreadHeaders {
    if (!this.inReplyTo) return {};
    return { inReplyTo: this.inReplyTo, references: [...this.references] };
  }

  /** The next message went out as `messageId` (or was skipped: `undefined`). */
  done(messageId: string | undefined): void {
    this.processed++;
    if (this.mode !== 'none') {
      if (messageId && (this.mode === 'deep' || !this.inReplyTo || this.processed === 1)) {
        this.inReplyTo = messageId;
        this.references = [...this.references, messageId];
      }
    } else if (!this.initial) {
      this.inReplyTo = undefined;
      this.references = [];
    }
  }
}

/** `ID`, `<ID>` or ` <ID> ` as `<ID>`; undefined when it holds no `@`. */
export function normaliseMessageId(value: string): string | undefined {
  const bare = value.trim().replace(/^<|>$/g, '').trim();
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(bare)) return undefined;
  return `<${bare}>`;
}

// RFC 5322 section 3.6.4 msg-id: dot-atom-text "@" (dot-atom-text / no-fold-literal), atext from section 3.2.3.
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const DOT_ATOM = `${ATEXT}(?:\\.${ATEXT})*`;
const MSG_ID = new RegExp(`<(${DOT_ATOM}@(?:${DOT_ATOM}|\\[[\\x21-\\x5a\\x5e-\\x7e]*\\]))>`);
/** Longer than this, a server's ID is not taken: later messages would carry it in every References field. */
const MAX_ID_LENGTH = 250;

/**
 * The Message-ID a server says it gave the message instead of ours (Outlook: `250 2.0.0 OK <NEW@...>`).
 * Only a well-formed msg-id is taken (what a server says is untrusted; it goes into later messages' headers).
 */
export function replacedMessageId(reply: string | undefined, ours: string): string | undefined {
  if (!reply) return undefined;
  const found = MSG_ID.exec(reply);
  if (!found || found[1].length > MAX_ID_LENGTH) return undefined;
  const id = `<${found[1]}>`;
  return id === ours ? undefined : id;
}
