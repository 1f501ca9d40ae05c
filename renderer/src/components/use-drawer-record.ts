import { useCallback, useEffect, useState } from 'react';
import { call, type ProcedureName, type ProcInput, type ProcOutput } from '../api/client';
import { notifyError } from '../api/hooks';

/**
 * The record a detail drawer shows, read by id with `name` (a `…get` procedure): loaded when the
 * drawer opens; a failure is notified and closes the drawer. `changed` reloads it after an action
 * and tells the list behind (`onChanged`).
 */
export function useDrawerRecord<N extends ProcedureName>(name: N, id: number, onClose: () => void, onChanged: () => void) {
  const [record, setRecord] = useState<ProcOutput<N> | null>(null);

  const load = useCallback(async () => {
    try {
      setRecord(await call(name, { id } as ProcInput<N>));
    } catch (err) {
      notifyError(err);
      onClose();
    }
  }, [name, id, onClose]);

  useEffect(() => {
    void load();
  }, [load]);

  const changed = async () => {
    await load();
    onChanged();
  };
  return { record, changed };
}
