import { z } from 'zod';
import { asc, eq } from 'drizzle-orm';
import { users } from '../../db/schema';
import { AppError, invalidField } from '../contract/errors';
import { expectVersion, nextVersion, version } from '../contract/versions';
import { id, ok, requiredText } from '../contract/fields';
import { currentUser, procedure } from '../contract/procedure';
import { ROLES } from '../contract/roles';
import {
  USERNAME_PATTERN,
  countUsers,
  createUser,
  ensureNotLastAdmin,
  getUser,
  passwordMatches,
  publicUser,
  signIn,
  toSessionUser,
} from './service';
import { hashPasswordSync } from './passwords';
import { clearFailures } from './sign-in';

/** The username typed at sign-in, as the audit log may keep it (never free text from a stranger). */
function typedUsername(input: { username: string }): string {
  const name = input.username.trim().toLowerCase();
  return USERNAME_PATTERN.test(name) ? name : '(nome non valido)';
}

const username = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, { message: 'Il nome utente deve avere almeno 3 caratteri' })
  .max(40, { message: 'Al massimo 40 caratteri' })
  .regex(/^[a-z0-9._-]+$/, { message: 'Solo lettere, cifre, punto, trattino e trattino basso' });
const password = z
  .string()
  .min(8, { message: 'La password deve avere almeno 8 caratteri' })
  .max(200, { message: 'Password troppo lunga' });
const role = z.enum(ROLES, { error: 'Ruolo non valido' });

const userOut = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role,
  active: z.boolean(),
  createdAt: z.string(),
  /** issue 14: the version the form sends back with its save */
  version: z.number(),
});
const sessionUserOut = z.object({ id: z.number(), username: z.string(), displayName: z.string(), role });
const loginOut = z.object({ session: z.string(), user: sessionUserOut });

