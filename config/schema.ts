/**
 * The schema of `ringback.yaml`: it validates the whole file and produces a {@link ResolvedConfig}
 * with every default filled in, ids derived, phone numbers in E.164 and paths made absolute.
 *
 * Every message is written for the person editing the file: it says what would be valid and,
 * for numbers and short plain values, what it got. Values that could be secrets are never echoed.
 * Unknown keys are errors everywhere; secret-looking keys point to `ringback connect`.
 *
 * This file puts the sections together; they live in schema-settings.ts (candidate, redis, timing,
 * detection, working hours), schema-accounts.ts (calendars, mailbox, account ids) and
 * schema-fields.ts (the validators they share).
 */
import { z } from 'zod';
import { defaultDataDir, resolveConfigPath } from './paths.js';
import { calendarSchemas, mailboxSchema } from './schema-accounts.js';
import { bounded, got, oneOf, strict, text, type SchemaContext } from './schema-fields.js';
import {
  candidateFields,
  CONFIRMATION_MODES,
  dashboardSchema,
  detectionSchema,
  LOG_LEVELS,
  NUMBER_BOUNDS,
  redisSchema,
  timingSchema,
  workingHoursSchema,
} from './schema-settings.js';
import type { ResolvedConfig } from './types.js';

export { shown, type SchemaContext } from './schema-fields.js';
export { defaultAccountId, type AccountKey } from './schema-accounts.js';
export {
  candidateFields,
  CONFIRMATION_MODES,
  DEFAULT_WORKING_HOURS,
  DIRECTIONS,
  isLoopbackHost,
  LOG_LEVELS,
  NUMBER_BOUNDS,
  parseRedisSetting,
} from './schema-settings.js';

/** Defaults of `detection`: the domain owns them (detect.ts, company.ts); the file may replace them. */
export { DEFAULT_FREE_MAIL_DOMAINS, DEFAULT_INTERVIEW_KEYWORDS as DEFAULT_KEYWORDS } from '../src/domain/detect.js';

/** The whole file. Build one per load: defaults for paths depend on where the file is. */
export function configSchema(context: SchemaContext): z.ZodType<ResolvedConfig, unknown> {
  const b = NUMBER_BOUNDS;
  return strict({
    candidate: strict({ ...candidateFields }, 'your name, email, phone and timezone'),
    redis: redisSchema.default({ mode: 'managed' }),
    dataDir: text('a folder')
      .transform((p) => resolveConfigPath(p, context.baseDir, context.homedir, context.platform))
      .default(defaultDataDir(context)),
    prefix: text('a Redis key prefix')
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: (iss) => `must be letters, digits, '_' or '-'${got(iss.input)}` })
      .default('ringback'),
    calendars: calendarSchemas(context),
    mailbox: mailboxSchema(context).optional(),
    timing: timingSchema(),
    policy: strict({ askToCallAfter: bounded(b.policy.askToCallAfter), moveOnAfter: bounded(b.policy.moveOnAfter) }).prefault({}),
    confirmations: oneOf(CONFIRMATION_MODES).default('send'),
    limits: strict({ emailsPerRecipientPerDay: bounded(b.limits.emailsPerRecipientPerDay) }).prefault({}),
    detection: detectionSchema(),
    workingHours: workingHoursSchema(),
    sync: strict({ pollSeconds: bounded(b.sync.pollSeconds), horizonDays: bounded(b.sync.horizonDays) }).prefault({}),
    dashboard: dashboardSchema(),
    log: strict({ level: oneOf(LOG_LEVELS).default('info') }).prefault({}),
  }).transform((c): ResolvedConfig => ({ file: context.file, ...c, mailbox: c.mailbox ?? null }));
}
