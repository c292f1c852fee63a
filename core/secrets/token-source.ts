import type { Keychain } from './keychain';
import { SecretsError } from './errors';

/**
 * Where the CLI gets its token, in this order:
 *   1. stdin, when `--token-stdin` is given (explicit beats ambient);
 *   2. the SENTRY_AUTH_TOKEN environment variable (sentry-cli's convention, for CI);
 *   3. the OS keychain entry of the chosen profile.
 * The token stays inside the `getToken` closure: the returned object has no property that holds
 * it, so logging or serializing the source cannot reveal it. Nothing here prints anything.
 */

export const TOKEN_ENV_VAR = 'SENTRY_AUTH_TOKEN';

export type TokenOrigin = 'stdin' | 'env' | 'keychain';

export interface TokenSource {
  readonly origin: TokenOrigin;
  /** The profile whose keychain entry was read; null for stdin and env. */
  readonly profileId: string | null;
  getToken(): string;
}

/** The slice of a readable stream we need; `isTTY` is set on process.stdin when it is a terminal. */
export interface TokenInput extends AsyncIterable<string | Uint8Array> {
  readonly isTTY?: boolean;
}

export interface ResolveTokenOptions {
  /** `--token-stdin` was given. */
  readonly tokenStdin?: boolean;
  /** Defaults to process.stdin. */
  readonly stdin?: TokenInput;
  /** Defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The profile to read from the keychain when neither stdin nor env gives a token. */
  readonly profileId?: string;
  readonly keychain?: Pick<Keychain, 'getSecret'>;
}

const MAX_TOKEN_LENGTH = 8192;

/** Trims surrounding whitespace (a trailing newline from `echo` or a file) and checks the rest. */
export function normalizeToken(raw: string, where: string): string {
  const token = raw.trim();
  if (token.length === 0) throw new SecretsError('invalid_input', `The token from ${where} is empty`);
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new SecretsError('invalid_input', `The token from ${where} is longer than ${MAX_TOKEN_LENGTH} characters`);
  }
  // Printable ASCII only: a token with spaces or control characters is a paste error.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new SecretsError('invalid_input', `The token from ${where} contains spaces or non-printable characters`);
  }
  return token;
}

async function readAll(input: TokenInput): Promise<string> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    // More than a token could ever be: stop reading rather than buffer whatever is piped in.
    if (text.length > MAX_TOKEN_LENGTH + 2) {
      throw new SecretsError('invalid_input', `stdin holds more than ${MAX_TOKEN_LENGTH} characters; expected one token`);
    }
  }
  return text + decoder.decode();
}

function sourceOf(origin: TokenOrigin, profileId: string | null, token: string): TokenSource {
  return Object.freeze({ origin, profileId, getToken: () => token });
}

export async function resolveTokenSource(options: ResolveTokenOptions = {}): Promise<TokenSource> {
  if (options.tokenStdin) {
    const stdin = options.stdin ?? (process.stdin as TokenInput);
    // A terminal would echo the token as it is typed; --token-stdin is for pipes.
    if (stdin.isTTY) {
      throw new SecretsError(
        'invalid_input',
        '--token-stdin reads a pipe, not a terminal: pipe the token in (e.g. from a secret manager)',
      );
    }
    return sourceOf('stdin', null, normalizeToken(await readAll(stdin), 'stdin'));
  }

  const env = options.env ?? process.env;
  const fromEnv = env[TOKEN_ENV_VAR];
  if (fromEnv !== undefined && fromEnv !== '') {
    return sourceOf('env', null, normalizeToken(fromEnv, TOKEN_ENV_VAR));
  }

  if (options.profileId !== undefined) {
    if (!options.keychain) {
      throw new SecretsError('internal', 'No keychain was given to read the profile token from');
    }
    const stored = await options.keychain.getSecret(options.profileId);
    if (stored === null) {
      throw new SecretsError(
        'invalid_input',
        `No token is saved in the OS keychain for profile "${options.profileId}"; ` +
          `save one in the app, set ${TOKEN_ENV_VAR}, or pass --token-stdin`,
      );
    }
    return sourceOf('keychain', options.profileId, normalizeToken(stored, 'the OS keychain'));
  }

  throw new SecretsError(
    'invalid_input',
    `No token given: set ${TOKEN_ENV_VAR}, pass --token-stdin, or choose a profile with a saved token`,
  );
}
