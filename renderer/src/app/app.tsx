import 'dayjs/locale/it';
import { Alert, Center, Loader, MantineProvider, createTheme } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { SessionProvider, useSession } from '../auth/session';
import { LoginPage } from '../auth/login-page';
import { SetupPage } from '../auth/setup-page';
import { LookupsProvider } from '../master-data/lookups';
import { AppLayout } from './app-layout';
import { ClockBanner, ProgramClockProvider } from './program-clock';
import { selectTextOnFocus } from '../components/pick-text';
import { OfflineBanner } from '../connection/offline-banner';

export const theme = createTheme({
  primaryColor: 'blue',
  // no sliding modals and drawers for those who asked the system for less motion
  respectReducedMotion: true,
  defaultRadius: 'sm',
  fontSizes: { md: '15px' },
  components: {
    Button: { defaultProps: { size: 'sm' } },
    TextInput: { defaultProps: { size: 'sm' } },
    // clicking the chosen option again must not empty the box (clearable selects have their ×)
    // entering a filled picker selects its text: typing replaces the old name (components/pick-text)
    Select: { defaultProps: { size: 'sm', allowDeselect: false, ...selectTextOnFocus } },
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Chiudi' } }, styles: { title: { fontWeight: 600 } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Chiudi' } }, styles: { title: { fontWeight: 600 } } },
  },
});

function Gate() {
  const session = useSession();
  switch (session.phase) {
    case 'loading':
      return (
        <Center h="100dvh">
          <Loader />
        </Center>
      );
    case 'offline':
      return (
        <Center h="100dvh" p="xl">
          <Alert color="red" title="Impossibile contattare il programma" icon={<IconPlugConnectedX />} maw={560}>
            {session.offlineMessage}
          </Alert>
        </Center>
      );
    case 'setup':
      return (
        <>
          <ClockBanner />
          <SetupPage />
        </>
      );
    case 'login':
      return (
        <>
          <ClockBanner />
          <LoginPage />
        </>
      );
    case 'ready':
      return (
        <LookupsProvider>
          <AppLayout />
        </LookupsProvider>
      );
  }
}

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <DatesProvider settings={{ locale: 'it', firstDayOfWeek: 1 }}>
        <Notifications position="bottom-right" zIndex={1000} limit={3} />
        <ProgramClockProvider>
          <SessionProvider>
            <OfflineBanner />
            <Gate />
          </SessionProvider>
        </ProgramClockProvider>
      </DatesProvider>
    </MantineProvider>
  );
}
