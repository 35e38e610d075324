CREATE TYPE "public"."time_off_accrual_kind" AS ENUM('ANNUAL_GRANT', 'MONTHLY', 'UNLIMITED');--> statement-breakpoint
CREATE TYPE "public"."time_off_acting_as" AS ENUM('APPROVER', 'HR', 'ADMIN', 'REQUESTER');--> statement-breakpoint
CREATE TYPE "public"."time_off_decision_kind" AS ENUM('APPROVED', 'DENIED', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."time_off_portion" AS ENUM('FULL', 'MORNING', 'AFTERNOON', 'HOURS');--> statement-breakpoint
CREATE TYPE "public"."time_off_request_status" AS ENUM('PENDING', 'APPROVED', 'DENIED', 'CANCELLED');--> statement-breakpoint
CREATE TABLE "holiday_calendars" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"location_id" uuid NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "holiday_calendars_location_id_unique" UNIQUE("location_id")
);
--> statement-breakpoint
CREATE TABLE "holidays" (
	"calendar_id" uuid NOT NULL,
	"date" date NOT NULL,
	"name" text NOT NULL,
	"half_day" boolean DEFAULT false NOT NULL,
	CONSTRAINT "holidays_calendar_id_date_pk" PRIMARY KEY("calendar_id","date")
);
--> statement-breakpoint
CREATE TABLE "time_off_balance_adjustments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"employee_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"amount" numeric(8, 3) NOT NULL,
	"reason" text NOT NULL,
	"recorded_by" text NOT NULL,
	"effective_date" date NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "time_off_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sequence" bigserial NOT NULL,
	"request_id" uuid NOT NULL,
	"step_index" integer,
	"decision" time_off_decision_kind NOT NULL,
	"acting_as" time_off_acting_as NOT NULL,
	"approver_employee_id" uuid,
	"decided_by" text NOT NULL,
	"comment" text,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "time_off_decisions_sequence_unique" UNIQUE("sequence")
);
--> statement-breakpoint
CREATE TABLE "time_off_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"accrual_kind" time_off_accrual_kind NOT NULL,
	"amount_per_year" numeric(8, 3) DEFAULT 0 NOT NULL,
	"carry_over_cap" numeric(8, 3),
	"negative_balance_limit" numeric(8, 3) DEFAULT 0 NOT NULL,
	"waiting_period_days" integer DEFAULT 0 NOT NULL,
	"private" boolean DEFAULT false NOT NULL,
	"hours_per_day" numeric(8, 3) DEFAULT 8 NOT NULL,
	"approval_chain" jsonb DEFAULT '[{"kind":"MANAGER"}]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "time_off_policies_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "time_off_policy_overrides" (
	"employee_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"assigned" boolean NOT NULL,
	"amount_per_year" numeric(8, 3),
	CONSTRAINT "time_off_policy_overrides_employee_id_policy_id_pk" PRIMARY KEY("employee_id","policy_id")
);
--> statement-breakpoint
CREATE TABLE "time_off_policy_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policy_id" uuid NOT NULL,
	"location_id" uuid,
	"employment_type" "employment_type"
);
--> statement-breakpoint
CREATE TABLE "time_off_request_days" (
	"request_id" uuid NOT NULL,
	"date" date NOT NULL,
	"portion" time_off_portion NOT NULL,
	"hours" numeric(8, 3),
	"amount" numeric(8, 3) NOT NULL,
	CONSTRAINT "time_off_request_days_request_id_date_pk" PRIMARY KEY("request_id","date")
);
--> statement-breakpoint
CREATE TABLE "time_off_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"employee_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"status" time_off_request_status NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"reason" text,
	"amount" numeric(8, 3) NOT NULL,
	"deducted_amount" numeric(8, 3),
	"approval_chain" jsonb NOT NULL,
	"current_step" integer DEFAULT 0 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "holiday_calendars" ADD CONSTRAINT "holiday_calendars_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holidays" ADD CONSTRAINT "holidays_calendar_id_holiday_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."holiday_calendars"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_balance_adjustments" ADD CONSTRAINT "time_off_balance_adjustments_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_balance_adjustments" ADD CONSTRAINT "time_off_balance_adjustments_policy_id_time_off_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."time_off_policies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_decisions" ADD CONSTRAINT "time_off_decisions_request_id_time_off_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."time_off_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_decisions" ADD CONSTRAINT "time_off_decisions_approver_employee_id_employees_id_fk" FOREIGN KEY ("approver_employee_id") REFERENCES "public"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_policy_overrides" ADD CONSTRAINT "time_off_policy_overrides_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_policy_overrides" ADD CONSTRAINT "time_off_policy_overrides_policy_id_time_off_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."time_off_policies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_policy_rules" ADD CONSTRAINT "time_off_policy_rules_policy_id_time_off_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."time_off_policies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_policy_rules" ADD CONSTRAINT "time_off_policy_rules_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_request_days" ADD CONSTRAINT "time_off_request_days_request_id_time_off_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."time_off_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_requests" ADD CONSTRAINT "time_off_requests_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_off_requests" ADD CONSTRAINT "time_off_requests_policy_id_time_off_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."time_off_policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "time_off_adjustments_employee_idx" ON "time_off_balance_adjustments" USING btree ("employee_id","policy_id");--> statement-breakpoint
CREATE INDEX "time_off_decisions_request_idx" ON "time_off_decisions" USING btree ("request_id","sequence");--> statement-breakpoint
CREATE INDEX "time_off_policy_rules_policy_idx" ON "time_off_policy_rules" USING btree ("policy_id");--> statement-breakpoint
CREATE INDEX "time_off_request_days_date_idx" ON "time_off_request_days" USING btree ("date");--> statement-breakpoint
CREATE INDEX "time_off_requests_employee_idx" ON "time_off_requests" USING btree ("employee_id","start_date");--> statement-breakpoint
CREATE INDEX "time_off_requests_dates_idx" ON "time_off_requests" USING btree ("start_date","end_date");