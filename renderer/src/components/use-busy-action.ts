import { useCallback, useState } from 'react';

/**
 * A save button's busy state: `run(action)` shows the button as loading while the action runs and
 * hands a failure to `onError` (usually `form.showError`, which puts each issue under its field).
 */
export function useBusyAction(onError: (err: unknown) => void) {
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (action: () => Promise<void>) => {
      setBusy(true);
      try {
        await action();
      } catch (err) {
        onError(err);
      } finally {
        setBusy(false);
      }
    },
    [onError],
  );
  return { busy, run };
}
