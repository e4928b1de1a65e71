/** Minimal JSON-over-HTTP client for the demo: it talks to the API exactly as a product backend would. */
export async function callApi<T>(
  baseUrl: string,
  token: string,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const request = () =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(token && { Authorization: `Bearer ${token}` }), 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  // A read whose kept-alive connection the server closed meanwhile is simply sent again; a write is not.
  const response = await request().catch((error: unknown) => {
    if (method !== 'GET') throw withCause(error, `${method} ${path}`);
    return request().catch((again: unknown) => Promise.reject(withCause(again, `${method} ${path}`)));
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** fetch's "fetch failed" with its cause (ECONNRESET, ECONNREFUSED...) and the request it was. */
function withCause(error: unknown, what: string): Error {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return new Error(`${what} failed${cause}`, { cause: error });
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function forEachConcurrently<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await task(items[next++]);
  });
  await Promise.all(workers);
}

/** GET of a non-JSON representation (a Markdown or HTML report): the body as text. */
export async function getText(baseUrl: string, token: string, path: string): Promise<string> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${path} -> ${response.status}: ${text.slice(0, 500)}`);
  return text;
}

/** Whether this build serves `method path` at all (a missing route answers "Cannot METHOD path"). */
export async function routeExists(baseUrl: string, token: string, method: 'POST', path: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  const text = await response.text();
  return !(response.status === 404 && text.includes(`Cannot ${method} ${path}`));
}
