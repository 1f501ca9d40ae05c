import type { FocusEvent, KeyboardEvent, MouseEvent } from 'react';

/**
 * A filled picker selects its whole text when entered (by Tab or by a click): what is typed then
 * replaces the old name instead of landing in the middle of it. Given to every Select by the
 * theme (app.tsx) and to RemoteSelect.
 */
export const selectTextOnFocus = {
  onFocus: (e: FocusEvent<HTMLInputElement>) => {
    const el = e.currentTarget;
    el.select();
    // a click's mouseup would put the caret back where the mouse is: select again then, once
    el.dataset.selectOnMouseUp = '1';
  },
  onMouseUp: (e: MouseEvent<HTMLInputElement>) => {
    const el = e.currentTarget;
    if (el.dataset.selectOnMouseUp) {
      delete el.dataset.selectOnMouseUp;
      e.preventDefault();
      el.select();
    }
  },
  onKeyDown: (e: KeyboardEvent<HTMLInputElement>) => {
    delete e.currentTarget.dataset.selectOnMouseUp;
  },
};
