import { signOut, whenSignedOut } from './api';
import { live } from './live';
import { loginPage } from './pages/login';
import { overviewPage } from './pages/overview';
import { riskPage } from './pages/risk';
import { activityPage } from './pages/activity';
import { customersPage } from './pages/customers';
import { customerPage } from './pages/customer';
import { navigate, route, startRouter } from './router';
import { loadSession } from './session';

route('/overview', '/overview', overviewPage);
route('/login', '/login', loginPage);
route('/risk', '/risk', riskPage);
route('/activity', '/activity', activityPage);
route('/customers', '/customers', customersPage);
route('/customers/:id', '/customers', customerPage);

const header = document.getElementById('top')!;
const status = document.querySelector<HTMLElement>('[data-testid="live-status"]')!;
live.onStatus((on) => {
  status.dataset.state = on ? 'on' : 'off';
  status.textContent = on ? 'live' : 'offline';
});

whenSignedOut(() => {
  live.stop();
  navigate('#/login');
});
document.getElementById('logout')!.addEventListener('click', () => signOut());

startRouter(document.getElementById('app')!, (path) => {
  const signedIn = loadSession() !== null;
  header.hidden = !signedIn;
  if (!signedIn) return path === '/login' ? null : '/login';
  live.start();
  return path === '/login' ? '/overview' : null;
});
