CREATE TABLE `portal_inbound_files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbound_event_id` integer NOT NULL,
	`path` text NOT NULL,
	`content` text NOT NULL,
	FOREIGN KEY (`inbound_event_id`) REFERENCES `portal_inbound_events`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "portal_inbound_files_path_caratteri" CHECK(instr("path", char(0)) = 0 AND "path" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*'),
	CONSTRAINT "portal_inbound_files_content_caratteri" CHECK(instr("content", char(0)) = 0 AND "content" NOT GLOB '*[' || char(1) || '-' || char(31) || ']*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `portal_inbound_files_uq` ON `portal_inbound_files` (`inbound_event_id`,`path`);