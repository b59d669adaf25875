// One row through the template: the document that row's message is made from, the row's key (what makes
// it the same row on a re-run), its Message-ID (stable for the template and the key, so a resend is
// recognisable: RFC 5322 section 3.6.4), its recipients, and where each value went (so a problem found in
// the rendered document is pointed at the template or at the row and column that caused it).
import { createHash } from 'node:crypto';
import { parseAddressList } from '../message/addresses';
import { FALLBACK_MESSAGE_ID_DOMAIN } from '../message/messageId';
import * as codes from './codes';
import { countMailboxes, type MergeTemplate, type SlotField } from './template';
import type { DataRow, MergeProblem } from './types';
import { describeContext, formatValue } from './values';

/** Where a slot of the template went in the rendered text. */
export interface RenderedSpan {
  templateStart: number;
  templateEnd: number;
  renderedStart: number;
  renderedEnd: number;
  /** What a problem may point at to be this slot's (rendered offsets). */
  ownerStart: number;
  ownerEnd: number;
  columns: string[];
  /** Where each field's value went inside the slot (rendered offsets), when that can be told. */
  parts?: { column: string; start: number; end: number }[];
}

export interface RenderedRow {
  row: DataRow;
  text: string;
  /** The values that could not go where the template puts them (errors), and empty values (warnings). */
  problems: MergeProblem[];
  /** What identifies the row across runs: its Merge-Key, else the addresses its fields put in To (else in Cc/Bcc), else its values. */
  key: string;
  /** The addresses the row's fields put into To, Cc and Bcc (envelope form, lower case). */
  recipients: string[];
  messageId: string;
  spans: RenderedSpan[];
}

export interface RenderOptions {
  /** The profile's default From, for the Message-ID's domain when the template has no From. */
  defaultFrom?: string;
}

const RECIPIENT_HEADERS = new Set(['to', 'cc', 'bcc']);

export function renderRow(template: MergeTemplate, row: DataRow, options: RenderOptions = {}): RenderedRow {
  const problems: MergeProblem[] = [];
  const reported = new Set<string>();
  const valueOf = (field: SlotField): string => {
    const raw = Object.prototype.hasOwnProperty.call(row.values, field.name) ? row.values[field.name] : undefined;
    if (raw === undefined) return ''; // an unknown column is the template's problem, reported once
    const formatted = formatValue(raw, field.context);
    if (!formatted.ok) {
      const once = field.name; // once per column and row, wherever the template uses it
      if (!reported.has(once)) problems.push(cellProblem(row, field.name, 'error', codes.MERGE_UNSAFE_VALUE, `${field.name} cannot go into ${describeContext(field.context)}: it ${formatted.reason}`));
      reported.add(once);
      return '';
    }
    if (raw.trim() === '' && !reported.has(`${field.name}|empty`)) {
      reported.add(`${field.name}|empty`);
      problems.push(cellProblem(row, field.name, 'warning', codes.MERGE_EMPTY_VALUE, `${field.name} is empty`));
    }
    return formatted.text;
  };
  const renderParts = (parts: readonly (string | SlotField)[]): string => parts.map((p) => (typeof p === 'string' ? p : valueOf(p))).join('');

  // First the values, the recipients and so the key and the Message-ID; then the text.
  const partOffsets: ({ column: string; start: number; end: number }[] | undefined)[] = [];
  const values = template.slots.map((slot) => {
    let text = '';
    const offsets: { column: string; start: number; end: number }[] = [];
    for (const part of slot.parts) {
      const value = typeof part === 'string' ? part : valueOf(part);
      if (typeof part !== 'string') offsets.push({ column: part.name, start: text.length, end: text.length + value.length });
      text += value;
    }
    partOffsets.push(slot.json ? undefined : offsets);
    return text;
  });
  const recipients: string[] = [];
  const toRecipients: string[] = [];
  let fromValue: string | undefined;
  template.slots.forEach((slot, i) => {
    const value = values[i];
    if (slot.header && RECIPIENT_HEADERS.has(slot.header)) {
      const found = parseAddressList(value).mailboxes.map((m) => m.envelopeAddress.toLowerCase());
      recipients.push(...found);
      if (slot.header === 'to') toRecipients.push(...found);
    }
    if (slot.header === 'from' && fromValue === undefined) fromValue = value;
    if (slot.maxMailboxes !== undefined && countMailboxes(value) > slot.maxMailboxes) {
      // ./values.ts already keeps every value to one address; this is the last word on "no value adds a recipient".
      problems.push({ ...rowProblem(row, codes.MERGE_UNSAFE_VALUE, `the values would add recipients to ${slot.header}: not sent`), columns: columnsOf(slot.parts) });
    }
  });
  const key = rowKey(template, row, renderParts, toRecipients, recipients);
  const domain = messageIdDomain(fromValue ?? (template.fromParts ? renderParts(template.fromParts) : undefined), options.defaultFrom);
  const messageId = `<${createHash('sha256').update(template.text).update('\0').update(key).digest('hex').slice(0, 32)}@${domain}>`;

  type Piece = { start: number; end: number; text: string; columns: string[]; owner?: [number, number]; parts?: { column: string; start: number; end: number }[] };
  const pieces: Piece[] = template.slots.map((slot, i) => ({
    start: slot.start,
    end: slot.end,
    text: slot.json ? JSON.stringify(values[i]) : values[i],
    columns: columnsOf(slot.parts),
    owner: slot.owner,
    parts: partOffsets[i],
  }));
  // The row's Message-ID line goes where the template's header ends.
  const idAt = pieces.findIndex((p) => p.start >= template.messageIdAt);
  pieces.splice(idAt === -1 ? pieces.length : idAt, 0, { start: template.messageIdAt, end: template.messageIdAt, text: template.messageIdLine(messageId), columns: [] });

  const out: string[] = [];
  const spans: RenderedSpan[] = [];
  let at = 0;
  let length = 0;
  for (const piece of pieces) {
    const literal = template.text.slice(at, piece.start);
    out.push(literal, piece.text);
    length += literal.length;
    const at0 = length;
    spans.push({
      templateStart: piece.start,
      templateEnd: piece.end,
      renderedStart: length,
      renderedEnd: length + piece.text.length,
      ownerStart: 0,
      ownerEnd: 0,
      columns: piece.columns,
      ...(piece.parts ? { parts: piece.parts.map((p) => ({ column: p.column, start: at0 + p.start, end: at0 + p.end })) } : {}),
    });
    length += piece.text.length;
    at = piece.end;
  }
  out.push(template.text.slice(at));
  // Owners are template stretches around a slot: placed in the rendered text once every span is known.
  pieces.forEach((piece, i) => {
    const owner = piece.owner ?? [piece.start, piece.end];
    spans[i].ownerStart = toRendered(spans, owner[0]);
    spans[i].ownerEnd = toRendered(spans, owner[1]);
  });
  return { row, text: out.join(''), problems, key, recipients: [...new Set(recipients)], messageId, spans };
}

