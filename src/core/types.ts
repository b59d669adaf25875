// Small editor-agnostic types shared by the core, the CLI and the VS Code layer.
// Positions are zero-based, like VS Code's: `character` counts UTF-16 code units in the line.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A replacement of the text in `range` by `newText`, in document coordinates. */
export interface TextEdit {
  range: Range;
  newText: string;
  /**
   * The same edit as a snippet, for an editor that can leave the cursor where the user has to type:
   * `${1:default}` placeholders, `$0` the final cursor, `\\`, `\$` and `\}` escapes (VS Code's snippet
   * syntax). `newText` is this snippet with every placeholder at its default; the CLI and Fix all use it.
   */
  snippet?: string;
}

/** A quick fix: a title for the menu and the edits that make it. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /**
   * The fix settles the problem without a choice or input from the user, so "Fix all" (and VS Code's
   * auto-fix) may apply it. A fix whose text is an example to type over is never preferred.
   */
  preferred?: boolean;
}

/** One finding of a validation rule. `code` is stable (e.g. `missing-from`): the CLI and the editor share it. */
export interface Problem {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes?: Fix[];
}

/** Where the core writes what it does; the VS Code layer maps it to a LogOutputChannel, the CLI to stderr. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
