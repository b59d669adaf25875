// Messages between the preview panel (extension host) and its page (webview). Both sides import this.

export interface PreviewAttachment {
  filename: string;
  mimeType: string;
  size: number;
  /** Shown in the HTML body (a cid: image) rather than listed as a file by most clients. */
  inline: boolean;
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
  /** Remote (http/https) images the HTML refers to: blocked until the user allows them. */
  remoteImages: number;
  size: number;
  /** Why the draft cannot be sent (errors); the preview then shows these instead of a message. */
  errors: string[];
}

export type HostToPage = { type: 'show'; message: PreviewMessage; remoteImagesAllowed: boolean };

export type PageToHost = { type: 'ready' } | { type: 'loadRemoteImages' };
