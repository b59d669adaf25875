// A merge template: an ordinary email document (.eml, or .email.md with front matter) with `${column}`
// fields. It is read once into literal text and slots; each slot knows what its fields may hold
// (./values.ts) and every row is rendered from it (./render.ts) into a document that is checked and sent
// like any other. The template may name its data (`Merge-Data:` / `mergeData:`) and a row key
// (`Merge-Key:` / `mergeKey:`); both are removed from what is sent. The merge gives every row a
// Message-ID of its own, stable for the template and the row's key, so the template may not fix one.
import { lineOf } from '../message/positions';
import { scanMessage } from '../message/scanner';
import { ADDRESS_FIELDS } from '../message/headerNames';
import { mediaType } from '../compose/detect';
import { lineStartsOf, rangeIn } from '../compose/lines';
import { isFrontMatterDocument } from '../compose/source';
import type { Range } from '../types';
import * as codes from './codes';
import { addressPlaces } from './addressPlaces';
import { scanFields, unescapeLiteral, type FieldUse } from './fields';
import type { MergeProblem } from './types';
import type { ValueContext } from './values';

/** Header fields whose structure no value may change (RFC 5322 section 3.6, RFC 2045). */
const FIXED_FIELDS = new Set(['date', 'message-id', 'in-reply-to', 'references', 'mime-version', 'content-type', 'content-transfer-encoding', 'content-disposition', 'content-id', 'received', 'return-path']);
const DATA_FIELD = 'merge-data';
const KEY_FIELD = 'merge-key';
const ATTACH_FIELD = 'attach';
/** Front-matter keys that hold address lists, and the header field each becomes. */
const FRONT_MATTER_ADDRESS_KEYS: Record<string, string> = { from: 'from', sender: 'sender', to: 'to', cc: 'cc', bcc: 'bcc', replyTo: 'reply-to' };
const FRONT_MATTER_FIXED_KEYS = new Set(['date', 'messageId', 'inReplyTo', 'references']);

/** A field inside a slot: its name, what its place allows, and where it is written in the template. */
export interface SlotField {
  name: string;
  context: ValueContext;
  start: number;
  end: number;
}

/** A stretch of the template replaced for each row. */
export interface Slot {
  start: number;
  end: number;
  /** Literal text and fields, in order; an empty list removes the stretch (Merge-Data, Merge-Key lines). */
  parts: (string | SlotField)[];
  /** Written as a JSON string (a YAML double-quoted scalar) rather than as it is. */
  json: boolean;
  /** The header field it belongs to (lower case), if any. */
  header?: string;
  /** For address fields: at most this many mailboxes may come out (checked after rendering). */
  maxMailboxes?: number;
  /**
   * The stretch of the template a problem about this slot may point at (the whole header field, the
   * front-matter pair, the body line): a problem there is the row's, not the template's.
   */
  owner: [number, number];
}

export interface MergeTemplate {
  text: string;
  /** The template's file name (decides front matter for `.email.md`). */
  fileName?: string;
  form: 'eml' | 'front-matter';
  lineStarts: number[];
  /** Slots in template order, not overlapping. */
  slots: Slot[];
  /** Every column the template uses, in order of first use. */
  columns: string[];
  /** Where each column is first used (for "unknown column" problems). */
  uses: SlotField[];
  /** The data file the template names, as written (relative to the template's folder). */
  dataRef?: { path: string; range: Range };
  /** The Merge-Key parts, when the template sets the row key itself. */
  keyParts?: (string | SlotField)[];
  /** Where the row's Message-ID line goes, and how it is written there. */
  messageIdAt: number;
  messageIdLine: (id: string) => string;
  /** The From value's parts (for the Message-ID's domain). */
  fromParts?: (string | SlotField)[];
  /** Problems of the template itself (fields in places no value may go, a fixed Message-ID). */
  problems: MergeProblem[];
}

export async function parseTemplate(text: string, fileName?: string): Promise<MergeTemplate> {
  return isFrontMatterDocument(text, fileName) ? parseFrontMatterTemplate(text, fileName) : parseEmlTemplate(text, fileName);
}

