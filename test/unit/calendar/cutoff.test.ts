import { cutoffCases } from './calendar-cases';

// The cutoff rules (A2, A4, A6) in the machine's own time zone; the same cases run under
// America/New_York in other-timezone.test.ts.
cutoffCases();
