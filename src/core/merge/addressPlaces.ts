// Where each `${name}` stands in an address field as the template writes it, so that its value goes in as
// what that place holds (./values.ts): a whole address, part of one, a display name, or quoted text. This
// reads only the template's punctuation around the fields (quotes, angle brackets, comments, list
// separators); the rendered field is then parsed by the real address parser like any other.
import type { FieldUse } from './fields';
import type { ValueContext } from './values';

export type AddressPlace = { ok: true; context: ValueContext } | { ok: false; reason: string };

/** `value`: an address field's value with its fields; `fields`: their offsets in `value`. */
export function addressPlaces(value: string, fields: readonly FieldUse[]): AddressPlace[] {
  const places: AddressPlace[] = [];
  let quoted = false;
  let angle = 0;
  let comment = 0;
  let elementStart = 0;
  let next = 0;
  for (let i = 0; i <= value.length && next < fields.length; i++) {
    const field = fields[next];
    if (i === field.start) {
      if (comment > 0) places.push({ ok: false, reason: 'a field inside a comment "( )" would be dropped from the address' });
      else if (quoted) places.push({ ok: true, context: { kind: 'quoted' } });
      else if (angle > 0) places.push({ ok: true, context: { kind: 'addr-spec' } });
      else places.push({ ok: true, context: outsideBrackets(value, elementStart, field) });
      next++;
      i = field.end - 1;
      continue;
    }
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (comment > 0) {
      if (c === '\\') i++;
      else if (c === '(') comment++;
      else if (c === ')') comment--;
    } else if (c === '"') quoted = true;
    else if (c === '(') comment++;
    else if (c === '<') angle++;
    else if (c === '>') angle = Math.max(0, angle - 1);
    else if ((c === ',' || c === ':' || c === ';') && angle === 0) elementStart = i + 1;
  }
  return places;
}

/** Not quoted, not in brackets: a display name when `<` follows in the same list element, else an address. */
function outsideBrackets(value: string, elementStart: number, field: FieldUse): ValueContext {
  const rest = elementEnd(value, field.end);
  if (value.slice(field.end, rest).includes('<')) return { kind: 'display-name' };
  const before = value.slice(elementStart, field.start).trim();
  const after = value.slice(field.end, rest).trim();
  return before === '' && after === '' ? { kind: 'mailbox' } : { kind: 'addr-spec' };
}

/** Where the list element that goes on at `from` ends: the next top-level `,` or `;`, or the end. */
function elementEnd(value: string, from: number): number {
  let quoted = false;
  let angle = 0;
  for (let i = from; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') angle++;
    else if (c === '>') angle = Math.max(0, angle - 1);
    else if ((c === ',' || c === ';') && angle === 0) return i;
  }
  return value.length;
}
