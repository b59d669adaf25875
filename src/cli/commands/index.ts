// The CLI's subcommands, in the order `mailsmith --help` lists them. Add one file per command.
import type { CliCommand } from '../io';
import { checkCommand } from './check';
import { prepareCommand } from './prepare';
import { profileCommand } from './profile';

export const commands: CliCommand[] = [checkCommand, prepareCommand, profileCommand];
