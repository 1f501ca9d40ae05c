CREATE TABLE `pagopa_notices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payer_id` integer NOT NULL,
	`pupil_id` integer NOT NULL,
	`service` text NOT NULL,
	`municipality_id` integer NOT NULL,
	`amount_cents` integer NOT NULL,
	`due_on` text NOT NULL,
	`notice_number` text NOT NULL,
	`iuv` text NOT NULL,
	`creditor_fiscal_code` text NOT NULL,
	`description` text NOT NULL,
	`issued_on` text NOT NULL,
	`issued_at` text NOT NULL,
	`issued_by` integer,
	`cancelled_at` text,
	`cancelled_by` integer,
	`cancel_reason` text,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issued_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cancelled_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "pagopa_notices_amount_cents_centesimi" CHECK(typeof("amount_cents") IN ('integer', 'null') AND "amount_cents" BETWEEN 1 AND 100000000),
	CONSTRAINT "pagopa_notices_due_on_data" CHECK("due_on" IS date("due_on")),
	CONSTRAINT "pagopa_notices_issued_on_data" CHECK("issued_on" IS date("issued_on")),
	CONSTRAINT "pagopa_notices_scadenza" CHECK("due_on" >= "issued_on"),
	CONSTRAINT "pagopa_notices_numero" CHECK(length("notice_number") = 18 AND "notice_number" NOT GLOB '*[^0-9]*' AND substr("notice_number", 1, 1) = '3'),
	CONSTRAINT "pagopa_notices_iuv" CHECK("iuv" = substr("notice_number", 2)),
	CONSTRAINT "pagopa_notices_ente" CHECK(length("creditor_fiscal_code") = 11 AND "creditor_fiscal_code" NOT GLOB '*[^0-9]*'),
	CONSTRAINT "pagopa_notices_causale" CHECK(length(trim("description")) BETWEEN 3 AND 140),
	CONSTRAINT "pagopa_notices_issued_at_istante" CHECK("issued_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "issued_at")),
	CONSTRAINT "pagopa_notices_cancelled_at_istante" CHECK("cancelled_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "cancelled_at")),
	CONSTRAINT "pagopa_notices_annullamento" CHECK(("cancelled_at" IS NULL) = ("cancel_reason" IS NULL) AND ("cancel_reason" IS NULL OR length(trim("cancel_reason")) >= 3)),
	CONSTRAINT "pagopa_notices_service_caratteri" CHECK(instr("service", char(0)) = 0 AND "service" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pagopa_notices_due_on_caratteri" CHECK(instr("due_on", char(0)) = 0 AND "due_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pagopa_notices_notice_number_caratteri" CHECK(instr("notice_number", char(0)) = 0 AND "notice_number" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pagopa_notices_iuv_caratteri" CHECK(instr("iuv", char(0)) = 0 AND "iuv" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pagopa_notices_creditor_fiscal_code_caratteri" CHECK(instr("creditor_fiscal_code", char(0)) = 0 AND "creditor_fiscal_code" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pagopa_notices_description_caratteri" CHECK(instr("description", char(0)) = 0 AND "description" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pagopa_notices_issued_on_caratteri" CHECK(instr("issued_on", char(0)) = 0 AND "issued_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pagopa_notices_issued_at_caratteri" CHECK(instr("issued_at", char(0)) = 0 AND "issued_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pagopa_notices_cancelled_at_caratteri" CHECK(instr("cancelled_at", char(0)) = 0 AND "cancelled_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "pagopa_notices_cancel_reason_caratteri" CHECK(instr("cancel_reason", char(0)) = 0 AND "cancel_reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pagopa_notices_number_uq` ON `pagopa_notices` (`creditor_fiscal_code`,`notice_number`);--> statement-breakpoint
CREATE UNIQUE INDEX `pagopa_notices_iuv_uq` ON `pagopa_notices` (`iuv`);--> statement-breakpoint
CREATE INDEX `pagopa_notices_payer_idx` ON `pagopa_notices` (`payer_id`,`municipality_id`);--> statement-breakpoint
CREATE TRIGGER `pagopa_notices_no_delete` BEFORE DELETE ON `pagopa_notices`
BEGIN
	SELECT RAISE(ABORT, 'Un avviso pagoPA non si cancella: si annulla con un motivo');
END;
--> statement-breakpoint
CREATE TRIGGER `pagopa_notices_only_cancel` BEFORE UPDATE ON `pagopa_notices`
WHEN NOT (OLD.`cancelled_at` IS NULL AND NEW.`cancelled_at` IS NOT NULL
	AND NEW.`id` IS OLD.`id` AND NEW.`payer_id` IS OLD.`payer_id` AND NEW.`pupil_id` IS OLD.`pupil_id` AND NEW.`service` IS OLD.`service`
	AND NEW.`municipality_id` IS OLD.`municipality_id` AND NEW.`amount_cents` IS OLD.`amount_cents` AND NEW.`due_on` IS OLD.`due_on`
	AND NEW.`notice_number` IS OLD.`notice_number` AND NEW.`iuv` IS OLD.`iuv` AND NEW.`creditor_fiscal_code` IS OLD.`creditor_fiscal_code`
	AND NEW.`description` IS OLD.`description` AND NEW.`issued_on` IS OLD.`issued_on` AND NEW.`issued_at` IS OLD.`issued_at` AND NEW.`issued_by` IS OLD.`issued_by`)
BEGIN
	SELECT RAISE(ABORT, 'Un avviso pagoPA non si modifica: si annulla (una volta sola) e se ne emette uno nuovo');
END;
