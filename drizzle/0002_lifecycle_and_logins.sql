CREATE TYPE "public"."login_outcome" AS ENUM('success', 'failure');--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" "login_outcome" NOT NULL,
	"hub_user_id" text,
	"email" text,
	"employee_id" uuid,
	"session_id" uuid,
	"ip" "inet",
	"user_agent" text,
	"reason" text
);
--> statement-breakpoint
ALTER TABLE "employee_job_changes" ADD COLUMN "lifecycle_processed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "login_attempts_occurred_idx" ON "login_attempts" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "login_attempts_hub_user_idx" ON "login_attempts" USING btree ("hub_user_id");--> statement-breakpoint
CREATE INDEX "employee_job_changes_lifecycle_due_idx" ON "employee_job_changes" USING btree ("effective_from") WHERE "employee_job_changes"."lifecycle_processed_at" is null and 'status' = any("employee_job_changes"."fields");