function lineEnding(text: string): string {
  const match = /\r\n|\n|\r/.exec(text);
  return match ? match[0] : '\r\n';
}

function problem(code: string, message: string, range: Range, severity: MergeProblem['severity'] = 'error'): MergeProblem {
  return { code, severity, message, range, file: 'template' };
}

/** Literal text between fields, with `$${x}` escapes written out. */
function partsOf(value: string, fields: readonly FieldUse[], base: number, contextOf: (field: FieldUse, index: number) => ValueContext): (string | SlotField)[] {
  const parts: (string | SlotField)[] = [];
  let at = 0;
  fields.forEach((field, index) => {
    if (field.start > at) parts.push(unescapeLiteral(value.slice(at, field.start)));
    parts.push({ name: field.name, context: contextOf(field, index), start: base + field.start, end: base + field.end });
    at = field.end;
  });
  if (at < value.length) parts.push(unescapeLiteral(value.slice(at)));
  return parts;
}

/** Fields of an address value: each with its place, or a problem when the place takes none. */
function addressParts(value: string, base: number, header: string, rangeOf: (s: number, e: number) => Range, problems: MergeProblem[]): { parts: (string | SlotField)[]; maxMailboxes: number } {
  const { fields } = scanFields(value);
  const places = addressPlaces(value, fields);
  const usable: FieldUse[] = [];
  const contexts: ValueContext[] = [];
  fields.forEach((field, i) => {
    const place = places[i];
    if (place?.ok) {
      usable.push(field);
      contexts.push(place.context);
    } else {
      problems.push(problem(codes.MERGE_PLACEHOLDER_PLACE, `\${${field.name}} in ${header}: ${place ? place.reason : 'no value can go here'}`, rangeOf(base + field.start, base + field.end)));
    }
  });
  const parts = partsOf(value, usable, base, (_f, i) => contexts[i]);
  return { parts, maxMailboxes: sentinelMailboxes(parts) };
}

/** How many mailboxes the field holds with a plain value in each field: no row may produce more. */
function sentinelMailboxes(parts: readonly (string | SlotField)[]): number {
  const text = parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if (p.context.kind === 'mailbox') return 'merge@example.invalid';
      if (p.context.kind === 'display-name') return '"x"';
      return 'x';
    })
    .join('');
  // Counted by list separators outside quotes and brackets: cheap, and the same rule the rows are held to.
  return countMailboxes(text);
}

/** The top-level elements of an address list (what a value must not add to): separators in quotes, brackets and comments do not count. */
export function countMailboxes(list: string): number {
  let count = 0;
  let element = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  const flush = () => {
    if (element.trim() !== '') count++;
    element = '';
  };
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
      continue;
    }
    if (comment > 0) {
      if (c === '\\') i++;
      else if (c === '(') comment++;
      else if (c === ')') comment--;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '(') comment++;
    else if (c === '<') angle++;
    else if (c === '>') angle = Math.max(0, angle - 1);
    else if ((c === ',' || c === ';' || c === ':') && angle === 0) {
      flush();
      continue;
    }
    element += c;
  }
  flush();
  return count;
}

