import type { ReactNode } from 'react';
import { Center, Paper, Table, Text } from '@mantine/core';

export interface SimpleColumn<R> {
  header: string;
  width?: number | string;
  align?: 'left' | 'right' | 'center';
  render: (row: R) => ReactNode;
}

/** A plain compact table for the short lists (comuni, scuole, tariffe, utenti). */
export function DataTable<R>({
  rows,
  columns,
  rowKey,
  onRowClick,
  empty,
  testId,
}: {
  rows: R[];
  columns: SimpleColumn<R>[];
  rowKey: (r: R) => string | number;
  onRowClick?: (r: R) => void;
  /** a line, or an EmptyState (empty archive vs. filters matching nothing) */
  empty: ReactNode;
  testId?: string;
}) {
  return (
    <Paper withBorder radius="sm" style={{ overflow: 'hidden' }}>
      <Table highlightOnHover={!!onRowClick} verticalSpacing={6} horizontalSpacing="sm" fz="sm" data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.header} style={{ width: c.width, textAlign: c.align }}>
                {c.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={rowKey(r)} onClick={onRowClick ? () => onRowClick(r) : undefined} style={{ cursor: onRowClick ? 'pointer' : undefined }}>
              {columns.map((c) => (
                <Table.Td key={c.header} style={{ textAlign: c.align }}>
                  {c.render(r)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columns.length}>
                {typeof empty === 'string' ? (
                  <Text c="dimmed" ta="center" py="md" size="sm">
                    {empty}
                  </Text>
                ) : (
                  <Center py="md">{empty}</Center>
                )}
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
