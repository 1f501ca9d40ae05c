import { MantineProvider } from '@mantine/core';
import { App, theme } from '../app/app';
import { ConnectionSetupScreen } from './connection-setup';

/**
 * The window's root: the desktop's setup window (`#/connessione`, with the preload's connection
 * bridge) shows the choice of connection; every other window, the app.
 */
export function Root() {
  const ask = window.rette?.connection;
  if (ask && window.location.hash.startsWith('#/connessione')) {
    return (
      <MantineProvider theme={theme} defaultColorScheme="light">
        <ConnectionSetupScreen ask={ask} />
      </MantineProvider>
    );
  }
  return <App />;
}