function parseEmlTemplate(text: string, fileName?: string): MergeTemplate {
  const scanned = scanMessage(text);
  const lineStarts = lineStartsOf(text);
  const rangeOf = (s: number, e: number) => rangeIn(lineStarts, s, e);
  const { fields } = scanFields(text);
  const problems: MergeProblem[] = [];
  const slots: Slot[] = [];
  let dataRef: MergeTemplate['dataRef'];
  let keyParts: MergeTemplate['keyParts'];
  let fromParts: MergeTemplate['fromParts'];
  const contentType = scanned.fields.find((f) => f.hasColon && f.key === 'content-type');
  const media = contentType ? mediaType(contentType.value) : 'text/plain';
  const bodyFormat = media === 'text/markdown' ? 'markdown' : media === 'text/html' ? 'html' : 'text';
  const within = (start: number, end: number) => fields.filter((f) => f.start >= start && f.end <= end);

  for (const field of scanned.fields) {
    const inField = within(field.start, field.end);
    const valueFields = inField.filter((f) => f.start >= field.valueStart);
    for (const f of inField) {
      if (f.start < field.valueStart) problems.push(problem(codes.MERGE_PLACEHOLDER_PLACE, `\${${f.name}} in a field name: a value may fill a field's value only`, rangeOf(f.start, f.end)));
    }
    if (!field.hasColon) continue;
    const valueOffset = (f: FieldUse) => ({ ...f, start: f.start - field.valueStart, end: f.end - field.valueStart });
    const local = valueFields.map(valueOffset);
    if (field.key === DATA_FIELD) {
      for (const f of valueFields) problems.push(problem(codes.MERGE_PLACEHOLDER_PLACE, `\${${f.name}} in Merge-Data: the data file is named once for every row`, rangeOf(f.start, f.end)));
      const written = field.value.trim();
      dataRef = { path: written.replace(/^"(.*)"$/, '$1'), range: field.valueRange };
      slots.push({ start: field.start, end: field.next, parts: [], json: false, owner: [field.start, field.next] });
      continue;
    }
    if (field.key === KEY_FIELD) {
      keyParts = partsOf(field.rawValue.trim(), scanFields(field.rawValue.trim()).fields, field.valueStart + field.rawValue.indexOf(field.rawValue.trim()), () => ({ kind: 'key' }));
      slots.push({ start: field.start, end: field.next, parts: [], json: false, owner: [field.start, field.next] });
      continue;
    }
    if (field.key === 'message-id') {
      problems.push(problem(codes.MERGE_FIXED_MESSAGE_ID, 'a merge gives each row a Message-ID of its own (stable for the template and the row): remove this Message-ID', field.range));
      continue;
    }
    if (FIXED_FIELDS.has(field.key)) {
      for (const f of valueFields) problems.push(problem(codes.MERGE_PLACEHOLDER_PLACE, `\${${f.name}} in ${field.name}: no value may change this field's structure`, rangeOf(f.start, f.end)));
      continue;
    }
    if (ADDRESS_FIELDS.has(field.key)) {
      const { parts, maxMailboxes } = addressParts(field.rawValue, field.valueStart, field.name, rangeOf, problems);
      if (field.key === 'from' && !fromParts) fromParts = parts;
      if (local.length) slots.push({ start: field.valueStart, end: field.end, parts, json: false, header: field.key, maxMailboxes, owner: [field.start, field.end] });
      continue;
    }
    if (local.length === 0) continue;
    const context: ValueContext = field.key === ATTACH_FIELD ? { kind: 'path' } : { kind: 'header-text' };
    slots.push({ start: field.valueStart, end: field.end, parts: partsOf(field.rawValue, local, field.valueStart, () => context), json: false, header: field.key, owner: [field.start, field.end] });
  }
  for (const f of fields.filter((x) => x.start >= scanned.bodyOffset && scanned.hasBody)) {
    slots.push({ start: f.start, end: f.end, parts: [{ name: f.name, context: { kind: 'body', format: bodyFormat }, start: f.start, end: f.end }], json: false, owner: lineAround(text, lineStarts, f.start) });
  }
  // Escapes in literal body text (outside any slot) are written out as slots of their own.
  addEscapeSlots(text, slots);
  slots.sort((a, b) => a.start - b.start);

  const eol = lineEnding(text);
  const headerEnd = scanned.separator ? scanned.separator.start : text.length;
  const needsBreak = headerEnd > 0 && !/[\r\n]$/.test(text.slice(0, headerEnd));
  return finish({
    text,
    fileName,
    form: 'eml',
    lineStarts,
    slots,
    dataRef,
    keyParts,
    fromParts,
    messageIdAt: headerEnd,
    messageIdLine: (id) => `${needsBreak ? eol : ''}Message-ID: ${id}${eol}`,
    problems,
  });
}

