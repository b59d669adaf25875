// Messages between the preview panel (extension host) and its page (webview). Both sides import this.

export interface PreviewAttachment {
  filename: string;
  mimeType: string;
  size: number;
  /** Shown in the HTML body (a cid: image) rather than listed as a file by most clients. */
  inline: boolean;
  /** For a draft: the local file it is read from (its real path, symlinks and `..` resolved). */
  source?: string;
}

/** Remote loads other than images: blocked whatever the user chooses. */
export type BlockedKind = 'stylesheet' | 'font' | 'frame' | 'media' | 'object' | 'script' | 'SVG reference' | 'resource hint' | 'inline style' | 'redirect';

/** What the message's HTML would fetch from the network, counted from its parsed markup and styles. */
export interface RemoteContent {
  /** Remote images (img, srcset, CSS url(), SVG image, background attributes, posters): "Load remote images" allows them. */
  images: number;
  /** Every other remote load, by kind: never made by the preview. */
  other: Partial<Record<BlockedKind, number>>;
}

/** The message as a recipient's client shows it, parsed from the final bytes. */
export interface PreviewMessage {
  /** Where the bytes come from: the editor's draft (prepared as a send would) or a captured message. */
  origin: 'draft' | 'captured';
  title: string;
  from: string;
  to: string;
  cc: string;
  subject: string;
  date: string;
  /** The sandboxed document for the HTML part (its own CSP inside), if the message has one. */
  frame?: string;
  text?: string;
  attachments: PreviewAttachment[];
  /** Remote content the HTML refers to: blocked until the user allows images (the rest always). */
  remote: RemoteContent;
  size: number;
  /** Why the draft cannot be sent (errors); the preview then shows these instead of a message. */
  errors: string[];
}

/**
 * `seq` numbers each view sent; the page names the one the user acted on, so that a click meant for one
 * message never allows another's images.
 */
export type HostToPage = { type: 'show'; seq: number; message: PreviewMessage; remoteImagesAllowed: boolean };

/** `page` is the id the panel wrote into the page it loaded (html.ts): answers from an older page are ignored. */
export type PageToHost =
  | { type: 'ready'; page: string }
  | { type: 'loadRemoteImages'; page: string; seq: number }
  /** Show the received message's source (read-only) beside the preview. */
  | { type: 'openSource'; page: string };
