import type { ReactNode } from 'react';
import { Table, Text } from '@mantine/core';

/** A header cell: its text, or its text with a width, right alignment (amounts, counts) and no wrapping. */
export type HeadCell = string | { label: string; w?: number | string; right?: boolean; nowrap?: boolean };

/** The header row of a plain Mantine table, from the list of its columns. */
export function TableHead({ cells }: { cells: readonly HeadCell[] }) {
  return (
    <Table.Thead>
      <Table.Tr>
        {cells.map((c, i) => {
          const cell = typeof c === 'string' ? { label: c } : c;
          return (
            <Table.Th key={`${i}-${cell.label}`} w={cell.w} ta={cell.right ? 'right' : undefined} style={cell.nowrap ? { whiteSpace: 'nowrap' } : undefined}>
              {cell.label}
            </Table.Th>
          );
        })}
      </Table.Tr>
    </Table.Thead>
  );
}

/** The one row of a table body with nothing to show: a dimmed, centred line across all its columns. */
export function EmptyRow({ colSpan, size = 'sm', py, children }: { colSpan: number; size?: 'xs' | 'sm'; py?: 'md'; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={colSpan}>
        <Text c="dimmed" size={size} ta="center" py={py}>
          {children}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}
