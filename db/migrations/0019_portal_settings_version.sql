-- The portal's connection settings (issue 13) are edited from a form like the other settings: the
-- database refuses an UPDATE of their row that does not raise its version by one (issue 14).
DROP TRIGGER `settings_version_bump`;
--> statement-breakpoint
CREATE TRIGGER `settings_version_bump` BEFORE UPDATE ON `settings`
WHEN OLD.`key` IN ('caterer', 'saldo.sogliaAvvisoCentesimi', 'presenze.giorniBiancoSenzaCertificato', 'tax730.includeSddCommission', 'diete.rinnovo.scadenza', 'diete.conservazione.mesi', 'diete.nuova.giorni', 'portale.impostazioni')
	AND NEW.`version` IS NOT OLD.`version` + 1
BEGIN SELECT RAISE(ABORT, 'Modifica rifiutata (impostazioni): ogni modifica deve aumentare di uno la versione del dato'); END;