/** A template offset in the rendered text (an offset inside a slot goes to the slot's start). */
export function toRendered(spans: readonly RenderedSpan[], offset: number): number {
  let found: RenderedSpan | undefined;
  for (const span of spans) {
    if (span.templateStart > offset || (span.templateStart === offset && span.templateEnd > offset)) break;
    found = span;
  }
  if (!found) return offset;
  if (offset < found.templateEnd) return found.renderedStart;
  return found.renderedEnd + (offset - found.templateEnd);
}

/** A rendered offset in the template (an offset inside a slot's output goes to the slot's start). */
export function toTemplate(spans: readonly RenderedSpan[], offset: number): number {
  let found: RenderedSpan | undefined;
  for (const span of spans) {
    if (span.renderedStart > offset) break;
    found = span;
  }
  if (!found) return offset;
  if (offset < found.renderedEnd) return found.templateStart;
  return found.templateEnd + (offset - found.renderedEnd);
}

function columnsOf(parts: readonly (string | SlotField)[]): string[] {
  return [...new Set(parts.filter((p): p is SlotField => typeof p !== 'string').map((p) => p.name))];
}

function rowKey(template: MergeTemplate, row: DataRow, renderParts: (parts: readonly (string | SlotField)[]) => string, to: string[], all: string[]): string {
  if (template.keyParts) return `key:${renderParts(template.keyParts).trim()}`;
  const addresses = to.length ? to : all;
  if (addresses.length) return `to:${[...new Set(addresses)].sort().join(',')}`;
  // No field-made recipient: the row is what it holds (the values the template uses).
  const hash = createHash('sha256');
  for (const column of template.columns) hash.update(column).update('\0').update(row.values[column] ?? '').update('\0');
  return `values:${hash.digest('hex').slice(0, 32)}`;
}

function messageIdDomain(from: string | undefined, defaultFrom: string | undefined): string {
  for (const candidate of [from, defaultFrom]) {
    if (!candidate) continue;
    const domain = parseAddressList(candidate).mailboxes[0]?.asciiDomain;
    if (domain && /^[A-Za-z0-9.-]+$/.test(domain)) return domain;
  }
  return FALLBACK_MESSAGE_ID_DOMAIN;
}

function cellProblem(row: DataRow, column: string, severity: MergeProblem['severity'], code: string, message: string): MergeProblem {
  return { code, severity, message: `row ${row.number}, column ${message}`, range: row.cellRange(column), file: 'data', row: row.number, columns: [column] };
}

export function rowProblem(row: DataRow, code: string, message: string, severity: MergeProblem['severity'] = 'error'): MergeProblem {
  return { code, severity, message: `row ${row.number}: ${message}`, range: row.range, file: 'data', row: row.number };
}