async function parseFrontMatterTemplate(text: string, fileName?: string): Promise<MergeTemplate> {
  // The YAML parser loads with the first front-matter template, as it does for any front-matter document.
  const { isMap, isScalar, isSeq, parseDocument } = await import('yaml');
  const lineStarts = lineStartsOf(text);
  const rangeOf = (s: number, e: number) => rangeIn(lineStarts, s, e);
  const problems: MergeProblem[] = [];
  const slots: Slot[] = [];
  let dataRef: MergeTemplate['dataRef'];
  let keyParts: MergeTemplate['keyParts'];
  let fromParts: MergeTemplate['fromParts'];
  const eol = lineEnding(text);

  const opening = /^\uFEFF?---[ \t]*(?:\r\n|\n|\r)/.exec(text);
  const yamlStart = opening ? opening[0].length : 0;
  let yamlEnd = -1;
  let bodyOffset = text.length;
  for (let i = 1; i < lineStarts.length && opening; i++) {
    const start = lineStarts[i];
    if (start < yamlStart) continue;
    const next = i + 1 < lineStarts.length ? lineStarts[i + 1] : text.length;
    if (/^(?:---|\.\.\.)[ \t]*$/.test(text.slice(start, next).replace(/[\r\n]+$/, ''))) {
      yamlEnd = start;
      bodyOffset = next;
      break;
    }
  }
  if (yamlEnd !== -1) {
    const doc = parseDocument(text.slice(yamlStart, yamlEnd));
    type YNode = { range?: [number, number, number] | null; value?: unknown } | null | undefined;
    const at = (node: YNode): [number, number] => (node?.range ? [yamlStart + node.range[0], yamlStart + node.range[1]] : [yamlStart, yamlStart]);
    const noFields = (node: YNode, why: string) => {
      if (!isScalar(node) || typeof node.value !== 'string') return;
      const [s] = at(node);
      for (const f of scanFields(node.value).fields) problems.push(problem(codes.MERGE_PLACEHOLDER_PLACE, `\${${f.name}} ${why}`, rangeOf(s, at(node)[1])));
    };
    /** A scalar whose fields all take `context` (or address places for an address key). */
    const scalarSlot = (node: YNode, header: string | undefined, context: ValueContext | 'address', ownerStart?: number): (string | SlotField)[] | undefined => {
      if (!isScalar(node) || typeof node.value !== 'string') return undefined;
      const value = node.value;
      const [s, e] = at(node);
      if (context === 'address') {
        const { parts, maxMailboxes } = addressParts(value, s, header ?? 'address', () => rangeOf(s, e), problems);
        if (scanFields(value).fields.length) slots.push({ start: s, end: e, parts, json: true, header, maxMailboxes, owner: [ownerStart ?? s, e] });
        return parts;
      }
      const found = scanFields(value).fields;
      if (found.length === 0) return [unescapeLiteral(value)];
      const parts = partsOf(value, found, s, () => context).map((p) => (typeof p === 'string' ? p : { ...p, start: s, end: e }));
      slots.push({ start: s, end: e, parts, json: true, header, owner: [ownerStart ?? s, e] });
      return parts;
    };
    const removeLine = (node: YNode) => {
      const [s] = at(node);
      const line = lineStarts.filter((l) => l <= s).pop() ?? s;
      const nextLine = lineStarts.find((l) => l > s) ?? text.length;
      slots.push({ start: line, end: nextLine, parts: [], json: false, owner: [line, nextLine] });
    };
    const root = doc.contents;
    if (isMap(root)) {
      for (const pair of root.items) {
        const keyNode = pair.key as YNode;
        const key = isScalar(keyNode) ? String(keyNode.value) : '';
        const value = pair.value as YNode;
        noFields(keyNode, 'in a front-matter key: a value may fill a key\u2019s value only');
        if (key === 'mergeData') {
          noFields(value, 'in mergeData: the data file is named once for every row');
          if (isScalar(value)) dataRef = { path: String(value.value ?? '').trim(), range: rangeOf(...at(value)) };
          removeLine(keyNode);
        } else if (key === 'mergeKey') {
          if (isScalar(value) && typeof value.value === 'string') {
            const [s, e] = at(value);
            keyParts = partsOf(value.value, scanFields(value.value).fields, s, () => ({ kind: 'key' })).map((p) => (typeof p === 'string' ? p : { ...p, start: s, end: e }));
          }
          removeLine(keyNode);
        } else if (key === 'messageId') {
          problems.push(problem(codes.MERGE_FIXED_MESSAGE_ID, 'a merge gives each row a Message-ID of its own (stable for the template and the row): remove messageId', rangeOf(...at(keyNode))));
        } else if (FRONT_MATTER_FIXED_KEYS.has(key)) {
          noFields(value, `in ${key}: no value may change this field's structure`);
        } else if (key in FRONT_MATTER_ADDRESS_KEYS) {
          const header = FRONT_MATTER_ADDRESS_KEYS[key];
          const items = isSeq(value) ? (value.items as YNode[]) : [value];
          for (const item of items) {
            const parts = scalarSlot(item, header, 'address', at(keyNode)[0]);
            if (header === 'from' && parts && !fromParts) fromParts = parts;
          }
        } else if (key === 'subject') {
          scalarSlot(value, 'subject', { kind: 'header-text' }, at(keyNode)[0]);
        } else if (key === 'headers' && isMap(value)) {
          for (const header of value.items) {
            noFields(header.key as YNode, 'in a header name: a value may fill a header\u2019s value only');
            scalarSlot(header.value as YNode, isScalar(header.key) ? String(header.key.value).toLowerCase() : undefined, { kind: 'header-text' }, at(header.key as YNode)[0]);
          }
        } else if (key === 'attachments') {
          const items = isSeq(value) ? (value.items as YNode[]) : [value];
          for (const item of items) {
            if (isMap(item)) {
              for (const entry of item.items) {
                const name = isScalar(entry.key) ? String(entry.key.value) : '';
                if (name === 'path') scalarSlot(entry.value as YNode, 'attach', { kind: 'path' }, at(keyNode)[0]);
                else if (name === 'filename') scalarSlot(entry.value as YNode, 'attach', { kind: 'header-text' }, at(keyNode)[0]);
                else noFields(entry.value as YNode, `in ${name}: no value may change an attachment's type`);
              }
            } else scalarSlot(item, 'attach', { kind: 'path' }, at(keyNode)[0]);
          }
        }
      }
    }
    for (const f of scanFields(text.slice(bodyOffset)).fields) {
      const start = bodyOffset + f.start;
      slots.push({ start, end: start + (f.end - f.start), parts: [{ name: f.name, context: { kind: 'body', format: 'markdown' }, start, end: start + (f.end - f.start) }], json: false, owner: lineAround(text, lineStarts, start) });
    }
  }
  addEscapeSlots(text, slots, bodyOffset);
  slots.sort((a, b) => a.start - b.start);
  const closing = yamlEnd === -1 ? text.length : yamlEnd;
  return finish({
    text,
    fileName,
    form: 'front-matter',
    lineStarts,
    slots,
    dataRef,
    keyParts,
    fromParts,
    messageIdAt: closing,
    messageIdLine: (id) => `messageId: ${JSON.stringify(id)}${eol}`,
    problems,
  });
}

