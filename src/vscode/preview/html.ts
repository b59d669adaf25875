// The preview page's markup: static, the message arrives by postMessage and is set with textContent
// (or as the sandboxed frame's srcdoc). Pure, so the CSP is unit-tested.

export interface PreviewResources {
  cspSource: string;
  /** Fresh for each page load: the page's one script. */
  scriptNonce: string;
  /** Fresh for each page load: the page's stylesheet and the message's own `<style>` elements in the frame. */
  styleNonce: string;
  scriptUri: string;
  styleUri: string;
  /** Which page load this is: the page names it in its messages, so the panel ignores an older page. */
  pageId: string;
  /** The user allowed remote images for the message this page is loaded for (and only that one). */
  remoteImagesAllowed: boolean;
}

/**
 * The panel's CSP. The srcdoc frame that shows the message inherits it (Chromium: CSP §4.2.2, policy
 * container inheritance; checked in test/unit/preview/chromium.test.ts and, inside VS Code's webview, in
 * test/ui/support/hostilePreview.ts), so this policy, which the message cannot touch, is what keeps the
 * frame off the network: no remote images until the user allows them (the panel then loads a fresh page
 * with this policy widened, for that message only), and nothing else remote ever. Frames: only srcdoc documents, which no policy source blocks; any navigation of the frame
 * to a URL is refused by `frame-src 'none'`. Script and style nonces differ: the style nonce is written
 * into the frame's markup, the script nonce never leaves this page.
 */
export function previewCsp(r: Pick<PreviewResources, 'cspSource' | 'scriptNonce' | 'styleNonce' | 'remoteImagesAllowed'>): string {
  return [
    "default-src 'none'",
    `img-src data:${r.remoteImagesAllowed ? ' https: http:' : ''}`,
    `style-src ${r.cspSource} 'nonce-${r.styleNonce}'`,
    'font-src data:',
    `script-src 'nonce-${r.scriptNonce}'`,
    "frame-src 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function previewHtml(r: PreviewResources): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${previewCsp(r)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${r.styleUri}" nonce="${r.styleNonce}">
<title>Message preview</title>
</head>
<body data-page="${r.pageId}">
<main>
  <div id="errors" class="errors" role="alert" hidden></div>
  <table class="headers" aria-label="Message headers">
    <tr><th scope="row">From</th><td id="h-from"></td></tr>
    <tr><th scope="row">To</th><td id="h-to"></td></tr>
    <tr id="row-cc"><th scope="row">Cc</th><td id="h-cc"></td></tr>
    <tr><th scope="row">Subject</th><td id="h-subject" class="subject"></td></tr>
    <tr><th scope="row">Date</th><td id="h-date"></td></tr>
  </table>
  <div class="toolbar">
    <div role="tablist" aria-label="Body">
      <button id="tab-html" role="tab" aria-selected="true">HTML</button>
      <button id="tab-text" role="tab" aria-selected="false">Text</button>
    </div>
    <span id="remote-note" class="note" hidden></span>
    <button id="load-remote" hidden>Load remote images</button>
    <button id="open-source" hidden title="The message as received, read-only">Open source</button>
    <span id="meta" class="note"></span>
  </div>
  <iframe id="html-body" title="Message body (HTML)" sandbox=""></iframe>
  <pre id="text-body" hidden></pre>
  <section aria-label="Attachments">
    <ul id="attachments" class="attachments"></ul>
  </section>
</main>
<script nonce="${r.scriptNonce}" src="${r.scriptUri}"></script>
</body>
</html>`;
}
