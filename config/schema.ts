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
import { DEFAULTS, docText, FIELD_DOCS, NUMBER_FIELDS } from './fields.js';
import { got, oneOf, strict, text, type SchemaContext } from './schema-fields.js';
import {
  candidateFields,
  CONFIRMATION_MODES,
  dashboardSchema,
  detectionSchema,
  LOG_LEVELS,
  numberField,
  redisSchema,
  timingSchema,
  workingHoursSchema,
} from './schema-settings.js';
import type { ResolvedConfig } from './types.js';
import { workingDaysOf } from '../src/domain/working-week.js';

export { shown, type SchemaContext } from './schema-fields.js';
export { defaultAccountId, type AccountKey } from './schema-accounts.js';
export {
  candidateFields,
  CONFIRMATION_MODES,
  DEFAULT_WORKING_HOURS,
  DIRECTIONS,
  listensOnThisMachineOnly,
  LOG_LEVELS,
  NUMBER_BOUNDS,
  parseRedisSetting,
} from './schema-settings.js';

/** Defaults of `detection`; the file may replace them. */
export { DEFAULT_FREE_MAIL_DOMAINS, DEFAULT_INTERVIEW_KEYWORDS as DEFAULT_KEYWORDS } from './fields.js';

/** The whole file. Build one per load: defaults for paths depend on where the file is. */
export function configSchema(context: SchemaContext): z.ZodType<ResolvedConfig, unknown> {
  return strict({
    candidate: strict({ ...candidateFields }, 'your name, email, phone and timezone'),
    redis: redisSchema.default({ mode: DEFAULTS.redis }).describe(docText(FIELD_DOCS.redis)),
    dataDir: text('a folder')
      .transform((p) => resolveConfigPath(p, context.baseDir, context.homedir, context.platform))
      .default(defaultDataDir(context))
      .describe(docText(FIELD_DOCS.dataDir)),
    prefix: text('a Redis key prefix')
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: (iss) => `must be letters, digits, '_' or '-'${got(iss.input)}` })
      .default(DEFAULTS.prefix)
      .describe(docText(FIELD_DOCS.prefix)),
    calendars: calendarSchemas(context).describe(docText(FIELD_DOCS.calendars)),
    mailbox: mailboxSchema(context).optional().describe(docText(FIELD_DOCS.mailbox)),
    timing: timingSchema(),
    policy: strict({ askToCallAfter: numberField(NUMBER_FIELDS.policy.askToCallAfter), moveOnAfter: numberField(NUMBER_FIELDS.policy.moveOnAfter) }).prefault({}),
    confirmations: oneOf(CONFIRMATION_MODES).default(DEFAULTS.confirmations).describe(docText(FIELD_DOCS.confirmations)),
    limits: strict({ emailsPerRecipientPerDay: numberField(NUMBER_FIELDS.limits.emailsPerRecipientPerDay) }).prefault({}),
    detection: detectionSchema(),
    workingHours: workingHoursSchema(),
    sync: strict({ pollSeconds: numberField(NUMBER_FIELDS.sync.pollSeconds), horizonDays: numberField(NUMBER_FIELDS.sync.horizonDays) }).prefault({}),
    dashboard: dashboardSchema(),
    log: strict({ level: oneOf(LOG_LEVELS).default(DEFAULTS['log.level']).describe(docText(FIELD_DOCS.log.level)) }).prefault({}),
  }).transform((c): ResolvedConfig => ({
    file: context.file,
    ...c,
    mailbox: c.mailbox ?? null,
    // Days the file names win; else the week where the candidate is (Sunday to Thursday in Tel Aviv).
    workingHours: { ...c.workingHours, days: c.workingHours.days ?? workingDaysOf(c.candidate.timezone) },
  }));
}