/** `$${x}` outside any slot: written out as `${x}` (inside slots the parts already did). */
function addEscapeSlots(text: string, slots: Slot[], from = 0): void {
  for (const escape of scanFields(text).escapes) {
    if (escape.start < from || slots.some((s) => escape.start >= s.start && escape.start < s.end)) continue;
    slots.push({ start: escape.start, end: escape.end, parts: [text.slice(escape.start + 1, escape.end)], json: false, owner: [escape.start, escape.end] });
  }
}

/** The line holding `offset`, line break excluded. */
function lineAround(text: string, lineStarts: readonly number[], offset: number): [number, number] {
  const line = lineOf(lineStarts, offset);
  const next = line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length;
  return [lineStarts[line], text.slice(lineStarts[line], next).replace(/[\r\n]+$/, '').length + lineStarts[line]];
}

function finish(template: Omit<MergeTemplate, 'columns' | 'uses'>): MergeTemplate {
  const uses: SlotField[] = [];
  const seen = new Set<string>();
  const note = (parts: readonly (string | SlotField)[] | undefined) => {
    for (const p of parts ?? []) {
      if (typeof p === 'string' || seen.has(p.name)) continue;
      seen.add(p.name);
      uses.push(p);
    }
  };
  for (const slot of template.slots) note(slot.parts);
  note(template.keyParts);
  uses.sort((a, b) => a.start - b.start);
  return { ...template, columns: uses.map((u) => u.name), uses };
}
