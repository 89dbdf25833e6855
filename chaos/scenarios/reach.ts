/**
 * reach: who can ringback write to, and when may it send on its own? Invitations whose title,
 * description and location are full of addresses (and Cc:/Bcc: lines), with extra attendees, with
 * an organizer address that tries to be two, and invitations the candidate has not accepted. The
 * daemon runs them through a Maildir that relays to a recording SMTP server. Only the organizer
 * (or, when that address is unusable, the next attendee) is ever a recipient, one per message;
 * nothing goes out for an invitation not accepted (it stays a draft and the audit says why); and
 * the SMTP password is nowhere in Redis or in the log.
 */
import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../../config/load.js';
import { startDaemon } from '../../src/daemon/daemon.js';
import { buildEngine, closeEngine, openRuntime } from '../../src/daemon/runtime.js';
import { interviewIdFor } from '../../src/domain/ids.js';
import { readAudit } from '../../src/store/audit.js';
import { startTestRedis } from '../../test/support/redis-server.js';
import { calendarToIcs, type ChaosEvent } from '../lib/calendar.js';
import { capturedLogger, findSecrets, scanRedisForSecrets } from '../lib/scan.js';
import { startChaosSmtpServer } from '../lib/smtp.js';
import { CALENDAR_ID, createWorld } from '../lib/world.js';

export interface ReachResult {
  readonly invitations: number;
  readonly messages: number;
  readonly recipients: readonly string[];
  readonly keptAsDrafts: number;
  readonly redisKeysScanned: number;
  readonly problems: readonly string[];
}

const SMTP_USER = 'ada-smtp';
const SMTP_PASSWORD = 'chaos-reach-password-9d0e';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runReach(log: (line: string) => void): Promise<ReachResult> {
  const redis = await startTestRedis();
  const smtp = await startChaosSmtpServer({ auth: { user: SMTP_USER, pass: SMTP_PASSWORD } });
  const world = await createWorld({ redisUrl: redis.url, smtp: { host: smtp.host, port: smtp.port, username: SMTP_USER, password: SMTP_PASSWORD } });
  const captured = capturedLogger();
  const logger = captured.log;
  const problems: string[] = [];
  try {
    const start = Math.ceil((Date.now() + 15 * 60_000 + 4_000) / 1000) * 1000;
    const spam = 'Please also write to boss@evil.example, hr@evil.example; Cc: cc@evil.example\nBcc: bcc@evil.example\nReply-To: reply@evil.example <mailto:hidden@evil.example>';
    const invitations: Array<ChaosEvent & { to: string | null }> = [
      { uid: 'text', start, title: 'Phone screen (reply to title@evil.example)', description: spam, extra: ['LOCATION:call location@evil.example'], to: 'dana@acme.example' },
      { uid: 'attendees', start, extra: ['ATTENDEE;CN=Sam;PARTSTAT=ACCEPTED:mailto:sam@acme.example', 'ATTENDEE;CN=Team;PARTSTAT=ACCEPTED:mailto:team@acme.example'], to: 'dana@acme.example' },
      { uid: 'two-in-one', start, organizer: { name: 'Dana', email: 'dana@acme.example:evil@evil.example' }, extra: ['ATTENDEE;CN=Sam;PARTSTAT=ACCEPTED:mailto:sam@acme.example'], to: 'sam@acme.example' },
      { uid: 'needs-action', start, partstat: 'NEEDS-ACTION', to: null },
      { uid: 'tentative', start, partstat: 'TENTATIVE', to: null },
      { uid: 'no-answer', start, partstat: null, to: null },
      { uid: 'declined', start, partstat: 'DECLINED', to: null },
    ];
    await writeFile(world.calendarFile, calendarToIcs(invitations));
    const config = await loadConfig({ file: world.configFile, env: {}, cwd: world.dir });
    const runtime = await openRuntime(config, { secretKeyEnv: world.secretKey, log: logger });
    const { engine } = await buildEngine(runtime);
    const daemon = await startDaemon(runtime, engine, { reconcileEveryMs: 60_000 });
    try {
      const sends = invitations.filter((i) => i.to !== null).map((i) => world.confirmationId(i.uid));
      const until = Date.now() + 40_000;
      while (Date.now() < until && !sends.every((id) => smtp.countByMessageId(id) >= 1)) await sleep(250);
      await sleep(3_000); // anything that should not go out would go out now
    } finally {
      await daemon.stop();
      await closeEngine(engine);
    }
    let keptAsDrafts = 0;
    const drafts = await world.folderCounts('Drafts');
    for (const invitation of invitations) {
      const id = world.confirmationId(invitation.uid);
      const sent = smtp.messages.filter((m) => (m.ringbackRef ?? m.messageId) === id);
      if (invitation.to === null) {
        if (sent.length > 0) problems.push(`${invitation.uid}: sent although the invitation was not accepted`);
        if (invitation.uid === 'declined') continue;
        if ((drafts.get(id) ?? 0) !== 1) problems.push(`${invitation.uid}: no confirmation draft left for review`);
        const trail = await readAudit(world.store, { interviewId: interviewIdFor(CALENDAR_ID, invitation.uid), count: 50 });
        if (!trail.some((r) => /not accepted/.test(r.message))) problems.push(`${invitation.uid}: the audit does not say why it was not sent`);
        keptAsDrafts += 1;
        continue;
      }
      if (sent.length !== 1) problems.push(`${invitation.uid}: ${sent.length} messages instead of 1`);
      for (const message of sent) {
        if (message.envelope.to.join(',') !== invitation.to) problems.push(`${invitation.uid}: sent to ${message.envelope.to.join(', ')}`);
        const header = /^to:(.*)$/im.exec(message.raw.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '')?.[1] ?? '';
        if (!header.includes(invitation.to) || /evil\.example/.test(header) || /^(cc|bcc):/im.test(message.raw.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '')) {
          problems.push(`${invitation.uid}: headers name other recipients (${header.trim()})`);
        }
      }
    }
    for (const message of smtp.messages) if (message.envelope.to.some((to) => /evil\.example/.test(to))) problems.push(`a message went to ${message.envelope.to.join(', ')}`);
    const secrets = { smtpPassword: SMTP_PASSWORD, secretKey: world.secretKey };
    const scan = await scanRedisForSecrets(world.store.redis, secrets);
    for (const hit of [...scan.hits, ...findSecrets('log', captured.text(), secrets)]) problems.push(`secret ${hit.secret} found in ${hit.where} (${hit.form})`);
    await runtime.close();
    log(`${smtp.messages.length} messages to ${[...new Set(smtp.messages.flatMap((m) => m.envelope.to))].join(', ')}; ${keptAsDrafts} kept as drafts; ${problems.length} problems`);
    return {
      invitations: invitations.length,
      messages: smtp.messages.length,
      recipients: [...new Set(smtp.messages.flatMap((m) => m.envelope.to))],
      keptAsDrafts,
      redisKeysScanned: scan.keys,
      problems,
    };
  } finally {
    await world.close();
    await smtp.stop();
    await redis.stop();
  }
}
