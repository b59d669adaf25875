// How every command reads a message file and analyses it, the same way: the bytes, the folder tree its files
// must stay in (its git repository, else its folder; `--allow-outside-files` lifts that), the rule levels
// (`.mailsmith.yaml` found upward, then `--rule CODE=LEVEL`) and the profile's defaults.
import { dirname, resolve } from 'node:path';
import { analyzeDocument, type AnalyzeOptions, type DocumentAnalysis } from '../core/document/analyze';
import { knownProblemCodes } from '../core/document/catalog';
import { findProjectConfig } from '../core/document/projectConfig';
import { mergeRuleLevels, parseRuleArgument, type RuleLevel } from '../core/document/ruleLevels';
import { scopeRootFor } from '../core/document/scopeRoot';
import type { MessageDefaults } from '../core/message/types';
import type { OptionSpec, ParsedValues } from './args';
import { stringValues } from './args';
import { CliError, type CliIo } from './io';

export const RULE_OPTION: OptionSpec = { type: 'string', multiple: true, value: 'CODE=LEVEL', description: 'set a problem code to off, hint, info, warning or error' };
export const ALLOW_OUTSIDE_OPTION: OptionSpec = {
  type: 'boolean',
  description: 'let files outside the message\u2019s git repository (or folder) travel as attachments',
};

export interface ReadDocument {
  file: string;
  /** The bytes as read (for `-`, standard input). */
  bytes: Uint8Array;
  analysis: DocumentAnalysis;
}

export interface DocumentSettings {
  defaults?: MessageDefaults;
  smtpUtf8?: boolean;
  now?: Date;
}

/** The file's bytes, or a sentence saying why they could not be read. */
export async function readInput(file: string, io: CliIo): Promise<Uint8Array | string> {
  try {
    if (file === '-') return await io.readStdin();
    return io.readFile(resolve(io.cwd, file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : err instanceof Error ? err.message : String(err);
    return `cannot read "${file}": ${reason}`;
  }
}

/** `--rule` values, checked. */
export function ruleArguments(values: ParsedValues): Record<string, RuleLevel> {
  const levels: Record<string, RuleLevel> = {};
  for (const text of stringValues(values, 'rule')) {
    const parsed = parseRuleArgument(text, knownProblemCodes());
    if (typeof parsed === 'string') throw new CliError(parsed);
    levels[parsed.code] = parsed.level;
  }
  return levels;
}

/**
 * Reads and analyses one message file as every command does. Returns a sentence instead when the file cannot
 * be read. Problems with the project file are written to stderr once per file found.
 */
export async function readDocument(file: string, io: CliIo, values: ParsedValues, settings: DocumentSettings = {}): Promise<ReadDocument | string> {
  const bytes = await readInput(file, io);
  if (typeof bytes === 'string') return bytes;
  const baseDir = file === '-' ? io.cwd : dirname(resolve(io.cwd, file));
  const root = await scopeRootFor(baseDir);
  const project = await findProjectConfig(baseDir, root);
  for (const problem of project.problems) io.stderr(`mailsmith: warning: ${problem}\n`);
  const options: AnalyzeOptions = {
    fileName: file === '-' ? undefined : file,
    // Standard input has no folder: relative paths in it resolve against the working directory.
    baseDir,
    scope: { root, allowOutside: values['allow-outside-files'] === true },
    rules: mergeRuleLevels(project.rules, ruleArguments(values)),
    defaults: settings.defaults,
    smtpUtf8: settings.smtpUtf8,
    now: settings.now,
  };
  return { file, bytes, analysis: await analyzeDocument(bytes, options) };
}
