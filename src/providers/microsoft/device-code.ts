/**
 * Device-code sign-in, the flow `ringback connect microsoft` runs: Microsoft shows a code, the
 * user enters it in a browser on any device (so it works on a machine without one), and msal
 * polls the token endpoint until the user has approved it. The tokens land in msal's cache
 * (auth.ts), which the caller keeps encrypted.
 */
import type { AccountInfo, DeviceCodeRequest, PublicClientApplication } from '@azure/msal-node';
import { AuthError } from '../errors.js';
import { toProviderError } from './errors.js';

/** What the user is asked to do to finish a device-code sign-in. */
export interface DeviceCodePrompt {
  /** Microsoft's own sentence: "To sign in, use a web browser to open the page … and enter the code …". */
  readonly message: string;
  readonly verificationUri: string;
  readonly userCode: string;
  readonly expiresInSeconds: number;
}

export interface SignedInAccount {
  /** The sign-in name (userPrincipalName or the Outlook.com address). */
  readonly username: string;
  readonly name: string;
}

export interface DeviceCodeOptions {
  readonly onPrompt: (prompt: DeviceCodePrompt) => void;
  readonly signal: AbortSignal;
  /** Give up after this long even if the code is still valid. @defaultValue the code's own lifetime */
  readonly timeoutSeconds?: number;
}

/** Shows the prompt, then waits (msal polls) until the user has approved the sign-in. */
export async function signInWithDeviceCode(
  app: PublicClientApplication,
  scopes: string[],
  now: () => number,
  { onPrompt, signal, timeoutSeconds }: DeviceCodeOptions,
): Promise<SignedInAccount> {
  signal.throwIfAborted();
  const request: DeviceCodeRequest = {
    scopes,
    deviceCodeCallback: (response) =>
      onPrompt({
        message: response.message,
        verificationUri: response.verificationUri,
        userCode: response.userCode,
        expiresInSeconds: response.expiresIn,
      }),
    ...(timeoutSeconds === undefined ? {} : { timeout: timeoutSeconds }),
  };
  // msal checks `cancel` between two polls of the token endpoint.
  const onAbort = (): void => {
    request.cancel = true;
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await app.acquireTokenByDeviceCode(request);
    if (!result?.account) throw new AuthError('Microsoft sign-in returned no account: run ringback connect microsoft again');
    return accountOf(result.account);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw toProviderError(error, 'signing in with a device code', now());
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

export function accountOf(account: AccountInfo): SignedInAccount {
  return { username: account.username, name: account.name ?? '' };
}
