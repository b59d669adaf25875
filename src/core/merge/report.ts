// The report of a merge run: one line per row with its outcome and the server's reply, written as the rows
// are decided (so a 100,000-row merge never holds it in memory), as CSV a spreadsheet opens.
import { closeSync, openSync, writeSync } from 'node:fs';

export type ReportStatus =
  | 'sent'
  | 'partial'
  | 'failed'
  | 'unknown'
  /** An earlier run sent it (or it is partly sent): not sent again. */
  | 'sent-before'
  /** An earlier run's outcome is unknown: not sent again without --retry-unknown. */
  | 'unknown-before'
  /** Not this time: the limit, a stop, the daily cap. */
  | 'not-sent'
  /** The row's message has errors (only when the data changed since the check). */
  | 'refused'
  /** A dry run's verdict. */
  | 'would-send'
  /** Sent to the test recipient only ("send to myself first"). */
  | 'test-sent'
  | 'test-failed';

export interface ReportRow {
  row: number;
  recipients: string[];
  status: ReportStatus;
  reply?: string;
  messageId?: string;
  subject?: string;
  size?: number;
  time?: string;
  /** Why, in words (a failure's reason, "limit of 1 reached", when it was sent before). */
  note?: string;
}

export const REPORT_COLUMNS = ['row', 'recipients', 'status', 'reply', 'message_id', 'time', 'note'] as const;

export class ReportWriter {
  private fd: number | undefined;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w', 0o600);
    this.write(REPORT_COLUMNS.join(','));
  }

  add(row: ReportRow): void {
    this.write(reportCells(row).map(csvCell).join(','));
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private write(line: string): void {
    if (this.fd !== undefined) writeSync(this.fd, line + '\r\n');
  }
}

export function reportCells(row: ReportRow): string[] {
  return [String(row.row), row.recipients.join(' '), row.status, row.reply ?? '', row.messageId ?? '', row.time ?? '', row.note ?? ''];
}

/**
 * RFC 4180 quoting; a cell a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
 * apostrophe, since replies and addresses come from outside (OWASP "CSV injection").
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One line for a terminal: `row 3  bob@example.org  sent  250 OK queued as X`. */
export function reportLine(row: ReportRow): string {
  const who = row.recipients.join(', ') || '(no recipients)';
  const detail = [row.reply, row.note].filter(Boolean).join('; ');
  return `row ${row.row}  ${who}  ${row.status}${detail ? `  ${detail}` : ''}`;
}
