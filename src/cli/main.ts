#!/usr/bin/env node
/**
 * The `ringback` command. Each subcommand lives in `src/cli/commands/`; this file only wires them
 * and turns failures into the exit codes of DESIGN.md (0 done, 1 failed at run time, 2 bad input).
 */
import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { CONNECT_TYPES } from './connect/types.js';
import { MARK_DIRECTIONS } from '../domain/outcomes.js';
import { exitWithError, say } from './io.js';
import { ask, isInteractive } from './prompt.js';
import type { GlobalOptions } from './session.js';

// Each command loads its own modules when it runs: loading them all (the dashboard's web server,
// the daemon, every provider's SDK) cost seconds at every start of every command, `--help`
// included, which a script running `ringback interviews` or `sync --once` paid each time.
const commands = {
  detection: () => import('./commands/detection.js'),
  doctor: () => import('./commands/doctor.js'),
  manage: () => import('./commands/manage.js'),
  run: () => import('./commands/run.js'),
  status: () => import('./commands/status.js'),
};

// The version shown is the installed package's, so that an image or a clone says what it runs.
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const program = new Command();
program
  .name('ringback')
  .description('Confirms your phone interviews and drafts the right follow-up in your own mailbox.')
  .version(version, '-V, --version', 'print the version')
  .option('-c, --config <file>', 'config file (default: $RINGBACK_CONFIG or ./ringback.yaml)')
  .option('-v, --verbose', 'log more')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

const globals = (): GlobalOptions => program.opts<GlobalOptions>();

program
  .command('init')
  .description('write a commented ringback.yaml (asks on a terminal, flags otherwise)')
  .option('--name <name>')
  .option('--email <email>')
  .option('--phone <phone>', 'your phone number, e.g. "+1 415 555 0100"')
  .option('--timezone <zone>', 'IANA zone, e.g. America/New_York (default: this machine\'s)')
  .option('--redis <url>', '"managed" (default) or redis://host:6379')
  .option('--calendar-path <file>', 'an .ics file')
  .option('--calendar-url <url>', 'an https .ics address')
  .option('--mailbox-path <dir>', 'a Maildir folder (default ./mail)')
  .option('--dashboard-host <ip>', 'where the dashboard listens (default 127.0.0.1; 0.0.0.0 in a container)')
  .option('--force', 'overwrite an existing file')
  .action(async (flags: Record<string, string | boolean | undefined>) => {
    const pick = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
    const given = Object.fromEntries(
      ['name', 'email', 'phone', 'timezone', 'redis', 'calendarPath', 'calendarUrl', 'mailboxPath', 'dashboardHost']
        .map((k) => [k, pick(k)] as const)
        .filter(([, v]) => v !== undefined),
    );
    const { runInit } = await import('./init.js');
    const written = await runInit({
      file: globals().config,
      flags: given,
      force: flags.force === true,
      env: process.env,
      io: { isTTY: isInteractive(), ask: (q, def) => ask(q, def === undefined ? {} : { def }), say },
    });
    say(`wrote ${written}. Next: "ringback doctor", then "ringback start".`);
  });

program
  .command('connect')
  .description(`connect an account: ${CONNECT_TYPES.join(' | ')}`)
  .argument('<type>', CONNECT_TYPES.join(' | '))
  .option('--id <id>', 'account id (default: derived)')
  .option('--path <path>', 'ics: a file; maildir: a folder')
  .option('--url <url>', 'ics: an https address; caldav: the server address')
  .option('--preset <name>', 'imap/caldav: icloud | fastmail | gmail | outlook | nextcloud')
  .option('--host <host>', 'imap: server')
  .option('--port <port>', 'imap: port')
  .option('--username <user>', 'caldav / imap user')
  .option('--calendar <url...>', 'caldav / google: calendars to use (default: all / primary)')
  .option('--smtp-host <host>')
  .option('--smtp-port <port>')
  .option('--smtp-user <user>')
  .option('--client-id <id>', 'google / microsoft: your OAuth client id')
  .option('--client-secret <secret>', 'google: your OAuth client secret (desktop app)')
  .option('--tenant <tenant>', 'microsoft: tenant (default common)')
  .option('--secure <bool>', 'imap: implicit TLS (true for 993)')
  .option('--smtp-secure <bool>', 'imap: SMTP implicit TLS (true for 465)')
  .addOption(new Option('--api-root <url>', 'google / microsoft: API root (advanced: tests and proxies)'))
  .addOption(new Option('--auth-url <url>', 'google: OAuth authorization address (advanced)'))
  .addOption(new Option('--token-url <url>', 'google: OAuth token address (advanced)'))
  .addOption(new Option('--authority <url>', 'microsoft: sign-in authority (advanced)'))
  .addOption(new Option('--password <password>', 'prefer RINGBACK_PASSWORD or the prompt').hideHelp())
  .action(async (type: string, flags: Record<string, string | boolean | string[] | undefined>) => {
    // Loaded on use: the connectors bring every provider's SDK, which `ringback start` does not need.
    const { connectCommand } = await import('./commands/connect.js');
    await connectCommand(type, flags, globals());
  });

