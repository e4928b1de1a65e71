/**
 * The text fields of a small HTML form or RFC 8058 one-click POST, in either encoding browsers and
 * mailbox providers use: `application/x-www-form-urlencoded` or `multipart/form-data` (RFC 7578).
 * One value per name: a name given twice makes the form ambiguous (`scope=all&scope=category`), and file
 * parts make the body invalid. Meant for bodies of a few hundred bytes that are already read whole.
 */
export type FormFields = Record<string, string>;

/** A form that gives this field more than once: which value is meant is anyone's guess. */
export class RepeatedField {
  constructor(readonly name: string) {}
}

/** Fields of an urlencoded body (`a=1&b=two+words`), or the first name it repeats. */
export function parseUrlEncoded(text: string): FormFields | RepeatedField {
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (fields.has(name)) return new RepeatedField(name);
    fields.set(name, value);
  }
  return Object.fromEntries(fields);
}

/** The boundary parameter of a `multipart/form-data` Content-Type, or undefined. */
export function multipartBoundary(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

const DISPOSITION = /^content-disposition:\s*form-data\s*;(.*)$/im;

/** One part's field name and value, or undefined when the part is not a plain text field. */
function parsePart(part: string): [string, string] | undefined {
  const split = /\r?\n\r?\n/.exec(part);
  if (!split) return undefined;
  const headers = part.slice(0, split.index);
  const params = DISPOSITION.exec(headers)?.[1];
  if (params === undefined || /\bfilename\*?=/i.test(params)) return undefined;
  const name = /\bname="([^"]*)"/i.exec(params)?.[1] ?? /\bname=([^\s;]+)/i.exec(params)?.[1];
  if (name === undefined) return undefined;
  return [name, part.slice(split.index + split[0].length)];
}

/**
 * Fields of a multipart body or the first name it repeats, or undefined when it is not well formed (no
 * closing boundary, a file part).
 */
export function parseMultipart(text: string, boundary: string): FormFields | RepeatedField | undefined {
  const delimiter = `--${boundary}`;
  const end = text.indexOf(`${delimiter}--`);
  if (!text.startsWith(delimiter) || end === -1) return undefined;
  const fields = new Map<string, string>();
  for (const chunk of text.slice(delimiter.length, end).split(delimiter)) {
    // Each part sits between the line break after one delimiter and the line break before the next.
    const part = parsePart(chunk.replace(/^\r?\n/, '').replace(/\r?\n$/, ''));
    if (!part) return undefined;
    if (fields.has(part[0])) return new RepeatedField(part[0]);
    fields.set(part[0], part[1]);
  }
  return Object.fromEntries(fields);
}
