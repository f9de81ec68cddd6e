export interface ApiResponse {
  status: number;
  /** null for an empty body, undefined for one that is not JSON */
  json: any;
  text: string;
  headers: Headers;
}

/** A JSON call under `/api/v1/` (Greenfield's and seed 001's APIs) with an Authorization header; redirects are not followed. */
export async function apiRequest(
  base: string,
  method: string,
  path: string,
  authorization: string | undefined,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const response = await fetch(`${base}api/v1/${path}`, {
    method,
    redirect: 'manual',
    headers: {
      accept: 'application/json',
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(authorization ? { authorization } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}
