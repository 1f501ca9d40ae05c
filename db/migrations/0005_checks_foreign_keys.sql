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
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "audit_log_at_istante" CHECK("at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "at")),
	CONSTRAINT "audit_log_at_caratteri" CHECK(instr("at", char(0)) = 0 AND "at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "audit_log_username_caratteri" CHECK(instr("username", char(0)) = 0 AND "username" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "audit_log_procedure_caratteri" CHECK(instr("procedure", char(0)) = 0 AND "procedure" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "audit_log_entity_caratteri" CHECK(instr("entity", char(0)) = 0 AND "entity" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "audit_log_entity_id_caratteri" CHECK(instr("entity_id", char(0)) = 0 AND "entity_id" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "audit_log_action_caratteri" CHECK(instr("action", char(0)) = 0 AND "action" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "audit_log_before_json_caratteri" CHECK(instr("before_json", char(0)) = 0 AND "before_json" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "audit_log_after_json_caratteri" CHECK(instr("after_json", char(0)) = 0 AND "after_json" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_audit_log`("id", "at", "user_id", "username", "procedure", "entity", "entity_id", "action", "before_json", "after_json") SELECT "id", "at", "user_id", "username", "procedure", "entity", "entity_id", "action", "before_json", "after_json" FROM `audit_log`;--> statement-breakpoint
DROP TABLE `audit_log`;--> statement-breakpoint
ALTER TABLE `__new_audit_log` RENAME TO `audit_log`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_user_idx` ON `audit_log` (`username`);--> statement-breakpoint
CREATE TABLE `__new_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	CONSTRAINT "settings_key_caratteri" CHECK(instr("key", char(0)) = 0 AND "key" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "settings_value_caratteri" CHECK(instr("value", char(0)) = 0 AND "value" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_settings`("key", "value") SELECT "key", "value" FROM `settings`;--> statement-breakpoint
DROP TABLE `settings`;--> statement-breakpoint
ALTER TABLE `__new_settings` RENAME TO `settings`;--> statement-breakpoint
CREATE TABLE `__new_users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`salt` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "users_role_valori" CHECK("role" IN ('operatore', 'supervisore', 'amministratore')),
	CONSTRAINT "users_active_booleano" CHECK("active" IN (0, 1)),
	CONSTRAINT "users_username_vuoto" CHECK(length(trim("username")) > 0),
	CONSTRAINT "users_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "users_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "users_username_caratteri" CHECK(instr("username", char(0)) = 0 AND "username" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "users_display_name_caratteri" CHECK(instr("display_name", char(0)) = 0 AND "display_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "users_role_caratteri" CHECK(instr("role", char(0)) = 0 AND "role" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "users_password_hash_caratteri" CHECK(instr("password_hash", char(0)) = 0 AND "password_hash" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "users_salt_caratteri" CHECK(instr("salt", char(0)) = 0 AND "salt" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "users_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "users_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_users`("id", "username", "display_name", "role", "password_hash", "salt", "active", "created_at", "updated_at") SELECT "id", "username", "display_name", "role", "password_hash", "salt", "active", "created_at", "updated_at" FROM `users`;--> statement-breakpoint
DROP TABLE `users`;--> statement-breakpoint
ALTER TABLE `__new_users` RENAME TO `users`;--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_uq` ON `users` (`username`);--> statement-breakpoint
CREATE TABLE `__new_classes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`school_id` integer NOT NULL,
	`school_year_id` integer NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_year_id`) REFERENCES `school_years`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "classes_name_vuoto" CHECK(length(trim("name")) > 0),
	CONSTRAINT "classes_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "classes_name_caratteri" CHECK(instr("name", char(0)) = 0 AND "name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "classes_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_classes`("id", "school_id", "school_year_id", "name", "created_at") SELECT "id", "school_id", "school_year_id", "name", "created_at" FROM `classes`;--> statement-breakpoint
DROP TABLE `classes`;--> statement-breakpoint
ALTER TABLE `__new_classes` RENAME TO `classes`;--> statement-breakpoint
CREATE UNIQUE INDEX `classes_school_year_name_uq` ON `classes` (`school_id`,`school_year_id`,`name`);--> statement-breakpoint
CREATE TABLE `__new_municipalities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`province` text DEFAULT '' NOT NULL,
	`cutoff_time` text NOT NULL,
	`enrollment_opens_on` text,
	`enrollment_closes_on` text,
	`notes` text DEFAULT '' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "municipalities_name_vuoto" CHECK(length(trim("name")) > 0),
	CONSTRAINT "municipalities_cutoff_time_orario" CHECK("cutoff_time" GLOB '[0-2][0-9]:[0-5][0-9]' AND "cutoff_time" <= '23:59'),
	CONSTRAINT "municipalities_enrollment_opens_on_data" CHECK("enrollment_opens_on" IS date("enrollment_opens_on")),
	CONSTRAINT "municipalities_enrollment_closes_on_data" CHECK("enrollment_closes_on" IS date("enrollment_closes_on")),
	CONSTRAINT "municipalities_finestra_iscrizioni" CHECK("enrollment_closes_on" >= "enrollment_opens_on"),
	CONSTRAINT "municipalities_active_booleano" CHECK("active" IN (0, 1)),
	CONSTRAINT "municipalities_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "municipalities_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "municipalities_name_caratteri" CHECK(instr("name", char(0)) = 0 AND "name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "municipalities_province_caratteri" CHECK(instr("province", char(0)) = 0 AND "province" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "municipalities_cutoff_time_caratteri" CHECK(instr("cutoff_time", char(0)) = 0 AND "cutoff_time" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "municipalities_enrollment_opens_on_caratteri" CHECK(instr("enrollment_opens_on", char(0)) = 0 AND "enrollment_opens_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "municipalities_enrollment_closes_on_caratteri" CHECK(instr("enrollment_closes_on", char(0)) = 0 AND "enrollment_closes_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "municipalities_notes_caratteri" CHECK(instr("notes", char(0)) = 0 AND "notes" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "municipalities_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "municipalities_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_municipalities`("id", "name", "province", "cutoff_time", "enrollment_opens_on", "enrollment_closes_on", "notes", "active", "created_at", "updated_at") SELECT "id", "name", "province", "cutoff_time", "enrollment_opens_on", "enrollment_closes_on", "notes", "active", "created_at", "updated_at" FROM `municipalities`;--> statement-breakpoint
DROP TABLE `municipalities`;--> statement-breakpoint
ALTER TABLE `__new_municipalities` RENAME TO `municipalities`;--> statement-breakpoint
CREATE UNIQUE INDEX `municipalities_name_uq` ON `municipalities` (`name`);--> statement-breakpoint
CREATE TABLE `__new_school_years` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`label` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`created_at` text NOT NULL,
	CONSTRAINT "school_years_label_vuoto" CHECK(length(trim("label")) > 0),
	CONSTRAINT "school_years_starts_on_data" CHECK("starts_on" IS date("starts_on")),
	CONSTRAINT "school_years_ends_on_data" CHECK("ends_on" IS date("ends_on")),
	CONSTRAINT "school_years_date_ordine" CHECK("ends_on" > "starts_on"),
	CONSTRAINT "school_years_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "school_years_label_caratteri" CHECK(instr("label", char(0)) = 0 AND "label" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "school_years_starts_on_caratteri" CHECK(instr("starts_on", char(0)) = 0 AND "starts_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "school_years_ends_on_caratteri" CHECK(instr("ends_on", char(0)) = 0 AND "ends_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "school_years_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_school_years`("id", "label", "starts_on", "ends_on", "created_at") SELECT "id", "label", "starts_on", "ends_on", "created_at" FROM `school_years`;--> statement-breakpoint
DROP TABLE `school_years`;--> statement-breakpoint
ALTER TABLE `__new_school_years` RENAME TO `school_years`;--> statement-breakpoint
CREATE UNIQUE INDEX `school_years_label_uq` ON `school_years` (`label`);--> statement-breakpoint
CREATE TABLE `__new_schools` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`address` text DEFAULT '' NOT NULL,
	`service_weekdays` text DEFAULT '1,2,3,4,5' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "schools_name_vuoto" CHECK(length(trim("name")) > 0),
	CONSTRAINT "schools_kind_valori" CHECK("kind" IN ('infanzia', 'primaria', 'secondaria')),
	CONSTRAINT "schools_service_weekdays_giorni" CHECK("service_weekdays" IN ('1', '1,2', '1,2,3', '1,2,3,4', '1,2,3,4,5', '1,2,3,5', '1,2,4', '1,2,4,5', '1,2,5', '1,3', '1,3,4', '1,3,4,5', '1,3,5', '1,4', '1,4,5', '1,5', '2', '2,3', '2,3,4', '2,3,4,5', '2,3,5', '2,4', '2,4,5', '2,5', '3', '3,4', '3,4,5', '3,5', '4', '4,5', '5')),
	CONSTRAINT "schools_active_booleano" CHECK("active" IN (0, 1)),
	CONSTRAINT "schools_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "schools_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "schools_name_caratteri" CHECK(instr("name", char(0)) = 0 AND "name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "schools_kind_caratteri" CHECK(instr("kind", char(0)) = 0 AND "kind" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "schools_address_caratteri" CHECK(instr("address", char(0)) = 0 AND "address" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "schools_service_weekdays_caratteri" CHECK(instr("service_weekdays", char(0)) = 0 AND "service_weekdays" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "schools_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "schools_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_schools`("id", "municipality_id", "name", "kind", "address", "service_weekdays", "active", "created_at", "updated_at") SELECT "id", "municipality_id", "name", "kind", "address", "service_weekdays", "active", "created_at", "updated_at" FROM `schools`;--> statement-breakpoint
DROP TABLE `schools`;--> statement-breakpoint
ALTER TABLE `__new_schools` RENAME TO `schools`;--> statement-breakpoint
CREATE UNIQUE INDEX `schools_municipality_name_uq` ON `schools` (`municipality_id`,`name`);--> statement-breakpoint
CREATE INDEX `schools_municipality_idx` ON `schools` (`municipality_id`);--> statement-breakpoint
CREATE TABLE `__new_tariffs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`service` text DEFAULT 'mensa' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`gross_cents` integer NOT NULL,
	`net_cents` integer NOT NULL,
	`vat_rate_bp` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "tariffs_service_vuoto" CHECK(length(trim("service")) > 0),
	CONSTRAINT "tariffs_valid_from_data" CHECK("valid_from" IS date("valid_from")),
	CONSTRAINT "tariffs_valid_to_data" CHECK("valid_to" IS date("valid_to")),
	CONSTRAINT "tariffs_validita_ordine" CHECK("valid_to" >= "valid_from"),
	CONSTRAINT "tariffs_gross_cents_centesimi" CHECK(typeof("gross_cents") IN ('integer', 'null') AND "gross_cents" BETWEEN 1 AND 100000),
	CONSTRAINT "tariffs_net_cents_centesimi" CHECK(typeof("net_cents") IN ('integer', 'null') AND "net_cents" BETWEEN 1 AND 100000),
	CONSTRAINT "tariffs_imponibile_lordo" CHECK("net_cents" <= "gross_cents"),
	CONSTRAINT "tariffs_vat_rate_bp_percentuale" CHECK(typeof("vat_rate_bp") IN ('integer', 'null') AND "vat_rate_bp" BETWEEN 0 AND 10000),
	CONSTRAINT "tariffs_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "tariffs_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "tariffs_service_caratteri" CHECK(instr("service", char(0)) = 0 AND "service" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "tariffs_description_caratteri" CHECK(instr("description", char(0)) = 0 AND "description" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "tariffs_valid_from_caratteri" CHECK(instr("valid_from", char(0)) = 0 AND "valid_from" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "tariffs_valid_to_caratteri" CHECK(instr("valid_to", char(0)) = 0 AND "valid_to" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "tariffs_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "tariffs_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_tariffs`("id", "municipality_id", "service", "description", "valid_from", "valid_to", "gross_cents", "net_cents", "vat_rate_bp", "created_at", "updated_at") SELECT "id", "municipality_id", "service", "description", "valid_from", "valid_to", "gross_cents", "net_cents", "vat_rate_bp", "created_at", "updated_at" FROM `tariffs`;--> statement-breakpoint
DROP TABLE `tariffs`;--> statement-breakpoint
ALTER TABLE `__new_tariffs` RENAME TO `tariffs`;--> statement-breakpoint
CREATE INDEX `tariffs_municipality_idx` ON `tariffs` (`municipality_id`,`service`,`valid_from`);--> statement-breakpoint
CREATE TABLE `__new_delegates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payer_id` integer NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`tax_code` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "delegates_nome_vuoto" CHECK(length(trim("first_name")) > 0 AND length(trim("last_name")) > 0),
	CONSTRAINT "delegates_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "delegates_first_name_caratteri" CHECK(instr("first_name", char(0)) = 0 AND "first_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "delegates_last_name_caratteri" CHECK(instr("last_name", char(0)) = 0 AND "last_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "delegates_tax_code_caratteri" CHECK(instr("tax_code", char(0)) = 0 AND "tax_code" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "delegates_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_delegates`("id", "payer_id", "first_name", "last_name", "tax_code", "created_at") SELECT "id", "payer_id", "first_name", "last_name", "tax_code", "created_at" FROM `delegates`;--> statement-breakpoint
DROP TABLE `delegates`;--> statement-breakpoint
ALTER TABLE `__new_delegates` RENAME TO `delegates`;--> statement-breakpoint
CREATE UNIQUE INDEX `delegates_payer_tax_code_uq` ON `delegates` (`payer_id`,`tax_code`);--> statement-breakpoint
CREATE TABLE `__new_enrollments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pupil_id` integer NOT NULL,
	`school_year_id` integer NOT NULL,
	`payer_id` integer NOT NULL,
	`school_id` integer NOT NULL,
	`class_id` integer,
	`weekdays` text NOT NULL,
	`payment_method` text NOT NULL,
	`status` text NOT NULL,
	`starts_on` text NOT NULL,
	`activated_on` text,
	`suspended_on` text,
	`withdrawn_on` text,
	`withdrawal_reason` text,
	`renewed_from_id` integer,
	`notes` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_year_id`) REFERENCES `school_years`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`renewed_from_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "enrollments_weekdays_giorni" CHECK("weekdays" IN ('1', '1,2', '1,2,3', '1,2,3,4', '1,2,3,4,5', '1,2,3,5', '1,2,4', '1,2,4,5', '1,2,5', '1,3', '1,3,4', '1,3,4,5', '1,3,5', '1,4', '1,4,5', '1,5', '2', '2,3', '2,3,4', '2,3,4,5', '2,3,5', '2,4', '2,4,5', '2,5', '3', '3,4', '3,4,5', '3,5', '4', '4,5', '5')),
	CONSTRAINT "enrollments_payment_method_valori" CHECK("payment_method" IN ('prepagato', 'sdd')),
	CONSTRAINT "enrollments_status_valori" CHECK("status" IN ('bozza', 'attiva', 'sospesa', 'ritirata')),
	CONSTRAINT "enrollments_starts_on_data" CHECK("starts_on" IS date("starts_on")),
	CONSTRAINT "enrollments_activated_on_data" CHECK("activated_on" IS date("activated_on")),
	CONSTRAINT "enrollments_suspended_on_data" CHECK("suspended_on" IS date("suspended_on")),
	CONSTRAINT "enrollments_withdrawn_on_data" CHECK("withdrawn_on" IS date("withdrawn_on")),
	CONSTRAINT "enrollments_rinnovo_diverso" CHECK("renewed_from_id" <> "id"),
	CONSTRAINT "enrollments_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "enrollments_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "enrollments_weekdays_caratteri" CHECK(instr("weekdays", char(0)) = 0 AND "weekdays" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "enrollments_payment_method_caratteri" CHECK(instr("payment_method", char(0)) = 0 AND "payment_method" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "enrollments_status_caratteri" CHECK(instr("status", char(0)) = 0 AND "status" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "enrollments_starts_on_caratteri" CHECK(instr("starts_on", char(0)) = 0 AND "starts_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "enrollments_activated_on_caratteri" CHECK(instr("activated_on", char(0)) = 0 AND "activated_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "enrollments_suspended_on_caratteri" CHECK(instr("suspended_on", char(0)) = 0 AND "suspended_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "enrollments_withdrawn_on_caratteri" CHECK(instr("withdrawn_on", char(0)) = 0 AND "withdrawn_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "enrollments_withdrawal_reason_caratteri" CHECK(instr("withdrawal_reason", char(0)) = 0 AND "withdrawal_reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "enrollments_notes_caratteri" CHECK(instr("notes", char(0)) = 0 AND "notes" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "enrollments_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "enrollments_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_enrollments`("id", "pupil_id", "school_year_id", "payer_id", "school_id", "class_id", "weekdays", "payment_method", "status", "starts_on", "activated_on", "suspended_on", "withdrawn_on", "withdrawal_reason", "renewed_from_id", "notes", "created_at", "updated_at") SELECT "id", "pupil_id", "school_year_id", "payer_id", "school_id", "class_id", "weekdays", "payment_method", "status", "starts_on", "activated_on", "suspended_on", "withdrawn_on", "withdrawal_reason", "renewed_from_id", "notes", "created_at", "updated_at" FROM `enrollments`;--> statement-breakpoint
DROP TABLE `enrollments`;--> statement-breakpoint
ALTER TABLE `__new_enrollments` RENAME TO `enrollments`;--> statement-breakpoint
CREATE UNIQUE INDEX `enrollments_pupil_year_uq` ON `enrollments` (`pupil_id`,`school_year_id`);--> statement-breakpoint
CREATE INDEX `enrollments_year_status_idx` ON `enrollments` (`school_year_id`,`status`);--> statement-breakpoint
CREATE INDEX `enrollments_payer_idx` ON `enrollments` (`payer_id`);--> statement-breakpoint
CREATE INDEX `enrollments_school_idx` ON `enrollments` (`school_id`,`school_year_id`);--> statement-breakpoint
CREATE TABLE `__new_payers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`tax_code` text NOT NULL,
	`email` text NOT NULL,
	`mobile` text NOT NULL,
	`street` text DEFAULT '' NOT NULL,
	`street_number` text DEFAULT '' NOT NULL,
	`postcode` text DEFAULT '' NOT NULL,
	`town` text DEFAULT '' NOT NULL,
	`province` text DEFAULT '' NOT NULL,
	`country` text DEFAULT 'IT' NOT NULL,
	`iban` text,
	`iban_holder` text,
	`search_text` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "payers_nome_vuoto" CHECK(length(trim("first_name")) > 0 AND length(trim("last_name")) > 0),
	CONSTRAINT "payers_country_codice" CHECK("country" GLOB '[A-Z][A-Z]'),
	CONSTRAINT "payers_iban_forma" CHECK(length("iban") BETWEEN 15 AND 34 AND "iban" GLOB '[A-Z][A-Z][0-9][0-9]*' AND "iban" NOT GLOB '*[^A-Z0-9]*'),
	CONSTRAINT "payers_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "payers_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "payers_first_name_caratteri" CHECK(instr("first_name", char(0)) = 0 AND "first_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_last_name_caratteri" CHECK(instr("last_name", char(0)) = 0 AND "last_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_tax_code_caratteri" CHECK(instr("tax_code", char(0)) = 0 AND "tax_code" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_email_caratteri" CHECK(instr("email", char(0)) = 0 AND "email" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_mobile_caratteri" CHECK(instr("mobile", char(0)) = 0 AND "mobile" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_street_caratteri" CHECK(instr("street", char(0)) = 0 AND "street" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_street_number_caratteri" CHECK(instr("street_number", char(0)) = 0 AND "street_number" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_postcode_caratteri" CHECK(instr("postcode", char(0)) = 0 AND "postcode" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_town_caratteri" CHECK(instr("town", char(0)) = 0 AND "town" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_province_caratteri" CHECK(instr("province", char(0)) = 0 AND "province" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_country_caratteri" CHECK(instr("country", char(0)) = 0 AND "country" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_iban_caratteri" CHECK(instr("iban", char(0)) = 0 AND "iban" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_iban_holder_caratteri" CHECK(instr("iban_holder", char(0)) = 0 AND "iban_holder" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_search_text_caratteri" CHECK(instr("search_text", char(0)) = 0 AND "search_text" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "payers_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_payers`("id", "first_name", "last_name", "tax_code", "email", "mobile", "street", "street_number", "postcode", "town", "province", "country", "iban", "iban_holder", "search_text", "created_at", "updated_at") SELECT "id", "first_name", "last_name", "tax_code", "email", "mobile", "street", "street_number", "postcode", "town", "province", "country", "iban", "iban_holder", "search_text", "created_at", "updated_at" FROM `payers`;--> statement-breakpoint
DROP TABLE `payers`;--> statement-breakpoint
ALTER TABLE `__new_payers` RENAME TO `payers`;--> statement-breakpoint
CREATE UNIQUE INDEX `payers_tax_code_uq` ON `payers` (`tax_code`);--> statement-breakpoint
CREATE INDEX `payers_name_idx` ON `payers` (`last_name`,`first_name`);--> statement-breakpoint
CREATE TABLE `__new_pupils` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`birth_date` text NOT NULL,
	`tax_code` text NOT NULL,
	`user_code` text NOT NULL,
	`phone_code` text NOT NULL,
	`school_id` integer NOT NULL,
	`class_id` integer,
	`notes` text DEFAULT '' NOT NULL,
	`search_text` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "pupils_nome_vuoto" CHECK(length(trim("first_name")) > 0 AND length(trim("last_name")) > 0),
	CONSTRAINT "pupils_birth_date_data" CHECK("birth_date" IS date("birth_date")),
	CONSTRAINT "pupils_codici_vuoti" CHECK(length("tax_code") > 0 AND length("user_code") > 0 AND length("phone_code") > 0),
	CONSTRAINT "pupils_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "pupils_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "pupils_first_name_caratteri" CHECK(instr("first_name", char(0)) = 0 AND "first_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pupils_last_name_caratteri" CHECK(instr("last_name", char(0)) = 0 AND "last_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pupils_birth_date_caratteri" CHECK(instr("birth_date", char(0)) = 0 AND "birth_date" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pupils_tax_code_caratteri" CHECK(instr("tax_code", char(0)) = 0 AND "tax_code" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pupils_user_code_caratteri" CHECK(instr("user_code", char(0)) = 0 AND "user_code" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pupils_phone_code_caratteri" CHECK(instr("phone_code", char(0)) = 0 AND "phone_code" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pupils_notes_caratteri" CHECK(instr("notes", char(0)) = 0 AND "notes" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pupils_search_text_caratteri" CHECK(instr("search_text", char(0)) = 0 AND "search_text" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pupils_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pupils_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_pupils`("id", "first_name", "last_name", "birth_date", "tax_code", "user_code", "phone_code", "school_id", "class_id", "notes", "search_text", "created_at", "updated_at") SELECT "id", "first_name", "last_name", "birth_date", "tax_code", "user_code", "phone_code", "school_id", "class_id", "notes", "search_text", "created_at", "updated_at" FROM `pupils`;--> statement-breakpoint
DROP TABLE `pupils`;--> statement-breakpoint
ALTER TABLE `__new_pupils` RENAME TO `pupils`;--> statement-breakpoint
CREATE UNIQUE INDEX `pupils_tax_code_uq` ON `pupils` (`tax_code`);--> statement-breakpoint
CREATE UNIQUE INDEX `pupils_user_code_uq` ON `pupils` (`user_code`);--> statement-breakpoint
CREATE UNIQUE INDEX `pupils_phone_code_uq` ON `pupils` (`phone_code`);--> statement-breakpoint
CREATE INDEX `pupils_name_idx` ON `pupils` (`last_name`,`first_name`);--> statement-breakpoint
CREATE INDEX `pupils_school_idx` ON `pupils` (`school_id`,`last_name`,`first_name`);--> statement-breakpoint
CREATE INDEX `pupils_class_idx` ON `pupils` (`class_id`);--> statement-breakpoint
CREATE TABLE `__new_calendar_closures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`school_year_id` integer NOT NULL,
	`scope` text NOT NULL,
	`municipality_id` integer NOT NULL,
	`school_id` integer,
	`class_id` integer,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`kind` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`origin` text DEFAULT 'manuale' NOT NULL,
	`created_by` integer,
	`created_at` text NOT NULL,
	`cancelled_at` text,
	`cancelled_by` integer,
	`cancel_reason` text,
	FOREIGN KEY (`school_year_id`) REFERENCES `school_years`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cancelled_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "calendar_closures_scope_valori" CHECK("scope" IN ('comune', 'scuola', 'classe')),
	CONSTRAINT "calendar_closures_kind_valori" CHECK("kind" IN ('chiusura', 'vacanza', 'festivita_locale', 'sciopero', 'gita', 'seggio_elettorale', 'altro')),
	CONSTRAINT "calendar_closures_origin_valori" CHECK("origin" IN ('manuale', 'importazione', 'copia')),
	CONSTRAINT "calendar_closures_ambito" CHECK(("scope" = 'comune' AND "school_id" IS NULL AND "class_id" IS NULL)
        OR ("scope" = 'scuola' AND "school_id" IS NOT NULL AND "class_id" IS NULL)
        OR ("scope" = 'classe' AND "school_id" IS NOT NULL AND "class_id" IS NOT NULL)),
	CONSTRAINT "calendar_closures_from_date_data" CHECK("from_date" IS date("from_date")),
	CONSTRAINT "calendar_closures_to_date_data" CHECK("to_date" IS date("to_date")),
	CONSTRAINT "calendar_closures_date_ordine" CHECK("to_date" >= "from_date"),
	CONSTRAINT "calendar_closures_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "calendar_closures_cancelled_at_istante" CHECK("cancelled_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "cancelled_at")),
	CONSTRAINT "calendar_closures_annullamento" CHECK("cancelled_at" IS NOT NULL OR ("cancelled_by" IS NULL AND "cancel_reason" IS NULL)),
	CONSTRAINT "calendar_closures_scope_caratteri" CHECK(instr("scope", char(0)) = 0 AND "scope" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "calendar_closures_from_date_caratteri" CHECK(instr("from_date", char(0)) = 0 AND "from_date" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "calendar_closures_to_date_caratteri" CHECK(instr("to_date", char(0)) = 0 AND "to_date" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "calendar_closures_kind_caratteri" CHECK(instr("kind", char(0)) = 0 AND "kind" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "calendar_closures_reason_caratteri" CHECK(instr("reason", char(0)) = 0 AND "reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "calendar_closures_origin_caratteri" CHECK(instr("origin", char(0)) = 0 AND "origin" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "calendar_closures_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "calendar_closures_cancelled_at_caratteri" CHECK(instr("cancelled_at", char(0)) = 0 AND "cancelled_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "calendar_closures_cancel_reason_caratteri" CHECK(instr("cancel_reason", char(0)) = 0 AND "cancel_reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_calendar_closures`("id", "school_year_id", "scope", "municipality_id", "school_id", "class_id", "from_date", "to_date", "kind", "reason", "origin", "created_by", "created_at", "cancelled_at", "cancelled_by", "cancel_reason") SELECT "id", "school_year_id", "scope", "municipality_id", "school_id", "class_id", "from_date", "to_date", "kind", "reason", "origin", "created_by", "created_at", "cancelled_at", "cancelled_by", "cancel_reason" FROM `calendar_closures`;--> statement-breakpoint
DROP TABLE `calendar_closures`;--> statement-breakpoint
ALTER TABLE `__new_calendar_closures` RENAME TO `calendar_closures`;--> statement-breakpoint
CREATE INDEX `calendar_closures_municipality_idx` ON `calendar_closures` (`municipality_id`,`from_date`,`to_date`);--> statement-breakpoint
CREATE INDEX `calendar_closures_year_idx` ON `calendar_closures` (`school_year_id`);--> statement-breakpoint
CREATE TABLE `__new_absences` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pupil_id` integer NOT NULL,
	`kind` text NOT NULL,
	`date` text NOT NULL,
	`reactivated_on` text,
	`source` text NOT NULL,
	`acted_at` text NOT NULL,
	`external_id` text,
	`status` text DEFAULT 'attiva' NOT NULL,
	`override_reason` text,
	`created_by` integer,
	`created_at` text NOT NULL,
	`ended_at` text,
	`ended_by` integer,
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ended_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "absences_kind_valori" CHECK("kind" IN ('giorno', 'prolungata', 'in_bianco')),
	CONSTRAINT "absences_source_valori" CHECK("source" IN ('ufficio', 'portale', 'app', 'telefono')),
	CONSTRAINT "absences_status_valori" CHECK("status" IN ('attiva', 'annullata', 'sostituita')),
	CONSTRAINT "absences_date_data" CHECK("date" IS date("date")),
	CONSTRAINT "absences_reactivated_on_data" CHECK("reactivated_on" IS date("reactivated_on")),
	CONSTRAINT "absences_riattivazione" CHECK("reactivated_on" IS NULL OR ("kind" = 'prolungata' AND "reactivated_on" > "date")),
	CONSTRAINT "absences_acted_at_istante" CHECK("acted_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "acted_at")),
	CONSTRAINT "absences_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "absences_ended_at_istante" CHECK("ended_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "ended_at")),
	CONSTRAINT "absences_kind_caratteri" CHECK(instr("kind", char(0)) = 0 AND "kind" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "absences_date_caratteri" CHECK(instr("date", char(0)) = 0 AND "date" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "absences_reactivated_on_caratteri" CHECK(instr("reactivated_on", char(0)) = 0 AND "reactivated_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "absences_source_caratteri" CHECK(instr("source", char(0)) = 0 AND "source" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "absences_acted_at_caratteri" CHECK(instr("acted_at", char(0)) = 0 AND "acted_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "absences_external_id_caratteri" CHECK(instr("external_id", char(0)) = 0 AND "external_id" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "absences_status_caratteri" CHECK(instr("status", char(0)) = 0 AND "status" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "absences_override_reason_caratteri" CHECK(instr("override_reason", char(0)) = 0 AND "override_reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "absences_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "absences_ended_at_caratteri" CHECK(instr("ended_at", char(0)) = 0 AND "ended_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_absences`("id", "pupil_id", "kind", "date", "reactivated_on", "source", "acted_at", "external_id", "status", "override_reason", "created_by", "created_at", "ended_at", "ended_by") SELECT "id", "pupil_id", "kind", "date", "reactivated_on", "source", "acted_at", "external_id", "status", "override_reason", "created_by", "created_at", "ended_at", "ended_by" FROM `absences`;--> statement-breakpoint
DROP TABLE `absences`;--> statement-breakpoint
ALTER TABLE `__new_absences` RENAME TO `absences`;--> statement-breakpoint
CREATE INDEX `absences_pupil_idx` ON `absences` (`pupil_id`,`date`);--> statement-breakpoint
CREATE INDEX `absences_kind_date_idx` ON `absences` (`kind`,`date`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `absences_day_uq` ON `absences` (`pupil_id`,`kind`,`date`) WHERE "absences"."status" = 'attiva' AND "absences"."kind" IN ('giorno', 'in_bianco');--> statement-breakpoint
CREATE UNIQUE INDEX `absences_open_prolonged_uq` ON `absences` (`pupil_id`) WHERE "absences"."status" = 'attiva' AND "absences"."kind" = 'prolungata' AND "absences"."reactivated_on" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `absences_external_uq` ON `absences` (`source`,`external_id`) WHERE "absences"."external_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `__new_attendance_notices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`kind` text NOT NULL,
	`municipality_id` integer,
	`date` text,
	`message` text NOT NULL,
	`read_at` text,
	`read_by` integer,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`read_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "attendance_notices_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "attendance_notices_kind_valori" CHECK("kind" IN ('chiusura_in_ritardo', 'chiusura_non_riuscita', 'richiesta_dopo_chiusura')),
	CONSTRAINT "attendance_notices_date_data" CHECK("date" IS date("date")),
	CONSTRAINT "attendance_notices_read_at_istante" CHECK("read_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "read_at")),
	CONSTRAINT "attendance_notices_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "attendance_notices_kind_caratteri" CHECK(instr("kind", char(0)) = 0 AND "kind" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "attendance_notices_date_caratteri" CHECK(instr("date", char(0)) = 0 AND "date" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "attendance_notices_message_caratteri" CHECK(instr("message", char(0)) = 0 AND "message" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "attendance_notices_read_at_caratteri" CHECK(instr("read_at", char(0)) = 0 AND "read_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_attendance_notices`("id", "created_at", "kind", "municipality_id", "date", "message", "read_at", "read_by") SELECT "id", "created_at", "kind", "municipality_id", "date", "message", "read_at", "read_by" FROM `attendance_notices`;--> statement-breakpoint
DROP TABLE `attendance_notices`;--> statement-breakpoint
ALTER TABLE `__new_attendance_notices` RENAME TO `attendance_notices`;--> statement-breakpoint
CREATE INDEX `attendance_notices_created_idx` ON `attendance_notices` (`created_at`);--> statement-breakpoint
CREATE TABLE `__new_cancellation_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pupil_id` integer NOT NULL,
	`action` text NOT NULL,
	`channel` text NOT NULL,
	`acted_at` text NOT NULL,
	`recorded_at` text NOT NULL,
	`target_date` text,
	`outcome` text NOT NULL,
	`message` text NOT NULL,
	`absence_id` integer,
	`override_reason` text,
	`external_id` text,
	`user_id` integer,
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`absence_id`) REFERENCES `absences`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "cancellation_attempts_action_valori" CHECK("action" IN ('disdetta', 'ripristino', 'assenza_prolungata', 'riattivazione', 'pasto_in_bianco', 'annulla_pasto_in_bianco')),
	CONSTRAINT "cancellation_attempts_channel_valori" CHECK("channel" IN ('ufficio', 'portale', 'app', 'telefono')),
	CONSTRAINT "cancellation_attempts_outcome_valori" CHECK("outcome" IN ('accettata', 'accettata_con_deroga', 'tardiva', 'rifiutata_non_servizio', 'rifiutata_fuori_orario', 'rifiutata', 'gia_registrata')),
	CONSTRAINT "cancellation_attempts_acted_at_istante" CHECK("acted_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "acted_at")),
	CONSTRAINT "cancellation_attempts_recorded_at_istante" CHECK("recorded_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "recorded_at")),
	CONSTRAINT "cancellation_attempts_target_date_data" CHECK("target_date" IS date("target_date")),
	CONSTRAINT "cancellation_attempts_action_caratteri" CHECK(instr("action", char(0)) = 0 AND "action" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "cancellation_attempts_channel_caratteri" CHECK(instr("channel", char(0)) = 0 AND "channel" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "cancellation_attempts_acted_at_caratteri" CHECK(instr("acted_at", char(0)) = 0 AND "acted_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "cancellation_attempts_recorded_at_caratteri" CHECK(instr("recorded_at", char(0)) = 0 AND "recorded_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "cancellation_attempts_target_date_caratteri" CHECK(instr("target_date", char(0)) = 0 AND "target_date" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "cancellation_attempts_outcome_caratteri" CHECK(instr("outcome", char(0)) = 0 AND "outcome" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "cancellation_attempts_message_caratteri" CHECK(instr("message", char(0)) = 0 AND "message" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "cancellation_attempts_override_reason_caratteri" CHECK(instr("override_reason", char(0)) = 0 AND "override_reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "cancellation_attempts_external_id_caratteri" CHECK(instr("external_id", char(0)) = 0 AND "external_id" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_cancellation_attempts`("id", "pupil_id", "action", "channel", "acted_at", "recorded_at", "target_date", "outcome", "message", "absence_id", "override_reason", "external_id", "user_id") SELECT "id", "pupil_id", "action", "channel", "acted_at", "recorded_at", "target_date", "outcome", "message", "absence_id", "override_reason", "external_id", "user_id" FROM `cancellation_attempts`;--> statement-breakpoint
DROP TABLE `cancellation_attempts`;--> statement-breakpoint
ALTER TABLE `__new_cancellation_attempts` RENAME TO `cancellation_attempts`;--> statement-breakpoint
CREATE INDEX `attempts_pupil_idx` ON `cancellation_attempts` (`pupil_id`,`target_date`);--> statement-breakpoint
CREATE INDEX `attempts_date_idx` ON `cancellation_attempts` (`target_date`);--> statement-breakpoint
CREATE UNIQUE INDEX `attempts_external_uq` ON `cancellation_attempts` (`channel`,`external_id`) WHERE "cancellation_attempts"."external_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `__new_day_closures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`date` text NOT NULL,
	`closed_at` text NOT NULL,
	`closed_by` integer,
	`mode` text NOT NULL,
	`meals` integer NOT NULL,
	`plain_meals` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "day_closures_date_data" CHECK("date" IS date("date")),
	CONSTRAINT "day_closures_closed_at_istante" CHECK("closed_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "closed_at")),
	CONSTRAINT "day_closures_mode_valori" CHECK("mode" IN ('automatica', 'recupero', 'manuale')),
	CONSTRAINT "day_closures_meals_conteggio" CHECK(typeof("meals") IN ('integer', 'null') AND "meals" BETWEEN 0 AND 1000000),
	CONSTRAINT "day_closures_plain_meals_conteggio" CHECK(typeof("plain_meals") IN ('integer', 'null') AND "plain_meals" BETWEEN 0 AND 1000000),
	CONSTRAINT "day_closures_in_bianco_pasti" CHECK("plain_meals" <= "meals")
);
--> statement-breakpoint
INSERT INTO `__new_day_closures`("id", "municipality_id", "date", "closed_at", "closed_by", "mode", "meals", "plain_meals") SELECT "id", "municipality_id", "date", "closed_at", "closed_by", "mode", "meals", "plain_meals" FROM `day_closures`;--> statement-breakpoint
DROP TABLE `day_closures`;--> statement-breakpoint
ALTER TABLE `__new_day_closures` RENAME TO `day_closures`;--> statement-breakpoint
CREATE UNIQUE INDEX `day_closures_municipality_date_uq` ON `day_closures` (`municipality_id`,`date`);--> statement-breakpoint
CREATE INDEX `day_closures_date_idx` ON `day_closures` (`date`);--> statement-breakpoint
CREATE TABLE `__new_meal_corrections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pupil_id` integer NOT NULL,
	`date` text NOT NULL,
	`meal_id` integer,
	`replaces_id` integer,
	`present` integer NOT NULL,
	`plain` integer DEFAULT false NOT NULL,
	`enrollment_id` integer NOT NULL,
	`municipality_id` integer NOT NULL,
	`school_id` integer NOT NULL,
	`class_id` integer,
	`tariff_id` integer,
	`price_cents` integer,
	`reason` text NOT NULL,
	`origin` text DEFAULT 'rettifica' NOT NULL,
	`created_by` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`meal_id`) REFERENCES `meals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`replaces_id`) REFERENCES `meal_corrections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enrollment_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tariff_id`) REFERENCES `tariffs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "meal_corrections_date_data" CHECK("date" IS date("date")),
	CONSTRAINT "meal_corrections_present_booleano" CHECK("present" IN (0, 1)),
	CONSTRAINT "meal_corrections_plain_booleano" CHECK("plain" IN (0, 1)),
	CONSTRAINT "meal_corrections_in_bianco_presente" CHECK("plain" = 0 OR "present" = 1),
	CONSTRAINT "meal_corrections_price_cents_centesimi" CHECK(typeof("price_cents") IN ('integer', 'null') AND "price_cents" BETWEEN 0 AND 100000),
	CONSTRAINT "meal_corrections_origin_valori" CHECK("origin" IN ('rettifica', 'disdetta_in_tempo')),
	CONSTRAINT "meal_corrections_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "meal_corrections_sostituisce_precedente" CHECK("replaces_id" < "id"),
	CONSTRAINT "meal_corrections_date_caratteri" CHECK(instr("date", char(0)) = 0 AND "date" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "meal_corrections_reason_caratteri" CHECK(instr("reason", char(0)) = 0 AND "reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "meal_corrections_origin_caratteri" CHECK(instr("origin", char(0)) = 0 AND "origin" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "meal_corrections_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
INSERT INTO `__new_meal_corrections`("id", "pupil_id", "date", "meal_id", "replaces_id", "present", "plain", "enrollment_id", "municipality_id", "school_id", "class_id", "tariff_id", "price_cents", "reason", "origin", "created_by", "created_at") SELECT "id", "pupil_id", "date", "meal_id", "replaces_id", "present", "plain", "enrollment_id", "municipality_id", "school_id", "class_id", "tariff_id", "price_cents", "reason", "origin", "created_by", "created_at" FROM `meal_corrections`;--> statement-breakpoint
DROP TABLE `meal_corrections`;--> statement-breakpoint
ALTER TABLE `__new_meal_corrections` RENAME TO `meal_corrections`;--> statement-breakpoint
CREATE INDEX `meal_corrections_date_idx` ON `meal_corrections` (`date`,`municipality_id`);--> statement-breakpoint
CREATE INDEX `meal_corrections_pupil_idx` ON `meal_corrections` (`pupil_id`,`date`);--> statement-breakpoint
CREATE TABLE `__new_meals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pupil_id` integer NOT NULL,
	`date` text NOT NULL,
	`enrollment_id` integer NOT NULL,
	`municipality_id` integer NOT NULL,
	`school_id` integer NOT NULL,
	`class_id` integer,
	`plain` integer DEFAULT false NOT NULL,
	`tariff_id` integer,
	`price_cents` integer,
	`day_closure_id` integer NOT NULL,
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enrollment_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tariff_id`) REFERENCES `tariffs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`day_closure_id`) REFERENCES `day_closures`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "meals_date_data" CHECK("date" IS date("date")),
	CONSTRAINT "meals_plain_booleano" CHECK("plain" IN (0, 1)),
	CONSTRAINT "meals_price_cents_centesimi" CHECK(typeof("price_cents") IN ('integer', 'null') AND "price_cents" BETWEEN 0 AND 100000)
);
--> statement-breakpoint
INSERT INTO `__new_meals`("id", "pupil_id", "date", "enrollment_id", "municipality_id", "school_id", "class_id", "plain", "tariff_id", "price_cents", "day_closure_id") SELECT "id", "pupil_id", "date", "enrollment_id", "municipality_id", "school_id", "class_id", "plain", "tariff_id", "price_cents", "day_closure_id" FROM `meals`;--> statement-breakpoint
DROP TABLE `meals`;--> statement-breakpoint
ALTER TABLE `__new_meals` RENAME TO `meals`;--> statement-breakpoint
CREATE UNIQUE INDEX `meals_pupil_date_uq` ON `meals` (`pupil_id`,`date`);--> statement-breakpoint
CREATE INDEX `meals_kitchen_idx` ON `meals` (`date`,`municipality_id`,`school_id`,`class_id`,`plain`);