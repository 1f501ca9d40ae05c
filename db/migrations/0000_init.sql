CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`user_id` integer,
	`username` text NOT NULL,
	`procedure` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text,
	`action` text NOT NULL,
	`before_json` text,
	`after_json` text
);
--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_user_idx` ON `audit_log` (`username`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`salt` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_uq` ON `users` (`username`);--> statement-breakpoint
CREATE TABLE `classes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`school_id` integer NOT NULL,
	`school_year_id` integer NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_year_id`) REFERENCES `school_years`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `classes_school_year_name_uq` ON `classes` (`school_id`,`school_year_id`,`name`);--> statement-breakpoint
CREATE TABLE `municipalities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`province` text DEFAULT '' NOT NULL,
	`cutoff_time` text NOT NULL,
	`enrollment_opens_on` text,
	`enrollment_closes_on` text,
	`notes` text DEFAULT '' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `municipalities_name_uq` ON `municipalities` (`name`);--> statement-breakpoint
CREATE TABLE `school_years` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`label` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `school_years_label_uq` ON `school_years` (`label`);--> statement-breakpoint
CREATE TABLE `schools` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`address` text DEFAULT '' NOT NULL,
	`service_weekdays` text DEFAULT '1,2,3,4,5' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `schools_municipality_name_uq` ON `schools` (`municipality_id`,`name`);--> statement-breakpoint
CREATE INDEX `schools_municipality_idx` ON `schools` (`municipality_id`);--> statement-breakpoint
CREATE TABLE `tariffs` (
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
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tariffs_municipality_idx` ON `tariffs` (`municipality_id`,`service`,`valid_from`);--> statement-breakpoint
CREATE TABLE `delegates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payer_id` integer NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`tax_code` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `delegates_payer_tax_code_uq` ON `delegates` (`payer_id`,`tax_code`);--> statement-breakpoint
CREATE TABLE `enrollments` (
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
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrollments_pupil_year_uq` ON `enrollments` (`pupil_id`,`school_year_id`);--> statement-breakpoint
CREATE INDEX `enrollments_year_status_idx` ON `enrollments` (`school_year_id`,`status`);--> statement-breakpoint
CREATE INDEX `enrollments_payer_idx` ON `enrollments` (`payer_id`);--> statement-breakpoint
CREATE INDEX `enrollments_school_idx` ON `enrollments` (`school_id`,`school_year_id`);--> statement-breakpoint
CREATE TABLE `payers` (
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
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payers_tax_code_uq` ON `payers` (`tax_code`);--> statement-breakpoint
CREATE INDEX `payers_name_idx` ON `payers` (`last_name`,`first_name`);--> statement-breakpoint
CREATE TABLE `pupils` (
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
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pupils_tax_code_uq` ON `pupils` (`tax_code`);--> statement-breakpoint
CREATE UNIQUE INDEX `pupils_user_code_uq` ON `pupils` (`user_code`);--> statement-breakpoint
CREATE UNIQUE INDEX `pupils_phone_code_uq` ON `pupils` (`phone_code`);--> statement-breakpoint
CREATE INDEX `pupils_name_idx` ON `pupils` (`last_name`,`first_name`);--> statement-breakpoint
CREATE INDEX `pupils_school_idx` ON `pupils` (`school_id`,`last_name`,`first_name`);--> statement-breakpoint
CREATE INDEX `pupils_class_idx` ON `pupils` (`class_id`);