CREATE TABLE `news` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`municipality_ids` text DEFAULT '[]' NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`published_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`withdrawn_at` text,
	`withdrawn_by` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`published_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`withdrawn_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "news_title_len" CHECK(length(trim("title")) BETWEEN 3 AND 200),
	CONSTRAINT "news_body_len" CHECK(length(trim("body")) BETWEEN 1 AND 10000),
	CONSTRAINT "news_municipality_ids_json" CHECK(json_valid("municipality_ids") AND json_type("municipality_ids") = 'array'),
	CONSTRAINT "news_valid_from_data" CHECK("valid_from" IS date("valid_from")),
	CONSTRAINT "news_valid_to_data" CHECK("valid_to" IS date("valid_to")),
	CONSTRAINT "news_validita" CHECK("valid_to" IS NULL OR "valid_to" >= "valid_from"),
	CONSTRAINT "news_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "news_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "news_withdrawn_at_istante" CHECK("withdrawn_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "withdrawn_at")),
	CONSTRAINT "news_title_caratteri" CHECK(instr("title", char(0)) = 0 AND "title" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "news_body_caratteri" CHECK(instr("body", char(0)) = 0 AND "body" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "news_municipality_ids_caratteri" CHECK(instr("municipality_ids", char(0)) = 0 AND "municipality_ids" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "news_valid_from_caratteri" CHECK(instr("valid_from", char(0)) = 0 AND "valid_from" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "news_valid_to_caratteri" CHECK(instr("valid_to", char(0)) = 0 AND "valid_to" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "news_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "news_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "news_withdrawn_at_caratteri" CHECK(instr("withdrawn_at", char(0)) = 0 AND "withdrawn_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE INDEX `news_valid_idx` ON `news` (`valid_from`);--> statement-breakpoint
CREATE TABLE `portal_outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`key` text NOT NULL,
	`type` text NOT NULL,
	`body` text NOT NULL,
	`previous_event_id` text,
	`created_at` text NOT NULL,
	`published_at` text,
	`superseded_at` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_attempt_at` text,
	`last_error` text,
	CONSTRAINT "portal_outbox_type_valori" CHECK("type" IN ('calendar', 'meals', 'balance', 'pagopaNotice', 'news', 'tax730', 'enrollmentStatus')),
	CONSTRAINT "portal_outbox_body_json" CHECK(json_valid("body")),
	CONSTRAINT "portal_outbox_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "portal_outbox_published_at_istante" CHECK("published_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "published_at")),
	CONSTRAINT "portal_outbox_superseded_at_istante" CHECK("superseded_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "superseded_at")),
	CONSTRAINT "portal_outbox_last_attempt_at_istante" CHECK("last_attempt_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "last_attempt_at")),
	CONSTRAINT "portal_outbox_attempts_tentativi" CHECK(typeof("attempts") IN ('integer', 'null') AND "attempts" BETWEEN 0 AND 1000000),
	CONSTRAINT "portal_outbox_pubblicato_o_sostituito" CHECK("published_at" IS NULL OR "superseded_at" IS NULL),
	CONSTRAINT "portal_outbox_event_id_caratteri" CHECK(instr("event_id", char(0)) = 0 AND "event_id" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_outbox_key_caratteri" CHECK(instr("key", char(0)) = 0 AND "key" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_outbox_type_caratteri" CHECK(instr("type", char(0)) = 0 AND "type" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_outbox_body_caratteri" CHECK(instr("body", char(0)) = 0 AND "body" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "portal_outbox_previous_event_id_caratteri" CHECK(instr("previous_event_id", char(0)) = 0 AND "previous_event_id" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_outbox_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_outbox_published_at_caratteri" CHECK(instr("published_at", char(0)) = 0 AND "published_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_outbox_superseded_at_caratteri" CHECK(instr("superseded_at", char(0)) = 0 AND "superseded_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_outbox_last_attempt_at_caratteri" CHECK(instr("last_attempt_at", char(0)) = 0 AND "last_attempt_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_outbox_last_error_caratteri" CHECK(instr("last_error", char(0)) = 0 AND "last_error" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `portal_outbox_event_uq` ON `portal_outbox` (`event_id`);--> statement-breakpoint
CREATE INDEX `portal_outbox_key_idx` ON `portal_outbox` (`key`,`seq`);--> statement-breakpoint
CREATE INDEX `portal_outbox_pending_idx` ON `portal_outbox` (`seq`) WHERE "portal_outbox"."published_at" IS NULL AND "portal_outbox"."superseded_at" IS NULL;--> statement-breakpoint
-- F3: a news item is never deleted (it is withdrawn); every change raises its version by one (as issue 14's editable records)
CREATE TRIGGER `news_no_delete` BEFORE DELETE ON `news`
BEGIN SELECT RAISE(ABORT, 'Un avviso per le famiglie non si cancella: si ritira'); END;
--> statement-breakpoint
CREATE TRIGGER `news_version_bump` BEFORE UPDATE ON `news`
WHEN NEW.`version` IS NOT OLD.`version` + 1
BEGIN SELECT RAISE(ABORT, 'Modifica rifiutata (avviso per le famiglie): ogni modifica deve aumentare di uno la versione del dato'); END;
--> statement-breakpoint
CREATE TRIGGER `news_withdrawn_final` BEFORE UPDATE ON `news`
WHEN OLD.`withdrawn_at` IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'Un avviso ritirato non si modifica più'); END;
--> statement-breakpoint
-- what was queued for the portal never changes (only its delivery state does): a new content is a new row
CREATE TRIGGER `portal_outbox_content_fixed` BEFORE UPDATE OF `event_id`, `key`, `type`, `body`, `previous_event_id`, `created_at` ON `portal_outbox`
BEGIN SELECT RAISE(ABORT, 'Un evento in coda per il portale non si modifica: una versione nuova è un evento nuovo'); END;
