CREATE TABLE `import_layouts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`fingerprint` text NOT NULL,
	`headers` text NOT NULL,
	`mapping` text NOT NULL,
	`answers` text NOT NULL,
	`year_choice` text NOT NULL,
	`school_year_id` integer,
	`updated_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`school_year_id`) REFERENCES `school_years`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "import_layouts_fingerprint_sha256" CHECK(length("fingerprint") = 64 AND "fingerprint" NOT GLOB '*[^0-9a-f]*'),
	CONSTRAINT "import_layouts_year_choice_valori" CHECK("year_choice" IN ('corrente', 'successivo', 'anno')),
	CONSTRAINT "import_layouts_anno_scelto" CHECK(("year_choice" = 'anno') = ("school_year_id" IS NOT NULL)),
	CONSTRAINT "import_layouts_json" CHECK(json_valid("headers") AND json_valid("mapping") AND json_valid("answers")),
	CONSTRAINT "import_layouts_created_at_istante" CHECK("created_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "created_at")),
	CONSTRAINT "import_layouts_updated_at_istante" CHECK("updated_at" IS strftime('%Y-%m-%dT%H:%M:%fZ', "updated_at")),
	CONSTRAINT "import_layouts_fingerprint_caratteri" CHECK(instr("fingerprint", char(0)) = 0 AND "fingerprint" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "import_layouts_headers_caratteri" CHECK(instr("headers", char(0)) = 0 AND "headers" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "import_layouts_mapping_caratteri" CHECK(instr("mapping", char(0)) = 0 AND "mapping" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "import_layouts_answers_caratteri" CHECK(instr("answers", char(0)) = 0 AND "answers" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "import_layouts_year_choice_caratteri" CHECK(instr("year_choice", char(0)) = 0 AND "year_choice" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "import_layouts_created_at_caratteri" CHECK(instr("created_at", char(0)) = 0 AND "created_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*'),
	CONSTRAINT "import_layouts_updated_at_caratteri" CHECK(instr("updated_at", char(0)) = 0 AND "updated_at" NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || char(8203) || '-' || char(8207) || char(8234) || '-' || char(8238) || char(8294) || '-' || char(8297) || char(65279) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `import_layouts_fingerprint_uq` ON `import_layouts` (`fingerprint`);