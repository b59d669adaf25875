// The shell every Mailsmith form page shares (profile settings, the series review): a strict CSP (nothing by
// default, scripts only with the page load's nonce, styles, fonts and images only from the extension), the
// codicons and the page's own stylesheet, and its one script. The markup between is static: data arrives by
// message and is written with textContent. The message preview has a policy of its own (preview/html.ts).
export interface WebviewPageResources {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Fresh for each page load. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
}

export function webviewPageCsp(r: Pick<WebviewPageResources, 'cspSource' | 'nonce'>): string {
  return ["default-src 'none'", `style-src ${r.cspSource}`, `font-src ${r.cspSource}`, `img-src ${r.cspSource}`, `script-src 'nonce-${r.nonce}'`].join('; ');
}

export function webviewPage(r: WebviewPageResources, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${webviewPageCsp(r)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${r.codiconsUri}">
<link rel="stylesheet" href="${r.styleUri}">
<title>${title}</title>
</head>
<body>
${body}
<script nonce="${r.nonce}" src="${r.scriptUri}"></script>
</body>
</html>`;
}
