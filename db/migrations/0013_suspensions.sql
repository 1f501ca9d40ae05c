CREATE TABLE `enrollment_block_waivers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payer_id` integer NOT NULL,
	`municipality_id` integer NOT NULL,
	`school_year_id` integer NOT NULL,
	`reason` text NOT NULL,
	`granted_at` text NOT NULL,
	`granted_by` integer,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_year_id`) REFERENCES `school_years`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`granted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "enrollment_block_waivers_motivo" CHECK(length(trim("reason")) BETWEEN 3 AND 1000),
	CONSTRAINT "enrollment_block_waivers_granted_at_istante" CHECK("granted_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "granted_at")),
	CONSTRAINT "enrollment_block_waivers_reason_caratteri" CHECK(instr("reason", char(0)) = 0 AND "reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "enrollment_block_waivers_granted_at_caratteri" CHECK(instr("granted_at", char(0)) = 0 AND "granted_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrollment_block_waivers_uq` ON `enrollment_block_waivers` (`payer_id`,`municipality_id`,`school_year_id`);--> statement-breakpoint
CREATE TABLE `service_suspensions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enrollment_id` integer NOT NULL,
	`pupil_id` integer NOT NULL,
	`payer_id` integer NOT NULL,
	`municipality_id` integer NOT NULL,
	`starts_on` text NOT NULL,
	`reason` text NOT NULL,
	`origin` text DEFAULT 'decisione' NOT NULL,
	`notice_step_id` integer,
	`decided_at` text NOT NULL,
	`decided_by` integer,
	`lifted_on` text,
	`lift_reason` text,
	`lift_note` text,
	`lifted_at` text,
	`lifted_by` integer,
	FOREIGN KEY (`enrollment_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`notice_step_id`) REFERENCES `debt_steps`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lifted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "service_suspensions_starts_on_data" CHECK("starts_on" IS date("starts_on")),
	CONSTRAINT "service_suspensions_lifted_on_data" CHECK("lifted_on" IS date("lifted_on")),
	CONSTRAINT "service_suspensions_decided_at_istante" CHECK("decided_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "decided_at")),
	CONSTRAINT "service_suspensions_lifted_at_istante" CHECK("lifted_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "lifted_at")),
	CONSTRAINT "service_suspensions_origin_valori" CHECK("origin" IN ('decisione', 'pregressa')),
	CONSTRAINT "service_suspensions_lift_reason_valori" CHECK("lift_reason" IN ('pagamento', 'piano', 'decisione')),
	CONSTRAINT "service_suspensions_motivo" CHECK(length(trim("reason")) BETWEEN 3 AND 1000),
	CONSTRAINT "service_suspensions_diffida" CHECK("origin" = 'pregressa' OR "notice_step_id" IS NOT NULL),
	CONSTRAINT "service_suspensions_revoca" CHECK(("lifted_on" IS NULL) = ("lifted_at" IS NULL) AND ("lifted_on" IS NULL) = ("lift_reason" IS NULL)
          AND ("lifted_on" IS NULL) = ("lift_note" IS NULL)
          AND ("lifted_on" IS NULL OR "lifted_on" >= "starts_on")),
	CONSTRAINT "service_suspensions_starts_on_caratteri" CHECK(instr("starts_on", char(0)) = 0 AND "starts_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "service_suspensions_reason_caratteri" CHECK(instr("reason", char(0)) = 0 AND "reason" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "service_suspensions_origin_caratteri" CHECK(instr("origin", char(0)) = 0 AND "origin" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "service_suspensions_decided_at_caratteri" CHECK(instr("decided_at", char(0)) = 0 AND "decided_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "service_suspensions_lifted_on_caratteri" CHECK(instr("lifted_on", char(0)) = 0 AND "lifted_on" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "service_suspensions_lift_reason_caratteri" CHECK(instr("lift_reason", char(0)) = 0 AND "lift_reason" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "service_suspensions_lift_note_caratteri" CHECK(instr("lift_note", char(0)) = 0 AND "lift_note" NOT GLOB '*[' || char(1) || '-' || char(8) || char(11) || '-' || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "service_suspensions_lifted_at_caratteri" CHECK(instr("lifted_at", char(0)) = 0 AND "lifted_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE INDEX `service_suspensions_enrollment_idx` ON `service_suspensions` (`enrollment_id`,`starts_on`);--> statement-breakpoint
CREATE INDEX `service_suspensions_family_idx` ON `service_suspensions` (`payer_id`,`municipality_id`);--> statement-breakpoint
CREATE INDEX `service_suspensions_municipality_idx` ON `service_suspensions` (`municipality_id`,`starts_on`);--> statement-breakpoint
CREATE UNIQUE INDEX `service_suspensions_open_uq` ON `service_suspensions` (`pupil_id`) WHERE "service_suspensions"."lifted_on" IS NULL;--> statement-breakpoint
-- Hand-written (issue 11, D2): the suspensions recorded before this table existed (the enrollment's
-- status 'sospesa' and its date) become decisions of origin 'pregressa', so the service calendar,
-- which now reads only the periods, keeps them. A withdrawn enrollment's suspension ends where the
-- withdrawal starts (no meal is booked after a withdrawal anyway). A pupil may have been left
-- 'sospesa' in an earlier school year and suspended again in a later one: only one suspension of a
-- pupil may stay open (service_suspensions_open_uq), so the earlier ones end the day after their
-- school year (no meal of that enrollment is booked after its year anyway).
INSERT INTO `service_suspensions` (`enrollment_id`, `pupil_id`, `payer_id`, `municipality_id`, `starts_on`, `reason`, `origin`, `decided_at`,
	`lifted_on`, `lift_reason`, `lift_note`, `lifted_at`)
SELECT x.`id`, x.`pupil_id`, x.`payer_id`, x.`municipality_id`, x.`suspended_on`, 'Sospensione registrata sull''iscrizione prima delle decisioni di sospensione', 'pregressa', x.`updated_at`,
	CASE WHEN x.`status` = 'ritirata' THEN max(coalesce(x.`withdrawn_on`, x.`suspended_on`), x.`suspended_on`)
		WHEN x.`superseded` THEN max(date(x.`year_ends_on`, '+1 day'), x.`suspended_on`) END,
	CASE WHEN x.`status` = 'ritirata' OR x.`superseded` THEN 'decisione' END,
	CASE WHEN x.`status` = 'ritirata' THEN 'Ritiro dal servizio' WHEN x.`superseded` THEN 'Fine dell''anno scolastico' END,
	CASE WHEN x.`status` = 'ritirata' OR x.`superseded` THEN x.`updated_at` END
FROM (
	SELECT e.*, s.`municipality_id`, y.`ends_on` AS `year_ends_on`,
		e.`status` = 'sospesa' AND EXISTS (
			SELECT 1 FROM `enrollments` l
			WHERE l.`pupil_id` = e.`pupil_id` AND l.`status` = 'sospesa' AND l.`suspended_on` IS NOT NULL
				AND (l.`suspended_on`, l.`id`) > (e.`suspended_on`, e.`id`)
		) AS `superseded`
	FROM `enrollments` e
	JOIN `schools` s ON s.`id` = e.`school_id`
	JOIN `school_years` y ON y.`id` = e.`school_year_id`
	WHERE e.`suspended_on` IS NOT NULL AND e.`status` IN ('sospesa', 'ritirata')
) x
ORDER BY x.`id`;
--> statement-breakpoint
-- an INSERT … SELECT of no rows still leaves a counter at 0: a database without legacy suspensions keeps none
DELETE FROM `sqlite_sequence` WHERE `name` = 'service_suspensions' AND `seq` = 0;
--> statement-breakpoint
-- Hand-written (issue 11, D2): a suspension is evidence a municipality may have to defend. It is
-- never deleted; it is born open; the only change is its lift, recorded once; two suspensions of a
-- pupil never overlap; a decided suspension follows a formal notice (registered letter or PEC)
-- delivered to the same family at least the notice's days to pay before its start.
CREATE TRIGGER `service_suspensions_no_delete` BEFORE DELETE ON `service_suspensions`
BEGIN
	SELECT RAISE(ABORT, 'Una sospensione del servizio non si cancella: si revoca con una data e un motivo');
END;
--> statement-breakpoint
CREATE TRIGGER `service_suspensions_born_open` BEFORE INSERT ON `service_suspensions`
WHEN NEW.`lifted_on` IS NOT NULL OR NEW.`lifted_at` IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'Una sospensione si registra aperta: la revoca si registra dopo');
END;
--> statement-breakpoint
CREATE TRIGGER `service_suspensions_no_overlap` BEFORE INSERT ON `service_suspensions`
WHEN EXISTS (SELECT 1 FROM `service_suspensions` o WHERE o.`pupil_id` = NEW.`pupil_id` AND (o.`lifted_on` IS NULL OR o.`lifted_on` > NEW.`starts_on`))
BEGIN
	SELECT RAISE(ABORT, 'L''alunno ha già una sospensione in quel periodo');
END;
--> statement-breakpoint
CREATE TRIGGER `service_suspensions_after_notice` BEFORE INSERT ON `service_suspensions`
WHEN NEW.`origin` = 'decisione' AND NOT EXISTS (
	SELECT 1 FROM `debt_steps` d
	WHERE d.`id` = NEW.`notice_step_id` AND d.`payer_id` = NEW.`payer_id` AND d.`municipality_id` = NEW.`municipality_id`
		AND d.`channel` IN ('raccomandata_ar', 'pec') AND d.`delivered_on` IS NOT NULL
		AND date(d.`delivered_on`, '+' || d.`days_to_pay` || ' days') <= NEW.`starts_on`)
BEGIN
	SELECT RAISE(ABORT, 'Una sospensione segue una diffida consegnata alla stessa famiglia (raccomandata A/R o PEC) almeno i giorni concessi prima del suo inizio');
END;
--> statement-breakpoint
CREATE TRIGGER `service_suspensions_only_lift` BEFORE UPDATE ON `service_suspensions`
WHEN NOT (OLD.`lifted_on` IS NULL AND NEW.`lifted_on` IS NOT NULL
	AND NEW.`id` IS OLD.`id` AND NEW.`enrollment_id` IS OLD.`enrollment_id` AND NEW.`pupil_id` IS OLD.`pupil_id`
	AND NEW.`payer_id` IS OLD.`payer_id` AND NEW.`municipality_id` IS OLD.`municipality_id` AND NEW.`starts_on` IS OLD.`starts_on`
	AND NEW.`reason` IS OLD.`reason` AND NEW.`origin` IS OLD.`origin` AND NEW.`notice_step_id` IS OLD.`notice_step_id`
	AND NEW.`decided_at` IS OLD.`decided_at` AND NEW.`decided_by` IS OLD.`decided_by`)
BEGIN
	SELECT RAISE(ABORT, 'Una sospensione non si modifica: si revoca una volta sola, con la data da cui i pasti riprendono');
END;
--> statement-breakpoint
CREATE TRIGGER `enrollment_block_waivers_no_update` BEFORE UPDATE ON `enrollment_block_waivers`
BEGIN
	SELECT RAISE(ABORT, 'Una deroga al diniego dell''iscrizione non si modifica');
END;
--> statement-breakpoint
CREATE TRIGGER `enrollment_block_waivers_no_delete` BEFORE DELETE ON `enrollment_block_waivers`
BEGIN
	SELECT RAISE(ABORT, 'Una deroga al diniego dell''iscrizione non si cancella');
END;
