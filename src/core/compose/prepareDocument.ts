// The one entry point for the final bytes of any document: composed documents (Markdown, front matter,
// Attach) go through the composer, then, like every other message, through the message core's
// prepareMessage (CRLF, Bcc removed, Date and Message-ID added). The CLI's prepare/send, the editor's
// dry run, preview and send all call this, so they all see the same bytes.
import { prepareMessage } from '../message/prepare';
import { scanMessage } from '../message/scanner';
import type { PrepareResult } from '../message/types';
import type { Problem } from '../types';
import * as codes from './codes';
import { needsComposition } from './detect';
import { ZERO_RANGE } from './lines';
import { formatBytes } from './rules';
import type { ComposedFile, PrepareDocumentOptions } from './types';
import { validateDocument } from './validateDocument';

export type PrepareDocumentResult = PrepareResult & {
  /** True when the document went through the composer. */
  composed: boolean;
  /** The files put into the message (attachments and inline images). */
  files: ComposedFile[];
};

export async function prepareDocument(input: string | Uint8Array, options: PrepareDocumentOptions = {}): Promise<PrepareDocumentResult> {
  const scanned = scanMessage(input);
  if (!needsComposition(scanned, options.fileName)) return withSize({ ...prepareMessage(input, options), composed: false, files: [] }, options);

  const problems = validateDocument(scanned, options);
  if (problems.some((p) => p.severity === 'error')) return { ok: false, problems, composed: true, files: [] };
  // Loaded on first use: the editor's activation does not parse nodemailer's MIME builder.
  const { composeMessage } = await import('./compose.js');
  const composed = await composeMessage(scanned, options);
  if (!composed.ok) return { ok: false, problems: merge(problems, composed.problems), composed: true, files: [] };
  const prepared = prepareMessage(composed.raw, options);
  if (!prepared.ok) {
    // The document passed its own checks, so these are findings on the composed text: show them at the top.
    const errors = prepared.problems
      .filter((p) => p.severity === 'error')
      .map((p): Problem => ({ code: p.code, severity: p.severity, message: `in the composed message: ${p.message}`, range: ZERO_RANGE }));
    return { ok: false, problems: merge(problems, errors), composed: true, files: composed.files };
  }
  return withSize({ ok: true, message: prepared.message, problems, composed: true, files: composed.files }, options);
}

/** The final size against the server's or profile's limit (SIZE, RFC 1870 section 4). */
function withSize(result: PrepareDocumentResult, options: PrepareDocumentOptions): PrepareDocumentResult {
  if (!result.ok || options.maxMessageBytes === undefined || result.message.size <= options.maxMessageBytes) return result;
  const problem: Problem = {
    code: codes.MESSAGE_TOO_LARGE,
    severity: 'error',
    message: `the message is ${formatBytes(result.message.size)}, over the ${formatBytes(options.maxMessageBytes)} the server or profile accepts`,
    range: ZERO_RANGE,
  };
  return { ok: false, problems: [...result.problems, problem], composed: result.composed, files: result.files };
}

function merge(into: Problem[], extra: Problem[]): Problem[] {
  const key = (p: Problem) => `${p.code}@${p.range.start.line}:${p.range.start.character}`;
  const seen = new Set(into.map(key));
  return [...into, ...extra.filter((p) => !seen.has(key(p)))];
}
