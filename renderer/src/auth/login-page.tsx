import { useState } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconInfoCircle } from '@tabler/icons-react';
import { call, errorMessage } from '../api/client';
import { useSession } from './session';

export function LoginPage() {
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function login() {
    setBusy(true);
    setError(null);
    try {
      const out = await call('auth.login', { username, password });
      session.signedIn(out.session, out.user);
    } catch (err) {
      setError(errorMessage(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100dvh" p="md">
      <Paper
        withBorder
        shadow="sm"
        p="xl"
        w={400}
        radius="md"
        component="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void login();
        }}
      >
        <Stack>
          <div>
            <Title order={3}>Rette Mensa</Title>
            <Text size="sm" c="dimmed">
              Ufficio rette della refezione scolastica
            </Text>
          </div>
          {session.notice && !error && (
            <Alert color="blue" icon={<IconInfoCircle />}>
              {session.notice}
            </Alert>
          )}
          {error && (
            <Alert color="red" icon={<IconAlertCircle />} data-testid="login-error">
              {error}
            </Alert>
          )}
          <TextInput label="Nome utente" autoFocus autoComplete="username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
          <PasswordInput label="Password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Button type="submit" loading={busy} fullWidth>
            Accedi
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
