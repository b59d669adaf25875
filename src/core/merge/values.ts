// A field value goes into the message only in the form its place allows, so that no value can add a header
// line, a recipient, a file or markup (the same care as a SQL placeholder). Each place has its own rule:
//  - every place: no control character (C0 except TAB, DEL, C1): a CR or LF would start a new header field
//    (RFC 5322 section 2.2) or a new MIME part; values are one line of text;
//  - a whole address (`To: ${email}`): exactly one mailbox, parsed and written again by the address
//    formatter (RFC 5322 section 3.4); two addresses, a group or a list separator are refused;
//  - part of an address (`<${email}>`, `${user}@example.com`): address characters only (RFC 5322 3.4.1);
//  - a display name (`${name} <${email}>`): written as a quoted-string (RFC 5322 3.2.4), so `,` `<` `;` stay text;
//  - inside quotes (`"${name}" <...>`): `\` and `"` escaped as quoted-pairs;
//  - an attachment path: relative, no `..` (the file-scope rules then apply as to any attachment);
//  - a Markdown body: the characters that start inline constructs backslash-escaped (CommonMark 2.4), so
//    a value cannot make an image, a link or HTML (the text part, which is the Markdown, stays readable); an HTML body: the five HTML-special characters as entities.
import { parseAddressList } from '../message/addresses';
import { formatMailbox } from '../message/encoding';

export type ValueContext =
  | { kind: 'header-text' }
  | { kind: 'mailbox' }
  | { kind: 'addr-spec' }
  | { kind: 'display-name' }
  | { kind: 'quoted' }
  | { kind: 'path' }
  | { kind: 'key' }
  | { kind: 'body'; format: 'markdown' | 'html' | 'text' };

export type Formatted = { ok: true; text: string } | { ok: false; reason: string };

const PLAIN_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/;
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;
/** RFC 5322 `specials` and white space: what may not appear unquoted in an address. */
const ADDRESS_SPECIAL = /[\s()<>[\]:;,"\\]/;
/** What starts Markdown's inline constructs (images, links, HTML, code, emphasis, entities); the rest stays readable in the text part. */
const MARKDOWN_INLINE = /[\\`*_[\]<>!&|~]/g;
const HTML_SPECIAL: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function describeContext(context: ValueContext): string {
  switch (context.kind) {
    case 'header-text':
      return 'header text';
    case 'mailbox':
      return 'an address';
    case 'addr-spec':
      return 'part of an address';
    case 'display-name':
    case 'quoted':
      return 'a display name';
    case 'path':
      return 'an attachment path';
    case 'key':
      return 'the merge key';
    case 'body':
      return `the ${context.format === 'markdown' ? 'Markdown' : context.format === 'html' ? 'HTML' : 'text'} body`;
  }
}

export function formatValue(value: string, context: ValueContext): Formatted {
  const control = CONTROL.exec(value);
  if (control) {
    const code = control[0].charCodeAt(0);
    const what = code === 10 || code === 13 ? 'a line break' : `the control character \\x${code.toString(16).padStart(2, '0')}`;
    return { ok: false, reason: `holds ${what}: a value is one line of text, and cannot add a header line or a part` };
  }
  switch (context.kind) {
    case 'header-text':
    case 'key':
      return { ok: true, text: value };
    case 'quoted':
      return { ok: true, text: quotedPairs(value) };
    case 'display-name':
      // A plain phrase (RFC 5322 atext and spaces) stays as it is; anything else is quoted.
      return { ok: true, text: PLAIN_PHRASE.test(value) && value.trim() !== '' ? value : `"${quotedPairs(value)}"` };
    case 'addr-spec':
      return ADDRESS_SPECIAL.test(value)
        ? { ok: false, reason: `"${value}" is not part of an address (spaces and ( ) < > [ ] : ; , " \\ are not allowed there)` }
        : { ok: true, text: value };
    case 'mailbox':
      return mailbox(value);
    case 'path':
      return path(value);
    case 'body':
      if (context.format === 'markdown') return { ok: true, text: value.replace(MARKDOWN_INLINE, '\\$&') };
      if (context.format === 'html') return { ok: true, text: value.replace(/[&<>"']/g, (c) => HTML_SPECIAL[c]) };
      return { ok: true, text: value };
  }
}

function quotedPairs(value: string): string {
  return value.replace(/[\\"]/g, '\\$&');
}

/** One mailbox, written again by the formatter: whatever the value held, it is one address in the list. */
function mailbox(value: string): Formatted {
  if (value.trim() === '') return { ok: true, text: '' };
  const parsed = parseAddressList(value);
  const error = parsed.issues.find((i) => i.severity === 'error');
  if (parsed.groups.length > 0 || parsed.mailboxes.length !== 1 || parsed.semicolonSeparators.length > 0) {
    const count = parsed.mailboxes.length;
    return {
      ok: false,
      reason: count > 1 ? `holds ${count} addresses: a field fills one address (use one column per recipient)` : `"${value}" is not one address${error ? ` (${error.message})` : ''}`,
    };
  }
  if (error) return { ok: false, reason: `"${value}" is not an address: ${error.message}` };
  // UTF-8 kept: the final bytes encode it (RFC 2047) or require SMTPUTF8, as for any message.
  return { ok: true, text: formatMailbox(parsed.mailboxes[0], true) };
}

function path(value: string): Formatted {
  if (value.trim() === '') return { ok: true, text: value };
  if (/^([\\/]|[A-Za-z]:|~)/.test(value)) return { ok: false, reason: `"${value}" is an absolute path: a field may only name a file inside the template's folder tree` };
  if (value.split(/[\\/]/).includes('..')) return { ok: false, reason: `"${value}" climbs out of its folder with "..": a field may only name a file inside the template's folder tree` };
  return { ok: true, text: value };
}
