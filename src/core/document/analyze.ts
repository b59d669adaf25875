// One analysis of one version of a document, shared by everything that looks at it: diagnostics, code actions,
// CodeLens, preview, dry run, check and send. The text is scanned once, the rules run once, the address lists
// are parsed once (message/headerIndex.ts), every named file is looked at once (without blocking), and the
// final bytes are built at most once, from that same scan, when someone asks for them.
import { checkFiles } from '../compose/checkFiles';
import { MESSAGE_TOO_LARGE } from '../compose/codes';
import { needsComposition } from '../compose/detect';
import { inspectDocumentFiles, type InspectedFile } from '../compose/files';
import { ZERO_RANGE } from '../compose/lines';
import type { ParsedMarkdown } from '../compose/markdown';
import { formatBytes } from '../compose/rules';
import { isFrontMatterDocument, readComposeSource } from '../compose/source';
import type { ComposedFile, ComposeSource } from '../compose/types';
import { BODY_8BIT_UNDECLARED, LINE_OVER_78, LINE_TOO_LONG } from '../message/codes';
import { prepareChecked } from '../message/prepare';
import { scanMessage } from '../message/scanner';
import type { MessageDefaults, PrepareResult, ScannedMessage, ValidateOptions } from '../message/types';
import { isScanned, sortProblems, validateMessage } from '../message/validate';
import type { Problem, Range } from '../types';
import type { FileScope } from './fileScope';
import { applyRuleLevels, type RuleLevels } from './ruleLevels';

export interface AnalyzeOptions {
  /** The document's file name: `*.email.md` means front matter and a Markdown body. */
  fileName?: string;
  /** The document's folder: relative attachment and image paths resolve against it. */
  baseDir?: string;
  /** Which files may travel; default: the document's own folder, nothing outside it. */
  scope?: FileScope;
  /** The profile's defaults for what the document lacks. */
  defaults?: MessageDefaults;
  /** The server is known to take SMTPUTF8 (RFC 6531). */
  smtpUtf8?: boolean;
  /** Clock for an added Date (tests). */
  now?: Date;
  messageIdDomain?: string;
  /** Largest single attachment accepted (bytes); default 25 MiB. */
  maxAttachmentBytes?: number;
  /** Largest message the server or profile takes (bytes, e.g. SIZE, RFC 1870). */
  maxMessageBytes?: number;
  /** Per-code severities (./ruleLevels.ts). */
  rules?: RuleLevels;
}

type Composition =
  | { ok: true; scanned: ScannedMessage; checked: Problem[]; files: ComposedFile[] }
  | { ok: false; problems: Problem[]; files: ComposedFile[] };

export type PrepareDocumentResult = PrepareResult & {
  /** True when the document went through the composer. */
  composed: boolean;
  /** The files put into the message (attachments and inline images). */
  files: ComposedFile[];
};

export interface DocumentAnalysis {
  readonly scanned: ScannedMessage;
  /** The document goes through the composer (Markdown body, front matter, Attach). */
  readonly composed: boolean;
  /** Every problem, as configured, in document order. */
  readonly problems: Problem[];
  /** Every file the document names, looked at on disk: what would travel, from where, how big. */
  readonly files: InspectedFile[];
  /** No problem is an error: the document can be sent. */
  readonly sendable: boolean;
  /**
   * The envelope and the exact bytes, from this analysis: the composition (files read, MIME built) happens
   * once; each call only assembles the final header, so an added Date is the time of the call (`now`, else
   * the `now` the analysis was given, else the clock).
   */
  prepare(now?: Date): Promise<PrepareDocumentResult>;
}

/** Body findings that composing makes moot: the composer declares the charset and re-encodes the lines. */
const BODY_CODES_FIXED_BY_COMPOSING = new Set([BODY_8BIT_UNDECLARED, LINE_OVER_78, LINE_TOO_LONG]);

