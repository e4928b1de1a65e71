// C0 and C1 controls, DEL, the Unicode line and paragraph separators and bidi overrides: anything
// that can end a line, drive a terminal or reorder what a reader sees.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Makes text one printable line: control characters become visible escapes (`\n`, `\u001b`). */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const FRAME = /^\s+at /;

/**
 * A stack trace whose only line breaks are before its `at` frames: the header, which repeats the
 * error's message (attacker text, possibly with newlines), is escaped into one line.
 */
export function escapeStack(stack: string): string {
  const lines: string[] = [];
  for (const line of stack.split('\n')) {
    if (lines.length === 0 || FRAME.test(line)) lines.push(escapeControl(line));
    else lines[lines.length - 1] += `\\n${escapeControl(line)}`;
  }
  return lines.join('\n');
}
