import { useCallback, useMemo, useState } from 'react';
import { ApiError } from '../api/client';
import { notifyError } from '../api/hooks';

export type FieldErrors = Record<string, string>;

/** A backend issue path as a form key: ['delegates', 0, 'taxCode'] → 'delegates.0.taxCode'. */
export function pathKey(path: (string | number)[]): string {
  return path.map(String).join('.');
}

/**
 * Small form state: values, one error per field, and the mapping of backend issues (by path) to
 * the field that shows them. `aliases` sends a backend path to another field (e.g. the payer's
 * e-mail missing at enrollment → under the payer picker).
 */
export function useForm<T extends Record<string, unknown>>(initial: T) {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  // what the form was given (or last reset to): anything else is unsaved work
  const [baseline, setBaseline] = useState<T>(initial);
  // issue 14: a save refused because someone else saved the record meanwhile (shown in the form until «Ricarica»)
  const [conflict, setConflict] = useState<string | null>(null);
  const dirty = useMemo(() => JSON.stringify(values) !== JSON.stringify(baseline), [values, baseline]);

  const set = useCallback(<K extends keyof T>(key: K, value: T[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    // a picker's error may sit under its id key (pupil → pupilId)
    const keys = [key as string, `${key as string}Id`];
    setErrors((e) => {
      if (!keys.some((k) => k in e)) return e;
      const rest = { ...e };
      for (const k of keys) delete rest[k];
      return rest;
    });
  }, []);

  const reset = useCallback((next: T) => {
    setValues(next);
    setBaseline(next);
    setErrors({});
    setConflict(null);
  }, []);

  /**
   * Shows a failed save: each issue under its field (the first message per field), and the
   * overall message as a notification. Issues with no matching field still reach the notification.
   */
  const showError = useCallback((err: unknown, aliases: Record<string, string> = {}) => {
    // issue 14: another clerk saved first. The message stays in the form (not a notification that
    // fades) with «Ricarica»; what was typed stays until that explicit click.
    if (isStaleVersion(err)) {
      setConflict(err.message);
      return;
    }
    if (err instanceof ApiError && err.issues.length) {
      const next: FieldErrors = {};
      for (const issue of err.issues) {
        let key = pathKey(issue.path);
        key = aliases[key] ?? aliases[String(issue.path[0])] ?? key;
        next[key] = next[key] && next[key] !== issue.message ? `${next[key]}; ${lowerFirst(issue.message)}` : issue.message;
      }
      setErrors(next);
    }
    notifyError(err, 'Dati non salvati');
  }, []);

  return { values, setValues, set, errors, setErrors, reset, showError, dirty, conflict, setConflict };
}

/** A save refused because the record changed since the form loaded it (CONFLICT with details, contract/versions.ts). */
export function isStaleVersion(err: unknown): err is ApiError {
  return err instanceof ApiError && err.code === 'CONFLICT' && err.details !== undefined;
}

/** The error under a field whose key, or any key below it (e.g. 'weekdays.0'), has an issue. */
export function errorFor(errors: FieldErrors, key: string): string | undefined {
  if (errors[key]) return errors[key];
  const sub = Object.keys(errors).find((k) => k.startsWith(`${key}.`));
  return sub ? errors[sub] : undefined;
}

/**
 * A value the user has not given yet, sent as absent: the backend then answers "Campo
 * obbligatorio" under that field, together with every other field's error in one go.
 */
export function given<T>(v: T | null | undefined | ''): T {
  return (v === null || v === '' ? undefined : v) as T;
}

export function givenId(v: string | null | undefined): number {
  return (v ? Number(v) : undefined) as number;
}

function lowerFirst(s: string): string {
  return s ? s[0].toLowerCase() + s.slice(1) : s;
}
