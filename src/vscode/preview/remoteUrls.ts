// What in a message's HTML would reach the network: URLs that leave the message (http:, https:,
// scheme-relative), the candidates of a srcset, and the URLs a CSS text loads. Pure and small, so the
// frame builder can count honestly what the preview blocks. Counting only: the guarantee that nothing
// loads is the frames' Content-Security-Policy, not this.

/**
 * True for a URL the browser would fetch from a host: an http(s) URL, or a scheme-relative one (`//host`,
 * and `\\host`, which the URL parser treats alike under an http base). Whitespace the URL parser strips is
 * ignored first (WHATWG URL §4.4: leading/trailing C0 and space, any tab or newline).
 */
export function isRemoteUrl(value: string): boolean {
  const url = value.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  if (scheme) return /^https?$/i.test(scheme[1]);
  return /^[\\/]{2}/.test(url);
}

/** The URLs of a `srcset` (HTML §4.8.4.3.10, "parse a srcset attribute"), descriptors dropped. */
export function srcsetUrls(value: string): string[] {
  const urls: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i])) i++;
    const start = i;
    while (i < value.length && !/\s/.test(value[i])) i++;
    let url = value.slice(start, i);
    if (url.endsWith(',')) url = url.replace(/,+$/, '');
    else {
      // Descriptors run to the next comma outside parentheses.
      let depth = 0;
      for (; i < value.length; i++) {
        const c = value[i];
        if (c === '(') depth++;
        else if (c === ')') depth = Math.max(0, depth - 1);
        else if (c === ',' && depth === 0) break;
      }
    }
    if (url) urls.push(url);
  }
  return urls;
}

export type CssLoad = 'image' | 'stylesheet' | 'font';

/**
 * What a style sheet (or a style attribute) would fetch: `@import` (a stylesheet), `url()`/`src()` inside
 * `@font-face` (a font), any other `url()` and `image-set()` (one image each). Tokenised as CSS
 * Syntax §4 does (comments, strings, escapes, unquoted url tokens), so a comment or an escape does not hide
 * a URL from the count.
 */
export function cssLoads(css: string): { url: string; load: CssLoad }[] {
  const loads: { url: string; load: CssLoad }[] = [];
  const tokens = tokenize(css);
  // Blocks and functions we are inside of: what a url means depends on them. An image-set() loads one
  // of its candidates, so it collects them and counts once when it closes.
  type Frame = { kind: 'font-face' | 'other' } | { kind: 'image-set'; candidates: string[] };
  const stack: Frame[] = [];
  let pendingAt: string | undefined; // an at-rule whose prelude we are reading
  let importPrelude = false;
  const add = (url: string) => {
    const imageSet = [...stack].reverse().find((f) => f.kind === 'image-set');
    if (imageSet && 'candidates' in imageSet) imageSet.candidates.push(url);
    else loads.push({ url, load: importPrelude ? 'stylesheet' : stack.some((f) => f.kind === 'font-face') ? 'font' : 'image' });
  };
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t];
    switch (token.type) {
      case 'at':
        pendingAt = token.value.toLowerCase();
        importPrelude = pendingAt === 'import';
        break;
      case 'url':
        if (token.value) add(token.value);
        break;
      case 'function': {
        const name = token.value.toLowerCase();
        if ((name === 'url' || name === 'src') && tokens[t + 1]?.type === 'string') {
          add(tokens[t + 1].value);
          t++;
        }
        stack.push(name === 'image-set' || name === '-webkit-image-set' ? { kind: 'image-set', candidates: [] } : { kind: 'other' });
        break;
      }
      case 'string':
        if (importPrelude || stack[stack.length - 1]?.kind === 'image-set') add(token.value);
        break;
      case 'open':
        stack.push({ kind: token.value === '{' && pendingAt === 'font-face' ? 'font-face' : 'other' });
        if (token.value === '{') {
          pendingAt = undefined;
          importPrelude = false;
        }
        break;
      case 'close': {
        const closed = stack.pop();
        if (closed && 'candidates' in closed && closed.candidates.length) {
          add(closed.candidates.find(isRemoteUrl) ?? closed.candidates[0]);
        }
        break;
      }
      case 'semicolon':
        pendingAt = undefined;
        importPrelude = false;
        break;
    }
  }
  return loads;
}

type Token = { type: 'at' | 'url' | 'function' | 'string' | 'open' | 'close' | 'semicolon' | 'other'; value: string };

const HEX = /[0-9a-f]/i;
const NAME_CHAR = /[a-z0-9_\-\u0080-\uffff]/i;

function tokenize(css: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = css.length;
  const startsEscape = (at: number) => css[at] === '\\' && at + 1 < n && css[at + 1] !== '\n' && css[at + 1] !== '\r' && css[at + 1] !== '\f';
  /** Consumes an escape at `i` (just past the backslash) and returns the character it stands for. */
  const escape = (): string => {
    let hex = '';
    while (hex.length < 6 && i < n && HEX.test(css[i])) hex += css[i++];
    if (!hex) return css[i++] ?? '';
    if (/\s/.test(css[i] ?? '')) i++;
    const code = parseInt(hex, 16);
    return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
  };
  const name = (): string => {
    let out = '';
    while (i < n) {
      if (NAME_CHAR.test(css[i])) out += css[i++];
      else if (startsEscape(i)) {
        i++;
        out += escape();
      } else break;
    }
    return out;
  };
  const startsName = (at: number) => NAME_CHAR.test(css[at] ?? '') || startsEscape(at);
  while (i < n) {
    const c = css[i];
    if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      i++;
      let value = '';
      while (i < n && css[i] !== c) {
        if (css[i] === '\n') break; // a bad string ends at the newline
        if (css[i] === '\\') {
          i++;
          if (css[i] === '\n') i++;
          else value += escape();
        } else value += css[i++];
      }
      i++;
      tokens.push({ type: 'string', value });
    } else if (c === '@' && startsName(i + 1)) {
      i++;
      tokens.push({ type: 'at', value: name() });
    } else if (startsName(i) && !/[0-9]/.test(c)) {
      const ident = name();
      if (css[i] !== '(') {
        tokens.push({ type: 'other', value: ident });
        continue;
      }
      i++;
      if (ident.toLowerCase() !== 'url') {
        tokens.push({ type: 'function', value: ident });
        continue;
      }
      while (i < n && /\s/.test(css[i])) i++;
      if (css[i] === '"' || css[i] === "'") {
        tokens.push({ type: 'function', value: ident });
        continue;
      }
      let value = '';
      while (i < n && css[i] !== ')') {
        if (css[i] === '\\') {
          i++;
          value += escape();
        } else value += css[i++];
      }
      i++;
      tokens.push({ type: 'url', value: value.trim() });
    } else if (c === '{' || c === '(' || c === '[') {
      i++;
      tokens.push({ type: 'open', value: c });
    } else if (c === '}' || c === ')' || c === ']') {
      i++;
      tokens.push({ type: 'close', value: c });
    } else if (c === ';') {
      i++;
      tokens.push({ type: 'semicolon', value: c });
    } else {
      i++;
    }
  }
  return tokens;
}
