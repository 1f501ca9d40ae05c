-- Issue 14: the audit log names the workstation of every change (drizzle-kit recreates the table to add
-- the column with its CHECK; the append-only triggers of 0006 are dropped with the old table and made
-- again at the end).
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`user_id` integer,
	`username` text NOT NULL,
	`procedure` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text,
	`action` text NOT NULL,
	`before_json` text,
	`after_json` text,
	`workstation` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "audit_log_at_istante" CHECK("at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "at")),
	CONSTRAINT "audit_log_at_caratteri" CHECK(instr("at", char(0)) = 0 AND "at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "audit_log_username_caratteri" CHECK(instr("username", char(0)) = 0 AND "username" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "audit_log_procedure_caratteri" CHECK(instr("procedure", char(0)) = 0 AND "procedure" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "audit_log_entity_caratteri" CHECK(instr("entity", char(0)) = 0 AND "entity" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "audit_log_entity_id_caratteri" CHECK(instr("entity_id", char(0)) = 0 AND "entity_id" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "audit_log_action_caratteri" CHECK(instr("action", char(0)) = 0 AND "action" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "audit_log_before_json_caratteri" CHECK(instr("before_json", char(0)) = 0 AND "before_json" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "audit_log_after_json_caratteri" CHECK(instr("after_json", char(0)) = 0 AND "after_json" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "audit_log_workstation_caratteri" CHECK(instr("workstation", char(0)) = 0 AND "workstation" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_audit_log`("id", "at", "user_id", "username", "procedure", "entity", "entity_id", "action", "before_json", "after_json") SELECT "id", "at", "user_id", "username", "procedure", "entity", "entity_id", "action", "before_json", "after_json" FROM `audit_log`;--> statement-breakpoint
DROP TABLE `audit_log`;--> statement-breakpoint
ALTER TABLE `__new_audit_log` RENAME TO `audit_log`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_user_idx` ON `audit_log` (`username`);--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'Il registro delle modifiche non si modifica: è in sola aggiunta');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'Il registro delle modifiche non si cancella: è in sola aggiunta');
END;