export async function analyzeDocument(input: string | Uint8Array | ScannedMessage, options: AnalyzeOptions = {}): Promise<DocumentAnalysis> {
  const scanned = isScanned(input) ? input : scanMessage(input);
  const validateOptions: ValidateOptions = { defaults: options.defaults ?? {}, smtpUtf8: options.smtpUtf8, now: options.now, messageIdDomain: options.messageIdDomain };
  const composed = needsComposition(scanned, options.fileName);
  let found: Problem[];
  let files: InspectedFile[] = [];
  let source: ComposeSource | undefined;
  let markdown: ParsedMarkdown | undefined;
  if (!composed) {
    found = validateMessage(scanned, validateOptions);
  } else {
    source = await readComposeSource(scanned, options.fileName);
    found = isFrontMatterDocument(scanned.text, options.fileName)
      ? [...source.problems, ...frontMatterHeaderProblems(source, validateOptions)]
      : [
          ...validateMessage(scanned, validateOptions).filter((p) => !(BODY_CODES_FIXED_BY_COMPOSING.has(p.code) && p.range.start.line >= scanned.bodyLine)),
          ...source.problems,
        ];
    const scope = options.scope ?? (options.baseDir ? { root: options.baseDir, allowOutside: false } : undefined);
    ({ files, markdown } = await inspectDocumentFiles(source, options.baseDir, scope));
    found.push(...checkFiles(source, files, options));
  }
  const problems = sortProblems(applyRuleLevels(found, options.rules));
  const sendable = !problems.some((p) => p.severity === 'error');
  let composition: Promise<Composition> | undefined;

  async function prepare(now?: Date): Promise<PrepareDocumentResult> {
    const final = { ...options, now: now ?? options.now };
    if (!composed) return withSize({ ...prepareChecked(scanned, problems, final), composed: false, files: [] }, final);
    if (!sendable) return { ok: false, problems, composed: true, files: [] };
    composition ??= compose();
    const built = await composition;
    if (!built.ok) return { ok: false, problems: built.problems, composed: true, files: built.files };
    const result = prepareChecked(built.scanned, built.checked, final);
    if (!result.ok) return { ok: false, problems: merge(problems, composedErrors(result.problems)), composed: true, files: built.files };
    return withSize({ ok: true, message: result.message, problems, composed: true, files: built.files }, final);
  }

  /** Reads the files and builds the MIME structure once; the composed text is scanned and checked once. */
  async function compose(): Promise<Composition> {
    // Loaded on first use: the editor's activation does not parse nodemailer's MIME builder.
    const { composeMessage } = await import('../compose/compose.js');
    const built = await composeMessage({ source: source as ComposeSource, files, markdown });
    if (!built.ok) return { ok: false, problems: merge(problems, built.problems), files: [] };
    // A new text: checked as the last safety net before the wire.
    const composedScan = scanMessage(built.raw);
    const checked = validateMessage(composedScan, validateOptions);
    if (checked.some((p) => p.severity === 'error')) return { ok: false, problems: merge(problems, composedErrors(checked)), files: built.files };
    return { ok: true, scanned: composedScan, checked, files: built.files };
  }

  return { scanned, composed, problems, files, sendable, prepare };
}

/** Convenience: analyse and build the final bytes in one call (CLI prepare, tests). */
export async function prepareDocument(input: string | Uint8Array | ScannedMessage, options: AnalyzeOptions = {}): Promise<PrepareDocumentResult> {
  return (await analyzeDocument(input, options)).prepare();
}

/** The document passed its own checks, so these are findings on the composed text: shown at the top. */
function composedErrors(problems: readonly Problem[]): Problem[] {
  return problems
    .filter((p) => p.severity === 'error')
    .map((p): Problem => ({ code: p.code, severity: p.severity, message: `in the composed message: ${p.message}`, range: ZERO_RANGE }));
}

/** The final size against the server's or profile's limit (SIZE, RFC 1870 section 4). */
function withSize(result: PrepareDocumentResult, options: AnalyzeOptions): PrepareDocumentResult {
  if (!result.ok || options.maxMessageBytes === undefined || result.message.size <= options.maxMessageBytes) return result;
  const problem: Problem = {
    code: MESSAGE_TOO_LARGE,
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
