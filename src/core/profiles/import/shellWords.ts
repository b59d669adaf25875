// Splits a command line into words the way a POSIX shell would for a pasted curl command: single and
// double quotes, backslash escapes, and line continuations (`\` in sh, `^` in cmd.exe, "`" in PowerShell).
export type ShellWordsResult = { ok: true; words: string[] } | { ok: false; error: string };

export function splitShellWords(input: string): ShellWordsResult {
  const text = input.replace(/[\\^`]\r?\n/g, ' ');
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { ok: false, error: `Unterminated single quote at column ${i + 1}.` };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        // Inside double quotes a backslash escapes only $ ` " \ (POSIX 2.2.3).
        if (text[j] === '\\' && j + 1 < text.length && '$`"\\'.includes(text[j + 1])) j++;
        word += text[j];
      }
      if (j >= text.length) return { ok: false, error: `Unterminated double quote at column ${i + 1}.` };
      inWord = true;
      i = j;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return { ok: true, words };
}
