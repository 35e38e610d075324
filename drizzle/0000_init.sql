CREATE TYPE "public"."employee_change_kind" AS ENUM('CREATED', 'UPDATED', 'STATUS_CHANGED');--> statement-breakpoint
CREATE TYPE "public"."employment_status" AS ENUM('PRE_HIRE', 'ACTIVE', 'ON_LEAVE', 'TERMINATED', 'RESIGNED');--> statement-breakpoint
CREATE TYPE "public"."employment_type" AS ENUM('FULL_TIME', 'PART_TIME', 'CONTRACTOR', 'INTERN', 'TEMPORARY');--> statement-breakpoint
CREATE SEQUENCE "public"."employee_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1000 CACHE 1;--> statement-breakpoint
CREATE TABLE "departments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"code" text NOT NULL,
	CONSTRAINT "departments_name_unique" UNIQUE("name"),
	CONSTRAINT "departments_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "locations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"city" text NOT NULL,
	"country_code" char(2) NOT NULL,
	"timezone" text NOT NULL,
	CONSTRAINT "locations_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "employee_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sequence" bigserial NOT NULL,
	"employee_id" uuid NOT NULL,
	"kind" "employee_change_kind" NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" text NOT NULL,
	"effective_from" date NOT NULL,
	"reason" text,
	"changes" jsonb NOT NULL,
	CONSTRAINT "employee_changes_sequence_unique" UNIQUE("sequence")
);
--> statement-breakpoint
CREATE TABLE "employee_job_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sequence" bigserial NOT NULL,
	"employee_id" uuid NOT NULL,
	"change_id" uuid NOT NULL,
	"effective_from" date NOT NULL,
	"fields" text[] NOT NULL,
	"status" "employment_status",
	"job_title" text,
	"department_id" uuid,
	"location_id" uuid,
	"employment_type" "employment_type",
	"manager_id" uuid,
	CONSTRAINT "employee_job_changes_sequence_unique" UNIQUE("sequence")
);
--> statement-breakpoint
CREATE TABLE "employee_personal_data" (
	"employee_id" uuid PRIMARY KEY NOT NULL,
	"personal_email" text,
	"personal_phone" text,
	"date_of_birth" date,
	"home_address" jsonb,
	"emergency_contact" jsonb
);
--> statement-breakpoint
CREATE TABLE "employees" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"employee_number" text NOT NULL,
	"email" text NOT NULL,
	"hub_user_id" text,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"preferred_name" text,
	"hire_date" date NOT NULL,
	"timezone" text,
	"work_phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "employees_employee_number_unique" UNIQUE("employee_number"),
	CONSTRAINT "employees_hub_user_id_unique" UNIQUE("hub_user_id")
);
--> statement-breakpoint
ALTER TABLE "employee_changes" ADD CONSTRAINT "employee_changes_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employee_job_changes" ADD CONSTRAINT "employee_job_changes_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employee_job_changes" ADD CONSTRAINT "employee_job_changes_change_id_employee_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."employee_changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employee_job_changes" ADD CONSTRAINT "employee_job_changes_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employee_job_changes" ADD CONSTRAINT "employee_job_changes_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employee_job_changes" ADD CONSTRAINT "employee_job_changes_manager_id_employees_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employee_personal_data" ADD CONSTRAINT "employee_personal_data_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "employee_changes_employee_idx" ON "employee_changes" USING btree ("employee_id","sequence");--> statement-breakpoint
CREATE INDEX "employee_job_changes_timeline_idx" ON "employee_job_changes" USING btree ("employee_id","effective_from","sequence");--> statement-breakpoint
CREATE INDEX "employee_job_changes_manager_idx" ON "employee_job_changes" USING btree ("manager_id");--> statement-breakpoint
CREATE UNIQUE INDEX "employees_email_lower_key" ON "employees" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "employees_name_idx" ON "employees" USING btree ("last_name","first_name","id");--> statement-breakpoint
CREATE INDEX "employees_hire_date_idx" ON "employees" USING btree ("hire_date","id");