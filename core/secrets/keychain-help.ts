/**
 * What a person reads when no OS keychain answers: the cause in plain words and what to install
 * or run, per platform. The keychain library's own text (a D-Bus error, a platform code) is only
 * used to tell the causes apart; it is never shown, so nobody has to decode "DBus error: Using
 * X11 for dbus-daemon autolaunch was disabled at compile time".
 */

export interface KeychainHelp {
  /** One sentence: what is missing ("There is no D-Bus session on this computer, ..."). */
  readonly cause: string;
  /** The cause and that a token is not kept anywhere else. */
  readonly reason: string;
  /** What to install, run or unlock, in order; the last one is the way without a keychain. */
  readonly steps: readonly string[];
}

const WITHOUT_KEYCHAIN =
  'For CI or a server without a keychain, run the sentry-harden command line with the token in the SENTRY_AUTH_TOKEN environment variable: it keeps nothing.';

type LinuxCause = 'no-bus' | 'no-service' | 'locked' | 'no-module' | 'other';

function linuxCause(raw: string): LinuxCause {
  if (/module failed to load|cannot find module|\.node\b/i.test(raw)) return 'no-module';
  if (/locked|dismiss|prompt|cancel/i.test(raw)) return 'locked';
  if (/org\.freedesktop\.secrets|ServiceUnknown|not provided by any|secret ?service|no such (?:name|object|interface)/i.test(raw)) return 'no-service';
  if (/dbus|d-bus|bus address|autolaunch|connect to socket/i.test(raw)) return 'no-bus';
  return 'other';
}

const LINUX_REASON: Record<LinuxCause, string> = {
  'no-bus': 'There is no D-Bus session on this computer, so no keychain can be reached.',
  'no-service': 'No keychain service (Secret Service) is running in this session.',
  locked: 'The keychain is locked, or the request to unlock it was dismissed.',
  'no-module': 'The keychain component of sentry-harden could not be loaded on this computer.',
  other: 'The keychain (Secret Service) did not answer.',
};

const LINUX_STEPS = [
  'Install a Secret Service keychain: gnome-keyring (Debian or Ubuntu: sudo apt install gnome-keyring), or KeePassXC or KWallet with their Secret Service option turned on.',
  'Start sentry-harden from your desktop session, which provides D-Bus. On a server without a desktop, start it inside dbus-run-session with gnome-keyring-daemon started and unlocked.',
  'Then start sentry-harden again.',
];

/** The help for a keychain that did not answer on `platform`; `raw` is the library's message. */
export function keychainHelp(platform: NodeJS.Platform, raw: string): KeychainHelp {
  const keep = 'Tokens are kept only in the OS keychain, never in a file, so none can be saved until it answers.';
  switch (platform) {
    case 'linux': {
      const cause = linuxCause(raw);
      const steps = cause === 'locked' ? ['Unlock the keychain (your login keyring) and allow sentry-harden when asked, then try again.', ...LINUX_STEPS.slice(2)] : LINUX_STEPS;
      return { cause: LINUX_REASON[cause], reason: `${LINUX_REASON[cause]} ${keep}`, steps: [...steps, WITHOUT_KEYCHAIN] };
    }
    case 'darwin':
      return {
        cause: 'The macOS login keychain did not answer.',
        reason: `The macOS login keychain did not answer. ${keep}`,
        steps: ['Unlock your login keychain in Keychain Access, allow sentry-harden when macOS asks, then try again.', WITHOUT_KEYCHAIN],
      };
    case 'win32':
      return {
        cause: 'The Windows Credential Manager did not answer.',
        reason: `The Windows Credential Manager did not answer. ${keep}`,
        steps: ['Sign in to Windows with your own account (a service account may have no Credential Manager), then try again.', WITHOUT_KEYCHAIN],
      };
    default:
      return {
        cause: 'This operating system has no keychain sentry-harden can use.',
        reason: `This operating system has no keychain sentry-harden can use. ${keep}`,
        steps: [WITHOUT_KEYCHAIN],
      };
  }
}
