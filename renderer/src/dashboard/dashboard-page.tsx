import { Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Anchor, Skeleton } from '@mantine/core';
import { IconBuildingCommunity, IconClipboardList, IconSchool, IconUsers, IconUsersGroup } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useQuery } from '../api/hooks';
import { PageHeader } from '../components/page';
import { formatDate } from '../format/dates';
import { navigate } from '../app/router';
import { useSession } from '../auth/session';
import { KitchenTodayCard } from '../kitchen/kitchen-page';

const fmt = new Intl.NumberFormat('it-IT');

function Stat({ label, value, icon, color, to }: { label: string; value: number | undefined; icon: ReactNode; color: string; to: string }) {
  return (
    <Card withBorder padding="md" radius="md" style={{ cursor: 'pointer' }} onClick={() => navigate(to)} data-testid={`stat-${to.replace(/\W/g, '')}`}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {label}
          </Text>
          {value === undefined ? <Skeleton h={30} w={80} mt={6} /> : (
            <Text fz={28} fw={700} lh={1.3}>
              {fmt.format(value)}
            </Text>
          )}
        </div>
        <ThemeIcon color={color} variant="light" size={40} radius="md">
          {icon}
        </ThemeIcon>
      </Group>
    </Card>
  );
}

export function DashboardPage() {
  const { data } = useQuery('system.info', {});
  const session = useSession();
  const c = data?.counts;
  return (
    <Stack>
      <PageHeader title="Cruscotto" description={data ? `Oggi è ${formatDate(data.today)}. Buon lavoro, ${session.user?.displayName}.` : ' '} />
      <SimpleGrid cols={{ base: 2, md: 3, lg: 5 }}>
        <Stat label="Alunni" value={c?.pupils} icon={<IconUsers />} color="blue" to="/alunni" />
        <Stat label="Paganti" value={c?.payers} icon={<IconUsersGroup />} color="teal" to="/paganti" />
        <Stat label="Iscrizioni" value={c?.enrollments} icon={<IconClipboardList />} color="violet" to="/iscrizioni" />
        <Stat label="Scuole" value={c?.schools} icon={<IconSchool />} color="orange" to="/anagrafiche/scuole" />
        <Stat label="Comuni" value={c?.municipalities} icon={<IconBuildingCommunity />} color="cyan" to="/anagrafiche/comuni" />
      </SimpleGrid>
      <KitchenTodayCard onOpen={() => navigate('/cucina')} />
      <Card withBorder radius="md">
        <Text fw={600} mb={4}>
          Da dove iniziare
        </Text>
        <Text size="sm" c="dimmed">
          {session.can('amministratore') ? (
            <>
              Impostare prima le <Anchor onClick={() => navigate('/anagrafiche/comuni')}>anagrafiche</Anchor> (comuni, anni scolastici, scuole e classi, tariffe);
              poi registrare o{' '}
            </>
          ) : (
            'Registrare o '
          )}
          <Anchor onClick={() => navigate('/importazione')}>importare</Anchor> alunni e paganti e gestire le{' '}
          <Anchor onClick={() => navigate('/iscrizioni')}>iscrizioni</Anchor> dell'anno scolastico.
        </Text>
        {data && (
          <Text size="xs" c="dimmed" mt="sm">
            Archivio in uso: {data.databaseFile}
          </Text>
        )}
      </Card>
    </Stack>
  );
}
