// What a composer rule sees: the document read for composition and the files it names, looked at once.
import type { Fix, Range, Severity } from '../../types';
import type { InspectedFile } from '../files';
import type { ComposeOptions, ComposeSource } from '../types';

export interface ComposeRuleContext {
  source: ComposeSource;
  files: InspectedFile[];
  options: ComposeOptions;
  report(code: string, severity: Severity, message: string, range: Range, fixes?: Fix[]): void;
}

export interface ComposeRule {
  name: string;
  codes: readonly string[];
  check(context: ComposeRuleContext): void;
}
