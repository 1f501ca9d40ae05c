import path from 'node:path';
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * `rette serve --open`: opens the browser-mode address (with its launch token) in the default
 * browser, the way the office expects from a desktop program.
 *
 * Safe spawn: the platform's own opener is started directly with the URL as one argument, never
 * through a shell (`cmd /c start` would parse `&`, `^` and `%` in it), and only a URL of the form
 * the host prints (loopback, a port, a base64url token) is accepted.
 */
export interface OpenerCommand {
  command: string;
  args: string[];
}

const HOST_URL = /^http:\/\/127\.0\.0\.1:\d{1,5}\/\?token=[A-Za-z0-9_-]+$/;

export function browserOpener(url: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): OpenerCommand {
  if (!HOST_URL.test(url)) throw new Error(`Indirizzo non apribile nel browser: ${url}`);
  // explorer.exe hands a URL to the default browser (full path: not whatever "explorer" is first on PATH)
  if (platform === 'win32') return { command: path.win32.join(env.SystemRoot ?? 'C:\\Windows', 'explorer.exe'), args: [url] };
  if (platform === 'darwin') return { command: '/usr/bin/open', args: [url] };
  return { command: 'xdg-open', args: [url] };
}

type Spawn = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

/** Starts the opener and does not wait for the browser; false when no opener could be started. */
export function openInBrowser(url: string, deps: { spawn?: Spawn; platform?: NodeJS.Platform } = {}): Promise<boolean> {
  const { command, args } = browserOpener(url, deps.platform);
  const spawn = deps.spawn ?? (nodeSpawn);
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(command, args, { detached: true, stdio: 'ignore', shell: false, windowsHide: true });
    } catch {
      resolve(false);
      return;
    }
    child.once('error', () => resolve(false)); // e.g. no xdg-open on a server without a desktop
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
