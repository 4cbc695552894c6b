import { loadSession, saveSession, Session } from './session';

export const API = '/api/v1';

/** An error answer of the API (its envelope) or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Listener = () => void;
let onSignedOut: Listener = () => undefined;
/** What to do when the session cannot be renewed (go to the login page). */
export function whenSignedOut(l: Listener): void {
  onSignedOut = l;
}

async function toApiError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    return new ApiError(res.status, body.error?.code ?? 'HTTP_ERROR', body.error?.message ?? res.statusText);
  } catch {
    return new ApiError(res.status, 'HTTP_ERROR', `${res.status} ${res.statusText}`);
  }
}

export async function login(email: string, password: string): Promise<Session> {
  let res: Response;
  try {
    res = await fetch(`${API}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached');
  }
  if (!res.ok) throw await toApiError(res);
  const s = (await res.json()) as Session;
  saveSession({ accessToken: s.accessToken, refreshToken: s.refreshToken });
  return s;
}

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh token for a new pair once, however many requests hit a 401 at the same time. */
function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const s = loadSession();
    if (!s) return false;
    const res = await fetch(`${API}/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: s.refreshToken }) }).catch(() => null);
    if (!res?.ok) return false;
    const pair = (await res.json()) as Session;
    saveSession({ accessToken: pair.accessToken, refreshToken: pair.refreshToken });
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export function signOut(): void {
  saveSession(null);
  onSignedOut();
}

/** Calls the API with the session's bearer token; a 401 renews the token once, then signs out. */
export async function authorizedFetch(path: string, init: RequestInit = {}, retried = false): Promise<Response> {
  const s = loadSession();
  if (!s) {
    signOut();
    throw new ApiError(401, 'UNAUTHENTICATED', 'Please log in');
  }
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${s.accessToken}`);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  let res: Response;
  try {
    res = await fetch(`${API}${path}`, { ...init, headers });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached');
  }
  if (res.status === 401 && !retried) {
    if (await refresh()) return authorizedFetch(path, init, true);
    signOut();
  }
  if (!res.ok) throw await toApiError(res);
  return res;
}

export async function get<T>(path: string): Promise<T> {
  return (await (await authorizedFetch(path)).json()) as T;
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  return (await (await authorizedFetch(path, { method: 'POST', body: JSON.stringify(body) })).json()) as T;
}

/** A query string from the defined values (arrays repeat the key). */
export function query(params: Record<string, string | number | boolean | string[] | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
