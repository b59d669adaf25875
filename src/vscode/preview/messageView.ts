// The final bytes of a message, parsed with postal-mime as a recipient's client would, into what the
// preview shows. No `vscode` import: unit-tested in plain Node. The HTML part goes into a sandboxed
// iframe (frameDocument.ts) whose policies allow no script, and images only from the message itself
// (cid: parts turned into data: URIs) unless the user allowed remote images.
import PostalMime from 'postal-mime';
import type { PreviewMessage } from '../../webview/preview/protocol';
import { buildFrameDocument, type FrameOptions } from './frameDocument';

type Address = { name?: string; address?: string; group?: Address[] };
type Attachment = { filename: string | null; mimeType: string; content: ArrayBuffer | string; contentId?: string; disposition: string | null; related?: boolean };

export async function messageView(raw: Uint8Array, origin: PreviewMessage['origin'], title: string, frameOptions: FrameOptions): Promise<PreviewMessage> {
  const mail = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  const attachments = mail.attachments as Attachment[];
  const built = mail.html ? await buildFrameDocument(inlineCidImages(mail.html, attachments), frameOptions) : undefined;
  return {
    origin,
    title,
    from: formatAddresses(mail.from ? [mail.from as Address] : []),
    to: formatAddresses((mail.to ?? []) as Address[]),
    cc: formatAddresses((mail.cc ?? []) as Address[]),
    subject: mail.subject ?? '',
    date: mail.date ?? '',
    frame: built?.html,
    text: mail.text,
    attachments: attachments.map((a) => ({
      filename: a.filename ?? '(unnamed)',
      mimeType: a.mimeType,
      size: typeof a.content === 'string' ? a.content.length : a.content.byteLength,
      inline: Boolean(a.contentId && a.related),
    })),
    remote: built?.remote ?? { images: 0, other: {} },
    size: raw.byteLength,
    errors: [],
  };
}

/** `cid:` references (RFC 2392) to the related parts, as data: URIs the sandboxed frame can show. */
function inlineCidImages(html: string, attachments: Attachment[]): string {
  const byCid = new Map<string, Attachment>();
  for (const a of attachments) if (a.contentId) byCid.set(a.contentId.replace(/^<|>$/g, ''), a);
  return html.replace(/(["'])cid:([^"']+)\1/gi, (whole, quote: string, cid: string) => {
    const part = byCid.get(decodeURIComponentSafe(cid));
    if (!part || typeof part.content === 'string' || !part.mimeType.startsWith('image/')) return whole;
    return `${quote}data:${part.mimeType};base64,${Buffer.from(part.content).toString('base64')}${quote}`;
  });
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function formatAddresses(list: Address[]): string {
  return list
    .map((a) => {
      if (a.group) return `${a.name ?? ''}: ${formatAddresses(a.group)};`;
      return a.name ? `${a.name} <${a.address ?? ''}>` : (a.address ?? '');
    })
    .join(', ');
}
