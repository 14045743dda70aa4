// Oracle tools the live tests drive (conntrack, nft …): why a test skips when one is missing, or a failure under
// CI=true, where test/system-deps.sh must have installed it.
import { execFileSync } from 'node:child_process';

/**
 * Undefined when `command --version` (or `versionFlag`: tc answers only -V) runs; else the reason to skip (under
 * CI=true: throws, so the file fails).
 */
export function toolSkipReason(command: string, debianPackage: string, versionFlag = '--version'): string | undefined {
  try {
    execFileSync(command, [versionFlag], { stdio: 'ignore' });
    return undefined;
  } catch {
    const why = `${command} is not installed (Debian package ${debianPackage}; test/system-deps.sh installs it as root)`;
    if (process.env.CI === 'true') throw new Error(why);
    return why;
  }
}
