/**
 * The contract: the one list of everything the backend can do. Every transport (Electron IPC,
 * the loopback HTTP host, the CLI) dispatches into this list and nothing else; the renderer's
 * types are derived from it.
 */
import type { z } from 'zod';
import { userProcedures } from '../users/procedures';
import { auditProcedures } from '../audit/procedures';
import { municipalityProcedures } from '../municipalities/procedures';
import { schoolProcedures } from '../schools/procedures';
import { tariffProcedures } from '../tariffs/procedures';
import { pupilProcedures } from '../pupils/procedures';
import { payerProcedures } from '../payers/procedures';
import { enrollmentProcedures } from '../enrollments/procedures';
import { systemProcedures } from '../system/procedures';
import { importProcedures } from '../imports/procedures';
import { demoProcedures } from '../demo/procedures';
import { calendarProcedures } from '../calendar/procedures';
import { attendanceProcedures } from '../attendance/procedures';
import { kitchenProcedures } from '../kitchen/procedures';
import { ledgerProcedures } from '../ledger/procedures';
import { catererProcedures } from '../documents/caterer';
import { statementProcedures } from '../statements/procedures';
import { tax730Procedures } from '../tax730/procedures';
import { dietProcedures } from '../diets/procedures';
import { mandateProcedures } from '../sdd/mandate-procedures';
import { sddBatchProcedures } from '../sdd/procedures';
import { debtProcedures } from '../debts/procedures';
import { dashboardProcedures } from '../dashboard/procedures';
import { searchProcedures } from '../search/procedures';
import { noticeProcedures } from '../debts/notice-procedures';
import { debtReportProcedures } from '../debts/report-procedures';
import { suspensionProcedures } from '../debts/suspension-procedures';
import { portalInboundProcedures } from '../portal/procedures-inbound';
import { outboundProcedures } from '../portal/procedures-outbound';
import { syncProcedures } from '../portal/procedures-sync';

export const procedures = [
  ...userProcedures,
  ...auditProcedures,
  ...municipalityProcedures,
  ...schoolProcedures,
  ...tariffProcedures,
  ...pupilProcedures,
  ...payerProcedures,
  ...enrollmentProcedures,
  ...systemProcedures,
  ...importProcedures,
  ...demoProcedures,
  ...calendarProcedures,
  ...attendanceProcedures,
  ...kitchenProcedures,
  ...ledgerProcedures,
  ...catererProcedures,
  ...statementProcedures,
  ...tax730Procedures,
  ...dietProcedures,
  ...mandateProcedures,
  ...sddBatchProcedures,
  ...debtProcedures,
  ...dashboardProcedures,
  ...searchProcedures,
  ...noticeProcedures,
  ...debtReportProcedures,
  ...suspensionProcedures,
  ...portalInboundProcedures,
  ...outboundProcedures,
  ...syncProcedures,
] as const;

type AnyProc = (typeof procedures)[number];
export type ProcedureName = AnyProc['name'];
type ByName<N extends ProcedureName> = Extract<AnyProc, { name: N }>;
/** What the caller sends (zod input type: defaults may be omitted). */
export type ProcInput<N extends ProcedureName> = z.input<ByName<N>['input']>;
/** What the caller receives. */
export type ProcOutput<N extends ProcedureName> = z.output<ByName<N>['output']>;
