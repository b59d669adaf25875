// The CLI's contact with the outside world, passed in so tests can run commands in-process.
import { readFileSync } from 'node:fs';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Buffer;
  readStdin(): Promise<Buffer>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTTY: boolean;
}

export function nodeIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readFile: (p) => readFileSync(p),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdin.isTTY),
  };
}

/** A failure the user caused (bad flag, missing file): printed as one line, no stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export interface CliCommand {
  name: string;
  summary: string;
  run(args: string[], io: CliIo): Promise<number>;
}
