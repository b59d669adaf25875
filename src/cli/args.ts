// Every command's arguments parsed the same way, with node:util's parseArgs: `--opt value` and `--opt=value`,
// `--` ends the options, unknown options and missing values are errors, and `--help` is generated from the
// same declaration that parses.
import { parseArgs } from 'node:util';
import { CliError } from './io';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's name in the help (`FILE`, `N`). */
  value?: string;
  /** Allowed values, checked here. */
  choices?: readonly string[];
  description: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** What follows the command name in the synopsis: `FILE...`, `[FILE]`. */
  positionals: string;
  minPositionals: number;
  maxPositionals?: number;
  options: Record<string, OptionSpec>;
  /** Paragraphs after the options (exit codes, notes). */
  notes?: string;
}

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedArgs {
  values: ParsedValues;
  positionals: string[];
  help: boolean;
}

export function parseCommandArgs(spec: CommandSpec, args: string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec.options)) options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(`${friendly(err)}\n\n${helpText(spec)}`);
  }
  const values = parsed.values as ParsedValues;
  if (values.help) return { values, positionals: parsed.positionals, help: true };
  for (const [name, o] of Object.entries(spec.options)) {
    const value = values[name];
    if (o.type !== 'string' || value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value as string]) {
      if (one === '') throw new CliError(`--${name} needs a value\n\n${helpText(spec)}`);
      if (o.choices && !o.choices.includes(one)) throw new CliError(`--${name} must be ${o.choices.map((c) => `"${c}"`).join(' or ')}, not "${one}"\n\n${helpText(spec)}`);
    }
  }
  const count = parsed.positionals.length;
  if (count < spec.minPositionals) throw new CliError(`missing ${spec.positionals}\n\n${helpText(spec)}`);
  if (spec.maxPositionals !== undefined && count > spec.maxPositionals) {
    throw new CliError(`too many arguments (${parsed.positionals.join(' ')}): expected ${spec.positionals}\n\n${helpText(spec)}`);
  }
  return { values, positionals: parsed.positionals, help: false };
}

export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    return [flag, o.description + (o.multiple ? ' (repeatable)' : '')];
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const lines = [`Usage: mailsmith ${spec.name} [options] ${spec.positionals}`.trimEnd(), '', spec.summary, '', 'Options:', ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`)];
  if (spec.notes) lines.push('', spec.notes);
  return lines.join('\n');
}

/** parseArgs' messages name its own codes; say what the user did instead. */
function friendly(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option "${option}"`;
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/argument missing|ambiguous/.test(message)) return `${option} needs a value`;
    if (/does not take an argument/.test(message)) return `${option} takes no value`;
  }
  return message.split('\n')[0];
}

export function stringValue(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function stringValues(values: ParsedValues, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}