program
  .command('accounts')
  .description('list the accounts with their last sync and any problem')
  .option('--json')
  .action(async (o: { json?: boolean }) => (await commands.status()).accountsCommand({ ...globals(), ...o }));

program
  .command('start')
  .description('run the daemon: sync calendars, write drafts, send confirmations')
  .option('-q, --quiet', 'do not print each step')
  .action(async (o: { quiet?: boolean }) => (await commands.run()).startCommand({ ...globals(), ...o }));

program
  .command('sync')
  .description('sync every calendar now')
  .requiredOption('--once', 'sync once and exit (the daemon syncs on its own)')
  .option('--json')
  .action(async (o: { json?: boolean }) => (await commands.run()).syncOnceCommand({ ...globals(), ...o }));

program
  .command('interviews')
  .description('list phone interviews with their planned emails')
  .option('--json')
  .option('--all', 'include interviews older than a week')
  .action(async (o: { json?: boolean; all?: boolean }) => (await commands.status()).interviewsCommand({ ...globals(), ...o }));

program
  .command('queue')
  .description('list pending jobs')
  .option('--json')
  .action(async (o: { json?: boolean }) => (await commands.status()).queueCommand({ ...globals(), ...o }));

program
  .command('outcome')
  .description('record how a call went: held | interviewer-no-show | candidate-missed')
  .argument('<id>', 'interview id (or a unique prefix)')
  .argument('<outcome>', 'held | interviewer-no-show | candidate-missed')
  .action(async (id: string, outcome: string) => (await commands.manage()).outcomeCommand(id, outcome, globals()));

program
  .command('explain')
  .description('why an event is (or is not) a phone interview: class, confidence and every piece of evidence')
  .argument('<id-or-title>', 'an id from "ringback interviews", or words of the event title')
  .option('--json')
  .action(async (query: string, o: { json?: boolean }) => (await commands.detection()).explainCommand(query, { ...globals(), ...o }));

program
  .command('mark')
  .description('settle what an event is: phone | video | not-interview (kept across syncs; a tag in the event still wins)')
  .argument('<id-or-title>', 'an id from "ringback interviews" or "ringback explain", or words of the title')
  .argument('<kind>', 'phone | video | not-interview')
  .option('--direction <who>', `with phone: ${MARK_DIRECTIONS.join(' | ')}`)
  .option('--number <number>', 'with phone: the number to dial, with its country code')
  .action(async (query: string, kind: string, o: { direction?: string; number?: string }) => (await commands.detection()).markCommand(query, kind, o, globals()));

program
  .command('brief')
  .description('the sheet to have in front of you before the call')
  .argument('<id>')
  .action(async (id: string) => (await commands.status()).briefCommand(id, globals()));

const company = program.command('company').description('company records');
company
  .command('clear')
  .description('clear the "pattern" flag of a company')
  .argument('<company>', 'the company key, e.g. acme.com')
  .action(async (name: string) => (await commands.manage()).companyClearCommand(name, globals()));
company
  .command('zone')
  .description("set the time zone the interviewers of a company (or one address) are in: emails show their time too")
  .argument('<company>', 'the company key, e.g. acme.com, or an address, e.g. dana@acme.com')
  .argument('<zone>', 'an IANA time zone, e.g. America/Los_Angeles; "none" removes it')
  .action(async (name: string, zone: string) => (await commands.manage()).companyZoneCommand(name, zone, globals()));

program
  .command('dashboard')
  .description('print the dashboard address of the running daemon')
  .action(async () => {
    const { dashboardCommand } = await import('./commands/dashboard.js');
    await dashboardCommand(globals());
  });

program
  .command('doctor')
  .description('check the config, Redis and every account, and say what to fix')
  .action(async () => (await commands.doctor()).doctorCommand(globals()));

program
  .command('demo')
  .description('run the whole engine on a sample calendar in a temporary folder')
  .option('--timeout <seconds>', 'give up after this long', '180')
  .option('--keep', 'keep running with the dashboard after the confirmation is sent (the default on a terminal)')
  .option('--no-keep', 'exit once the confirmation is sent')
  .action(async (o: { timeout: string; keep?: boolean }) =>
    (await import('./demo.js')).demoCommand({ timeoutSeconds: Number(o.timeout), ...(o.keep === undefined ? {} : { keep: o.keep }) }),
  );

program
  .command('export')
  .description('write everything ringback knows (no secrets) as JSON')
  .argument('[file]', 'default: stdout')
  .action(async (file: string | undefined) => (await commands.manage()).exportCommand(file, globals()));

program
  .command('import')
  .description('read an export back (existing interviews are kept)')
  .argument('<file>')
  .action(async (file: string) => (await commands.manage()).importCommand(file, globals()));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) process.exit(0);
    // Commander already printed its message; unknown commands and options are bad input.
    process.exit(2);
  }
  exitWithError(error);
}
