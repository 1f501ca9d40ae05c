CREATE TABLE `sdd_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`service` text NOT NULL,
	`month` text NOT NULL,
	`school_year_id` integer,
	`due_date` text NOT NULL,
	`status` text NOT NULL,
	`msg_id` text,
	`debit_count` integer DEFAULT 0 NOT NULL,
	`total_cents` integer DEFAULT 0 NOT NULL,
	`excluded_count` integer DEFAULT 0 NOT NULL,
	`prepared_at` text NOT NULL,
	`prepared_by` integer,
	`approved_at` text,
	`approved_by` integer,
	`prenotified_on` text,
	`first_exported_at` text,
	`collected_at` text,
	`collected_by` integer,
	`cancelled_at` text,
	`cancel_reason` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`service`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_year_id`) REFERENCES `school_years`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`prepared_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`collected_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sdd_batches_month_forma" CHECK("month" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' AND date("month" || '-01') IS ("month" || '-01')),
	CONSTRAINT "sdd_batches_status_valori" CHECK("status" IN ('bozza', 'approvato', 'esportato', 'incassato', 'annullato')),
	CONSTRAINT "sdd_batches_msg_id_forma" CHECK("msg_id" IS NULL OR (length("msg_id") BETWEEN 1 AND 35 AND "msg_id" NOT GLOB '*[^A-Za-z0-9/?:().,''+-]*' AND "msg_id" NOT GLOB '/*' AND "msg_id" NOT GLOB '*/' AND instr("msg_id", '//') = 0)),
	CONSTRAINT "sdd_batches_approvazione" CHECK("status" IN ('bozza') OR ("approved_at" IS NOT NULL AND "msg_id" IS NOT NULL AND "prenotified_on" IS NOT NULL)),
	CONSTRAINT "sdd_batches_annullamento" CHECK(("status" = 'annullato') = ("cancelled_at" IS NOT NULL)),
	CONSTRAINT "sdd_batches_scadenza_dopo_mese" CHECK("due_date" > "month" || '-31'),
	CONSTRAINT "sdd_batches_debit_count_intervallo" CHECK(typeof("debit_count") IN ('integer', 'null') AND "debit_count" BETWEEN 0 AND 1000000),
	CONSTRAINT "sdd_batches_excluded_count_intervallo" CHECK(typeof("excluded_count") IN ('integer', 'null') AND "excluded_count" BETWEEN 0 AND 1000000),
	CONSTRAINT "sdd_batches_total_cents_centesimi" CHECK(typeof("total_cents") IN ('integer', 'null') AND "total_cents" BETWEEN 0 AND 100000000000),
	CONSTRAINT "sdd_batches_due_date_data" CHECK("due_date" IS date("due_date")),
	CONSTRAINT "sdd_batches_prenotified_on_data" CHECK("prenotified_on" IS date("prenotified_on")),
	CONSTRAINT "sdd_batches_prepared_at_istante" CHECK("prepared_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "prepared_at")),
	CONSTRAINT "sdd_batches_approved_at_istante" CHECK("approved_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "approved_at")),
	CONSTRAINT "sdd_batches_first_exported_at_istante" CHECK("first_exported_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "first_exported_at")),
	CONSTRAINT "sdd_batches_collected_at_istante" CHECK("collected_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "collected_at")),
	CONSTRAINT "sdd_batches_cancelled_at_istante" CHECK("cancelled_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "cancelled_at")),
	CONSTRAINT "sdd_batches_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "sdd_batches_service_caratteri" CHECK(instr("service", char(0)) = 0 AND "service" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_batches_month_caratteri" CHECK(instr("month", char(0)) = 0 AND "month" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_batches_due_date_caratteri" CHECK(instr("due_date", char(0)) = 0 AND "due_date" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_batches_status_caratteri" CHECK(instr("status", char(0)) = 0 AND "status" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_batches_msg_id_caratteri" CHECK(instr("msg_id", char(0)) = 0 AND "msg_id" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_batches_prepared_at_caratteri" CHECK(instr("prepared_at", char(0)) = 0 AND "prepared_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_batches_approved_at_caratteri" CHECK(instr("approved_at", char(0)) = 0 AND "approved_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_batches_prenotified_on_caratteri" CHECK(instr("prenotified_on", char(0)) = 0 AND "prenotified_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_batches_first_exported_at_caratteri" CHECK(instr("first_exported_at", char(0)) = 0 AND "first_exported_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_batches_collected_at_caratteri" CHECK(instr("collected_at", char(0)) = 0 AND "collected_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_batches_cancelled_at_caratteri" CHECK(instr("cancelled_at", char(0)) = 0 AND "cancelled_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_batches_cancel_reason_caratteri" CHECK(instr("cancel_reason", char(0)) = 0 AND "cancel_reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_batches_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sdd_batches_msg_id_uq` ON `sdd_batches` (`msg_id`) WHERE "sdd_batches"."msg_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `sdd_batches_draft_uq` ON `sdd_batches` (`service`,`month`) WHERE "sdd_batches"."status" = 'bozza';--> statement-breakpoint
CREATE INDEX `sdd_batches_month_idx` ON `sdd_batches` (`month`,`service`);--> statement-breakpoint
CREATE TABLE `sdd_billed_months` (
	`pupil_id` integer NOT NULL,
	`service` text NOT NULL,
	`month` text NOT NULL,
	`debit_id` integer NOT NULL,
	PRIMARY KEY(`pupil_id`, `service`, `month`),
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`debit_id`) REFERENCES `sdd_debits`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sdd_billed_months_debit_uq` ON `sdd_billed_months` (`debit_id`);--> statement-breakpoint
CREATE TABLE `sdd_creditor` (
	`id` integer PRIMARY KEY NOT NULL,
	`creditor_id` text NOT NULL,
	`creditor_iban` text NOT NULL,
	`abi` text NOT NULL,
	`bic` text DEFAULT '' NOT NULL,
	`cuc` text NOT NULL,
	`sequence_policy` text DEFAULT 'rcur' NOT NULL,
	`commission_cents` integer DEFAULT 100 NOT NULL,
	`prenotification_days` integer DEFAULT 14 NOT NULL,
	`batch_booking` integer DEFAULT true NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` integer,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sdd_creditor_una_riga" CHECK("id" = 1),
	CONSTRAINT "sdd_creditor_ci_forma" CHECK(length("creditor_id") BETWEEN 8 AND 35 AND "creditor_id" GLOB '[A-Z][A-Z][0-9][0-9]*' AND "creditor_id" NOT GLOB '*[^A-Z0-9]*'),
	CONSTRAINT "sdd_creditor_iban_forma" CHECK(length("creditor_iban") BETWEEN 15 AND 34 AND "creditor_iban" GLOB '[A-Z][A-Z][0-9][0-9]*' AND "creditor_iban" NOT GLOB '*[^A-Z0-9]*'),
	CONSTRAINT "sdd_creditor_abi" CHECK(length("abi") = 5 AND "abi" NOT GLOB '*[^0-9]*'),
	CONSTRAINT "sdd_creditor_cuc" CHECK(length("cuc") = 8 AND "cuc" NOT GLOB '*[^A-Z0-9]*'),
	CONSTRAINT "sdd_creditor_sequence_policy_valori" CHECK("sequence_policy" IN ('rcur', 'frst_poi_rcur')),
	CONSTRAINT "sdd_creditor_commission_cents_centesimi" CHECK(typeof("commission_cents") IN ('integer', 'null') AND "commission_cents" BETWEEN 0 AND 10000),
	CONSTRAINT "sdd_creditor_prenotification_days_intervallo" CHECK(typeof("prenotification_days") IN ('integer', 'null') AND "prenotification_days" BETWEEN 1 AND 60),
	CONSTRAINT "sdd_creditor_batch_booking_booleano" CHECK("batch_booking" IN (0, 1)),
	CONSTRAINT "sdd_creditor_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "sdd_creditor_creditor_id_caratteri" CHECK(instr("creditor_id", char(0)) = 0 AND "creditor_id" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_creditor_creditor_iban_caratteri" CHECK(instr("creditor_iban", char(0)) = 0 AND "creditor_iban" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_creditor_abi_caratteri" CHECK(instr("abi", char(0)) = 0 AND "abi" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_creditor_bic_caratteri" CHECK(instr("bic", char(0)) = 0 AND "bic" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_creditor_cuc_caratteri" CHECK(instr("cuc", char(0)) = 0 AND "cuc" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_creditor_sequence_policy_caratteri" CHECK(instr("sequence_policy", char(0)) = 0 AND "sequence_policy" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_creditor_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE TABLE `sdd_debits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` integer NOT NULL,
	`pupil_id` integer NOT NULL,
	`payer_id` integer NOT NULL,
	`mandate_id` integer,
	`umr` text,
	`iban` text,
	`bic` text DEFAULT '' NOT NULL,
	`holder_name` text,
	`mandate_signed_on` text,
	`sequence_type` text,
	`amendment` text,
	`meal_count` integer NOT NULL,
	`meals_cents` integer NOT NULL,
	`commission_cents` integer NOT NULL,
	`amount_cents` integer NOT NULL,
	`included` integer NOT NULL,
	`exclusion_reason` text,
	`end_to_end_id` text NOT NULL,
	`remittance` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `sdd_batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mandate_id`) REFERENCES `sdd_mandates`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sdd_debits_e2e_forma" CHECK(length("end_to_end_id") BETWEEN 1 AND 35 AND "end_to_end_id" NOT GLOB '*[^A-Za-z0-9/?:().,''+-]*' AND "end_to_end_id" NOT GLOB '/*' AND "end_to_end_id" NOT GLOB '*/' AND instr("end_to_end_id", '//') = 0),
	CONSTRAINT "sdd_debits_importo" CHECK("amount_cents" = "meals_cents" + "commission_cents"),
	CONSTRAINT "sdd_debits_meals_cents_centesimi" CHECK(typeof("meals_cents") IN ('integer', 'null') AND "meals_cents" BETWEEN -100000000 AND 100000000),
	CONSTRAINT "sdd_debits_commission_cents_centesimi" CHECK(typeof("commission_cents") IN ('integer', 'null') AND "commission_cents" BETWEEN 0 AND 10000),
	CONSTRAINT "sdd_debits_meal_count_intervallo" CHECK(typeof("meal_count") IN ('integer', 'null') AND "meal_count" BETWEEN 0 AND 93),
	CONSTRAINT "sdd_debits_incluso" CHECK(("included" = 1) = ("exclusion_reason" IS NULL)
          AND ("included" = 0 OR ("amount_cents" > 0 AND "mandate_id" IS NOT NULL AND "umr" IS NOT NULL
               AND "iban" IS NOT NULL AND "holder_name" IS NOT NULL AND "mandate_signed_on" IS NOT NULL AND "sequence_type" IS NOT NULL))),
	CONSTRAINT "sdd_debits_remittance" CHECK(length("remittance") BETWEEN 1 AND 140),
	CONSTRAINT "sdd_debits_sequence_type_valori" CHECK("sequence_type" IN ('FRST', 'RCUR', 'OOFF', 'FNAL')),
	CONSTRAINT "sdd_debits_included_booleano" CHECK("included" IN (0, 1)),
	CONSTRAINT "sdd_debits_mandate_signed_on_data" CHECK("mandate_signed_on" IS date("mandate_signed_on")),
	CONSTRAINT "sdd_debits_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "sdd_debits_umr_caratteri" CHECK(instr("umr", char(0)) = 0 AND "umr" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_debits_iban_caratteri" CHECK(instr("iban", char(0)) = 0 AND "iban" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_debits_bic_caratteri" CHECK(instr("bic", char(0)) = 0 AND "bic" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_debits_holder_name_caratteri" CHECK(instr("holder_name", char(0)) = 0 AND "holder_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_debits_mandate_signed_on_caratteri" CHECK(instr("mandate_signed_on", char(0)) = 0 AND "mandate_signed_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_debits_sequence_type_caratteri" CHECK(instr("sequence_type", char(0)) = 0 AND "sequence_type" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_debits_amendment_caratteri" CHECK(instr("amendment", char(0)) = 0 AND "amendment" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "sdd_debits_exclusion_reason_caratteri" CHECK(instr("exclusion_reason", char(0)) = 0 AND "exclusion_reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_debits_end_to_end_id_caratteri" CHECK(instr("end_to_end_id", char(0)) = 0 AND "end_to_end_id" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_debits_remittance_caratteri" CHECK(instr("remittance", char(0)) = 0 AND "remittance" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_debits_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sdd_debits_e2e_uq` ON `sdd_debits` (`end_to_end_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `sdd_debits_batch_pupil_uq` ON `sdd_debits` (`batch_id`,`pupil_id`);--> statement-breakpoint
CREATE INDEX `sdd_debits_payer_idx` ON `sdd_debits` (`payer_id`,`batch_id`);--> statement-breakpoint
CREATE INDEX `sdd_debits_mandate_idx` ON `sdd_debits` (`mandate_id`);--> statement-breakpoint
CREATE TABLE `sdd_findings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` integer NOT NULL,
	`pupil_id` integer NOT NULL,
	`kind` text NOT NULL,
	`detail_key` text NOT NULL,
	`message` text NOT NULL,
	`acknowledged_at` text,
	`acknowledged_by` integer,
	`acknowledge_reason` text,
	FOREIGN KEY (`batch_id`) REFERENCES `sdd_batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`acknowledged_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sdd_findings_kind_valori" CHECK("kind" IN ('pasto_senza_servizio', 'pasto_dopo_ritiro', 'pasto_in_sospensione', 'pasti_oltre_giorni', 'senza_mandato', 'iban_cambiato', 'importo_anomalo')),
	CONSTRAINT "sdd_findings_presa_visione" CHECK(("acknowledged_at" IS NULL) = ("acknowledged_by" IS NULL) AND ("acknowledged_at" IS NULL) = ("acknowledge_reason" IS NULL)
          AND ("acknowledge_reason" IS NULL OR length(trim("acknowledge_reason")) >= 3)),
	CONSTRAINT "sdd_findings_acknowledged_at_istante" CHECK("acknowledged_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "acknowledged_at")),
	CONSTRAINT "sdd_findings_kind_caratteri" CHECK(instr("kind", char(0)) = 0 AND "kind" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_findings_detail_key_caratteri" CHECK(instr("detail_key", char(0)) = 0 AND "detail_key" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_findings_message_caratteri" CHECK(instr("message", char(0)) = 0 AND "message" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_findings_acknowledged_at_caratteri" CHECK(instr("acknowledged_at", char(0)) = 0 AND "acknowledged_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_findings_acknowledge_reason_caratteri" CHECK(instr("acknowledge_reason", char(0)) = 0 AND "acknowledge_reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sdd_findings_uq` ON `sdd_findings` (`batch_id`,`pupil_id`,`kind`,`detail_key`);--> statement-breakpoint
CREATE TABLE `sdd_mandate_amendments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mandate_id` integer NOT NULL,
	`kind` text NOT NULL,
	`original_iban` text,
	`new_iban` text,
	`same_bank` integer,
	`original_holder_name` text,
	`new_holder_name` text,
	`effective_on` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`reported_debit_id` integer,
	`created_at` text NOT NULL,
	`created_by` integer,
	FOREIGN KEY (`mandate_id`) REFERENCES `sdd_mandates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sdd_mandate_amendments_kind_valori" CHECK("kind" IN ('iban', 'intestatario')),
	CONSTRAINT "sdd_mandate_amendments_valori" CHECK(("kind" <> 'iban' OR ("original_iban" IS NOT NULL AND "new_iban" IS NOT NULL AND "original_iban" <> "new_iban" AND "same_bank" IN (0, 1)))
          AND ("kind" <> 'intestatario' OR ("original_holder_name" IS NOT NULL AND "new_holder_name" IS NOT NULL))),
	CONSTRAINT "sdd_mandate_amendments_effective_on_data" CHECK("effective_on" IS date("effective_on")),
	CONSTRAINT "sdd_mandate_amendments_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "sdd_mandate_amendments_kind_caratteri" CHECK(instr("kind", char(0)) = 0 AND "kind" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandate_amendments_original_iban_caratteri" CHECK(instr("original_iban", char(0)) = 0 AND "original_iban" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandate_amendments_new_iban_caratteri" CHECK(instr("new_iban", char(0)) = 0 AND "new_iban" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandate_amendments_original_holder_name_caratteri" CHECK(instr("original_holder_name", char(0)) = 0 AND "original_holder_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandate_amendments_new_holder_name_caratteri" CHECK(instr("new_holder_name", char(0)) = 0 AND "new_holder_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandate_amendments_effective_on_caratteri" CHECK(instr("effective_on", char(0)) = 0 AND "effective_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandate_amendments_reason_caratteri" CHECK(instr("reason", char(0)) = 0 AND "reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandate_amendments_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE INDEX `sdd_mandate_amendments_mandate_idx` ON `sdd_mandate_amendments` (`mandate_id`);--> statement-breakpoint
CREATE TABLE `sdd_mandates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payer_id` integer NOT NULL,
	`umr` text NOT NULL,
	`iban` text NOT NULL,
	`bic` text DEFAULT '' NOT NULL,
	`holder_name` text NOT NULL,
	`holder_tax_code` text NOT NULL,
	`signed_on` text NOT NULL,
	`status` text NOT NULL,
	`revoked_on` text,
	`revoke_reason` text,
	`blocked_reason` text,
	`blocked_at` text,
	`last_collection_on` text,
	`notes` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` integer,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sdd_mandates_umr_forma" CHECK(length("umr") BETWEEN 1 AND 35 AND "umr" NOT GLOB '*[^A-Za-z0-9/?:().,''+-]*' AND "umr" NOT GLOB '/*' AND "umr" NOT GLOB '*/' AND instr("umr", '//') = 0),
	CONSTRAINT "sdd_mandates_iban_forma" CHECK(length("iban") BETWEEN 15 AND 34 AND "iban" GLOB '[A-Z][A-Z][0-9][0-9]*' AND "iban" NOT GLOB '*[^A-Z0-9]*'),
	CONSTRAINT "sdd_mandates_bic_forma" CHECK("bic" = '' OR (length("bic") IN (8, 11) AND "bic" NOT GLOB '*[^A-Z0-9]*')),
	CONSTRAINT "sdd_mandates_titolare" CHECK(length(trim("holder_name")) BETWEEN 1 AND 70 AND length("holder_tax_code") IN (11, 16)),
	CONSTRAINT "sdd_mandates_status_valori" CHECK("status" IN ('attivo', 'revocato')),
	CONSTRAINT "sdd_mandates_revoca" CHECK(("status" = 'revocato') = ("revoked_on" IS NOT NULL)),
	CONSTRAINT "sdd_mandates_blocco" CHECK(("blocked_reason" IS NULL) = ("blocked_at" IS NULL)),
	CONSTRAINT "sdd_mandates_signed_on_data" CHECK("signed_on" IS date("signed_on")),
	CONSTRAINT "sdd_mandates_revoked_on_data" CHECK("revoked_on" IS date("revoked_on")),
	CONSTRAINT "sdd_mandates_last_collection_on_data" CHECK("last_collection_on" IS date("last_collection_on")),
	CONSTRAINT "sdd_mandates_blocked_at_istante" CHECK("blocked_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "blocked_at")),
	CONSTRAINT "sdd_mandates_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "sdd_mandates_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "sdd_mandates_umr_caratteri" CHECK(instr("umr", char(0)) = 0 AND "umr" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandates_iban_caratteri" CHECK(instr("iban", char(0)) = 0 AND "iban" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandates_bic_caratteri" CHECK(instr("bic", char(0)) = 0 AND "bic" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandates_holder_name_caratteri" CHECK(instr("holder_name", char(0)) = 0 AND "holder_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandates_holder_tax_code_caratteri" CHECK(instr("holder_tax_code", char(0)) = 0 AND "holder_tax_code" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandates_signed_on_caratteri" CHECK(instr("signed_on", char(0)) = 0 AND "signed_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandates_status_caratteri" CHECK(instr("status", char(0)) = 0 AND "status" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandates_revoked_on_caratteri" CHECK(instr("revoked_on", char(0)) = 0 AND "revoked_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandates_revoke_reason_caratteri" CHECK(instr("revoke_reason", char(0)) = 0 AND "revoke_reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandates_blocked_reason_caratteri" CHECK(instr("blocked_reason", char(0)) = 0 AND "blocked_reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandates_blocked_at_caratteri" CHECK(instr("blocked_at", char(0)) = 0 AND "blocked_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandates_last_collection_on_caratteri" CHECK(instr("last_collection_on", char(0)) = 0 AND "last_collection_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandates_notes_caratteri" CHECK(instr("notes", char(0)) = 0 AND "notes" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandates_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_mandates_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sdd_mandates_umr_uq` ON `sdd_mandates` (`umr`);--> statement-breakpoint
CREATE UNIQUE INDEX `sdd_mandates_payer_active_uq` ON `sdd_mandates` (`payer_id`) WHERE "sdd_mandates"."status" = 'attivo';--> statement-breakpoint
CREATE TABLE `sdd_pagopa_exceptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payer_id` integer NOT NULL,
	`ground` text NOT NULL,
	`reason` text NOT NULL,
	`granted_on` text NOT NULL,
	`granted_by` integer,
	`ended_on` text,
	`ended_by` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`granted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ended_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sdd_pagopa_exceptions_ground_valori" CHECK("ground" IN ('senza_conto', 'insoluti')),
	CONSTRAINT "sdd_pagopa_exceptions_motivo" CHECK(length(trim("reason")) >= 3),
	CONSTRAINT "sdd_pagopa_exceptions_granted_on_data" CHECK("granted_on" IS date("granted_on")),
	CONSTRAINT "sdd_pagopa_exceptions_ended_on_data" CHECK("ended_on" IS date("ended_on")),
	CONSTRAINT "sdd_pagopa_exceptions_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "sdd_pagopa_exceptions_ground_caratteri" CHECK(instr("ground", char(0)) = 0 AND "ground" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_pagopa_exceptions_reason_caratteri" CHECK(instr("reason", char(0)) = 0 AND "reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_pagopa_exceptions_granted_on_caratteri" CHECK(instr("granted_on", char(0)) = 0 AND "granted_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_pagopa_exceptions_ended_on_caratteri" CHECK(instr("ended_on", char(0)) = 0 AND "ended_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_pagopa_exceptions_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sdd_pagopa_exceptions_open_uq` ON `sdd_pagopa_exceptions` (`payer_id`) WHERE "sdd_pagopa_exceptions"."ended_on" IS NULL;--> statement-breakpoint
CREATE TABLE `sdd_returns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`debit_id` integer NOT NULL,
	`reason_code` text NOT NULL,
	`return_type` text NOT NULL,
	`follow_up` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`returned_on` text NOT NULL,
	`ledger_entry_id` integer,
	`source` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` integer,
	FOREIGN KEY (`debit_id`) REFERENCES `sdd_debits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "sdd_returns_codice" CHECK(length("reason_code") = 4 AND "reason_code" NOT GLOB '*[^A-Z0-9]*'),
	CONSTRAINT "sdd_returns_return_type_valori" CHECK("return_type" IN ('rifiuto', 'storno', 'rimborso')),
	CONSTRAINT "sdd_returns_follow_up_valori" CHECK("follow_up" IN ('da_incassare', 'correggere_mandato', 'correggere_dati')),
	CONSTRAINT "sdd_returns_amount_cents_centesimi" CHECK(typeof("amount_cents") IN ('integer', 'null') AND "amount_cents" BETWEEN 1 AND 100000000),
	CONSTRAINT "sdd_returns_returned_on_data" CHECK("returned_on" IS date("returned_on")),
	CONSTRAINT "sdd_returns_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "sdd_returns_reason_code_caratteri" CHECK(instr("reason_code", char(0)) = 0 AND "reason_code" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_returns_return_type_caratteri" CHECK(instr("return_type", char(0)) = 0 AND "return_type" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_returns_follow_up_caratteri" CHECK(instr("follow_up", char(0)) = 0 AND "follow_up" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_returns_returned_on_caratteri" CHECK(instr("returned_on", char(0)) = 0 AND "returned_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_returns_source_caratteri" CHECK(instr("source", char(0)) = 0 AND "source" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "sdd_returns_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sdd_returns_debit_uq` ON `sdd_returns` (`debit_id`);--> statement-breakpoint
CREATE INDEX `sdd_returns_follow_up_idx` ON `sdd_returns` (`follow_up`);--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_entries_sdd_kind_uq` ON `ledger_entries` (`sdd_debit_id`,`kind`) WHERE "ledger_entries"."sdd_debit_id" IS NOT NULL;--> statement-breakpoint
-- Hand-written rules (issue 9). A batch's debits change only while it is a draft; approval locks them.
CREATE TRIGGER `sdd_debits_locked_ins` BEFORE INSERT ON `sdd_debits`
WHEN (SELECT `status` FROM `sdd_batches` WHERE `id` = NEW.`batch_id`) IS NOT 'bozza'
BEGIN SELECT RAISE(ABORT, 'La distinta SDD è già approvata: i suoi addebiti non si modificano'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_debits_locked_upd` BEFORE UPDATE ON `sdd_debits`
WHEN (SELECT `status` FROM `sdd_batches` WHERE `id` = OLD.`batch_id`) IS NOT 'bozza' OR NEW.`batch_id` IS NOT OLD.`batch_id` OR NEW.`end_to_end_id` IS NOT OLD.`end_to_end_id`
BEGIN SELECT RAISE(ABORT, 'La distinta SDD è già approvata: i suoi addebiti non si modificano'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_debits_locked_del` BEFORE DELETE ON `sdd_debits`
WHEN (SELECT `status` FROM `sdd_batches` WHERE `id` = OLD.`batch_id`) IS NOT 'bozza'
BEGIN SELECT RAISE(ABORT, 'La distinta SDD è già approvata: i suoi addebiti non si cancellano'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_findings_locked_upd` BEFORE UPDATE ON `sdd_findings`
WHEN (SELECT `status` FROM `sdd_batches` WHERE `id` = OLD.`batch_id`) IS NOT 'bozza'
BEGIN SELECT RAISE(ABORT, 'La distinta SDD è già approvata: i controlli non si modificano'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_findings_locked_del` BEFORE DELETE ON `sdd_findings`
WHEN (SELECT `status` FROM `sdd_batches` WHERE `id` = OLD.`batch_id`) IS NOT 'bozza'
BEGIN SELECT RAISE(ABORT, 'La distinta SDD è già approvata: i controlli non si cancellano'); END;
--> statement-breakpoint
-- Batch life: bozza -> approvato -> esportato -> incassato; approvato/esportato -> annullato. After approval
-- what the families were pre-notified of (month, due date, ids, totals) never changes.
CREATE TRIGGER `sdd_batches_transitions` BEFORE UPDATE ON `sdd_batches`
WHEN NEW.`status` IS NOT OLD.`status` AND NOT (
	(OLD.`status` = 'bozza' AND NEW.`status` = 'approvato')
	OR (OLD.`status` = 'approvato' AND NEW.`status` IN ('esportato', 'annullato'))
	OR (OLD.`status` = 'esportato' AND NEW.`status` IN ('incassato', 'annullato')))
BEGIN SELECT RAISE(ABORT, 'Passaggio di stato della distinta SDD non ammesso'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_batches_fixed_after_approval` BEFORE UPDATE ON `sdd_batches`
WHEN OLD.`status` <> 'bozza' AND (NEW.`service` IS NOT OLD.`service` OR NEW.`month` IS NOT OLD.`month`
	OR NEW.`due_date` IS NOT OLD.`due_date` OR NEW.`msg_id` IS NOT OLD.`msg_id` OR NEW.`debit_count` IS NOT OLD.`debit_count`
	OR NEW.`total_cents` IS NOT OLD.`total_cents` OR NEW.`excluded_count` IS NOT OLD.`excluded_count`
	OR NEW.`approved_at` IS NOT OLD.`approved_at` OR NEW.`approved_by` IS NOT OLD.`approved_by` OR NEW.`prenotified_on` IS NOT OLD.`prenotified_on`)
BEGIN SELECT RAISE(ABORT, 'Una distinta SDD approvata non si modifica: si annulla'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_batches_no_delete` BEFORE DELETE ON `sdd_batches`
WHEN OLD.`status` <> 'bozza'
BEGIN SELECT RAISE(ABORT, 'Una distinta SDD approvata non si cancella: si annulla'); END;
--> statement-breakpoint
-- The double-billing guard: a billed month names an included debit of an approved batch for the same
-- pupil, service and month; it goes away only with the cancellation of its batch.
CREATE TRIGGER `sdd_billed_months_ins` BEFORE INSERT ON `sdd_billed_months`
WHEN NOT EXISTS (SELECT 1 FROM `sdd_debits` d JOIN `sdd_batches` b ON b.`id` = d.`batch_id`
	WHERE d.`id` = NEW.`debit_id` AND d.`included` = 1 AND d.`pupil_id` = NEW.`pupil_id` AND b.`service` = NEW.`service` AND b.`month` = NEW.`month`)
BEGIN SELECT RAISE(ABORT, 'Mese addebitato non corrispondente al suo addebito SDD'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_billed_months_no_update` BEFORE UPDATE ON `sdd_billed_months`
BEGIN SELECT RAISE(ABORT, 'Un mese già addebitato non si modifica'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_billed_months_no_delete` BEFORE DELETE ON `sdd_billed_months`
WHEN (SELECT b.`status` FROM `sdd_debits` d JOIN `sdd_batches` b ON b.`id` = d.`batch_id` WHERE d.`id` = OLD.`debit_id`) IS NOT 'annullato'
BEGIN SELECT RAISE(ABORT, 'Un mese già addebitato si libera solo annullando la sua distinta'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_returns_no_update` BEFORE UPDATE ON `sdd_returns`
BEGIN SELECT RAISE(ABORT, 'Un insoluto registrato non si modifica'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_returns_no_delete` BEFORE DELETE ON `sdd_returns`
BEGIN SELECT RAISE(ABORT, 'Un insoluto registrato non si cancella'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_returns_debit_included` BEFORE INSERT ON `sdd_returns`
WHEN NOT EXISTS (SELECT 1 FROM `sdd_debits` d JOIN `sdd_batches` b ON b.`id` = d.`batch_id`
	WHERE d.`id` = NEW.`debit_id` AND d.`included` = 1 AND b.`status` IN ('esportato', 'incassato') AND d.`amount_cents` = NEW.`amount_cents`)
BEGIN SELECT RAISE(ABORT, 'Insoluto di un addebito che non è in una distinta esportata, o con importo diverso'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_mandates_no_delete` BEFORE DELETE ON `sdd_mandates`
BEGIN SELECT RAISE(ABORT, 'Un mandato SDD non si cancella: si revoca'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_mandates_fixed` BEFORE UPDATE ON `sdd_mandates`
WHEN NEW.`payer_id` IS NOT OLD.`payer_id` OR NEW.`umr` IS NOT OLD.`umr` OR NEW.`signed_on` IS NOT OLD.`signed_on`
	OR NEW.`holder_tax_code` IS NOT OLD.`holder_tax_code` OR OLD.`status` = 'revocato'
BEGIN SELECT RAISE(ABORT, 'Un mandato revocato, il suo codice, il pagante, la data di firma e il codice fiscale del titolare non si modificano: si registra un nuovo mandato'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_mandate_amendments_no_delete` BEFORE DELETE ON `sdd_mandate_amendments`
BEGIN SELECT RAISE(ABORT, 'Una modifica di mandato non si cancella'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_mandate_amendments_fixed` BEFORE UPDATE ON `sdd_mandate_amendments`
WHEN OLD.`reported_debit_id` IS NOT NULL OR NEW.`mandate_id` IS NOT OLD.`mandate_id` OR NEW.`kind` IS NOT OLD.`kind`
	OR NEW.`original_iban` IS NOT OLD.`original_iban` OR NEW.`new_iban` IS NOT OLD.`new_iban` OR NEW.`same_bank` IS NOT OLD.`same_bank`
	OR NEW.`original_holder_name` IS NOT OLD.`original_holder_name` OR NEW.`new_holder_name` IS NOT OLD.`new_holder_name`
	OR NEW.`effective_on` IS NOT OLD.`effective_on`
BEGIN SELECT RAISE(ABORT, 'Una modifica di mandato non si modifica'); END;
--> statement-breakpoint
CREATE TRIGGER `sdd_pagopa_exceptions_no_delete` BEFORE DELETE ON `sdd_pagopa_exceptions`
BEGIN SELECT RAISE(ABORT, 'Un''eccezione pagoPA non si cancella: si chiude'); END;
--> statement-breakpoint
-- SDD ledger entries name an included debit of their own pupil.
CREATE TRIGGER `ledger_entries_sdd_debit` BEFORE INSERT ON `ledger_entries`
WHEN NEW.`kind` IN ('incasso_sdd', 'commissione_sdd', 'insoluto') AND NOT EXISTS (
	SELECT 1 FROM `sdd_debits` d JOIN `ledger_accounts` a ON a.`id` = NEW.`account_id`
	WHERE d.`id` = NEW.`sdd_debit_id` AND d.`included` = 1 AND d.`pupil_id` = a.`pupil_id`)
BEGIN SELECT RAISE(ABORT, 'Un movimento SDD deve riferirsi a un addebito SDD incluso dello stesso alunno'); END;
