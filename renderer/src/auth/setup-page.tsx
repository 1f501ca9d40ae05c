import { useState } from 'react';
import { Alert, Button, Center, Group, List, NumberInput, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconDatabaseImport, IconShieldCheck } from '@tabler/icons-react';
import { call, errorMessage, setSession } from '../api/client';
import { useForm } from '../components/form';
import { useSession, type CurrentUser } from './session';
import { countFormat } from '../format/words';

const COUNT_LABELS: Record<string, string> = {
  municipalities: 'comuni',
  schoolYears: 'anni scolastici',
  schools: 'scuole',
  classes: 'classi',
  tariffs: 'tariffe',
  pupils: 'alunni',
  payers: 'paganti',
  delegates: 'delegati',
  enrollments: 'iscrizioni',
  users: 'utenti',
};

/** Numbers in a result, as "12 scuole, 2.000 alunni, …" lines. */
export function countLines(result: unknown): string[] {
  if (!result || typeof result !== 'object') return [];
  const fmt = countFormat;
  const source = 'counts' in result && result.counts && typeof result.counts === 'object' ? result.counts : result;
  const counts = source as Record<string, unknown>;
  return Object.keys(COUNT_LABELS)
    .filter((k) => typeof counts[k] === 'number')
    .map((k) => `${fmt.format(counts[k] as number)} ${COUNT_LABELS[k]}`);
}

/** First start: the administrator is created here, then demo data is offered. */
export function SetupPage() {
  const session = useSession();
  const form = useForm({ username: '', displayName: '', password: '', confirm: '' });
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ session: string; user: CurrentUser } | null>(null);
  const [pupils, setPupils] = useState<number | string>(2000);
  const [seeding, setSeeding] = useState(false);
  const [seedError, setSeedError] = useState<string | null>(null);
  const [seeded, setSeeded] = useState<string[] | null>(null);

  async function createAdmin() {
    const v = form.values;
    if (v.password !== v.confirm) {
      form.setErrors({ confirm: 'Le due password non coincidono' });
      return;
    }
    setBusy(true);
    try {
      const out = await call('auth.setup', { username: v.username, displayName: v.displayName, password: v.password });
      setSession(out.session);
      setCreated(out);
    } catch (err) {
      form.showError(err);
    } finally {
      setBusy(false);
    }
  }

  async function seedDemo() {
    setSeeding(true);
    setSeedError(null);
    try {
      const out = await call('demo.seed', { pupils: Number(pupils) || undefined });
      setSeeded(countLines(out));
    } catch (err) {
      setSeedError(errorMessage(err));
    } finally {
      setSeeding(false);
    }
  }

  if (created) {
    return (
      <Center mih="100dvh" p="md">
        <Paper withBorder shadow="sm" p="xl" w={520} radius="md">
          <Stack>
            <Group gap="xs">
              <IconShieldCheck color="var(--mantine-color-green-7)" />
              <Title order={3}>Amministratore creato</Title>
            </Group>
            <Text size="sm">
              L'utente <b>{created.user.username}</b> è pronto. Per provare il programma si possono caricare dati dimostrativi: i comuni di Clusone e
              Cassino, una decina di scuole, alunni e paganti inventati con codici fiscali e IBAN validi.
            </Text>
            {seeded ? (
              <Alert color="green" title="Dati dimostrativi caricati" data-testid="demo-result">
                <List size="sm">
                  {seeded.map((l) => (
                    <List.Item key={l}>{l}</List.Item>
                  ))}
                </List>
              </Alert>
            ) : (
              <>
                <NumberInput label="Numero di alunni dimostrativi" min={10} max={50000} step={500} thousandSeparator="." decimalSeparator="," value={pupils} onChange={setPupils} disabled={seeding} />
                {seedError && (
                  <Alert color="red" title="Dati dimostrativi non caricati">
                    {seedError}
                  </Alert>
                )}
              </>
            )}
            <Group justify="flex-end">
              {!seeded && (
                <Button variant="default" onClick={() => session.signedIn(created.session, created.user)} disabled={seeding}>
                  Inizia con un archivio vuoto
                </Button>
              )}
              {seeded ? (
                <Button onClick={() => session.signedIn(created.session, created.user)}>Entra nel programma</Button>
              ) : (
                <Button leftSection={<IconDatabaseImport size={16} />} loading={seeding} onClick={() => void seedDemo()}>
                  Carica dati dimostrativi
                </Button>
              )}
            </Group>
          </Stack>
        </Paper>
      </Center>
    );
  }

  return (
    <Center mih="100dvh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={460} radius="md" component="form" noValidate onSubmit={(e) => { e.preventDefault(); void createAdmin(); }}>
        <Stack>
          <div>
            <Title order={3}>Primo avvio di Rette Mensa</Title>
            <Text size="sm" c="dimmed">
              Creare l'utente amministratore: potrà poi aggiungere gli altri utenti e i loro ruoli.
            </Text>
          </div>
          <TextInput label="Nome utente" withAsterisk autoFocus autoComplete="username" value={form.values.username} onChange={(e) => form.set('username', e.currentTarget.value)} error={form.errors.username} />
          <TextInput label="Nome visualizzato" withAsterisk placeholder="es. Maria Rossi" value={form.values.displayName} onChange={(e) => form.set('displayName', e.currentTarget.value)} error={form.errors.displayName} />
          <PasswordInput label="Password" withAsterisk autoComplete="new-password" description="Almeno 8 caratteri" value={form.values.password} onChange={(e) => form.set('password', e.currentTarget.value)} error={form.errors.password} />
          <PasswordInput label="Conferma password" withAsterisk autoComplete="new-password" value={form.values.confirm} onChange={(e) => form.set('confirm', e.currentTarget.value)} error={form.errors.confirm} />
          <Button type="submit" loading={busy} fullWidth>
            Crea amministratore
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
