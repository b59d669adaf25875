// One entry point for pasted text or a file: work out which format it is, then import it.
import { parse as parseYaml } from 'yaml';
import { importCurl } from './curl';
import { importDaprComponent, importDaprText, isSmtpComponent } from './dapr';
import { importGitText, isGitSendemailConfig } from './git';
import { importSesamConfig, isSesamSmtpSystem } from './sesam';
import { type ImportFormat, type ImportOptions, type ImportResult, describeError } from './types';

export const IMPORT_FORMATS: readonly { id: ImportFormat; label: string }[] = [
  { id: 'dapr', label: 'Dapr bindings.smtp component (YAML)' },
  { id: 'curl', label: 'curl command line or smtp:// URL' },
  { id: 'sesam', label: 'Sesam system:smtp (JSON)' },
  { id: 'git', label: 'git send-email settings (a git config file or git config -l output)' },
];

export function detectImportFormat(text: string): ImportFormat | undefined {
  const trimmed = text.trim().replace(/^\$\s+/, '');
  if (/^(\S*[\\/])?curl(\.exe)?\s/i.test(trimmed) || /^smtps?:\/\//i.test(trimmed)) return 'curl';
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if ((Array.isArray(parsed) ? parsed : [parsed]).some(isSesamSmtpSystem)) return 'sesam';
      if (isSmtpComponent(parsed)) return 'dapr';
    } catch {
      // Not JSON after all: maybe YAML flow style; fall through.
    }
  }
  if (isGitSendemailConfig(trimmed)) return 'git';
  if (/bindings\.smtp/.test(trimmed)) return 'dapr';
  if (/system:smtp/.test(trimmed)) return 'sesam';
  return undefined;
}

/** Imports text in any supported format, or the one named. Never throws. */
export function importProfile(text: string, options: ImportOptions & { format?: ImportFormat } = {}): ImportResult {
  try {
    if (text.trim() === '') return { ok: false, error: 'Nothing to import: the text is empty.' };
    const format = options.format ?? detectImportFormat(text);
    switch (format) {
      case 'curl':
        return importCurl(text, options);
      case 'sesam':
        return importSesamJsonOrYaml(text, options);
      case 'git':
        return importGitText(text, options);
      case 'dapr': {
        const trimmed = text.trim();
        if (trimmed.startsWith('{')) {
          const parsed: unknown = JSON.parse(trimmed);
          if (isSmtpComponent(parsed)) return importDaprComponent(parsed, options);
        }
        return importDaprText(text, options);
      }
      default:
        return { ok: false, error: unrecognised(text) };
    }
  } catch (err) {
    return { ok: false, error: `Import failed: ${describeError(err)}` };
  }
}

function importSesamJsonOrYaml(text: string, options: ImportOptions): ImportResult {
  try {
    return importSesamConfig(JSON.parse(text), options);
  } catch (err) {
    return { ok: false, format: 'sesam', error: `The JSON is malformed: ${describeError(err)}` };
  }
}

function unrecognised(text: string): string {
  const expected = `Expected one of: ${IMPORT_FORMATS.map((f) => f.label).join('; ')}.`;
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      JSON.parse(trimmed);
      return `This JSON is neither a Sesam system:smtp nor a Dapr bindings.smtp component. ${expected}`;
    } catch (err) {
      return `The JSON is malformed: ${describeError(err)}. ${expected}`;
    }
  }
  try {
    parseYaml(trimmed);
  } catch (err) {
    return `The text is not a recognised format, and not valid YAML either (${describeError(err).split('\n')[0]}). ${expected}`;
  }
  return `The text is not a recognised format. ${expected}`;
}
