// The final bytes of a message, parsed with postal-mime as a recipient's client would, into what the
// preview shows. No `vscode` import: unit-tested in plain Node. The HTML part goes into a sandboxed
// iframe whose own CSP allows no script, and images only from the message itself (cid: parts turned
// into data: URIs) unless the user allowed remote images.
import PostalMime from 'postal-mime';
import type { PreviewMessage } from '../../webview/preview/protocol';

type Address = { name?: string; address?: string; group?: Address[] };
type Attachment = { filename: string | null; mimeType: string; content: ArrayBuffer | string; contentId?: string; disposition: string | null; related?: boolean };

const REMOTE_IMAGE = /<img\b[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?\/\//gi;

export async function messageView(raw: Uint8Array, origin: PreviewMessage['origin'], title: string, remoteImagesAllowed: boolean, nonce: string): Promise<PreviewMessage> {
  const mail = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  const attachments = mail.attachments as Attachment[];
  let frame: string | undefined;
  let remoteImages = 0;
  if (mail.html) {
    remoteImages = (mail.html.match(REMOTE_IMAGE) ?? []).length;
    frame = frameDocument(inlineCidImages(mail.html, attachments), remoteImagesAllowed, nonce);
  }
  return {
    origin,
    title,
    from: formatAddresses(mail.from ? [mail.from as Address] : []),
    to: formatAddresses((mail.to ?? []) as Address[]),
    cc: formatAddresses((mail.cc ?? []) as Address[]),
    subject: mail.subject ?? '',
    date: mail.date ?? '',
    frame,
    text: mail.text,
    attachments: attachments.map((a) => ({
      filename: a.filename ?? '(unnamed)',
      mimeType: a.mimeType,
      size: typeof a.content === 'string' ? a.content.length : a.content.byteLength,
      inline: Boolean(a.contentId && a.related),
    })),
    remoteImages,
    size: raw.byteLength,
    errors: [],
  };
}

/**
 * The HTML part as a document for `<iframe sandbox srcdoc>`. Its CSP (which narrows the panel's, inherited
 * by srcdoc) allows no script at all, images from data: only (or the network once allowed), and styles
 * only in the message's own `<style>` elements, which carry the panel's nonce.
 */
export function frameDocument(html: string, remoteImagesAllowed: boolean, nonce: string): string {
  const images = remoteImagesAllowed ? 'data: https: http:' : 'data:';
  const csp = `default-src 'none'; img-src ${images}; style-src 'nonce-${nonce}'; font-src data:; script-src 'none'; form-action 'none'`;
  const meta = `<meta http-equiv="Content-Security-Policy" content="${csp}"><base target="_blank">`;
  const styled = html.replace(/<style\b/gi, `<style nonce="${nonce}"`);
  // The policy must come before anything it governs: first thing in <head>, or a head of its own.
  if (/<head\b[^>]*>/i.test(styled)) return styled.replace(/<head\b[^>]*>/i, (head) => head + meta);
  return `<!DOCTYPE html><html><head>${meta}</head><body>${styled}</body></html>`;
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
