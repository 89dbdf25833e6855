/**
 * Mail providers whose IMAP and SMTP take an app password, never the account's own password: a
 * refused login there is most often the account's password typed where an app password belongs,
 * and "sign in again" with the same password fails the same way. Each with where the user makes
 * one (the `connect imap` presets show the same places).
 *
 * - iCloud Mail: "iCloud Mail rejects the normal Apple ID password over IMAP/SMTP. The user must
 *   generate an app-specific password" (kellylford/QuickMail#32; nylas/nylas-mail#1911, an Apple ID
 *   with two-factor authentication refused until an app-specific password was used). Its IMAP
 *   answers only "NO [AUTHENTICATIONFAILED] Authentication failed" (lefcha/imapfilter#125).
 * - Fastmail: "IMAP access to FastMail now requires an app password"
 *   (elementary/settings-onlineaccounts#40, citing fastmail.com/help/clients/apppassword.html);
 *   its IMAP answers "NO Incorrect username or password." (Foundry376/Mailspring#2217); its older
 *   host name is mail.messagingengine.com (jberkel/sms-backup-plus#688).
 * - Gmail: says so itself (see {@link APP_PASSWORD_REQUIRED}); an app password needs 2-Step
 *   Verification (home-assistant/home-assistant.io#26690).
 */

export interface AppPasswordProvider {
  readonly label: string;
  /** Where the user makes an app password. */
  readonly where: string;
}

export const APP_PASSWORD_PROVIDERS = {
  icloud: { label: 'iCloud', where: 'account.apple.com → Sign-In and Security → App-Specific Passwords' },
  fastmail: { label: 'Fastmail', where: 'Settings → Privacy & Security → App passwords (access: IMAP, SMTP, CalDAV)' },
  gmail: { label: 'Gmail', where: 'myaccount.google.com/apppasswords (needs 2-Step Verification)' },
} as const satisfies Record<string, AppPasswordProvider>;

const BY_HOST: ReadonlyArray<readonly [RegExp, AppPasswordProvider]> = [
  [/(^|\.)(mail\.me\.com|icloud\.com)$/i, APP_PASSWORD_PROVIDERS.icloud],
  [/(^|\.)(fastmail\.com|messagingengine\.com)$/i, APP_PASSWORD_PROVIDERS.fastmail],
  [/^(imap|smtp)\.(gmail|googlemail)\.com$/i, APP_PASSWORD_PROVIDERS.gmail],
];

/** The provider of a mail or CalDAV server host (caldav.icloud.com, caldav.fastmail.com) that takes only app passwords, or null. */
export function appPasswordProvider(host: string): AppPasswordProvider | null {
  return BY_HOST.find(([pattern]) => pattern.test(host))?.[1] ?? null;
}

/** What to do first when `provider` refused a login: make an app password there. */
export function appPasswordFix(provider: AppPasswordProvider): string {
  return `${provider.label} takes only an app password here, not the account's own password: make one at ${provider.where}`;
}

/**
 * Gmail's own words for a login with the account's password: SMTP "534-5.7.9
 * Application-specific password required. Learn more at … InvalidSecondFactor" and IMAP "NO
 * [ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833
 * (Failure)" (LukeSmithxyz/mutt-wizard#831).
 */
const APP_PASSWORD_REQUIRED = /application-specific password required/i;

/** The fix a refused login's own words name (an app password required), or undefined. */
export function appPasswordFixFromReply(reply: string): string | undefined {
  return APP_PASSWORD_REQUIRED.test(reply) ? appPasswordFix(APP_PASSWORD_PROVIDERS.gmail) : undefined;
}
