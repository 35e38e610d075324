CREATE TYPE "public"."system_task_state" AS ENUM('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');--> statement-breakpoint
CREATE TABLE "system_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sequence" bigserial NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"payload" jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"state" "system_task_state" DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer NOT NULL,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claim_token" uuid,
	"last_error" text,
	"waiting_reason" text,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "system_tasks_sequence_unique" UNIQUE("sequence"),
	CONSTRAINT "system_tasks_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE INDEX "system_tasks_due_idx" ON "system_tasks" USING btree ("next_attempt_at") WHERE state in ('PENDING', 'RUNNING');--> statement-breakpoint
CREATE INDEX "system_tasks_state_idx" ON "system_tasks" USING btree ("state","sequence");--> statement-breakpoint
CREATE INDEX "system_tasks_kind_idx" ON "system_tasks" USING btree ("kind","sequence");--> statement-breakpoint
CREATE INDEX "system_tasks_subject_idx" ON "system_tasks" USING btree ("subject","sequence");