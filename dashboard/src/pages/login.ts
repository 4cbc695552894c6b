import { ApiError, login } from '../api';
import { h } from '../dom';
import { navigate } from '../router';

export function loginPage(root: HTMLElement): void {
  const email = h('input', { type: 'email', name: 'email', required: true, autocomplete: 'username', 'data-testid': 'login-email' });
  const password = h('input', { type: 'password', name: 'password', required: true, autocomplete: 'current-password', 'data-testid': 'login-password' });
  const message = h('p', { class: 'error', role: 'alert', 'data-testid': 'login-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' }, 'Log in');
  const form = h('form', {}, h('label', {}, 'Email', h('br'), email), h('label', {}, 'Password', h('br'), password), message, submit);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    message.hidden = true;
    login(email.value, password.value)
      .then(() => navigate('#/overview'))
      .catch((e: unknown) => {
        const status = e instanceof ApiError ? e.status : 0;
        message.textContent =
          status === 401 ? 'Wrong email or password.' : status === 429 ? 'Too many attempts: wait a minute and try again.' : status === 400 ? 'Enter a valid email and a password.' : `Login failed: ${(e as Error).message}`;
        message.hidden = false;
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  root.append(h('div', { class: 'login card' }, h('h1', {}, 'CustomerIQ'), h('p', { class: 'muted' }, 'Sign in to the dashboard'), form));
  email.focus();
}
