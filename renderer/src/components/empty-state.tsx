import { Button, Group, Stack, Text } from '@mantine/core';
import { IconFileImport, IconPlus } from '@tabler/icons-react';
import { navigate } from '../app/router';

/**
 * What an empty list says (issue 12). An empty archive is not "nothing matches the filters": it
 * says there is nothing yet and offers the way to start (the «Nuovo …» action and, where people
 * come from the previous system, the import). With filters on, it says that nothing matches them.
 */
export function EmptyState({
  filtered,
  nothing,
  noMatch,
  hint,
  newLabel,
  onNew,
  importLink = false,
}: {
  /** a filter or a search is active */
  filtered: boolean;
  /** the empty archive: 'Nessun alunno registrato' */
  nothing: string;
  /** the filters match nothing: 'Nessun alunno corrisponde ai filtri' */
  noMatch: string;
  /** one more line for the empty archive: what to do first */
  hint?: string;
  newLabel?: string;
  onNew?: () => void;
  /** offer «Importa da file» (pupils, payers, enrollments come from the previous system) */
  importLink?: boolean;
}) {
  if (filtered) {
    return (
      <Text c="dimmed" data-testid="empty-filtered">
        {noMatch}
      </Text>
    );
  }
  return (
    <Stack align="center" gap="xs" data-testid="empty-archive">
      <Text fw={600}>{nothing}</Text>
      {hint && (
        <Text size="sm" c="dimmed" ta="center" maw={520}>
          {hint}
        </Text>
      )}
      {(onNew || importLink) && (
        <Group gap="xs" mt={4}>
          {onNew && newLabel && (
            <Button size="xs" leftSection={<IconPlus size={14} />} onClick={onNew}>
              {newLabel}
            </Button>
          )}
          {importLink && (
            <Button size="xs" variant="default" leftSection={<IconFileImport size={14} />} onClick={() => navigate('/importazione')}>
              Importa da file
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}
