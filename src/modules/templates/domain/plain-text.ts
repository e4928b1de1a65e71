/**
 * Plain-text parts are not HTML: nothing is escaped in them, so they are normalized instead. One-line
 * parts (subject, preheader, push title) can never carry a line break, which also keeps user data
 * from injecting mail headers.
 */
// eslint-disable-next-line no-control-regex -- control characters are what these remove
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Collapses all whitespace, line breaks included, to single spaces and trims. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/** Keeps line breaks (at most one blank line in a row), collapses spaces and tabs, trims every line. */
export function multiLine(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, ' ')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
