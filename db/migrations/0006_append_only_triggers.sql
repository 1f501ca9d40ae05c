-- Custom SQL migration file, put your code below! --
-- Issue 7: append-only tables refuse UPDATE and DELETE; tables whose rows are "never hard-deleted"
-- refuse DELETE and allow only the documented changes. Triggers only read their own table (a trigger
-- naming another table would break drizzle-kit's recreate-and-rename of that table).
-- NOTE: recreating one of these tables in a later migration drops its triggers: test/unit/db/
-- constraints.test.ts lists the triggers a migrated database must hold.
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'Il registro delle modifiche non si modifica: è in sola aggiunta');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'Il registro delle modifiche non si cancella: è in sola aggiunta');
END;
--> statement-breakpoint
CREATE TRIGGER `meals_no_update` BEFORE UPDATE ON `meals`
BEGIN
	SELECT RAISE(ABORT, 'Un pasto registrato non si modifica: registrare una rettifica di presenza');
END;
--> statement-breakpoint
CREATE TRIGGER `meals_no_delete` BEFORE DELETE ON `meals`
BEGIN
	SELECT RAISE(ABORT, 'Un pasto registrato non si cancella: registrare una rettifica di presenza');
END;
--> statement-breakpoint
CREATE TRIGGER `meal_corrections_no_update` BEFORE UPDATE ON `meal_corrections`
BEGIN
	SELECT RAISE(ABORT, 'Una rettifica non si modifica: registrarne una nuova che la sostituisce');
END;
--> statement-breakpoint
CREATE TRIGGER `meal_corrections_no_delete` BEFORE DELETE ON `meal_corrections`
BEGIN
	SELECT RAISE(ABORT, 'Una rettifica non si cancella: registrarne una nuova che la sostituisce');
END;
--> statement-breakpoint
CREATE TRIGGER `cancellation_attempts_no_update` BEFORE UPDATE ON `cancellation_attempts`
BEGIN
	SELECT RAISE(ABORT, 'Un tentativo di disdetta è la prova della richiesta: non si modifica');
END;
--> statement-breakpoint
CREATE TRIGGER `cancellation_attempts_no_delete` BEFORE DELETE ON `cancellation_attempts`
BEGIN
	SELECT RAISE(ABORT, 'Un tentativo di disdetta è la prova della richiesta: non si cancella');
END;
--> statement-breakpoint
CREATE TRIGGER `day_closures_no_delete` BEFORE DELETE ON `day_closures`
BEGIN
	SELECT RAISE(ABORT, 'Una giornata chiusa non si riapre: correggere le presenze con una rettifica');
END;
--> statement-breakpoint
CREATE TRIGGER `day_closures_no_update` BEFORE UPDATE ON `day_closures`
WHEN NOT (OLD.`meals` = 0 AND OLD.`plain_meals` = 0
	AND NEW.`id` IS OLD.`id` AND NEW.`municipality_id` IS OLD.`municipality_id` AND NEW.`date` IS OLD.`date`
	AND NEW.`closed_at` IS OLD.`closed_at` AND NEW.`closed_by` IS OLD.`closed_by` AND NEW.`mode` IS OLD.`mode`)
BEGIN
	SELECT RAISE(ABORT, 'Una giornata chiusa non si modifica: i conteggi dei pasti si scrivono una volta sola, alla chiusura');
END;
--> statement-breakpoint
CREATE TRIGGER `absences_no_delete` BEFORE DELETE ON `absences`
BEGIN
	SELECT RAISE(ABORT, 'Un''assenza non si cancella: si annulla');
END;
--> statement-breakpoint
CREATE TRIGGER `absences_fixed_fields` BEFORE UPDATE ON `absences`
WHEN NEW.`id` IS NOT OLD.`id` OR NEW.`pupil_id` IS NOT OLD.`pupil_id` OR NEW.`kind` IS NOT OLD.`kind` OR NEW.`date` IS NOT OLD.`date`
	OR NEW.`source` IS NOT OLD.`source` OR NEW.`acted_at` IS NOT OLD.`acted_at` OR NEW.`external_id` IS NOT OLD.`external_id`
	OR NEW.`override_reason` IS NOT OLD.`override_reason` OR NEW.`created_by` IS NOT OLD.`created_by` OR NEW.`created_at` IS NOT OLD.`created_at`
BEGIN
	SELECT RAISE(ABORT, 'Di un''assenza registrata cambiano solo lo stato e la riattivazione: alunno, tipo, giorno e richiesta restano quelli registrati');
END;
--> statement-breakpoint
CREATE TRIGGER `absences_ended_final` BEFORE UPDATE ON `absences`
WHEN OLD.`status` <> 'attiva' AND NEW.`status` IS NOT OLD.`status`
BEGIN
	SELECT RAISE(ABORT, 'Un''assenza annullata o sostituita non torna in vigore: registrarne una nuova');
END;
--> statement-breakpoint
CREATE TRIGGER `calendar_closures_no_delete` BEFORE DELETE ON `calendar_closures`
BEGIN
	SELECT RAISE(ABORT, 'Una chiusura del calendario non si cancella: si annulla');
END;
--> statement-breakpoint
CREATE TRIGGER `calendar_closures_only_cancel` BEFORE UPDATE ON `calendar_closures`
WHEN OLD.`cancelled_at` IS NOT NULL
	OR NEW.`id` IS NOT OLD.`id` OR NEW.`school_year_id` IS NOT OLD.`school_year_id` OR NEW.`scope` IS NOT OLD.`scope`
	OR NEW.`municipality_id` IS NOT OLD.`municipality_id` OR NEW.`school_id` IS NOT OLD.`school_id` OR NEW.`class_id` IS NOT OLD.`class_id`
	OR NEW.`from_date` IS NOT OLD.`from_date` OR NEW.`to_date` IS NOT OLD.`to_date` OR NEW.`kind` IS NOT OLD.`kind`
	OR NEW.`reason` IS NOT OLD.`reason` OR NEW.`origin` IS NOT OLD.`origin` OR NEW.`created_by` IS NOT OLD.`created_by`
	OR NEW.`created_at` IS NOT OLD.`created_at`
BEGIN
	SELECT RAISE(ABORT, 'Una chiusura del calendario non si modifica: si annulla (una volta sola) e se ne registra una nuova');
END;
--> statement-breakpoint
-- The previous migration recreated `tariffs` (its CHECK constraints), which dropped the triggers of
-- 0004_ledger_rules: they are created again, with the same SQL.
CREATE TRIGGER `tariffs_service_known_ins` BEFORE INSERT ON `tariffs`
WHEN NOT EXISTS (SELECT 1 FROM `services` WHERE `code` = NEW.`service`)
BEGIN SELECT RAISE(ABORT, 'Servizio sconosciuto: la tariffa deve nominare un servizio esistente (mensa, trasporto, …)'); END;
--> statement-breakpoint
CREATE TRIGGER `tariffs_service_known_upd` BEFORE UPDATE OF `service` ON `tariffs`
WHEN NOT EXISTS (SELECT 1 FROM `services` WHERE `code` = NEW.`service`)
BEGIN SELECT RAISE(ABORT, 'Servizio sconosciuto: la tariffa deve nominare un servizio esistente (mensa, trasporto, …)'); END;
