-- Money rules the database itself enforces (db/schema/ledger.ts).
-- P7: the services whose credit is kept apart; tariffs keep naming them by code.
INSERT INTO `services` (`code`, `name`, `active`, `created_at`) VALUES
  ('mensa', 'Mensa scolastica', 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('trasporto', 'Trasporto scolastico', 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
--> statement-breakpoint
INSERT OR IGNORE INTO `services` (`code`, `name`, `active`, `created_at`)
  SELECT DISTINCT `service`, `service`, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM `tariffs`;
--> statement-breakpoint
CREATE TRIGGER `tariffs_service_known_ins` BEFORE INSERT ON `tariffs`
WHEN NOT EXISTS (SELECT 1 FROM `services` WHERE `code` = NEW.`service`)
BEGIN SELECT RAISE(ABORT, 'Servizio sconosciuto: la tariffa deve nominare un servizio esistente (mensa, trasporto, …)'); END;
--> statement-breakpoint
CREATE TRIGGER `tariffs_service_known_upd` BEFORE UPDATE OF `service` ON `tariffs`
WHEN NOT EXISTS (SELECT 1 FROM `services` WHERE `code` = NEW.`service`)
BEGIN SELECT RAISE(ABORT, 'Servizio sconosciuto: la tariffa deve nominare un servizio esistente (mensa, trasporto, …)'); END;
--> statement-breakpoint
-- The ledger is append-only: a mistake is corrected by a new entry.
CREATE TRIGGER `ledger_entries_no_update` BEFORE UPDATE ON `ledger_entries`
BEGIN SELECT RAISE(ABORT, 'I movimenti contabili non si modificano: ogni correzione è un nuovo movimento'); END;
--> statement-breakpoint
CREATE TRIGGER `ledger_entries_no_delete` BEFORE DELETE ON `ledger_entries`
BEGIN SELECT RAISE(ABORT, 'I movimenti contabili non si cancellano: ogni correzione è un nuovo movimento'); END;
--> statement-breakpoint
-- A reversal reverses an entry of the same account, of the matching kind, for its exact opposite.
CREATE TRIGGER `ledger_entries_reversal_matches` BEFORE INSERT ON `ledger_entries`
WHEN NEW.`reversal_of` IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM `ledger_entries` o
  WHERE o.`id` = NEW.`reversal_of` AND o.`account_id` = NEW.`account_id` AND o.`amount_cents` = -NEW.`amount_cents`
    AND ((NEW.`kind` = 'storno_pasto' AND o.`kind` = 'addebito_pasto')
      OR (NEW.`kind` = 'storno_pagamento' AND o.`kind` IN ('ricarica', 'pagamento'))))
BEGIN SELECT RAISE(ABORT, 'Uno storno deve annullare per intero un movimento dello stesso conto e del tipo corrispondente'); END;
--> statement-breakpoint
-- P3: the carry-over pair sums to zero, for the same pupil and service, between two accounts.
CREATE TRIGGER `ledger_entries_carry_over_pair` BEFORE INSERT ON `ledger_entries`
WHEN NEW.`kind` = 'riporto_entrata' AND NOT EXISTS (
  SELECT 1 FROM `ledger_entries` o
  JOIN `ledger_accounts` oa ON oa.`id` = o.`account_id`
  JOIN `ledger_accounts` na ON na.`id` = NEW.`account_id`
  WHERE o.`id` = NEW.`counterpart_id` AND o.`kind` = 'riporto_uscita' AND o.`amount_cents` = -NEW.`amount_cents`
    AND oa.`pupil_id` = na.`pupil_id` AND oa.`service` = na.`service` AND oa.`id` <> na.`id`)
BEGIN SELECT RAISE(ABORT, 'Il riporto di fine anno è una coppia di movimenti che si annullano, per lo stesso alunno e servizio'); END;
--> statement-breakpoint
-- The balance cache of each account is the running sum of its entries.
CREATE TRIGGER `ledger_entries_balance` AFTER INSERT ON `ledger_entries`
BEGIN UPDATE `ledger_accounts` SET `balance_cents` = `balance_cents` + NEW.`amount_cents` WHERE `id` = NEW.`account_id`; END;
--> statement-breakpoint
CREATE TRIGGER `ledger_accounts_no_delete` BEFORE DELETE ON `ledger_accounts`
BEGIN SELECT RAISE(ABORT, 'I conti non si cancellano'); END;
--> statement-breakpoint
CREATE TRIGGER `ledger_accounts_fixed` BEFORE UPDATE OF `pupil_id`, `service`, `school_year_id` ON `ledger_accounts`
BEGIN SELECT RAISE(ABORT, 'Alunno, servizio e anno di un conto non si cambiano'); END;
--> statement-breakpoint
-- Receipts are kept as received: never deleted, their money facts never changed.
CREATE TRIGGER `payments_no_delete` BEFORE DELETE ON `payments`
BEGIN SELECT RAISE(ABORT, 'Gli incassi non si cancellano: si stornano con un nuovo movimento'); END;
--> statement-breakpoint
CREATE TRIGGER `payments_fixed` BEFORE UPDATE OF `channel`, `pupil_id`, `service`, `amount_cents`, `paid_at`, `paid_on`, `notice_number`, `iuv`, `iur`, `creditor_fiscal_code`, `payer_tax_code` ON `payments`
BEGIN SELECT RAISE(ABORT, 'I dati di un incasso non si modificano: si storna e si registra di nuovo'); END;
