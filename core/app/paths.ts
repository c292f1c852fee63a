import path from 'node:path';
import { defaultJournalDir } from '../engine/journal';

/** The keychain service of every profile's token (the desktop app and web mode share it). */
export const APP_KEYCHAIN_SERVICE = 'sentry-harden';

/**
 * The desktop app's user-data folder for the name `sentry-harden` (where electron-store keeps
 * settings.json), so web mode sees the same profiles: `SENTRY_HARDEN_CONFIG_DIR`, else
 * $XDG_CONFIG_HOME or ~/.config on Linux, ~/Library/Application Support on macOS, %APPDATA% on
 * Windows. Null when no home folder is known.
 */
export function appConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | null {
  if (env.SENTRY_HARDEN_CONFIG_DIR) return env.SENTRY_HARDEN_CONFIG_DIR;
  const home = env.HOME ?? env.USERPROFILE;
  if (platform === 'win32') return env.APPDATA ? path.join(env.APPDATA, 'sentry-harden') : null;
  if (platform === 'darwin') return home ? path.join(home, 'Library', 'Application Support', 'sentry-harden') : null;
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : home ? path.join(home, '.config') : null;
  return config ? path.join(config, 'sentry-harden') : null;
}

/** Where journals (and, by default, saved reports) go: the CLI's data folder. */
export function appDataDir(env: NodeJS.ProcessEnv): string {
  return path.dirname(defaultJournalDir(env));
}
