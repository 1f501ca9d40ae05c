import type { ReactNode } from 'react';
import { Box, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { plural } from '../format/words';

/** The title line of every screen: title, one line of help, the screen's main actions on the right. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" wrap="nowrap" mb="sm">
      <Box>
        <Title order={2} fw={600} fz={22}>
          {title}
        </Title>
        {description && (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        )}
      </Box>
      {actions && (
        <Group gap="xs" wrap="nowrap">
          {actions}
        </Group>
      )}
    </Group>
  );
}

/** A list screen fills the window: header and filters on top, the table takes the rest. */
export function ListLayout({ children }: { children: ReactNode }) {
  return (
    <Stack gap="sm" style={{ height: 'calc(100dvh - var(--app-shell-header-height, 0px) - 2 * var(--mantine-spacing-md))' }}>
      {children}
    </Stack>
  );
}

/** "1.234 alunni" under a list. */
export function TotalLine({ total, loading, noun }: { total: number; loading: boolean; noun: [string, string] }) {
  return (
    <Group gap="xs" h={20}>
      <Text size="sm" c="dimmed" data-testid="list-total">
        {plural(total, noun[0], noun[1])}
      </Text>
      {loading && <Loader size={12} />}
    </Group>
  );
}
