CREATE TYPE "public"."workflow_task_kind" AS ENUM('MANUAL', 'ACKNOWLEDGE_POLICIES');--> statement-breakpoint
CREATE TYPE "public"."legal_acknowledgement_source" AS ENUM('PEOPLE', 'LEGAL');--> statement-breakpoint
CREATE TYPE "public"."legal_acknowledgement_status" AS ENUM('SUBMITTED', 'ACKNOWLEDGED', 'DECLINED', 'FAILED');--> statement-breakpoint
CREATE TABLE "legal_acknowledgements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"employee_id" uuid NOT NULL,
	"policy_id" text NOT NULL,
	"policy_version" text NOT NULL,
	"status" "legal_acknowledgement_status" NOT NULL,
	"source" "legal_acknowledgement_source" NOT NULL,
	"signer_hub_user_id" text,
	"typed_name" text,
	"signed_at" timestamp with time zone,
	"signer_ip" text,
	"signer_user_agent" text,
	"legal_acknowledgement_id" text,
	"vault_document_id" text,
	"legal_status_at" timestamp with time zone,
	"submissions" integer DEFAULT 0 NOT NULL,
	"submission_task_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "legal_policies" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"version" text NOT NULL,
	"category" text NOT NULL,
	"effective_date" date NOT NULL,
	"audience" jsonb NOT NULL,
	"days_to_acknowledge" integer,
	"active" boolean DEFAULT true NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "legal_policy_contents" (
	"policy_id" text NOT NULL,
	"version" text NOT NULL,
	"format" text NOT NULL,
	"body" text NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "legal_policy_contents_policy_id_version_pk" PRIMARY KEY("policy_id","version")
);
--> statement-breakpoint
CREATE TABLE "legal_sync_state" (
	"id" smallint PRIMARY KEY NOT NULL,
	"lease_until" timestamp with time zone,
	"lease_token" uuid,
	"synced_at" timestamp with time zone,
	"acknowledgements_updated_since" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_error_code" text,
	"last_error" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"next_sync_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "legal_webhook_deliveries" (
	"webhook_id" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workflow_tasks" ADD COLUMN "kind" "workflow_task_kind" DEFAULT 'MANUAL' NOT NULL;--> statement-breakpoint
ALTER TABLE "legal_acknowledgements" ADD CONSTRAINT "legal_acknowledgements_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "legal_acknowledgements_employee_policy_version_uq" ON "legal_acknowledgements" USING btree ("employee_id","policy_id","policy_version");--> statement-breakpoint
CREATE INDEX "legal_acknowledgements_policy_idx" ON "legal_acknowledgements" USING btree ("policy_id","policy_version");--> statement-breakpoint
CREATE INDEX "legal_acknowledgements_legal_id_idx" ON "legal_acknowledgements" USING btree ("legal_acknowledgement_id");--> statement-breakpoint
CREATE INDEX "legal_policies_active_idx" ON "legal_policies" USING btree ("active","title");--> statement-breakpoint
CREATE INDEX "workflow_tasks_open_kind_idx" ON "workflow_tasks" USING btree ("kind","workflow_id") WHERE "workflow_tasks"."state" = 'OPEN' and "workflow_tasks"."kind" <> 'MANUAL';