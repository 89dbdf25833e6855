/**
 * `ringback dashboard`: prints the address of the dashboard that a running `ringback start` serves
 * (kept in Redis while it runs), and opens it in a browser when there is one.
 */
import { hostname } from 'node:os';
import { RunTimeError } from '../../errors.js';
import { dashboardUrl } from '../../http/server.js';
import { getDashboardAddress } from '../../store/dashboard.js';
import { say } from '../io.js';
import { isInteractive, openInBrowser } from '../prompt.js';
import { withRuntime, type GlobalOptions } from '../session.js';

export async function dashboardCommand(options: GlobalOptions): Promise<void> {
  await withRuntime(options, async (runtime) => {
    const address = await getDashboardAddress(runtime.store);
    if (!address) throw new RunTimeError('no dashboard is running: start one with "ringback start"');
    const url = dashboardUrl({ port: address.port, publicUrl: runtime.config.dashboard.publicUrl }, address.token);
    const elsewhere = address.hostname !== '' && address.hostname !== hostname();
    say(url);
    if (elsewhere) {
      say(`(the dashboard runs on ${address.hostname} and listens there only: open this address on that machine)`);
      return;
    }
    if (isInteractive()) openInBrowser(url);
  });
}
