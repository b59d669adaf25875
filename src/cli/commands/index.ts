// The CLI's subcommands, in the order `mailsmith --help` lists them. Add one file per command.
import type { CliCommand } from '../io';

export const commands: CliCommand[] = [];
