import { useEffect, useRef, type ReactNode } from 'react';
import { Box, Center, Group, Loader, Table, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';

export interface Column<R> {
  key: string;
  header: string;
  width?: number | string;
  /** the backend sort key this header sorts by; no key, no sorting */
  sortKey?: string;
  align?: 'left' | 'right' | 'center';
  render: (row: R) => ReactNode;
}

export interface SortState {
  sort: string;
  dir: 'asc' | 'desc';
}

interface Props<R> {
  columns: Column<R>[];
  rows: R[];
  total: number;
  loading: boolean;
  onNeedMore?: () => void;
  sort?: SortState;
  onSort?: (s: SortState) => void;
  onRowClick?: (row: R) => void;
  rowKey: (row: R) => string | number;
  empty?: string;
  rowHeight?: number;
  testId?: string;
  /** when this changes (new filters or sort) the table scrolls back to the top */
  resetKey?: string;
}

/**
 * A table that draws only the rows in view (plus a few), with spacer rows standing in for the
 * others, and asks for the next page when the user scrolls near the end of what is loaded: a list
 * of 50,000 pupils scrolls like one of fifty.
 */
export function VirtualTable<R>({
  columns,
  rows,
  total,
  loading,
  onNeedMore,
  sort,
  onSort,
  onRowClick,
  rowKey,
  empty = 'Nessun elemento trovato',
  rowHeight = 36,
  testId,
  resetKey,
}: Props<R>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const last = items.length ? items[items.length - 1].index : -1;

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [resetKey]);

  useEffect(() => {
    if (onNeedMore && rows.length < total && last >= rows.length - 30) onNeedMore();
  }, [last, rows.length, total, onNeedMore]);

  const paddingTop = items.length ? items[0].start : 0;
  const paddingBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;

  function header(c: Column<R>) {
    if (!c.sortKey || !onSort) return <Text fw={600} size="sm">{c.header}</Text>;
    const active = sort?.sort === c.sortKey;
    const Icon = active ? (sort?.dir === 'desc' ? IconChevronDown : IconChevronUp) : IconSelector;
    return (
      <UnstyledButton
        onClick={() => onSort({ sort: c.sortKey!, dir: active && sort?.dir === 'asc' ? 'desc' : 'asc' })}
        aria-label={`Ordina per ${c.header}`}
        data-sort-active={active || undefined}
      >
        <Group gap={4} wrap="nowrap">
          <Text fw={600} size="sm">
            {c.header}
          </Text>
          <Icon size={14} stroke={1.6} />
        </Group>
      </UnstyledButton>
    );
  }

  return (
    <Box
      ref={scrollRef}
      data-testid={testId}
      style={{ flex: 1, minHeight: 200, overflow: 'auto', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-sm)', background: 'white' }}
    >
      <Table stickyHeader highlightOnHover verticalSpacing={6} horizontalSpacing="sm" fz="sm" style={{ tableLayout: 'fixed', minWidth: '100%' }}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.key} style={{ width: c.width, textAlign: c.align ?? 'left', whiteSpace: 'nowrap' }}>
                {header(c)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {paddingTop > 0 && (
            <tr aria-hidden>
              <td colSpan={columns.length} style={{ height: paddingTop, padding: 0, border: 0 }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <Table.Tr
                key={rowKey(row)}
                data-index={item.index}
                style={{ height: rowHeight, cursor: onRowClick ? 'pointer' : undefined }}
                onClick={onRowClick ? () => onRowClick(row) : undefined}
              >
                {columns.map((c) => (
                  <Table.Td key={c.key} style={{ textAlign: c.align ?? 'left', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                    {c.render(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden>
              <td colSpan={columns.length} style={{ height: paddingBottom, padding: 0, border: 0 }} />
            </tr>
          )}
        </Table.Tbody>
      </Table>
      {rows.length === 0 && !loading && (
        <Center py="xl">
          <Text c="dimmed">{empty}</Text>
        </Center>
      )}
      {loading && (
        <Center py="sm">
          <Loader size="sm" />
        </Center>
      )}
    </Box>
  );
}
