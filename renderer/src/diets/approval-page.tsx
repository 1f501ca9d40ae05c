import { useState } from 'react';
import { Grid, NavLink, Paper, ScrollArea, Stack, Text } from '@mantine/core';
import { useQuery } from '../api/hooks';
import { PageHeader } from '../components/page';
import { formatDate } from '../format/dates';
import { RequestDetail } from './request-detail';

/**
 * The supervisor's desk (DI6): the medical requests waiting for a decision, each with its
 * certificate in the in-app viewer (every opening recorded, F5), approved or rejected with a reason.
 */
export function ApprovalPage() {
  const list = useQuery('diets.list', { status: 'in_attesa', category: 'medica' });
  const [selected, setSelected] = useState<number | null>(null);
  const rows = list.data ?? [];
  const current = selected ?? rows[0]?.id ?? null;
  return (
    <Stack gap="sm">
      <PageHeader title="Approvazione diete mediche" description="Le diete mediche in attesa: aprire il certificato, poi approvare o respingere con il motivo" />
      <Grid>
        <Grid.Col span={4}>
          <Paper withBorder radius="sm" data-testid="approval-queue">
            <ScrollArea.Autosize mah="calc(100dvh - 200px)">
              {rows.map((r) => (
                <NavLink
                  key={r.id}
                  active={r.id === current}
                  label={r.pupilName}
                  description={`${r.diets.join(', ')} · ricevuta il ${formatDate(r.receivedOn)}`}
                  onClick={() => setSelected(r.id)}
                />
              ))}
              {rows.length === 0 && (
                <Text size="sm" c="dimmed" p="md" ta="center">
                  Nessuna dieta medica in attesa
                </Text>
              )}
            </ScrollArea.Autosize>
          </Paper>
        </Grid.Col>
        <Grid.Col span={8}>
          {current !== null && (
            <Paper withBorder radius="sm" p="md">
              <RequestDetail id={current} onChanged={() => { setSelected(null); void list.reload(); }} />
            </Paper>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
