ALTER TABLE `settings` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `municipalities` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `schools` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `tariffs` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `enrollments` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `payers` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `pupils` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `sdd_creditor` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `sdd_mandates` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `diet_types` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `debt_settings` ADD `version` integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
-- Optimistic concurrency (issue 14): every UPDATE of an editable record raises its version by exactly one,
-- so a save that read an older version (UPDATE … WHERE id = ? AND version = ?) finds no row and is refused
-- with who changed it and when (electron/contract/versions.ts); an UPDATE that forgets the version is refused here.
CREATE TRIGGER `users_version_bump` BEFORE UPDATE ON `users`
WHEN NEW.`version` IS NOT OLD.`version` + 1
BEGIN SELECT RAISE(ABORT, 'Modifica rifiutata (utente): ogni modifica deve aumentare di uno la versione del dato'); END;
--> statement-breakpoint
CREATE TRIGGER `municipalities_version_bump` BEFORE UPDATE ON `municipalities`
WHEN NEW.`version` IS NOT OLD.`version` + 1
BEGIN SELECT RAISE(ABORT, 'Modifica rifiutata (comune): ogni modifica deve aumentare di uno la versione del dato'); END;
--> statement-breakpoint
CREATE TRIGGER `schools_version_bump` BEFORE UPDATE ON `schools`
WHEN NEW.`version` IS NOT OLD.`version` + 1
BEGIN SELECT RAISE(ABORT, 'Modifica rifiutata (scuola): ogni modifica deve aumentare di uno la versione del dato'); END;
--> statement-breakpoint
CREATE TRIGGER `tariffs_version_bump` BEFORE UPDATE ON `tariffs`
WHEN NEW.`version` IS NOT OLD.`version` + 1
BEGIN SELECT RAISE(ABORT, 'Modifica rifiutata (tariffa): ogni modifica deve aumentare di uno la versione del dato'); END;
--> statement-breakpoint
CREATE TRIGGER `pupils_version_bump` BEFORE UPDATE ON `pupils`
WHEN NEW.`version` IS NOT OLD.`version` + 1
BEGIN SELECT RAISE(ABORT, 'Modifica rifiutata (alunno): ogni modifica deve aumentare di uno la versione del dato'); END;
--> statement-breakpoint
CREATE TRIGGER `payers_version_bump` BEFORE UPDATE ON `payers`
WHEN NEW.`version` IS NOT OLD.`version` + 1
BEGIN SELECT RAISE(ABORT, 'Modifica rifiutata (pagante): ogni modifica deve aumentare di uno la versione del dato'); END;
--> statement-breakpoint
CREATE TRIGGER `enrollments_version_bump` BEFORE UPDATE ON `enrollments`
WHEN NEW.`version` IS NOT OLD.`version` + 1
BEGIN SELECT RAISE(ABORT, 'Modifica rifiutata (iscrizione): ogni modifica deve aumentare di uno la versione del dato'); END;
--> statement-breakpoint
CREATE TRIGGER `diet_types_version_bump` BEFORE UPDATE ON `diet_types`
WHEN NEW.`version` IS NOT OLD.`version` + 1
BEGIN SELECT RAISE(ABORT, 'Modifica rifiutata (voce del catalogo delle diete): ogni modifica deve aumentare di uno la versione del dato'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_creditor_version_bump` BEFORE UPDATE ON `sdd_creditor`
WHEN NEW.`version` IS NOT OLD.`version` + 1
BEGIN SELECT RAISE(ABORT, 'Modifica rifiutata (impostazioni SDD del creditore): ogni modifica deve aumentare di uno la versione del dato'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_mandates_version_bump` BEFORE UPDATE ON `sdd_mandates`
WHEN NEW.`version` IS NOT OLD.`version` + 1
BEGIN SELECT RAISE(ABORT, 'Modifica rifiutata (mandato SDD): ogni modifica deve aumentare di uno la versione del dato'); END;
--> statement-breakpoint
CREATE TRIGGER `debt_settings_version_bump` BEFORE UPDATE ON `debt_settings`
WHEN NEW.`version` IS NOT OLD.`version` + 1
BEGIN SELECT RAISE(ABORT, 'Modifica rifiutata (procedura di recupero del comune): ogni modifica deve aumentare di uno la versione del dato'); END;
--> statement-breakpoint
-- settings: only the keys edited from a form (sign-in failures, the scheduler's start and the demo marker are machine rows)
CREATE TRIGGER `settings_version_bump` BEFORE UPDATE ON `settings`
WHEN OLD.`key` IN ('caterer', 'saldo.sogliaAvvisoCentesimi', 'presenze.giorniBiancoSenzaCertificato', 'tax730.includeSddCommission', 'diete.rinnovo.scadenza', 'diete.conservazione.mesi', 'diete.nuova.giorni')
	AND NEW.`version` IS NOT OLD.`version` + 1
BEGIN SELECT RAISE(ABORT, 'Modifica rifiutata (impostazioni): ogni modifica deve aumentare di uno la versione del dato'); END;
