// Text from a server (replies, EHLO keywords, the greeting) is shown in a terminal by `mailsmith doctor`
// and `send -v`, and in VS Code's output channel and history. A reply may carry terminal escape
// sequences (ECMA-48: CSI, OSC, ...) that would recolour, retitle or rewrite the user's terminal, and
// control characters that would split one line into several. They are removed here, in the core, so
// that both faces are safe.

// ESC-introduced sequences: CSI (ESC [ params final), OSC/DCS/SOS/PM/APC strings up to BEL or ST, and
// two-character escapes; C1 CSI (U+009B) with its parameters.
const ESCAPE_SEQUENCE =
  /\u001b\[[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|\u001b[\]PX^_][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[\u0020-\u007e]?|\u009b[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|[\u0090\u009d-\u009f][^\u0007\u001b\u009c]*(?:\u0007|\u009c|\u001b\\)?/g;
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;
// C0 and C1 controls and DEL, plus the bidirectional overrides that can make text read differently
// from what it is (CVE-2021-42574).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** One line of plain text: escape sequences dropped, line breaks and tabs made spaces, other controls shown as U+FFFD. */
export function sanitizeForDisplay(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(LINE_BREAKS, ' ').replace(/\t/g, ' ').replace(CONTROL, '\uFFFD');
}