export const userProcedures = [
  procedure({
    name: 'auth.status',
    title: 'Stato del primo avvio: se manca ancora l\'amministratore',
    role: 'pubblico',
    kind: 'query',
    input: z.object({}),
    output: z.object({ needsSetup: z.boolean(), user: sessionUserOut.nullable() }),
    handler: (ctx) => ({ needsSetup: countUsers(ctx.db) === 0, user: ctx.user }),
  }),
  procedure({
    name: 'auth.setup',
    title: 'Primo avvio: crea l\'amministratore ed entra',
    role: 'pubblico',
    kind: 'mutation',
    input: z.object({ username, displayName: requiredText(100), password }),
    output: loginOut,
    handler: (ctx, input) => {
      if (countUsers(ctx.db) > 0) throw new AppError('CONFLICT', 'L\'amministratore è già stato creato: accedere con le proprie credenziali');
      const u = createUser(ctx.db, ctx.clock.now(), { ...input, role: 'amministratore' }, ctx.passwordHashing);
      ctx.user = toSessionUser(u);
      ctx.audit({ entity: 'utente', entityId: u.id, action: 'creazione amministratore', after: publicUser(u) });
      return { session: ctx.sessions.create(toSessionUser(u)), user: toSessionUser(u) };
    },
  }),
  // A query, not a mutation, on purpose: a refused sign-in must still count the failure (sign-in.ts)
  // and be audited, which a mutation's transaction would roll back with the error; and scrypt runs
  // off the main thread, which a mutation's synchronous handler cannot wait for. Each of its writes
  // (failure count, hash upgrade, audit record) is one atomic statement.
  procedure({
    name: 'auth.login',
    title: 'Accesso con nome utente e password',
    role: 'pubblico',
    kind: 'query',
    input: z.object({
      username: z.string().trim().min(1, { message: 'Inserire il nome utente' }).max(100, { message: 'Nome utente troppo lungo' }),
      password: z.string().min(1, { message: 'Inserire la password' }).max(200, { message: 'Password troppo lunga' }),
    }),
    output: loginOut,
    auditedRead: {
      entity: 'accesso',
      action: 'accesso',
      failures: true,
      actor: typedUsername,
      details: (input) => ({ username: typedUsername(input) }),
    },
    handler: async (ctx, input) => {
      const { user: u, upgraded } = await signIn(ctx.db, ctx.clock.now(), input.username, input.password, ctx.passwordHashing);
      ctx.user = toSessionUser(u);
      if (upgraded) {
        // the user's other sessions of this process follow the new hash (see SessionStore's stamp)
        ctx.sessions.refreshUser(u.id);
        ctx.audit({ entity: 'utente', entityId: u.id, action: 'aggiornamento dei parametri della password' });
      }
      return { session: ctx.sessions.create(toSessionUser(u)), user: toSessionUser(u) };
    },
  }),
  procedure({
    name: 'auth.logout',
    title: 'Esce dalla sessione',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({}),
    output: ok,
    handler: (ctx) => {
      ctx.sessions.destroy(ctx.sessionToken);
      ctx.audit({ entity: 'accesso', entityId: currentUser(ctx).id, action: 'uscita' });
      return { ok: true as const };
    },
  }),
  procedure({
    name: 'auth.logoutEverywhere',
    title: 'Esce da tutte le sessioni del proprio utente (ogni postazione e browser), compresa questa',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({}),
    output: z.object({ ok: z.literal(true), closed: z.number().int().min(0) }),
    handler: (ctx) => {
      const me = currentUser(ctx);
      const closed = ctx.sessions.destroyForUser(me.id);
      ctx.audit({ entity: 'accesso', entityId: me.id, action: 'uscita da tutte le postazioni', after: { sessioniChiuse: closed } });
      return { ok: true as const, closed };
    },
  }),
  procedure({
    name: 'auth.changePassword',
    title: 'Cambia la propria password',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ current: z.string().min(1, { message: 'Inserire la password attuale' }), next: password }),
    output: ok,
    handler: (ctx, input) => {
      const u = getUser(ctx.db, currentUser(ctx).id);
      if (!passwordMatches(u, input.current)) throw invalidField('current', 'Password attuale errata');
      const { passwordHash, salt } = hashPasswordSync(input.next, ctx.passwordHashing);
      ctx.db.update(users).set({ passwordHash, salt, updatedAt: ctx.clock.now().toISOString(), version: nextVersion(users.version) }).where(eq(users.id, u.id)).run();
      // the user's other sessions (another PC, a browser) end; this one goes on with the new password
      ctx.sessions.destroyForUser(u.id, ctx.sessionToken);
      ctx.sessions.refreshUser(u.id);
      ctx.audit({ entity: 'utente', entityId: u.id, action: 'cambio password' });
      return { ok: true as const };
    },
  }),
  procedure({
    name: 'users.list',
    title: 'Elenco degli utenti del programma',
    role: 'amministratore',
    kind: 'query',
    input: z.object({}),
    output: z.array(userOut),
    handler: (ctx) => ctx.db.select().from(users).orderBy(asc(users.username)).all().map(publicUser),
  }),
  procedure({
    name: 'users.create',
    title: 'Crea un utente con il suo ruolo',
    role: 'amministratore',
    kind: 'mutation',
    input: z.object({ username, displayName: requiredText(100), role, password }),
    output: userOut,
    handler: (ctx, input) => {
      const u = createUser(ctx.db, ctx.clock.now(), input, ctx.passwordHashing);
      ctx.audit({ entity: 'utente', entityId: u.id, action: 'creazione', after: publicUser(u) });
      return publicUser(u);
    },
  }),
  procedure({
    name: 'users.update',
    title: 'Modifica nome, ruolo o attivazione di un utente',
    role: 'amministratore',
    kind: 'mutation',
    input: z.object({ id, version, displayName: requiredText(100), role, active: z.boolean() }),
    output: userOut,
    handler: (ctx, input) => {
      const before = getUser(ctx.db, input.id);
      expectVersion(ctx, 'user', input.id, input.version);
      ensureNotLastAdmin(ctx.db, before, input);
      const after = ctx.db
        .update(users)
        .set({ displayName: input.displayName, role: input.role, active: input.active, updatedAt: ctx.clock.now().toISOString(), version: nextVersion(users.version) })
        .where(eq(users.id, input.id))
        .returning()
        .get();
      // a new role or a deactivation ends the user's sessions; a new display name does not
      if (before.role !== after.role || !after.active) ctx.sessions.destroyForUser(after.id);
      else ctx.sessions.refreshUser(after.id, { displayName: after.displayName });
      ctx.audit({ entity: 'utente', entityId: after.id, action: 'modifica', before: publicUser(before), after: publicUser(after) });
      return publicUser(after);
    },
  }),
  procedure({
    name: 'users.resetPassword',
    title: 'Imposta una nuova password per un utente',
    role: 'amministratore',
    kind: 'mutation',
    input: z.object({ id, password }),
    output: ok,
    handler: (ctx, input) => {
      const u = getUser(ctx.db, input.id);
      const { passwordHash, salt } = hashPasswordSync(input.password, ctx.passwordHashing);
      ctx.db.update(users).set({ passwordHash, salt, updatedAt: ctx.clock.now().toISOString(), version: nextVersion(users.version) }).where(eq(users.id, input.id)).run();
      ctx.sessions.destroyForUser(input.id);
      // a new password from the administrator also lifts a lock after wrong passwords
      clearFailures(ctx.db, u.username);
      ctx.audit({ entity: 'utente', entityId: input.id, action: 'reimpostazione password' });
      return { ok: true as const };
    },
  }),
];
