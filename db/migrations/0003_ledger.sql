CREATE TABLE `ledger_accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pupil_id` integer NOT NULL,
	`service` text NOT NULL,
	`school_year_id` integer NOT NULL,
	`balance_cents` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_year_id`) REFERENCES `school_years`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_accounts_pupil_service_year_uq` ON `ledger_accounts` (`pupil_id`,`service`,`school_year_id`);--> statement-breakpoint
CREATE INDEX `ledger_accounts_year_idx` ON `ledger_accounts` (`school_year_id`,`service`);--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`kind` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`booked_on` text NOT NULL,
	`settled_on` text,
	`channel` text,
	`payer_id` integer,
	`payment_id` integer,
	`meal_id` integer,
	`correction_id` integer,
	`sdd_debit_id` integer,
	`external_ref` text,
	`reason_code` text,
	`reversal_of` integer,
	`counterpart_id` integer,
	`service_date` text,
	`tariff_id` integer,
	`gross_cents` integer,
	`net_cents` integer,
	`vat_cents` integer,
	`vat_rate_bp` integer,
	`reason` text DEFAULT '' NOT NULL,
	`created_by` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`meal_id`) REFERENCES `meals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`correction_id`) REFERENCES `meal_corrections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reversal_of`) REFERENCES `ledger_entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`counterpart_id`) REFERENCES `ledger_entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tariff_id`) REFERENCES `tariffs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_kind_ck" CHECK("ledger_entries"."kind" IN ('ricarica', 'pagamento', 'addebito_pasto', 'storno_pasto', 'incasso_sdd', 'commissione_sdd', 'insoluto', 'rimborso', 'storno_pagamento', 'rettifica', 'riporto_uscita', 'riporto_entrata')),
	CONSTRAINT "ledger_amount_bounds_ck" CHECK("ledger_entries"."amount_cents" <> 0 AND abs("ledger_entries"."amount_cents") <= 10000000),
	CONSTRAINT "ledger_sign_ck" CHECK(("ledger_entries"."kind" NOT IN ('ricarica', 'pagamento', 'storno_pasto', 'incasso_sdd') OR "ledger_entries"."amount_cents" > 0)
          AND ("ledger_entries"."kind" NOT IN ('addebito_pasto', 'commissione_sdd', 'insoluto', 'rimborso', 'storno_pagamento') OR "ledger_entries"."amount_cents" < 0)),
	CONSTRAINT "ledger_booked_on_ck" CHECK("ledger_entries"."booked_on" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "ledger_created_at_ck" CHECK("ledger_entries"."created_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "ledger_money_ck" CHECK(("ledger_entries"."kind" NOT IN ('ricarica', 'pagamento', 'incasso_sdd', 'insoluto', 'rimborso', 'storno_pagamento') OR ("ledger_entries"."channel" IS NOT NULL AND "ledger_entries"."settled_on" IS NOT NULL))
          AND ("ledger_entries"."settled_on" IS NULL OR "ledger_entries"."settled_on" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
          AND ("ledger_entries"."channel" IS NULL OR "ledger_entries"."channel" IN ('pagopa', 'bonifico', 'contanti', 'pos', 'assegno', 'sdd'))),
	CONSTRAINT "ledger_payment_ck" CHECK("ledger_entries"."kind" NOT IN ('ricarica', 'pagamento') OR "ledger_entries"."payment_id" IS NOT NULL),
	CONSTRAINT "ledger_meal_ck" CHECK("ledger_entries"."kind" NOT IN ('addebito_pasto', 'storno_pasto')
          OR ("ledger_entries"."service_date" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND "ledger_entries"."gross_cents" = abs("ledger_entries"."amount_cents")
              AND "ledger_entries"."net_cents" IS NOT NULL AND "ledger_entries"."vat_cents" IS NOT NULL AND "ledger_entries"."net_cents" >= 0 AND "ledger_entries"."vat_cents" >= 0
              AND ("ledger_entries"."meal_id" IS NOT NULL OR "ledger_entries"."correction_id" IS NOT NULL))),
	CONSTRAINT "ledger_reversal_ck" CHECK(("ledger_entries"."kind" IN ('storno_pasto', 'storno_pagamento')) = ("ledger_entries"."reversal_of" IS NOT NULL)),
	CONSTRAINT "ledger_counterpart_ck" CHECK(("ledger_entries"."kind" = 'riporto_entrata') = ("ledger_entries"."counterpart_id" IS NOT NULL)),
	CONSTRAINT "ledger_reason_ck" CHECK("ledger_entries"."kind" <> 'rettifica' OR length(trim("ledger_entries"."reason")) >= 3)
);
--> statement-breakpoint
CREATE INDEX `ledger_entries_account_idx` ON `ledger_entries` (`account_id`,`booked_on`);--> statement-breakpoint
CREATE INDEX `ledger_entries_booked_idx` ON `ledger_entries` (`booked_on`,`kind`);--> statement-breakpoint
CREATE INDEX `ledger_entries_settled_idx` ON `ledger_entries` (`settled_on`) WHERE "ledger_entries"."settled_on" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `ledger_entries_payer_idx` ON `ledger_entries` (`payer_id`,`settled_on`) WHERE "ledger_entries"."payer_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_entries_meal_charge_uq` ON `ledger_entries` (`meal_id`) WHERE "ledger_entries"."kind" = 'addebito_pasto' AND "ledger_entries"."correction_id" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_entries_payment_uq` ON `ledger_entries` (`payment_id`) WHERE "ledger_entries"."kind" IN ('ricarica', 'pagamento');--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_entries_reversal_uq` ON `ledger_entries` (`reversal_of`) WHERE "ledger_entries"."reversal_of" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_entries_counterpart_uq` ON `ledger_entries` (`counterpart_id`) WHERE "ledger_entries"."counterpart_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `ledger_entries_service_date_idx` ON `ledger_entries` (`account_id`,`service_date`) WHERE "ledger_entries"."service_date" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `ledger_entries_sdd_idx` ON `ledger_entries` (`sdd_debit_id`) WHERE "ledger_entries"."sdd_debit_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`pupil_id` integer NOT NULL,
	`service` text NOT NULL,
	`municipality_id` integer,
	`amount_cents` integer NOT NULL,
	`paid_at` text NOT NULL,
	`paid_on` text NOT NULL,
	`notice_number` text,
	`iuv` text,
	`iur` text,
	`creditor_fiscal_code` text,
	`psp` text,
	`payer_id` integer,
	`payer_tax_code` text,
	`payer_name` text DEFAULT '' NOT NULL,
	`reference` text DEFAULT '' NOT NULL,
	`source` text NOT NULL,
	`import_ref` text,
	`reported_on` text,
	`note` text DEFAULT '' NOT NULL,
	`created_by` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`pupil_id`) REFERENCES `pupils`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipalities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payer_id`) REFERENCES `payers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "payments_amount_ck" CHECK("payments"."amount_cents" > 0 AND "payments"."amount_cents" <= 10000000),
	CONSTRAINT "payments_paid_on_ck" CHECK("payments"."paid_on" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "payments_paid_at_ck" CHECK("payments"."paid_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "payments_channel_ck" CHECK("payments"."channel" IN ('pagopa', 'bonifico', 'contanti', 'pos', 'assegno', 'sdd')),
	CONSTRAINT "payments_pagopa_ck" CHECK(("payments"."channel" = 'pagopa') = ("payments"."iuv" IS NOT NULL)
          AND ("payments"."iuv" IS NULL OR ((length("payments"."iuv") = 15 OR length("payments"."iuv") = 17) AND "payments"."iuv" NOT GLOB '*[^0-9]*'))
          AND ("payments"."notice_number" IS NULL OR (length("payments"."notice_number") = 18 AND "payments"."notice_number" NOT GLOB '*[^0-9]*'))
          AND ("payments"."creditor_fiscal_code" IS NULL OR (length("payments"."creditor_fiscal_code") = 11 AND "payments"."creditor_fiscal_code" NOT GLOB '*[^0-9]*')))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_iuv_uq` ON `payments` (`iuv`) WHERE "payments"."iuv" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `payments_iur_uq` ON `payments` (`creditor_fiscal_code`,`iur`) WHERE "payments"."iur" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `payments_paid_on_idx` ON `payments` (`paid_on`,`municipality_id`,`channel`);--> statement-breakpoint
CREATE INDEX `payments_pupil_idx` ON `payments` (`pupil_id`,`paid_on`);--> statement-breakpoint
CREATE INDEX `payments_payer_idx` ON `payments` (`payer_id`,`paid_on`);--> statement-breakpoint
CREATE TABLE `services` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	CONSTRAINT "services_code_ck" CHECK("services"."code" GLOB '[a-z]*' AND "services"."code" NOT GLOB '*[^a-z_]*' AND length("services"."code") <= 40)
);
