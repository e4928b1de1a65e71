import { ServerResponse } from 'node:http';

/** A 303 See Other: after a form, the browser follows with a GET (handlers that write the response themselves). */
export function redirect(res: ServerResponse, location: string): void {
  res.statusCode = 303;
  res.setHeader('Location', location);
  res.end();
}

/** An HTML page with a status other than 200 (the page headers are already set by ConsolePageInterceptor). */
export function sendPage(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.end(html);
}

/** Console forms carry a few short fields; a sign-in form's return path is the largest of them. */
export const CONSOLE_FORM = { limitBytes: 8 * 1024 };
