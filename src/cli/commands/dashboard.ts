/** `ringback dashboard`: the dashboard is part of issue 7; until then it says where things stand. */
import { RunTimeError } from '../../errors.js';
import type { GlobalOptions } from '../session.js';

export async function dashboardCommand(_options: GlobalOptions): Promise<void> {
  throw new RunTimeError('the dashboard is not part of this build yet: use "ringback interviews" and "ringback queue"');
}
