CREATE TABLE `debt_exemptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payer_id` integer NOT NULL,
	`reason` text NOT NULL,
	`reference` text NOT NULL,
	`starts_on` text NOT NULL,
	`granted_at` text NOT NULL,
	`granted_by` integer,
	`ended_on` text,
	`ended_at` text,
	`ended_by` integer,
	`end_reason` text,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`granted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ended_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "debt_exemptions_motivo" CHECK(length(trim("reason")) >= 3 AND length(trim("reference")) >= 1),
	CONSTRAINT "debt_exemptions_fine" CHECK(("ended_on" IS NULL) = ("ended_at" IS NULL) AND ("ended_on" IS NULL) = ("end_reason" IS NULL) AND ("ended_on" IS NULL OR "ended_on" >= "starts_on")),
	CONSTRAINT "debt_exemptions_starts_on_data" CHECK("starts_on" IS date("starts_on")),
	CONSTRAINT "debt_exemptions_ended_on_data" CHECK("ended_on" IS date("ended_on")),
	CONSTRAINT "debt_exemptions_granted_at_istante" CHECK("granted_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "granted_at")),
	CONSTRAINT "debt_exemptions_ended_at_istante" CHECK("ended_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "ended_at")),
	CONSTRAINT "debt_exemptions_reason_caratteri" CHECK(instr("reason", char(0)) = 0 AND "reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_exemptions_reference_caratteri" CHECK(instr("reference", char(0)) = 0 AND "reference" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_exemptions_starts_on_caratteri" CHECK(instr("starts_on", char(0)) = 0 AND "starts_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_exemptions_granted_at_caratteri" CHECK(instr("granted_at", char(0)) = 0 AND "granted_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_exemptions_ended_on_caratteri" CHECK(instr("ended_on", char(0)) = 0 AND "ended_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_exemptions_ended_at_caratteri" CHECK(instr("ended_at", char(0)) = 0 AND "ended_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_exemptions_end_reason_caratteri" CHECK(instr("end_reason", char(0)) = 0 AND "end_reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `debt_exemptions_open_uq` ON `debt_exemptions` (`payer_id`) WHERE "debt_exemptions"."ended_on" IS NULL;--> statement-breakpoint
CREATE TABLE `debt_ladder_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`municipality_id` integer NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`threshold_cents` integer,
	`threshold_meals` integer,
	`min_days_since_previous` integer NOT NULL,
	`channel` text NOT NULL,
	`template` text NOT NULL,
	`days_to_pay` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` integer,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "debt_ladder_steps_position_intervallo" CHECK(typeof("position") IN ('integer', 'null') AND "position" BETWEEN 1 AND 20),
	CONSTRAINT "debt_ladder_steps_nome" CHECK(length(trim("name")) BETWEEN 1 AND 120),
	CONSTRAINT "debt_ladder_steps_soglia" CHECK("threshold_cents" IS NOT NULL OR "threshold_meals" IS NOT NULL),
	CONSTRAINT "debt_ladder_steps_threshold_cents_centesimi" CHECK(typeof("threshold_cents") IN ('integer', 'null') AND "threshold_cents" BETWEEN 1 AND 100000000),
	CONSTRAINT "debt_ladder_steps_threshold_meals_intervallo" CHECK(typeof("threshold_meals") IN ('integer', 'null') AND "threshold_meals" BETWEEN 1 AND 1000),
	CONSTRAINT "debt_ladder_steps_min_days_since_previous_intervallo" CHECK(typeof("min_days_since_previous") IN ('integer', 'null') AND "min_days_since_previous" BETWEEN 0 AND 365),
	CONSTRAINT "debt_ladder_steps_days_to_pay_intervallo" CHECK(typeof("days_to_pay") IN ('integer', 'null') AND "days_to_pay" BETWEEN 1 AND 180),
	CONSTRAINT "debt_ladder_steps_channel_valori" CHECK("channel" IN ('email_sms', 'lettera', 'raccomandata_ar', 'pec')),
	CONSTRAINT "debt_ladder_steps_testo" CHECK(length(trim("template")) BETWEEN 10 AND 10000),
	CONSTRAINT "debt_ladder_steps_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "debt_ladder_steps_name_caratteri" CHECK(instr("name", char(0)) = 0 AND "name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_ladder_steps_channel_caratteri" CHECK(instr("channel", char(0)) = 0 AND "channel" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_ladder_steps_template_caratteri" CHECK(instr("template", char(0)) = 0 AND "template" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_ladder_steps_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `debt_ladder_steps_position_uq` ON `debt_ladder_steps` (`municipality_id`,`position`);--> statement-breakpoint
CREATE TABLE `debt_plan_instalments` (
	`plan_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`due_on` text NOT NULL,
	`amount_cents` integer NOT NULL,
	PRIMARY KEY(`plan_id`, `seq`),
	FOREIGN KEY (`plan_id`) REFERENCES `debt_plans`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "debt_plan_instalments_seq_intervallo" CHECK(typeof("seq") IN ('integer', 'null') AND "seq" BETWEEN 1 AND 120),
	CONSTRAINT "debt_plan_instalments_due_on_data" CHECK("due_on" IS date("due_on")),
	CONSTRAINT "debt_plan_instalments_amount_cents_centesimi" CHECK(typeof("amount_cents") IN ('integer', 'null') AND "amount_cents" BETWEEN 1 AND 100000000)
);
--> statement-breakpoint
CREATE TABLE `debt_plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payer_id` integer NOT NULL,
	`municipality_id` integer NOT NULL,
	`starts_on` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`created_by` integer,
	`cancelled_at` text,
	`cancelled_by` integer,
	`cancel_reason` text,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cancelled_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "debt_plans_starts_on_data" CHECK("starts_on" IS date("starts_on")),
	CONSTRAINT "debt_plans_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "debt_plans_cancelled_at_istante" CHECK("cancelled_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "cancelled_at")),
	CONSTRAINT "debt_plans_annullamento" CHECK(("cancelled_at" IS NULL) = ("cancel_reason" IS NULL) AND ("cancel_reason" IS NULL OR length(trim("cancel_reason")) >= 3)),
	CONSTRAINT "debt_plans_starts_on_caratteri" CHECK(instr("starts_on", char(0)) = 0 AND "starts_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_plans_note_caratteri" CHECK(instr("note", char(0)) = 0 AND "note" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_plans_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_plans_cancelled_at_caratteri" CHECK(instr("cancelled_at", char(0)) = 0 AND "cancelled_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_plans_cancel_reason_caratteri" CHECK(instr("cancel_reason", char(0)) = 0 AND "cancel_reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE INDEX `debt_plans_family_idx` ON `debt_plans` (`payer_id`,`municipality_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `debt_plans_open_uq` ON `debt_plans` (`payer_id`,`municipality_id`) WHERE "debt_plans"."cancelled_at" IS NULL;--> statement-breakpoint
CREATE TABLE `debt_settings` (
	`municipality_id` integer PRIMARY KEY NOT NULL,
	`suspension_allowed` integer DEFAULT false NOT NULL,
	`enrollment_refusal_allowed` integer DEFAULT false NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` integer,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "debt_settings_suspension_allowed_booleano" CHECK("suspension_allowed" IN (0, 1)),
	CONSTRAINT "debt_settings_enrollment_refusal_allowed_booleano" CHECK("enrollment_refusal_allowed" IN (0, 1)),
	CONSTRAINT "debt_settings_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "debt_settings_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE TABLE `debt_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payer_id` integer NOT NULL,
	`municipality_id` integer NOT NULL,
	`step_position` integer NOT NULL,
	`step_name` text NOT NULL,
	`channel` text NOT NULL,
	`days_to_pay` integer NOT NULL,
	`amount_cents` integer NOT NULL,
	`reached_on` text NOT NULL,
	`pay_by` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`recorded_at` text NOT NULL,
	`recorded_by` integer,
	`document_file_name` text NOT NULL,
	`document_sha256` text NOT NULL,
	`document_size_bytes` integer NOT NULL,
	`document` blob NOT NULL,
	`receipt_number` text,
	`delivered_on` text,
	`evidence_file_name` text,
	`evidence_mime_type` text,
	`evidence_sha256` text,
	`evidence_size_bytes` integer,
	`evidence` blob,
	`delivery_recorded_at` text,
	`delivery_recorded_by` integer,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`delivery_recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "debt_steps_step_position_intervallo" CHECK(typeof("step_position") IN ('integer', 'null') AND "step_position" BETWEEN 1 AND 20),
	CONSTRAINT "debt_steps_nome" CHECK(length(trim("step_name")) BETWEEN 1 AND 120),
	CONSTRAINT "debt_steps_channel_valori" CHECK("channel" IN ('email_sms', 'lettera', 'raccomandata_ar', 'pec')),
	CONSTRAINT "debt_steps_days_to_pay_intervallo" CHECK(typeof("days_to_pay") IN ('integer', 'null') AND "days_to_pay" BETWEEN 1 AND 180),
	CONSTRAINT "debt_steps_amount_cents_centesimi" CHECK(typeof("amount_cents") IN ('integer', 'null') AND "amount_cents" BETWEEN 1 AND 100000000),
	CONSTRAINT "debt_steps_reached_on_data" CHECK("reached_on" IS date("reached_on")),
	CONSTRAINT "debt_steps_pay_by_data" CHECK("pay_by" IS date("pay_by")),
	CONSTRAINT "debt_steps_scadenza" CHECK("pay_by" > "reached_on"),
	CONSTRAINT "debt_steps_recorded_at_istante" CHECK("recorded_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "recorded_at")),
	CONSTRAINT "debt_steps_documento" CHECK(length("document_sha256") = 64 AND "document_sha256" NOT GLOB '*[^0-9a-f]*' AND typeof("document") = 'blob' AND length("document") = "document_size_bytes"),
	CONSTRAINT "debt_steps_document_size_bytes_intervallo" CHECK(typeof("document_size_bytes") IN ('integer', 'null') AND "document_size_bytes" BETWEEN 1 AND 5242880),
	CONSTRAINT "debt_steps_consegna" CHECK(("delivered_on" IS NULL) = ("delivery_recorded_at" IS NULL)
          AND ("delivered_on" IS NOT NULL OR ("receipt_number" IS NULL AND "evidence" IS NULL))
          AND ("delivered_on" IS NULL OR "delivered_on" >= "reached_on")
          AND ("receipt_number" IS NULL OR length(trim("receipt_number")) BETWEEN 1 AND 80)),
	CONSTRAINT "debt_steps_prova" CHECK(("evidence" IS NULL) = ("evidence_sha256" IS NULL)
          AND ("evidence" IS NULL) = ("evidence_file_name" IS NULL)
          AND ("evidence" IS NULL) = ("evidence_mime_type" IS NULL)
          AND ("evidence" IS NULL) = ("evidence_size_bytes" IS NULL)
          AND ("evidence" IS NULL OR (typeof("evidence") = 'blob' AND length("evidence") = "evidence_size_bytes" AND length("evidence_sha256") = 64 AND "evidence_sha256" NOT GLOB '*[^0-9a-f]*'))),
	CONSTRAINT "debt_steps_evidence_mime_type_valori" CHECK("evidence_mime_type" IN ('application/pdf', 'image/jpeg', 'image/png', 'message/rfc822', 'application/xml')),
	CONSTRAINT "debt_steps_evidence_size_bytes_intervallo" CHECK(typeof("evidence_size_bytes") IN ('integer', 'null') AND "evidence_size_bytes" BETWEEN 1 AND 5242880),
	CONSTRAINT "debt_steps_delivered_on_data" CHECK("delivered_on" IS date("delivered_on")),
	CONSTRAINT "debt_steps_delivery_recorded_at_istante" CHECK("delivery_recorded_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "delivery_recorded_at")),
	CONSTRAINT "debt_steps_step_name_caratteri" CHECK(instr("step_name", char(0)) = 0 AND "step_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_steps_channel_caratteri" CHECK(instr("channel", char(0)) = 0 AND "channel" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_steps_reached_on_caratteri" CHECK(instr("reached_on", char(0)) = 0 AND "reached_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_steps_pay_by_caratteri" CHECK(instr("pay_by", char(0)) = 0 AND "pay_by" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_steps_note_caratteri" CHECK(instr("note", char(0)) = 0 AND "note" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_steps_recorded_at_caratteri" CHECK(instr("recorded_at", char(0)) = 0 AND "recorded_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_steps_document_file_name_caratteri" CHECK(instr("document_file_name", char(0)) = 0 AND "document_file_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_steps_document_sha256_caratteri" CHECK(instr("document_sha256", char(0)) = 0 AND "document_sha256" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_steps_receipt_number_caratteri" CHECK(instr("receipt_number", char(0)) = 0 AND "receipt_number" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_steps_delivered_on_caratteri" CHECK(instr("delivered_on", char(0)) = 0 AND "delivered_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_steps_evidence_file_name_caratteri" CHECK(instr("evidence_file_name", char(0)) = 0 AND "evidence_file_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_steps_evidence_mime_type_caratteri" CHECK(instr("evidence_mime_type", char(0)) = 0 AND "evidence_mime_type" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_steps_evidence_sha256_caratteri" CHECK(instr("evidence_sha256", char(0)) = 0 AND "evidence_sha256" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "debt_steps_delivery_recorded_at_caratteri" CHECK(instr("delivery_recorded_at", char(0)) = 0 AND "delivery_recorded_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE INDEX `debt_steps_family_idx` ON `debt_steps` (`payer_id`,`municipality_id`,`reached_on`);--> statement-breakpoint
CREATE INDEX `debt_steps_municipality_idx` ON `debt_steps` (`municipality_id`,`reached_on`);--> statement-breakpoint
-- Hand-written (issue 11): the history of a family's debt procedure is evidence a municipality may
-- have to defend. A step is never deleted; its facts and its letter never change; the delivery
-- evidence is recorded once (all delivery columns from NULL) and never overwritten.
CREATE TRIGGER `debt_steps_no_delete` BEFORE DELETE ON `debt_steps`
BEGIN
	SELECT RAISE(ABORT, 'Un passo della procedura di recupero non si cancella: la storia della famiglia resta com''è');
END;
--> statement-breakpoint
CREATE TRIGGER `debt_steps_only_delivery` BEFORE UPDATE ON `debt_steps`
WHEN NOT (OLD.`delivered_on` IS NULL AND OLD.`delivery_recorded_at` IS NULL AND OLD.`receipt_number` IS NULL AND OLD.`evidence` IS NULL
	AND NEW.`delivered_on` IS NOT NULL
	AND NEW.`id` IS OLD.`id` AND NEW.`payer_id` IS OLD.`payer_id` AND NEW.`municipality_id` IS OLD.`municipality_id`
	AND NEW.`step_position` IS OLD.`step_position` AND NEW.`step_name` IS OLD.`step_name` AND NEW.`channel` IS OLD.`channel`
	AND NEW.`days_to_pay` IS OLD.`days_to_pay` AND NEW.`amount_cents` IS OLD.`amount_cents` AND NEW.`reached_on` IS OLD.`reached_on`
	AND NEW.`pay_by` IS OLD.`pay_by` AND NEW.`note` IS OLD.`note` AND NEW.`recorded_at` IS OLD.`recorded_at` AND NEW.`recorded_by` IS OLD.`recorded_by`
	AND NEW.`document_file_name` IS OLD.`document_file_name` AND NEW.`document_sha256` IS OLD.`document_sha256`
	AND NEW.`document_size_bytes` IS OLD.`document_size_bytes` AND NEW.`document` IS OLD.`document`)
BEGIN
	SELECT RAISE(ABORT, 'Un passo della procedura di recupero non si modifica: si registra una sola volta la prova di consegna, che poi non si sovrascrive');
END;
--> statement-breakpoint
CREATE TRIGGER `debt_plan_instalments_no_update` BEFORE UPDATE ON `debt_plan_instalments`
BEGIN
	SELECT RAISE(ABORT, 'Le rate di un piano di rientro non si modificano: annullare il piano e registrarne uno nuovo');
END;
--> statement-breakpoint
CREATE TRIGGER `debt_plan_instalments_no_delete` BEFORE DELETE ON `debt_plan_instalments`
BEGIN
	SELECT RAISE(ABORT, 'Le rate di un piano di rientro non si cancellano: annullare il piano e registrarne uno nuovo');
END;
--> statement-breakpoint
CREATE TRIGGER `debt_plans_no_delete` BEFORE DELETE ON `debt_plans`
BEGIN
	SELECT RAISE(ABORT, 'Un piano di rientro non si cancella: si annulla con un motivo');
END;
--> statement-breakpoint
CREATE TRIGGER `debt_plans_only_cancel` BEFORE UPDATE ON `debt_plans`
WHEN NOT (OLD.`cancelled_at` IS NULL AND NEW.`cancelled_at` IS NOT NULL
	AND NEW.`id` IS OLD.`id` AND NEW.`payer_id` IS OLD.`payer_id` AND NEW.`municipality_id` IS OLD.`municipality_id`
	AND NEW.`starts_on` IS OLD.`starts_on` AND NEW.`note` IS OLD.`note` AND NEW.`created_at` IS OLD.`created_at` AND NEW.`created_by` IS OLD.`created_by`)
BEGIN
	SELECT RAISE(ABORT, 'Un piano di rientro non si modifica: si annulla (una volta sola) e se ne registra uno nuovo');
END;
--> statement-breakpoint
CREATE TRIGGER `debt_exemptions_no_delete` BEFORE DELETE ON `debt_exemptions`
BEGIN
	SELECT RAISE(ABORT, 'Un''esenzione non si cancella: si chiude con una data e un motivo');
END;
--> statement-breakpoint
CREATE TRIGGER `debt_exemptions_only_end` BEFORE UPDATE ON `debt_exemptions`
WHEN NOT (OLD.`ended_on` IS NULL AND NEW.`ended_on` IS NOT NULL
	AND NEW.`id` IS OLD.`id` AND NEW.`payer_id` IS OLD.`payer_id` AND NEW.`reason` IS OLD.`reason` AND NEW.`reference` IS OLD.`reference`
	AND NEW.`starts_on` IS OLD.`starts_on` AND NEW.`granted_at` IS OLD.`granted_at` AND NEW.`granted_by` IS OLD.`granted_by`)
BEGIN
	SELECT RAISE(ABORT, 'Un''esenzione non si modifica: si chiude (una volta sola) e se ne concede una nuova');
END;
