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
}

/** A quick fix: a title for the menu and the edits that make it. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Marks the fix VS Code may apply on "Fix all" / auto-fix. */
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
