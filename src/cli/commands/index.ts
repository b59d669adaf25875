// The CLI's subcommands, in the order `mailsmith --help` lists them. Add one file per command.
import type { CliCommand } from '../io';
import { profileCommand } from './profile';

export const commands: CliCommand[] = [profileCommand];
