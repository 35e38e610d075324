CREATE TYPE "public"."outbox_event_state" AS ENUM('pending', 'delivered', 'dead');--> statement-breakpoint
CREATE TABLE "outbox_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sequence" bigserial NOT NULL,
	"type" text NOT NULL,
	"subject" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deliver_after" timestamp with time zone DEFAULT now() NOT NULL,
	"schema_version" integer DEFAULT 1 NOT NULL,
	"data" jsonb NOT NULL,
	"state" "outbox_event_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_events_sequence_unique" UNIQUE("sequence")
);
--> statement-breakpoint
CREATE INDEX "outbox_events_pending_due_idx" ON "outbox_events" USING btree ("next_attempt_at","sequence") WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_events_pending_subject_idx" ON "outbox_events" USING btree ("subject","sequence") WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_events_state_idx" ON "outbox_events" USING btree ("state","sequence");--> statement-breakpoint
CREATE INDEX "outbox_events_subject_idx" ON "outbox_events" USING btree ("subject","sequence");