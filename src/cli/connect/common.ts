/** What the OAuth connectors (Google, Microsoft) check and report the same way. */
import { BadInputError, RunTimeError } from '../../errors.js';
import { ProviderError } from '../../providers/errors.js';

/**
 * A URL given by a flag (an API root, a sign-in authority): a bad one is bad input naming the
 * flag and an example of what it takes.
 */
export function urlFlag(value: string, flag: string, rule: { readonly example: string; readonly httpsOnly: boolean }): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    if (error instanceof TypeError) throw new BadInputError(`${flag}: "${value}" is not a URL (like ${rule.example})`);
    throw error;
  }
  if (rule.httpsOnly ? url.protocol !== 'https:' : url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BadInputError(`${flag}: must be ${rule.httpsOnly ? 'an https' : 'an http or https'} URL`);
  }
  return url;
}

/** A provider's refusal during sign-in is a run-time failure naming the connector; any other error stays as it is. */
export function connectFailure(type: 'google' | 'microsoft', error: unknown): unknown {
  return error instanceof ProviderError ? new RunTimeError(`connect ${type}: ${error.message}`, { cause: error }) : error;
}
