/**
 * Electron's entry (out/main/index.cjs). Everything it does is in desktop.ts, which takes the
 * `electron` module as a parameter so it can be tested against a stand-in. Electron fuses (RunAsNode
 * off, ASAR integrity on…) are set when packaging: see electron-builder.yml.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, shell } from 'electron';
import { startDesktop } from './desktop';

startDesktop({ app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, shell });
