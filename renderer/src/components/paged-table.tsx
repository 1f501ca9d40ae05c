import type { ReactNode } from 'react';
import type { TableSource } from '../api/hooks';
import { TotalLine } from './page';
import { VirtualTable, type Column, type SortState } from './virtual-table';

interface PagedList<R> {
  source: TableSource<R>;
  total: number;
  loading: boolean;
}

/** A paged list (`usePagedList`) shown as a virtual table with its "1.234 alunni" line below. */
export function PagedTable<R>({
  list,
  noun,
  testId,
  columns,
  sort,
  onSort,
  rowKey,
  onRowClick,
  empty,
}: {
  list: PagedList<R>;
  noun: [string, string];
  testId: string;
  columns: Column<R>[];
  sort?: SortState;
  onSort?: (s: SortState) => void;
  rowKey: (row: R) => string | number;
  onRowClick?: (row: R) => void;
  empty: ReactNode;
}) {
  return (
    <>
      <VirtualTable testId={testId} columns={columns} source={list.source} sort={sort} onSort={onSort} rowKey={rowKey} onRowClick={onRowClick} empty={empty} />
      <TotalLine total={list.total} loading={list.loading} noun={noun} />
    </>
  );
}
