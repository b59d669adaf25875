// Field names the rules know about (RFC 5322 section 3.6, RFC 2045).

/** Fields that may occur at most once (RFC 5322 section 3.6, the table's "max number" of 1). */
export const SINGLE_INSTANCE_FIELDS = [
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
] as const;

/** Fields whose value is an address list (RFC 5322 section 3.6.2 and 3.6.3). */
export const ADDRESS_FIELDS = new Set(['from', 'sender', 'reply-to', 'to', 'cc', 'bcc']);

/** Fields whose value a header injection would most likely target. */
export const INJECTION_TARGETS = new Set([...ADDRESS_FIELDS, 'subject']);

/** Names common enough that a folded line starting with one is suspicious even inside an address list. */
export const WELL_KNOWN_FIELDS = new Set<string>([
  ...SINGLE_INSTANCE_FIELDS,
  'return-path',
  'received',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'x-mailer',
]);

/** Fields with structure of their own that RFC 2047 encoded-words may not appear in. */
export const STRUCTURED_FIELDS = new Set([
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-id',
  'return-path',
  'received',
]);

/** The canonical spelling of a known field name, for fields the fixes add. */
export function canonicalName(key: string): string {
  if (key === 'message-id') return 'Message-ID';
  if (key === 'mime-version') return 'MIME-Version';
  return key.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase());
}
