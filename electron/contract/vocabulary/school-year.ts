/**
 * Which school year is "the current one" on a given day: the one that contains it; between two
 * years, the next one to start; after the last, the last. One rule for the backend and the
 * renderer. Dependency-free (see eslint.config.js, VOCABULARY_FILES).
 */
export interface SchoolYearSpan {
  startsOn: string;
  endsOn: string;
}

export function currentSchoolYear<Y extends SchoolYearSpan>(years: readonly Y[], today: string): Y | undefined {
  const byStart = [...years].sort((a, b) => (a.startsOn < b.startsOn ? -1 : a.startsOn > b.startsOn ? 1 : 0));
  return (
    byStart.find((y) => y.startsOn <= today && today <= y.endsOn) ??
    byStart.find((y) => y.startsOn > today) ??
    byStart[byStart.length - 1]
  );
}
