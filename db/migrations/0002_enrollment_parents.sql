CREATE TABLE `enrollment_parents` (
	`enrollment_id` integer PRIMARY KEY NOT NULL,
	`enrolled_by_id` integer,
	`second_parent_id` integer,
	`tax_statement_names` text DEFAULT 'pagante' NOT NULL,
	`payer_share_pct` integer DEFAULT 50 NOT NULL,
	`second_parent_share_pct` integer DEFAULT 50 NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`enrollment_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enrolled_by_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`second_parent_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "enrollment_parents_names_ck" CHECK("enrollment_parents"."tax_statement_names" IN ('pagante', 'alunno')),
	CONSTRAINT "enrollment_parents_shares_ck" CHECK("enrollment_parents"."payer_share_pct" BETWEEN 0 AND 100 AND "enrollment_parents"."second_parent_share_pct" BETWEEN 0 AND 100 AND "enrollment_parents"."payer_share_pct" + "enrollment_parents"."second_parent_share_pct" = 100),
	CONSTRAINT "enrollment_parents_pupil_named_ck" CHECK("enrollment_parents"."tax_statement_names" = 'pagante' OR "enrollment_parents"."second_parent_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE INDEX `enrollment_parents_second_idx` ON `enrollment_parents` (`second_parent_id`);