/** A page draws itself into `root` and may return a cleanup (charts, live subscriptions). */
export type Cleanup = () => void;
export type Page = (root: HTMLElement, params: Record<string, string>, query: URLSearchParams) => Promise<Cleanup | void> | Cleanup | void;

interface Route {
  pattern: RegExp;
  keys: string[];
  page: Page;
  nav: string;
}

const routes: Route[] = [];

/** Registers `#/customers/:id`-style paths. */
export function route(path: string, nav: string, page: Page): void {
  const keys: string[] = [];
  const pattern = new RegExp(`^${path.replace(/:(\w+)/g, (_, k: string) => (keys.push(k), '([^/]+)'))}$`);
  routes.push({ pattern, keys, page, nav });
}

export function navigate(hash: string): void {
  if (location.hash === hash) void render();
  else location.hash = hash;
}

let cleanup: Cleanup | void;
let root: HTMLElement;
let guard: (path: string) => string | null = () => null;
let generation = 0;

/** `redirect(path)` returns another path to show instead (login when signed out). */
export function startRouter(el: HTMLElement, redirect: (path: string) => string | null): void {
  root = el;
  guard = redirect;
  window.addEventListener('hashchange', () => void render());
  void render();
}

export async function render(): Promise<void> {
  const [path, qs] = (location.hash.slice(1) || '/overview').split('?');
  const other = guard(path);
  if (other) return navigate(`#${other}`);
  const gen = ++generation;
  cleanup?.();
  cleanup = undefined;
  const r = routes.find((x) => x.pattern.test(path)) ?? routes[0];
  const m = r.pattern.exec(path) ?? [];
  const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1] ?? '')]));
  document.querySelectorAll('header nav a').forEach((a) => a.classList.toggle('active', a.getAttribute('href') === `#${r.nav}`));
  root.replaceChildren();
  const c = await r.page(root, params, new URLSearchParams(qs ?? ''));
  // A newer navigation started while this page loaded: undo this one at once.
  if (gen !== generation) c?.();
  else cleanup = c;
}
