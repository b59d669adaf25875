// The CLI's logger: the redacted SMTP dialogue on stderr with -v, warnings and errors always.
import type { Logger } from '../core/types';
import type { CliIo } from './io';

export function cliLogger(io: CliIo, verbose: boolean): Logger {
  const out = (line: string) => io.stderr(line + '\n');
  return {
    trace: () => undefined,
    debug: (m) => verbose && out(m),
    info: (m) => verbose && out(m),
    warn: (m) => out(`warning: ${m}`),
    error: (m) => verbose && out(`error: ${m}`),
  };
}
