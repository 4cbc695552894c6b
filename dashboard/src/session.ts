/** The signed-in user's tokens, kept for the browser tab only (sessionStorage). */
export interface Session {
  accessToken: string;
  refreshToken: string;
}

const KEY = 'customeriq.session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}
