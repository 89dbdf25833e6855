/** The configured accounts and their last recorded state, as `ringback accounts`, `doctor` and the accounts page list them. */
import type { ResolvedConfig } from '../../config/types.js';
import { getAccountStatus, type AccountStatus } from '../store/accounts.js';
import type { Store } from '../store/store.js';

export interface AccountRef {
  readonly id: string;
  readonly type: string;
  readonly role: 'calendar' | 'mailbox';
}

/** Calendars first, then the mailbox, in the order of the config file. */
export function accountIds(config: Pick<ResolvedConfig, 'calendars' | 'mailbox'>): AccountRef[] {
  return [
    ...config.calendars.map((c) => ({ id: c.id, type: c.type, role: 'calendar' as const })),
    ...(config.mailbox ? [{ id: config.mailbox.id, type: config.mailbox.type, role: 'mailbox' as const }] : []),
  ];
}

/** Each account with what the store last recorded of it (sync, attention, fix). */
export async function accountRows(store: Store, config: Pick<ResolvedConfig, 'calendars' | 'mailbox'>): Promise<(AccountRef & AccountStatus)[]> {
  const rows = [];
  for (const a of accountIds(config)) rows.push({ ...a, ...(await getAccountStatus(store, a.id)) });
  return rows;
}
