import { ArgumentsHost, HttpStatus } from '@nestjs/common';

/** Writes the API's JSON error shape for a coded domain error: status, its name, the code, a message and details. */
export function sendCodedError(
  host: ArgumentsHost,
  status: HttpStatus,
  body: { code: string; message: string } & Record<string, unknown>,
): void {
  host
    .switchToHttp()
    .getResponse<{ status(code: number): { json(body: unknown): void } }>()
    .status(status)
    .json({
      statusCode: status,
      error: HttpStatus[status]
        .replace(/_/g, ' ')
        .toLowerCase()
        .replace(/\b\w/g, (c) => c.toUpperCase()),
      ...body,
    });
}
