CREATE TABLE `portal_inbound_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`portal` text NOT NULL,
	`external_id` text NOT NULL,
	`type` text NOT NULL,
	`channel` text,
	`occurred_at` text,
	`pupil_tax_code` text,
	`payload` text NOT NULL,
	`received_at` text NOT NULL,
	`recorded_at` text NOT NULL,
	`status` text NOT NULL,
	`message` text NOT NULL,
	`details_json` text,
	`pupil_id` integer,
	`payer_id` integer,
	`attempt_id` integer,
	`absence_id` integer,
	`enrollment_id` integer,
	`payment_id` integer,
	`ledger_entry_id` integer,
	`diet_request_ids` text,
	`support_request_id` integer,
	`applied_at` text,
	`attempts` integer DEFAULT 1 NOT NULL,
	`last_attempt_at` text NOT NULL,
	`handled_by` integer,
	`handled_at` text,
	`dismiss_reason` text,
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`attempt_id`) REFERENCES `cancellation_attempts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`absence_id`) REFERENCES `absences`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enrollment_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ledger_entry_id`) REFERENCES `ledger_entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`support_request_id`) REFERENCES `portal_support_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`handled_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "portal_inbound_events_status_valori" CHECK("status" IN ('applicato', 'in_revisione', 'scartato_dall_ufficio', 'duplicato')),
	CONSTRAINT "portal_inbound_events_channel_valori" CHECK("channel" IN ('portale', 'app', 'telefono', 'sms')),
	CONSTRAINT "portal_inbound_events_external_id_lunghezza" CHECK(length("external_id") BETWEEN 1 AND 200),
	CONSTRAINT "portal_inbound_events_type_lunghezza" CHECK(length("type") BETWEEN 1 AND 40),
	CONSTRAINT "portal_inbound_events_attempts_intervallo" CHECK(typeof("attempts") = 'integer' AND "attempts" >= 1),
	CONSTRAINT "portal_inbound_events_applicato" CHECK(("status" = 'applicato') = ("applied_at" IS NOT NULL)),
	CONSTRAINT "portal_inbound_events_scartato" CHECK(("status" = 'scartato_dall_ufficio') = ("dismiss_reason" IS NOT NULL)),
	CONSTRAINT "portal_inbound_events_occurred_at_istante" CHECK("occurred_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "occurred_at")),
	CONSTRAINT "portal_inbound_events_received_at_istante" CHECK("received_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "received_at")),
	CONSTRAINT "portal_inbound_events_recorded_at_istante" CHECK("recorded_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "recorded_at")),
	CONSTRAINT "portal_inbound_events_applied_at_istante" CHECK("applied_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "applied_at")),
	CONSTRAINT "portal_inbound_events_last_attempt_at_istante" CHECK("last_attempt_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "last_attempt_at")),
	CONSTRAINT "portal_inbound_events_handled_at_istante" CHECK("handled_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "handled_at")),
	CONSTRAINT "portal_inbound_events_portal_caratteri" CHECK(instr("portal", char(0)) = 0 AND "portal" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_inbound_events_external_id_caratteri" CHECK(instr("external_id", char(0)) = 0 AND "external_id" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "portal_inbound_events_type_caratteri" CHECK(instr("type", char(0)) = 0 AND "type" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "portal_inbound_events_channel_caratteri" CHECK(instr("channel", char(0)) = 0 AND "channel" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_inbound_events_occurred_at_caratteri" CHECK(instr("occurred_at", char(0)) = 0 AND "occurred_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_inbound_events_pupil_tax_code_caratteri" CHECK(instr("pupil_tax_code", char(0)) = 0 AND "pupil_tax_code" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "portal_inbound_events_payload_caratteri" CHECK(instr("payload", char(0)) = 0 AND "payload" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "portal_inbound_events_received_at_caratteri" CHECK(instr("received_at", char(0)) = 0 AND "received_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_inbound_events_recorded_at_caratteri" CHECK(instr("recorded_at", char(0)) = 0 AND "recorded_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_inbound_events_status_caratteri" CHECK(instr("status", char(0)) = 0 AND "status" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_inbound_events_message_caratteri" CHECK(instr("message", char(0)) = 0 AND "message" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_inbound_events_details_json_caratteri" CHECK(instr("details_json", char(0)) = 0 AND "details_json" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "portal_inbound_events_diet_request_ids_caratteri" CHECK(instr("diet_request_ids", char(0)) = 0 AND "diet_request_ids" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "portal_inbound_events_applied_at_caratteri" CHECK(instr("applied_at", char(0)) = 0 AND "applied_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_inbound_events_last_attempt_at_caratteri" CHECK(instr("last_attempt_at", char(0)) = 0 AND "last_attempt_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_inbound_events_handled_at_caratteri" CHECK(instr("handled_at", char(0)) = 0 AND "handled_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_inbound_events_dismiss_reason_caratteri" CHECK(instr("dismiss_reason", char(0)) = 0 AND "dismiss_reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `portal_inbound_external_uq` ON `portal_inbound_events` (`portal`,`external_id`);--> statement-breakpoint
CREATE INDEX `portal_inbound_status_idx` ON `portal_inbound_events` (`status`,`received_at`);--> statement-breakpoint
CREATE INDEX `portal_inbound_pupil_idx` ON `portal_inbound_events` (`pupil_id`);--> statement-breakpoint
CREATE TABLE `portal_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "portal_state_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "portal_state_key_caratteri" CHECK(instr("key", char(0)) = 0 AND "key" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_state_value_caratteri" CHECK(instr("value", char(0)) = 0 AND "value" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "portal_state_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE TABLE `portal_support_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbound_event_id` integer NOT NULL,
	`pupil_tax_code` text,
	`payer_tax_code` text,
	`contact` text DEFAULT '' NOT NULL,
	`pupil_id` integer,
	`payer_id` integer,
	`channel` text NOT NULL,
	`subject` text NOT NULL,
	`message` text NOT NULL,
	`opened_at` text NOT NULL,
	`received_at` text NOT NULL,
	`status` text DEFAULT 'aperta' NOT NULL,
	`closed_at` text,
	`closed_by` integer,
	`closing_note` text,
	FOREIGN KEY (`inbound_event_id`) REFERENCES `portal_inbound_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "portal_support_requests_status_valori" CHECK("status" IN ('aperta', 'chiusa')),
	CONSTRAINT "portal_support_requests_channel_valori" CHECK("channel" IN ('portale', 'app', 'telefono', 'sms')),
	CONSTRAINT "portal_support_requests_chiusura" CHECK(("status" = 'chiusa') = ("closed_at" IS NOT NULL AND "closing_note" IS NOT NULL)),
	CONSTRAINT "portal_support_requests_opened_at_istante" CHECK("opened_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "opened_at")),
	CONSTRAINT "portal_support_requests_received_at_istante" CHECK("received_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "received_at")),
	CONSTRAINT "portal_support_requests_closed_at_istante" CHECK("closed_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "closed_at")),
	CONSTRAINT "portal_support_requests_pupil_tax_code_caratteri" CHECK(instr("pupil_tax_code", char(0)) = 0 AND "pupil_tax_code" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_support_requests_payer_tax_code_caratteri" CHECK(instr("payer_tax_code", char(0)) = 0 AND "payer_tax_code" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_support_requests_contact_caratteri" CHECK(instr("contact", char(0)) = 0 AND "contact" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_support_requests_channel_caratteri" CHECK(instr("channel", char(0)) = 0 AND "channel" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_support_requests_subject_caratteri" CHECK(instr("subject", char(0)) = 0 AND "subject" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_support_requests_message_caratteri" CHECK(instr("message", char(0)) = 0 AND "message" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_support_requests_opened_at_caratteri" CHECK(instr("opened_at", char(0)) = 0 AND "opened_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_support_requests_received_at_caratteri" CHECK(instr("received_at", char(0)) = 0 AND "received_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_support_requests_status_caratteri" CHECK(instr("status", char(0)) = 0 AND "status" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_support_requests_closed_at_caratteri" CHECK(instr("closed_at", char(0)) = 0 AND "closed_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "portal_support_requests_closing_note_caratteri" CHECK(instr("closing_note", char(0)) = 0 AND "closing_note" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `portal_support_event_uq` ON `portal_support_requests` (`inbound_event_id`);--> statement-breakpoint
CREATE INDEX `portal_support_status_idx` ON `portal_support_requests` (`status`,`opened_at`);--> statement-breakpoint
-- Issue 13: an inbound event is never deleted; what was received never changes; once out of the review
-- queue (applied, duplicate, dismissed) its row is final. A support request (F4) is never deleted, its
-- content never changes, and it is closed once.
CREATE TRIGGER `portal_inbound_events_no_delete` BEFORE DELETE ON `portal_inbound_events`
BEGIN
	SELECT RAISE(ABORT, 'Un evento ricevuto dal portale non si cancella: resta registrato, al più scartato dall''ufficio');
END;
--> statement-breakpoint
CREATE TRIGGER `portal_inbound_events_fixed_fields` BEFORE UPDATE ON `portal_inbound_events`
WHEN NEW.`id` IS NOT OLD.`id` OR NEW.`portal` IS NOT OLD.`portal` OR NEW.`external_id` IS NOT OLD.`external_id` OR NEW.`type` IS NOT OLD.`type`
	OR NEW.`channel` IS NOT OLD.`channel` OR NEW.`occurred_at` IS NOT OLD.`occurred_at` OR NEW.`pupil_tax_code` IS NOT OLD.`pupil_tax_code`
	OR NEW.`payload` IS NOT OLD.`payload` OR NEW.`received_at` IS NOT OLD.`received_at` OR NEW.`recorded_at` IS NOT OLD.`recorded_at`
BEGIN
	SELECT RAISE(ABORT, 'Ciò che il portale ha inviato non cambia: contenuto, id, momento e ricezione restano quelli registrati');
END;
--> statement-breakpoint
CREATE TRIGGER `portal_inbound_events_final` BEFORE UPDATE ON `portal_inbound_events`
WHEN OLD.`status` <> 'in_revisione'
BEGIN
	SELECT RAISE(ABORT, 'Un evento applicato, duplicato o scartato è definitivo: non cambia più');
END;
--> statement-breakpoint
CREATE TRIGGER `portal_support_requests_no_delete` BEFORE DELETE ON `portal_support_requests`
BEGIN
	SELECT RAISE(ABORT, 'Una segnalazione non si cancella: si chiude');
END;
--> statement-breakpoint
CREATE TRIGGER `portal_support_requests_only_close` BEFORE UPDATE ON `portal_support_requests`
WHEN OLD.`status` <> 'aperta'
	OR NEW.`id` IS NOT OLD.`id` OR NEW.`inbound_event_id` IS NOT OLD.`inbound_event_id` OR NEW.`pupil_tax_code` IS NOT OLD.`pupil_tax_code`
	OR NEW.`payer_tax_code` IS NOT OLD.`payer_tax_code` OR NEW.`contact` IS NOT OLD.`contact` OR NEW.`pupil_id` IS NOT OLD.`pupil_id`
	OR NEW.`payer_id` IS NOT OLD.`payer_id` OR NEW.`channel` IS NOT OLD.`channel` OR NEW.`subject` IS NOT OLD.`subject`
	OR NEW.`message` IS NOT OLD.`message` OR NEW.`opened_at` IS NOT OLD.`opened_at` OR NEW.`received_at` IS NOT OLD.`received_at`
BEGIN
	SELECT RAISE(ABORT, 'Di una segnalazione si registra solo la chiusura, una volta: ciò che la famiglia ha scritto non cambia');
END;
