CREATE TABLE `calendar_closures` (
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
	FOREIGN KEY (`cancelled_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `calendar_closures_municipality_idx` ON `calendar_closures` (`municipality_id`,`from_date`,`to_date`);--> statement-breakpoint
CREATE INDEX `calendar_closures_year_idx` ON `calendar_closures` (`school_year_id`);--> statement-breakpoint
CREATE TABLE `absences` (
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
	FOREIGN KEY (`ended_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `absences_pupil_idx` ON `absences` (`pupil_id`,`date`);--> statement-breakpoint
CREATE INDEX `absences_kind_date_idx` ON `absences` (`kind`,`date`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `absences_day_uq` ON `absences` (`pupil_id`,`kind`,`date`) WHERE "absences"."status" = 'attiva' AND "absences"."kind" IN ('giorno', 'in_bianco');--> statement-breakpoint
CREATE UNIQUE INDEX `absences_open_prolonged_uq` ON `absences` (`pupil_id`) WHERE "absences"."status" = 'attiva' AND "absences"."kind" = 'prolungata' AND "absences"."reactivated_on" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `absences_external_uq` ON `absences` (`source`,`external_id`) WHERE "absences"."external_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `attendance_notices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text NOT NULL,
	`kind` text NOT NULL,
	`municipality_id` integer,
	`date` text,
	`message` text NOT NULL,
	`read_at` text,
	`read_by` integer,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`read_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attendance_notices_created_idx` ON `attendance_notices` (`created_at`);--> statement-breakpoint
CREATE TABLE `cancellation_attempts` (
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
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attempts_pupil_idx` ON `cancellation_attempts` (`pupil_id`,`target_date`);--> statement-breakpoint
CREATE INDEX `attempts_date_idx` ON `cancellation_attempts` (`target_date`);--> statement-breakpoint
CREATE UNIQUE INDEX `attempts_external_uq` ON `cancellation_attempts` (`channel`,`external_id`) WHERE "cancellation_attempts"."external_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `day_closures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`date` text NOT NULL,
	`closed_at` text NOT NULL,
	`closed_by` integer,
	`mode` text NOT NULL,
	`meals` integer NOT NULL,
	`plain_meals` integer NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `day_closures_municipality_date_uq` ON `day_closures` (`municipality_id`,`date`);--> statement-breakpoint
CREATE INDEX `day_closures_date_idx` ON `day_closures` (`date`);--> statement-breakpoint
CREATE TABLE `meal_corrections` (
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
	FOREIGN KEY (`enrollment_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tariff_id`) REFERENCES `tariffs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meal_corrections_date_idx` ON `meal_corrections` (`date`,`municipality_id`);--> statement-breakpoint
CREATE INDEX `meal_corrections_pupil_idx` ON `meal_corrections` (`pupil_id`,`date`);--> statement-breakpoint
CREATE TABLE `meals` (
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
	FOREIGN KEY (`day_closure_id`) REFERENCES `day_closures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `meals_pupil_date_uq` ON `meals` (`pupil_id`,`date`);--> statement-breakpoint
CREATE INDEX `meals_kitchen_idx` ON `meals` (`date`,`municipality_id`,`school_id`,`class_id`,`plain`);