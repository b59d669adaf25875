// Diagnostics for any document Mailsmith sends: the message core's rules, and for composed documents
// (Markdown body, front matter, Attach) the composer's rules, every range in the document's own text.
import { BODY_8BIT_UNDECLARED, LINE_OVER_78, LINE_TOO_LONG } from '../message/codes';
import { scanMessage } from '../message/scanner';
import type { ScannedMessage, ValidateOptions } from '../message/types';
import { sortProblems, validateMessage } from '../message/validate';
import type { Problem, Range } from '../types';
import { checkFiles } from './checkFiles';
import { needsComposition } from './detect';
import { inspectDocumentFiles } from './files';
import { isFrontMatterDocument, readComposeSource } from './source';
import type { ComposeOptions, ComposeSource } from './types';

export type ValidateDocumentOptions = ValidateOptions & ComposeOptions;

/** Body findings that composing makes moot: the composer declares the charset and re-encodes the lines. */
const BODY_CODES_FIXED_BY_COMPOSING = new Set([BODY_8BIT_UNDECLARED, LINE_OVER_78, LINE_TOO_LONG]);

export function validateDocument(input: string | Uint8Array | ScannedMessage, options: ValidateDocumentOptions = {}): Problem[] {
  const scanned = typeof input === 'string' || input instanceof Uint8Array ? scanMessage(input) : input;
  if (!needsComposition(scanned, options.fileName)) return validateMessage(scanned, options);
  const source = readComposeSource(scanned, options.fileName);
  const problems = isFrontMatterDocument(scanned.text, options.fileName)
    ? [...source.problems, ...frontMatterHeaderProblems(source, options)]
    : [
        ...validateMessage(scanned, options).filter((p) => !(BODY_CODES_FIXED_BY_COMPOSING.has(p.code) && p.range.start.line >= scanned.bodyLine)),
        ...source.problems,
      ];
  const { files } = inspectDocumentFiles(source, options.baseDir);
  problems.push(...checkFiles(source, files, options));
  return sortProblems(problems);
}

/**
 * The header rules run over the fields the front matter becomes; each finding moves to the key it came
 * from (its fixes are dropped: they would edit RFC 5322 text the document does not hold).
 */
function frontMatterHeaderProblems(source: ComposeSource, options: ValidateOptions): Problem[] {
  if (source.unreadable) return [];
  const lineOwner: Range[] = [];
  for (const header of source.headers) lineOwner.push(...header.text.split('\r\n').map(() => header.range));
  const headerText = source.headers.map((h) => h.text).join('\r\n') + '\r\n\r\n';
  const top: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } };
  return validateMessage(headerText, options)
    .filter((p) => !BODY_CODES_FIXED_BY_COMPOSING.has(p.code) || p.range.start.line < lineOwner.length)
    .map((p) => ({ code: p.code, severity: p.severity, message: p.message, range: lineOwner[p.range.start.line] ?? top }));
}
