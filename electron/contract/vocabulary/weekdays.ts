/**
 * Italian weekday names, one list for the backend (messages, exports) and the renderer.
 * Indexed by ISO weekday: 1 = lunedì … 7 = domenica (index 0 unused), as the database stores
 * service and enrollment weekdays. Dependency-free (see eslint.config.js, VOCABULARY_FILES).
 */
export const WEEKDAY_NAMES_IT = ['', 'lunedì', 'martedì', 'mercoledì', 'giovedì', 'venerdì', 'sabato', 'domenica'] as const;

/** 'lunedì' for 1 … 'domenica' for 7. */
export function weekdayName(isoWeekday: number): string {
  const name = WEEKDAY_NAMES_IT[isoWeekday];
  if (!name) throw new RangeError(`giorno della settimana non valido: ${isoWeekday} (atteso 1-7)`);
  return name;
}

/** 'Lunedì' for 1 … 'Domenica' for 7 (labels of checkboxes and columns). */
export function weekdayLabel(isoWeekday: number): string {
  const name = weekdayName(isoWeekday);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** 'Lun' for 1 … 'Dom' for 7. */
export function weekdayShort(isoWeekday: number): string {
  return weekdayLabel(isoWeekday).slice(0, 3);
}
