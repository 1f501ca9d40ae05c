/**
 * The part of the `electron` module main uses. Main's modules receive it as a parameter instead of
 * importing it, so unit tests can hand them a stand-in (the Electron runtime cannot be launched on
 * the CI machines); only index.ts imports the real module.
 */
export type ElectronApi = Pick<
  typeof import('electron'),
  'app' | 'BrowserWindow' | 'dialog' | 'ipcMain' | 'Menu' | 'protocol' | 'safeStorage' | 'session' | 'shell'
>;

export type BrowserWindowInstance = InstanceType<ElectronApi['BrowserWindow']>;
