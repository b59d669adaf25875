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

/** The Message-ID a server says it gave the message instead of ours (Outlook: `250 2.0.0 OK <NEW@...>`). */
export function replacedMessageId(reply: string | undefined, ours: string): string | undefined {
  if (!reply) return undefined;
  const found = /<([^<>\s@]+@[^<>\s]+)>/.exec(reply);
  if (!found) return undefined;
  const id = `<${found[1]}>`;
  return id === ours ? undefined : id;
}
