/** Commands that run the engine: `start` and `sync --once`. */
import { daemonHealth, onShutdownSignal, startDaemon } from '../../daemon/daemon.js';
import { syncWithLease } from '../../../workers/sync.js';
import { checkMailbox, prepareMaildir } from '../../daemon/account-checks.js';
import { buildEngine, closeEngine } from '../../daemon/runtime.js';
import { listensOnThisMachineOnly } from '../../../config/schema.js';
import { startDashboard } from '../../http/server.js';
import { openRedisConnection } from '../../store/connection.js';
import { followAuditStream } from '../../read/audit-follow.js';
import { formatAuditLine } from '../follow.js';
import { say, warn } from '../io.js';
import { withEngine, withRuntime, type GlobalOptions } from '../session.js';

export async function startCommand(options: GlobalOptions & { quiet?: boolean }): Promise<void> {
  await withRuntime(
    options,
    async (runtime) => {
      // A Maildir path that does not exist yet is created (exit 2 when its parent is missing too).
      const created = await prepareMaildir(runtime.config);
      if (created) say(`ringback: ${created}`);
      const { engine, problems } = await buildEngine(runtime);
      for (const p of problems) warn(`ringback: account ${p.accountId} left out: ${p.message}`);
      // The mailbox opened for real (login, folders): one line when it cannot be, and its actions wait.
      const mailbox = problems.length === 0 ? await checkMailbox(engine) : null;
      if (mailbox && !mailbox.ok) warn(`ringback: ${mailbox.message}; its actions wait until it works. Fix: ${mailbox.fix ?? ''}`);
      // Faults (Redis unreachable, disk full) are one line each on this terminal, not one per job.
      const health = daemonHealth(runtime, engine, say);
      const followerConnection = options.quiet ? null : openRedisConnection(runtime.redisUrl);
      if (followerConnection) health.watch(followerConnection);
      const follower = followerConnection
        ? followAuditStream(
            followerConnection,
            runtime.config.prefix,
            (r) => say(formatAuditLine(r, runtime.config.candidate.timezone)),
            (e) => {
              if (!health.report(e)) warn(`ringback: audit follower: ${e.message}`);
            },
          )
        : null;
      const daemon = await startDaemon(runtime, engine, { health });
      // The dashboard is a convenience: a taken port must not stop the daemon.
      const dashboard = await startDashboard(runtime, engine, { env: process.env, health }).catch((error: unknown) => {
        warn(`ringback: dashboard not started: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
      say(
        `ringback started: ${engine.calendars.size} calendar${engine.calendars.size === 1 ? '' : 's'}, ` +
          `mailbox ${engine.mailbox ? engine.mailbox.id : 'none'}, polling every ${runtime.config.sync.pollSeconds} s. Ctrl-C to stop.`,
      );
      if (dashboard) say(`dashboard: ${dashboard.url}  ("ringback dashboard" prints it again)`);
      const { host, port } = runtime.config.dashboard;
      if (dashboard && !listensOnThisMachineOnly(host)) {
        warn(
          `ringback: warning: the dashboard listens on ${host}:${port} (dashboard.host), not on this computer's loopback only: ` +
            'anyone who can reach that port gets its sign-in page (the token still guards the rest). ' +
            'In a container, publish the port on the host\'s 127.0.0.1 only, as docker-compose.yml does.',
        );
      }
      await new Promise<void>((resolve) => {
        onShutdownSignal(async () => {
          say('ringback: stopping (finishing the work in flight)…');
          await dashboard?.close();
          await daemon.stop();
          await follower?.stop();
          await closeEngine(engine);
          resolve();
        });
      });
    },
    runtimeLevel(options),
  );
}

function runtimeLevel(options: GlobalOptions): string {
  return options.verbose ? 'debug' : 'warn';
}

export async function syncOnceCommand(options: GlobalOptions & { json?: boolean }): Promise<void> {
  await withEngine(options, async (engine, _runtime, problems) => {
    let failed = problems.length;
    const summaries = [];
    for (const p of problems) warn(`ringback: account ${p.accountId} left out: ${p.message}`);
    for (const id of engine.calendars.keys()) {
      const controller = new AbortController();
      try {
        const summary = await syncWithLease(engine, id, controller.signal);
        if (!summary) {
          warn(`ringback: ${id} is being synced by a running "ringback start"; skipped`);
          continue;
        }
        summaries.push(summary);
        if (!options.json) {
          say(
            `${id}: ${summary.events} events read, ${summary.changed} changed; ` +
              `${summary.interviewsNew} new interview${summary.interviewsNew === 1 ? '' : 's'}, ${summary.interviewsUpdated} updated, ${summary.withdrawn} withdrawn` +
              (summary.skippedItems ? `; ${summary.skippedItems} entries skipped (see the audit)` : ''),
          );
          const again = summary.readAgain;
          if (again && again.events > 0) say(`  read again after an upgrade: ${again.events} event${again.events === 1 ? '' : 's'}, ${again.interviews} now interview${again.interviews === 1 ? '' : 's'}`);
          for (const n of summary.notInterviews.slice(0, 10)) say(`  not an interview: "${n.title}" (${n.reason})`);
        }
      } catch (error) {
        failed++;
        warn(`ringback: sync of ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (options.json) say(JSON.stringify(summaries, null, 2));
    else if (engine.calendars.size > 0) say('Planned emails are sent by "ringback start"; see them with "ringback interviews".');
    if (failed > 0) process.exitCode = 1;
  });
}
