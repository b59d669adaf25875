// The preview page's markup: static, the message arrives by postMessage and is set with textContent
// (or as the sandboxed frame's srcdoc). Pure, so the CSP is unit-tested.

export interface PreviewResources {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

/**
 * The panel's CSP. Images: the frame's own, narrower policy decides (srcdoc inherits this one, so it must
 * allow what the user may choose to load). Frames: only srcdoc documents, which no policy source blocks;
 * any navigation of the frame to a URL is refused by `frame-src 'none'`.
 */
export function previewCsp(r: Pick<PreviewResources, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `img-src ${r.cspSource} data: https: http:`,
    `style-src ${r.cspSource} 'nonce-${r.nonce}'`,
    `font-src ${r.cspSource} data:`,
    `script-src 'nonce-${r.nonce}'`,
    "frame-src 'none'",
  ].join('; ');
}

export function previewHtml(r: PreviewResources): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${previewCsp(r)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${r.styleUri}" nonce="${r.nonce}">
<title>Message preview</title>
</head>
<body>
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
    <span id="meta" class="note"></span>
  </div>
  <iframe id="html-body" title="Message body (HTML)" sandbox=""></iframe>
  <pre id="text-body" hidden></pre>
  <section aria-label="Attachments">
    <ul id="attachments" class="attachments"></ul>
  </section>
</main>
<script nonce="${r.nonce}" src="${r.scriptUri}"></script>
</body>
</html>`;
}
