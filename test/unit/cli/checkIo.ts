// An in-process CliIo over the real file system that records what a command prints.
import { readFileSync } from 'node:fs';
import type { CliIo } from '../../../src/cli/io';
import { repoRoot } from '../../support/paths';

export interface RecordingIo extends CliIo {
  out: string;
  err: string;
}

export function recordingIo(stdin = ''): RecordingIo {
  const io: RecordingIo = {
    out: '',
    err: '',
    stdout: (t) => {
      io.out += t;
    },
    stderr: (t) => {
      io.err += t;
    },
    readFile: (p) => readFileSync(p),
    readStdin: async () => Buffer.from(stdin, 'utf8'),
    env: {},
    cwd: repoRoot,
    isTTY: false,
    ask: async () => {
      throw new Error('the command asked a question, but there is no terminal');
    },
    askHidden: async () => {
      throw new Error('the command asked for a password, but there is no terminal');
    },
  };
  return io;
}
