/**
 * The emails ringback writes in the candidate's name, one pure function per kind. Each takes the
 * interview as it stands when the job runs, the candidate, a Message-ID made by the caller and
 * `now`; none reads a clock or throws on odd calendar data.
 *
 * The wording follows the usual advice for phone interviews that do not go as planned: confirm
 * shortly before, follow up calmly when nobody picks up, apologise once and move on when the
 * candidate missed it, and thank them afterwards.
 */
export type { ComposeBase, ReplyTo } from './templates/email.js';
export { composeConfirmation, confirmationSays, saysTheSame, type ConfirmationInput } from './templates/confirmation.js';
export { availableUntilFor, composeNoShow, type NoShowInput } from './templates/noshow.js';
export { composeThankYou, type ThankYouInput } from './templates/thankyou.js';
export { composeApology, type ApologyInput } from './templates/apology.js';
export { composeMissedNotice, type MissedNoticeInput } from './templates/missed-notice.js';
