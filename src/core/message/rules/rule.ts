// What every validation rule sees and how it reports. One rule per file; the code strings live in ../codes.ts.
import type { Fix, Problem, Range, Severity } from '../../types';
import type { AddressListResult, HeaderField, ScannedMessage, ValidateOptions } from '../types';

export interface RuleContext {
  scanned: ScannedMessage;
  options: ValidateOptions;
  /** Fields with a colon, by lowercase name, in document order. */
  fieldsByKey: Map<string, HeaderField[]>;
  /** Parsed address lists of address fields (parsed once, shared by the rules). */
  addressesOf(field: HeaderField): AddressListResult;
  rangeOf(start: number, end: number): Range;
  report(code: string, severity: Severity, message: string, range: Range, fixes?: Fix[]): void;
}

export interface Rule {
  /** A short name for the rule (its file name). */
  name: string;
  /** The problem codes this rule can report. */
  codes: readonly string[];
  check(context: RuleContext): void;
}

export type { Problem };
