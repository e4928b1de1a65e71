/** The part of the response a handler with `@Res({ passthrough: true })` uses: its status code (201 or 200). */
export interface StatusResponse {
  status(code: number): unknown;
}
