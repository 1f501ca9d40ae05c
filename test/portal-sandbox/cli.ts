/**
 * `npm run rette -- portal-sandbox [--port N] [--seed <database>]`: the sandbox portal as a process,
 * for the demo office and for trying the sync by hand. It prints its address, its credential and
 * how to point the office at it; families act through its admin endpoints (see server.ts).
 */
import fs from 'node:fs';
import { familiesFromDatabase, syntheticFamilies } from './families';
import { startSandbox } from './server';

export interface SandboxCommand {
  port: number;
  /** an office database whose pupils and payers become the portal's families (read only) */
  seedDb?: string;
  /** the credential (default: RETTE_PORTALE_TOKEN, or a random one) */
  token?: string;
  /** family actions ready at the start */
  initialEvents?: number;
}

export async function runSandboxCommand(o: SandboxCommand): Promise<number> {
  if (o.seedDb !== undefined && !fs.existsSync(o.seedDb)) {
    console.error(`Database inesistente: ${o.seedDb}`);
    return 2;
  }
  const families = o.seedDb ? familiesFromDatabase(o.seedDb) : syntheticFamilies(40, 1);
  if (families.length === 0) {
    console.error(`Il database ${o.seedDb} non ha alunni iscritti: niente famiglie per il portale di prova (crearle con seed-demo)`);
    return 2;
  }
  const sandbox = await startSandbox({ port: o.port, token: o.token ?? process.env.RETTE_PORTALE_TOKEN, families });
  // the families acted over the last week (before today: nothing in the future)
  const from = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
  const initial = sandbox.act(o.initialEvents ?? 30, from, { days: 5 });
  // version 0: the settings were never saved (afterwards: the version portal.settings.get shows)
  const settings = JSON.stringify({ adapter: 'rest', baseUrl: sandbox.url, credential: sandbox.token, version: 0 });
  console.log(`Portale di prova in ascolto su ${sandbox.url} (solo questo computer)`);
  console.log(`Famiglie: ${families.length} (${o.seedDb ? `dal database ${o.seedDb}` : 'inventate'}); richieste già pronte: ${initial.length}`);
  console.log(`Credenziale: ${sandbox.token}`);
  console.log('');
  console.log("Per collegare l'ufficio:");
  console.log(`  npm run rette -- call portal.settings.update '${settings}'`);
  console.log('  npm run rette -- portal-sync');
  console.log('');
  console.log('Altre richieste delle famiglie e guasti:');
  console.log(`  curl -X POST ${sandbox.url}/_sandbox/actions -d '{"count":20,"from":"${from}"}'`);
  console.log(`  curl -X POST ${sandbox.url}/_sandbox/faults -d '{"failEvery":3,"delayMs":500,"duplicateProbability":0.2,"shuffle":true}'`);
  console.log(`  curl ${sandbox.url}/_sandbox/received    (ciò che l'ufficio ha pubblicato)`);
  const stop = async () => {
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  return new Promise<number>(() => {}); // runs until stopped
}
