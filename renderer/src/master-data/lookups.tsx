import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { call, type ProcOutput } from '../api/client';
import { Select } from '@mantine/core';
import { notifyError } from '../api/hooks';
import { programNow } from '../app/program-clock';
import { currentSchoolYear } from '../../../electron/contract/vocabulary/school-year';

export type Municipality = ProcOutput<'municipalities.list'>[number];
export type School = ProcOutput<'schools.list'>[number];
export type SchoolYear = ProcOutput<'schoolYears.list'>[number];
export type SchoolClass = ProcOutput<'classes.list'>[number];

interface Lookups {
  municipalities: Municipality[];
  schools: School[];
  schoolYears: SchoolYear[];
  loaded: boolean;
  reload(): Promise<void>;
}

const LookupsContext = createContext<Lookups | null>(null);

/** Comuni, scuole and anni scolastici: small lists every screen's filters and pickers need. */
export function LookupsProvider({ children }: { children: ReactNode }) {
  const [municipalities, setMunicipalities] = useState<Municipality[]>([]);
  const [schools, setSchools] = useState<School[]>([]);
  const [schoolYears, setSchoolYears] = useState<SchoolYear[]>([]);
  const [loaded, setLoaded] = useState(false);

  const reload = useCallback(async () => {
    try {
      const [m, s, y] = await Promise.all([call('municipalities.list', {}), call('schools.list', {}), call('schoolYears.list', {})]);
      setMunicipalities(m);
      setSchools(s);
      setSchoolYears(y);
      setLoaded(true);
    } catch (err) {
      notifyError(err, 'Anagrafiche non caricate');
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const value = useMemo(() => ({ municipalities, schools, schoolYears, loaded, reload }), [municipalities, schools, schoolYears, loaded, reload]);
  return <LookupsContext.Provider value={value}>{children}</LookupsContext.Provider>;
}

export function useLookups(): Lookups {
  const l = useContext(LookupsContext);
  if (!l) throw new Error('useLookups fuori da LookupsProvider');
  return l;
}

/** Options for a Mantine Select of schools, grouped by comune. */
export function schoolOptions(schools: School[], municipalityId?: number | null) {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const s of schools) {
    if (municipalityId && s.municipalityId !== municipalityId) continue;
    const g = groups.get(s.municipalityName) ?? [];
    g.push({ value: String(s.id), label: s.name });
    groups.set(s.municipalityName, g);
  }
  return [...groups.entries()].map(([group, items]) => ({ group, items }));
}

export function municipalityOptions(municipalities: Municipality[]) {
  return municipalities.map((m) => ({ value: String(m.id), label: m.name }));
}

export function yearOptions(years: SchoolYear[]) {
  return [...years].reverse().map((y) => ({ value: String(y.id), label: y.label }));
}

/** The school year that contains `today`, else the next one, else the last. */
export function currentYear(years: SchoolYear[], today: string): SchoolYear | undefined {
  return currentSchoolYear(years, today);
}

/** Today in Rome as 'YYYY-MM-DD' (the backend's clock decides what is saved; this only pre-fills boxes). */
export function romeToday(): string {
  // the program's clock: the practice day in a test or training session
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(programNow());
  return parts;
}

interface FilterProps {
  value: string | null;
  onChange: (v: string | null) => void;
  w: number;
}

/** The list screens' filter by comune (clearable: no choice, every comune). */
export function MunicipalityFilter({ value, onChange, w, placeholder = 'Comune' }: FilterProps & { placeholder?: string }) {
  const { municipalities } = useLookups();
  return <Select placeholder={placeholder} aria-label="Filtra per comune" clearable data={municipalityOptions(municipalities)} value={value} onChange={onChange} w={w} />;
}

/** The list screens' filter by school, limited to the chosen comune's schools when there is one. */
export function SchoolFilter({ value, onChange, w, municipalityId }: FilterProps & { municipalityId: string | null }) {
  const { schools } = useLookups();
  return <Select placeholder="Scuola" aria-label="Filtra per scuola" clearable searchable data={schoolOptions(schools, municipalityId ? Number(municipalityId) : null)} value={value} onChange={onChange} w={w} />;
}

/** The list screens' filter by school year, the newest first. */
export function SchoolYearFilter({ value, onChange, w }: FilterProps) {
  const { schoolYears } = useLookups();
  return <Select placeholder="Anno scolastico" aria-label="Filtra per anno scolastico" clearable data={yearOptions(schoolYears)} value={value} onChange={onChange} w={w} />;
}
