import type { Backend } from '../contract/backend';
import type { ChangeNotice } from '../contract/notices';
import { RETTE_NOTICE_CHANNEL } from '../preload/bridge';
import type { ElectronApi } from './electron-api';
import { isAppUrl } from './protocol';

export interface NoticeBroadcast {
  /** the windows the last notice was sent to (tests) */
  readonly lastSentTo: number;
  dispose(): void;
}

/**
 * The desktop side of the change notices (contract/notices.ts): every notice the backend emits is
 * pushed on `rette:notice` to every open window showing the app (a window that navigated elsewhere,
 * or is being destroyed, gets nothing). The preload hands it to the page (`window.rette.onNotice`).
 */
export function broadcastNotices(
  BrowserWindow: Pick<ElectronApi['BrowserWindow'], 'getAllWindows'>,
  backend: Pick<Backend, 'notices' | 'logger'>,
  options: { isTrustedUrl?: (url: string | null) => boolean } = {},
): NoticeBroadcast {
  const isTrusted = options.isTrustedUrl ?? ((url: string | null) => isAppUrl(url));
  let lastSentTo = 0;
  const unsubscribe = backend.notices.subscribe((notice: ChangeNotice) => {
    let sent = 0;
    for (const win of BrowserWindow.getAllWindows()) {
      try {
        if (win.isDestroyed() || win.webContents.isDestroyed()) continue;
        if (!isTrusted(win.webContents.getURL())) continue;
        win.webContents.send(RETTE_NOTICE_CHANNEL, notice);
        sent++;
      } catch (err) {
        backend.logger.warn('Avviso di modifica non inviato a una finestra', err);
      }
    }
    lastSentTo = sent;
  });
  return {
    get lastSentTo() {
      return lastSentTo;
    },
    dispose: unsubscribe,
  };
}
