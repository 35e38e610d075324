CREATE TYPE "public"."defend_severity" AS ENUM('LOW', 'MEDIUM', 'HIGH', 'CRITICAL');--> statement-breakpoint
CREATE TYPE "public"."emergency_request_state" AS ENUM('ACTED', 'HELD', 'DECLINED');--> statement-breakpoint
ALTER TYPE "public"."workflow_change_kind" ADD VALUE 'ESCALATED';--> statement-breakpoint
ALTER TYPE "public"."workflow_change_kind" ADD VALUE 'TASK_ADDED';--> statement-breakpoint
ALTER TYPE "public"."workflow_change_kind" ADD VALUE 'TIME_OFF_CANCELLED';--> statement-breakpoint
ALTER TYPE "public"."workflow_task_kind" ADD VALUE 'REVIEW_INSIDER_THREAT';--> statement-breakpoint
CREATE TABLE "emergency_offboarding_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"alert_id" text NOT NULL,
	"employee_id" uuid NOT NULL,
	"severity" "defend_severity" NOT NULL,
	"reason" text NOT NULL,
	"state" "emergency_request_state" NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"workflow_id" uuid,
	"action" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_note" text
);
--> statement-breakpoint
CREATE TABLE "insider_threat_signals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"alert_id" text NOT NULL,
	"employee_id" uuid NOT NULL,
	"severity" "defend_severity" NOT NULL,
	"score" double precision NOT NULL,
	"summary" text NOT NULL,
	"detected_at" timestamp with time zone NOT NULL,
	"details_url" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reported_by" text NOT NULL,
	"workflow_id" uuid,
	"review_task_id" uuid
);
--> statement-breakpoint
ALTER TABLE "emergency_offboarding_requests" ADD CONSTRAINT "emergency_offboarding_requests_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_offboarding_requests" ADD CONSTRAINT "emergency_offboarding_requests_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insider_threat_signals" ADD CONSTRAINT "insider_threat_signals_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insider_threat_signals" ADD CONSTRAINT "insider_threat_signals_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insider_threat_signals" ADD CONSTRAINT "insider_threat_signals_review_task_id_workflow_tasks_id_fk" FOREIGN KEY ("review_task_id") REFERENCES "public"."workflow_tasks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "emergency_offboarding_requests_alert_key" ON "emergency_offboarding_requests" USING btree ("alert_id");--> statement-breakpoint
CREATE INDEX "emergency_offboarding_requests_requested_idx" ON "emergency_offboarding_requests" USING btree ("requested_at");--> statement-breakpoint
CREATE INDEX "emergency_offboarding_requests_held_idx" ON "emergency_offboarding_requests" USING btree ("requested_at") WHERE "emergency_offboarding_requests"."state" = 'HELD';--> statement-breakpoint
CREATE UNIQUE INDEX "insider_threat_signals_alert_key" ON "insider_threat_signals" USING btree ("alert_id");--> statement-breakpoint
CREATE INDEX "insider_threat_signals_employee_idx" ON "insider_threat_signals" USING btree ("employee_id","received_at");