// --to-cmd and --cc-cmd: a command the user wrote, run once per patch with the patch file as its last
// argument (scripts/get_maintainer.pl is the usual one), each output line an address. Run without a shell: the
// command's words (quotes understood) are the program and its arguments, so nothing in a patch file name or a
// repository can add to the command line. A repository's own config (sendemail.toCmd/ccCmd in .git/config)
// is never run unasked: see plan.ts.
import { splitShellWords } from '../profiles/import/shellWords';
import { runProgram } from './git';

export type CommandOutput = { ok: true; lines: string[] } | { ok: false; reason: string };

/** get_maintainer.pl takes seconds on a big tree; a command that hangs must not hang the review with it. */
export const ADDRESS_COMMAND_TIMEOUT_MS = 120_000;

export async function runAddressCommand(command: string, file: string, cwd: string, timeoutMs = ADDRESS_COMMAND_TIMEOUT_MS): Promise<CommandOutput> {
  const split = splitShellWords(command);
  if (!split.ok) return { ok: false, reason: `cannot read the command "${command}": ${split.error}` };
  if (split.words.length === 0) return { ok: false, reason: 'the command is empty' };
  const [program, ...args] = split.words;
  const result = await runProgram(program, [...args, file], { cwd, maxBuffer: 1024 * 1024, timeoutMs });
  if (result.timedOut) return { ok: false, reason: `"${command}" did not finish within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}: it was stopped` };
  if (result.code !== 0) return { ok: false, reason: `"${command}" exited with ${result.code}${result.stderr ? `: ${result.stderr.split('\n')[0]}` : ''}` };
  return { ok: true, lines: result.stdout.toString('utf8').split('\n').map((l) => l.trim()).filter(Boolean) };
}
