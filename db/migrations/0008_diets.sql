CREATE TABLE `diet_attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`kind` text NOT NULL,
	`file_name` text NOT NULL,
	`mime_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`content` blob,
	`uploaded_at` text NOT NULL,
	`uploaded_by` integer,
	`purged_at` text,
	`purged_by` integer,
	FOREIGN KEY (`request_id`) REFERENCES `diet_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`purged_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "diet_attachments_kind_valori" CHECK("kind" IN ('certificato_medico', 'autodichiarazione')),
	CONSTRAINT "diet_attachments_mime_type_valori" CHECK("mime_type" IN ('application/pdf', 'image/jpeg', 'image/png')),
	CONSTRAINT "diet_attachments_size_bytes_intervallo" CHECK(typeof("size_bytes") IN ('integer', 'null') AND "size_bytes" BETWEEN 1 AND 5242880),
	CONSTRAINT "diet_attachments_sha256_forma" CHECK(length("sha256") = 64 AND "sha256" NOT GLOB '*[^0-9a-f]*'),
	CONSTRAINT "diet_attachments_file_name_vuoto" CHECK(length(trim("file_name")) > 0),
	CONSTRAINT "diet_attachments_contenuto" CHECK(("content" IS NULL) = ("purged_at" IS NOT NULL) AND ("content" IS NULL OR (typeof("content") = 'blob' AND length("content") = "size_bytes"))),
	CONSTRAINT "diet_attachments_uploaded_at_istante" CHECK("uploaded_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "uploaded_at")),
	CONSTRAINT "diet_attachments_purged_at_istante" CHECK("purged_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "purged_at")),
	CONSTRAINT "diet_attachments_kind_caratteri" CHECK(instr("kind", char(0)) = 0 AND "kind" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_attachments_file_name_caratteri" CHECK(instr("file_name", char(0)) = 0 AND "file_name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_attachments_mime_type_caratteri" CHECK(instr("mime_type", char(0)) = 0 AND "mime_type" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_attachments_sha256_caratteri" CHECK(instr("sha256", char(0)) = 0 AND "sha256" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_attachments_uploaded_at_caratteri" CHECK(instr("uploaded_at", char(0)) = 0 AND "uploaded_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_attachments_purged_at_caratteri" CHECK(instr("purged_at", char(0)) = 0 AND "purged_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE INDEX `diet_attachments_request_idx` ON `diet_attachments` (`request_id`);--> statement-breakpoint
CREATE TABLE `diet_request_items` (
	`request_id` integer NOT NULL,
	`diet_type_id` integer NOT NULL,
	PRIMARY KEY(`request_id`, `diet_type_id`),
	FOREIGN KEY (`request_id`) REFERENCES `diet_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`diet_type_id`) REFERENCES `diet_types`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `diet_request_items_type_idx` ON `diet_request_items` (`diet_type_id`);--> statement-breakpoint
CREATE TABLE `diet_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pupil_id` integer NOT NULL,
	`school_year_id` integer NOT NULL,
	`category` text NOT NULL,
	`source` text NOT NULL,
	`received_on` text NOT NULL,
	`details` text DEFAULT '' NOT NULL,
	`valid_until` text,
	`status` text NOT NULL,
	`handled_by` integer,
	`created_by` integer,
	`created_at` text NOT NULL,
	`decided_at` text,
	`decided_by` integer,
	`approved_on` text,
	`reason` text,
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_year_id`) REFERENCES `school_years`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`handled_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "diet_requests_category_valori" CHECK("category" IN ('medica', 'etico_religiosa')),
	CONSTRAINT "diet_requests_source_valori" CHECK("source" IN ('iscrizione', 'portale', 'email')),
	CONSTRAINT "diet_requests_status_valori" CHECK("status" IN ('in_attesa', 'approvata', 'respinta', 'revocata', 'sostituita')),
	CONSTRAINT "diet_requests_received_on_data" CHECK("received_on" IS date("received_on")),
	CONSTRAINT "diet_requests_valid_until_data" CHECK("valid_until" IS date("valid_until")),
	CONSTRAINT "diet_requests_approved_on_data" CHECK("approved_on" IS date("approved_on")),
	CONSTRAINT "diet_requests_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "diet_requests_decided_at_istante" CHECK("decided_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "decided_at")),
	CONSTRAINT "diet_requests_decisione" CHECK(("status" = 'in_attesa') = ("decided_at" IS NULL)),
	CONSTRAINT "diet_requests_motivo" CHECK("status" NOT IN ('respinta', 'revocata') OR length(trim("reason")) > 0),
	CONSTRAINT "diet_requests_approvazione" CHECK(("approved_on" IS NULL) = ("status" IN ('in_attesa', 'respinta'))),
	CONSTRAINT "diet_requests_category_caratteri" CHECK(instr("category", char(0)) = 0 AND "category" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_requests_source_caratteri" CHECK(instr("source", char(0)) = 0 AND "source" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_requests_received_on_caratteri" CHECK(instr("received_on", char(0)) = 0 AND "received_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_requests_details_caratteri" CHECK(instr("details", char(0)) = 0 AND "details" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_requests_valid_until_caratteri" CHECK(instr("valid_until", char(0)) = 0 AND "valid_until" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_requests_status_caratteri" CHECK(instr("status", char(0)) = 0 AND "status" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_requests_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_requests_decided_at_caratteri" CHECK(instr("decided_at", char(0)) = 0 AND "decided_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_requests_approved_on_caratteri" CHECK(instr("approved_on", char(0)) = 0 AND "approved_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_requests_reason_caratteri" CHECK(instr("reason", char(0)) = 0 AND "reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE INDEX `diet_requests_year_status_idx` ON `diet_requests` (`school_year_id`,`status`);--> statement-breakpoint
CREATE INDEX `diet_requests_pupil_idx` ON `diet_requests` (`pupil_id`,`school_year_id`);--> statement-breakpoint
CREATE TABLE `diet_types` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`category` text NOT NULL,
	`kind` text NOT NULL,
	`free_text` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "diet_types_name_vuoto" CHECK(length(trim("name")) > 0),
	CONSTRAINT "diet_types_code_forma" CHECK("code" GLOB '[a-z]*' AND "code" NOT GLOB '*[^a-z0-9_]*' AND length("code") <= 40),
	CONSTRAINT "diet_types_categoria_tipo" CHECK(("category" = 'medica' AND "kind" <> 'etica') OR ("category" = 'etico_religiosa' AND "kind" IN ('etica', 'altro'))),
	CONSTRAINT "diet_types_category_valori" CHECK("category" IN ('medica', 'etico_religiosa')),
	CONSTRAINT "diet_types_kind_valori" CHECK("kind" IN ('allergene', 'intolleranza', 'metabolica', 'etica', 'altro')),
	CONSTRAINT "diet_types_free_text_booleano" CHECK("free_text" IN (0, 1)),
	CONSTRAINT "diet_types_active_booleano" CHECK("active" IN (0, 1)),
	CONSTRAINT "diet_types_sort_order_intervallo" CHECK(typeof("sort_order") IN ('integer', 'null') AND "sort_order" BETWEEN 0 AND 10000),
	CONSTRAINT "diet_types_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "diet_types_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "diet_types_code_caratteri" CHECK(instr("code", char(0)) = 0 AND "code" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_types_name_caratteri" CHECK(instr("name", char(0)) = 0 AND "name" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_types_category_caratteri" CHECK(instr("category", char(0)) = 0 AND "category" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_types_kind_caratteri" CHECK(instr("kind", char(0)) = 0 AND "kind" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_types_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "diet_types_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `diet_types_code_uq` ON `diet_types` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `diet_types_name_uq` ON `diet_types` (`name`);--> statement-breakpoint
-- Hand-written: the catalogue of diet types (editable by the administrator): the 14 allergens of
-- Annex II of Regulation (EU) 1169/2011, common intolerances and metabolic diseases, the
-- ethical-religious diets, and one free-text entry per category.
INSERT INTO `diet_types` (`code`, `name`, `category`, `kind`, `free_text`, `active`, `sort_order`, `created_at`, `updated_at`) VALUES
	('glutine', 'Cereali contenenti glutine', 'medica', 'allergene', 0, 1, 10, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('crostacei', 'Crostacei', 'medica', 'allergene', 0, 1, 20, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('uova', 'Uova', 'medica', 'allergene', 0, 1, 30, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('pesce', 'Pesce', 'medica', 'allergene', 0, 1, 40, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('arachidi', 'Arachidi', 'medica', 'allergene', 0, 1, 50, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('soia', 'Soia', 'medica', 'allergene', 0, 1, 60, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('latte', 'Latte', 'medica', 'allergene', 0, 1, 70, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('frutta_a_guscio', 'Frutta a guscio', 'medica', 'allergene', 0, 1, 80, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('sedano', 'Sedano', 'medica', 'allergene', 0, 1, 90, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('senape', 'Senape', 'medica', 'allergene', 0, 1, 100, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('sesamo', 'Semi di sesamo', 'medica', 'allergene', 0, 1, 110, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('solfiti', 'Anidride solforosa e solfiti', 'medica', 'allergene', 0, 1, 120, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('lupini', 'Lupini', 'medica', 'allergene', 0, 1, 130, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('molluschi', 'Molluschi', 'medica', 'allergene', 0, 1, 140, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('lattosio', 'Intolleranza al lattosio', 'medica', 'intolleranza', 0, 1, 150, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('celiachia', 'Celiachia (senza glutine)', 'medica', 'intolleranza', 0, 1, 160, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('diabete', 'Diabete', 'medica', 'metabolica', 0, 1, 170, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('fenilchetonuria', 'Fenilchetonuria', 'medica', 'metabolica', 0, 1, 180, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('favismo', 'Favismo', 'medica', 'metabolica', 0, 1, 190, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('altro_medica', 'Altra dieta medica (testo libero)', 'medica', 'altro', 1, 1, 200, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('vegetariana', 'Vegetariana', 'etico_religiosa', 'etica', 0, 1, 210, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('senza_maiale', 'Senza carne di maiale', 'etico_religiosa', 'etica', 0, 1, 220, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('senza_carne', 'Senza carne', 'etico_religiosa', 'etica', 0, 1, 230, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('senza_manzo', 'Senza carne bovina', 'etico_religiosa', 'etica', 0, 1, 240, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z'),
	('altro_etica', 'Altra dieta etico-religiosa (testo libero)', 'etico_religiosa', 'altro', 1, 1, 250, '2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z');
--> statement-breakpoint
-- Health data is never hard-deleted (F5): requests and their items stay; an attachment's content
-- is never overwritten, and the retention purge only empties it, recording who and when.
CREATE TRIGGER `diet_requests_no_delete` BEFORE DELETE ON `diet_requests`
BEGIN
	SELECT RAISE(ABORT, 'Una richiesta di dieta non si cancella: si respinge o si revoca con un motivo');
END;
--> statement-breakpoint
CREATE TRIGGER `diet_requests_fixed_fields` BEFORE UPDATE ON `diet_requests`
WHEN NEW.`id` IS NOT OLD.`id` OR NEW.`pupil_id` IS NOT OLD.`pupil_id` OR NEW.`school_year_id` IS NOT OLD.`school_year_id`
	OR NEW.`category` IS NOT OLD.`category` OR NEW.`created_at` IS NOT OLD.`created_at` OR NEW.`created_by` IS NOT OLD.`created_by`
	OR NEW.`source` IS NOT OLD.`source` OR NEW.`received_on` IS NOT OLD.`received_on`
BEGIN
	SELECT RAISE(ABORT, 'Alunno, anno scolastico, tipo, provenienza e data di una richiesta di dieta non si modificano: registrare una nuova richiesta');
END;
--> statement-breakpoint
CREATE TRIGGER `diet_request_items_no_delete` BEFORE DELETE ON `diet_request_items`
BEGIN
	SELECT RAISE(ABORT, 'Le diete di una richiesta non si cancellano: registrare una nuova richiesta');
END;
--> statement-breakpoint
CREATE TRIGGER `diet_request_items_no_update` BEFORE UPDATE ON `diet_request_items`
BEGIN
	SELECT RAISE(ABORT, 'Le diete di una richiesta non si modificano: registrare una nuova richiesta');
END;
--> statement-breakpoint
CREATE TRIGGER `diet_attachments_no_delete` BEFORE DELETE ON `diet_attachments`
BEGIN
	SELECT RAISE(ABORT, 'Un allegato non si cancella: alla scadenza della conservazione se ne elimina solo il contenuto');
END;
--> statement-breakpoint
CREATE TRIGGER `diet_attachments_only_purge` BEFORE UPDATE ON `diet_attachments`
WHEN NOT (OLD.`content` IS NOT NULL AND NEW.`content` IS NULL AND NEW.`purged_at` IS NOT NULL
	AND NEW.`id` IS OLD.`id` AND NEW.`request_id` IS OLD.`request_id` AND NEW.`kind` IS OLD.`kind`
	AND NEW.`file_name` IS OLD.`file_name` AND NEW.`mime_type` IS OLD.`mime_type` AND NEW.`size_bytes` IS OLD.`size_bytes`
	AND NEW.`sha256` IS OLD.`sha256` AND NEW.`uploaded_at` IS OLD.`uploaded_at` AND NEW.`uploaded_by` IS OLD.`uploaded_by`)
BEGIN
	SELECT RAISE(ABORT, 'Un allegato non si sovrascrive: se ne può solo eliminare il contenuto alla scadenza della conservazione');
END;
