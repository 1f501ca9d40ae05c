import { useEffect, useRef, type ReactNode } from 'react';
import { Box, Center, Group, Loader, Table, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TableSource } from '../api/hooks';

export interface Column<R> {
  key: string;
  header: string;
  width?: number | string;
  /** the backend sort key this header sorts by; no key, no sorting */
  sortKey?: string;
  align?: 'left' | 'right' | 'center';
  /** let the cell's text wrap (the row height must allow it) */
  wrap?: boolean;
  render: (row: R) => ReactNode;
}

export interface SortState {
  sort: string;
  dir: 'asc' | 'desc';
}

interface Props<R> {
  columns: Column<R>[];
  source: TableSource<R>;
  sort?: SortState;
  onSort?: (s: SortState) => void;
  onRowClick?: (row: R) => void;
  /** the row drawn as selected */
  selectedKey?: string | number | null;
  rowKey: (row: R) => string | number;
  /** what an empty list says: a line, or an EmptyState (empty archive vs. filters matching nothing) */
  empty?: ReactNode;
  rowHeight?: number;
  testId?: string;
}

/**
 * A table that draws only the rows in view (plus a few), with spacer rows standing in for the
 * others. It is as tall as the whole list; rows not loaded yet show a placeholder while their page
 * is fetched: a list of 50,000 pupils scrolls like one of fifty.
 */
export function VirtualTable<R>({ columns, source, sort, onSort, onRowClick, rowKey, empty = 'Nessun elemento trovato', rowHeight = 36, testId, selectedKey }: Props<R>) {
  const { count, rowAt, onRange, loading, resetKey } = source;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const start = items.length ? items[0].index : 0;
  const end = items.length ? items[items.length - 1].index : 0;

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [resetKey]);

  useEffect(() => {
    if (onRange && count > 0) onRange(start, end);
  }, [start, end, count, onRange]);

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
            const row = rowAt(item.index);
            if (row === undefined) {
              // a light placeholder (no animation): a fast drag draws dozens of these per frame
              return (
                <tr key={`attesa-${item.index}`} data-index={item.index} data-loading style={{ height: rowHeight }}>
                  <td colSpan={columns.length} style={{ padding: '0 var(--mantine-spacing-sm)', color: 'var(--mantine-color-gray-5)', borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
                    …
                  </td>
                </tr>
              );
            }
            const k = rowKey(row);
            return (
              <Table.Tr
                key={k}
                data-index={item.index}
                style={{ height: rowHeight, cursor: onRowClick ? 'pointer' : undefined }}
                bg={selectedKey !== undefined && selectedKey !== null && k === selectedKey ? 'blue.0' : undefined}
                onClick={onRowClick ? () => onRowClick(row) : undefined}
              >
                {columns.map((c) => (
                  <Table.Td key={c.key} style={{ textAlign: c.align ?? 'left', whiteSpace: c.wrap ? 'normal' : 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
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
      {count === 0 && !loading && (
        <Center py="xl">{typeof empty === 'string' ? <Text c="dimmed">{empty}</Text> : empty}</Center>
      )}
      {loading && count === 0 && (
        <Center py="sm">
          <Loader size="sm" />
        </Center>
      )}
    </Box>
  );
}
