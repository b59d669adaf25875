// The CLI's subcommands, in the order `mailsmith --help` lists them. Add one file per command.
import type { CliCommand } from '../io';
import { checkCommand } from './check';
import { doctorCommand } from './doctor';
import { inboxCommand } from './inbox';
import { loginCommand } from './login';
import { logoutCommand } from './logout';
import { prepareCommand } from './prepare';
import { profileCommand } from './profile';
import { mergeCommand } from './merge';
import { sendCommand } from './send';
import { seriesCommand } from './series';

export const commands: CliCommand[] = [checkCommand, prepareCommand, sendCommand, mergeCommand, seriesCommand, doctorCommand, loginCommand, logoutCommand, inboxCommand, profileCommand];
