CREATE TYPE "public"."workflow_assignee_group" AS ENUM('HR', 'IT', 'SYSTEM');--> statement-breakpoint
CREATE TYPE "public"."workflow_assignee_kind" AS ENUM('MANAGER', 'HR', 'IT', 'EMPLOYEE', 'NAMED', 'SYSTEM');--> statement-breakpoint
CREATE TYPE "public"."workflow_change_kind" AS ENUM('STARTED', 'TASK_COMPLETED', 'TASK_SKIPPED', 'TASK_REOPENED', 'TASK_REASSIGNED', 'COMPLETED', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."workflow_kind" AS ENUM('ONBOARDING', 'OFFBOARDING');--> statement-breakpoint
CREATE TYPE "public"."workflow_started_via" AS ENUM('HIRE', 'HR', 'STATUS_CHANGE', 'DEFEND');--> statement-breakpoint
CREATE TYPE "public"."workflow_state" AS ENUM('ACTIVE', 'COMPLETED', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."workflow_task_state" AS ENUM('OPEN', 'DONE', 'SKIPPED');--> statement-breakpoint
CREATE TYPE "public"."workflow_urgency" AS ENUM('STANDARD', 'EMERGENCY');--> statement-breakpoint
CREATE TABLE "workflow_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sequence" bigserial NOT NULL,
	"workflow_id" uuid NOT NULL,
	"kind" "workflow_change_kind" NOT NULL,
	"task_id" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" text NOT NULL,
	"note" text,
	"changes" jsonb NOT NULL,
	CONSTRAINT "workflow_history_sequence_unique" UNIQUE("sequence")
);
--> statement-breakpoint
CREATE TABLE "workflow_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workflow_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"assignee_kind" "workflow_assignee_kind" NOT NULL,
	"assignee_id" uuid,
	"assignee_group" "workflow_assignee_group",
	"due_offset_days" integer NOT NULL,
	"due_date" date NOT NULL,
	"required" boolean NOT NULL,
	"state" "workflow_task_state" DEFAULT 'OPEN' NOT NULL,
	"completed_at" timestamp with time zone,
	"completed_by" text,
	"completed_by_employee_id" uuid,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "workflow_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "workflow_kind" NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"active" boolean DEFAULT true NOT NULL,
	"conditions" jsonb NOT NULL,
	"tasks" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workflows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "workflow_kind" NOT NULL,
	"urgency" "workflow_urgency" DEFAULT 'STANDARD' NOT NULL,
	"employee_id" uuid NOT NULL,
	"anchor_day" date NOT NULL,
	"state" "workflow_state" DEFAULT 'ACTIVE' NOT NULL,
	"template_id" uuid,
	"started_via" "workflow_started_via" NOT NULL,
	"started_by" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" text,
	"leaving_status" "employment_status",
	"status_change_id" uuid,
	"completed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text
);
--> statement-breakpoint
ALTER TABLE "workflow_history" ADD CONSTRAINT "workflow_history_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_history" ADD CONSTRAINT "workflow_history_task_id_workflow_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."workflow_tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_tasks" ADD CONSTRAINT "workflow_tasks_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_tasks" ADD CONSTRAINT "workflow_tasks_assignee_id_employees_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."employees"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_tasks" ADD CONSTRAINT "workflow_tasks_completed_by_employee_id_employees_id_fk" FOREIGN KEY ("completed_by_employee_id") REFERENCES "public"."employees"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflows" ADD CONSTRAINT "workflows_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflows" ADD CONSTRAINT "workflows_template_id_workflow_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."workflow_templates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflows" ADD CONSTRAINT "workflows_status_change_id_employee_changes_id_fk" FOREIGN KEY ("status_change_id") REFERENCES "public"."employee_changes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "workflow_history_workflow_idx" ON "workflow_history" USING btree ("workflow_id","sequence");--> statement-breakpoint
CREATE INDEX "workflow_tasks_workflow_idx" ON "workflow_tasks" USING btree ("workflow_id","position");--> statement-breakpoint
CREATE INDEX "workflow_tasks_assignee_idx" ON "workflow_tasks" USING btree ("assignee_id","due_date") WHERE "workflow_tasks"."state" = 'OPEN';--> statement-breakpoint
CREATE INDEX "workflow_tasks_group_idx" ON "workflow_tasks" USING btree ("assignee_group","due_date") WHERE "workflow_tasks"."state" = 'OPEN';--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_templates_kind_name_key" ON "workflow_templates" USING btree ("kind",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "workflows_one_active_per_kind" ON "workflows" USING btree ("employee_id","kind") WHERE "workflows"."state" = 'ACTIVE';--> statement-breakpoint
CREATE INDEX "workflows_employee_idx" ON "workflows" USING btree ("employee_id","started_at");--> statement-breakpoint
CREATE INDEX "workflows_started_idx" ON "workflows" USING btree ("started_at","id");--> statement-breakpoint
CREATE INDEX "workflows_due_offboarding_idx" ON "workflows" USING btree ("anchor_day") WHERE "workflows"."state" = 'ACTIVE' and "workflows"."kind" = 'OFFBOARDING';