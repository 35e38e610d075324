CREATE TYPE "public"."performance_review_state" AS ENUM('NOT_STARTED', 'IN_PROGRESS', 'SUBMITTED', 'RELEASED', 'ACKNOWLEDGED');--> statement-breakpoint
CREATE TYPE "public"."review_form_state" AS ENUM('NOT_STARTED', 'IN_PROGRESS', 'SUBMITTED');--> statement-breakpoint
CREATE TYPE "public"."training_enrollment_source" AS ENUM('SELF', 'LINE', 'HR', 'REQUIREMENT', 'RENEWAL');--> statement-breakpoint
CREATE TYPE "public"."training_enrollment_status" AS ENUM('ENROLLED', 'IN_PROGRESS', 'COMPLETED', 'WITHDRAWN');--> statement-breakpoint
CREATE TABLE "performance_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cycle_id" uuid NOT NULL,
	"employee_id" uuid NOT NULL,
	"manager_id" uuid,
	"state" "performance_review_state" DEFAULT 'NOT_STARTED' NOT NULL,
	"self_state" "review_form_state" DEFAULT 'NOT_STARTED' NOT NULL,
	"self_answers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"self_overall_rating" smallint,
	"self_goals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"self_submitted_at" timestamp with time zone,
	"self_updated_at" timestamp with time zone,
	"manager_state" "review_form_state" DEFAULT 'NOT_STARTED' NOT NULL,
	"manager_answers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"manager_overall_rating" smallint,
	"manager_goals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"manager_submitted_at" timestamp with time zone,
	"manager_updated_at" timestamp with time zone,
	"manager_review_by" text,
	"released_at" timestamp with time zone,
	"released_by" text,
	"acknowledged_at" timestamp with time zone,
	"acknowledgement_comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_cycles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"starts_on" date NOT NULL,
	"self_review_due_on" date NOT NULL,
	"manager_review_due_on" date NOT NULL,
	"rating_scale" jsonb NOT NULL,
	"questions" jsonb NOT NULL,
	"participants" jsonb NOT NULL,
	"released_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_courses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"provider" text NOT NULL,
	"hours" numeric(7, 2) NOT NULL,
	"description" text,
	"url" text,
	"certification_catalog_entry_id" uuid,
	"self_enrollment" boolean DEFAULT false NOT NULL,
	"self_paced" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_enrollments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"employee_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"status" "training_enrollment_status" DEFAULT 'ENROLLED' NOT NULL,
	"source" "training_enrollment_source" NOT NULL,
	"requirement_id" uuid,
	"due_on" date,
	"enrolled_by" text NOT NULL,
	"enrolled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_on" date,
	"score" numeric(5, 2),
	"completed_by" text,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by" text,
	"withdrawal_reason" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_requirements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"course_id" uuid NOT NULL,
	"department_id" uuid,
	"location_id" uuid,
	"employment_type" "employment_type",
	"due_within_days" integer NOT NULL,
	"renewal_months" integer,
	"effective_from" date NOT NULL,
	"removed_at" timestamp with time zone,
	"removed_by" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "performance_reviews" ADD CONSTRAINT "performance_reviews_cycle_id_review_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."review_cycles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_reviews" ADD CONSTRAINT "performance_reviews_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_reviews" ADD CONSTRAINT "performance_reviews_manager_id_employees_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_courses" ADD CONSTRAINT "training_courses_certification_catalog_entry_id_certification_catalog_id_fk" FOREIGN KEY ("certification_catalog_entry_id") REFERENCES "public"."certification_catalog"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_enrollments" ADD CONSTRAINT "training_enrollments_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_enrollments" ADD CONSTRAINT "training_enrollments_course_id_training_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."training_courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_enrollments" ADD CONSTRAINT "training_enrollments_requirement_id_training_requirements_id_fk" FOREIGN KEY ("requirement_id") REFERENCES "public"."training_requirements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_requirements" ADD CONSTRAINT "training_requirements_course_id_training_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."training_courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_requirements" ADD CONSTRAINT "training_requirements_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_requirements" ADD CONSTRAINT "training_requirements_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "performance_reviews_cycle_employee_uq" ON "performance_reviews" USING btree ("cycle_id","employee_id");--> statement-breakpoint
CREATE INDEX "performance_reviews_employee_idx" ON "performance_reviews" USING btree ("employee_id");--> statement-breakpoint
CREATE INDEX "performance_reviews_manager_idx" ON "performance_reviews" USING btree ("manager_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_courses_title_provider_uq" ON "training_courses" USING btree (lower("title"),lower("provider"));--> statement-breakpoint
CREATE UNIQUE INDEX "training_enrollments_open_uq" ON "training_enrollments" USING btree ("employee_id","course_id") WHERE "training_enrollments"."status" in ('ENROLLED', 'IN_PROGRESS');--> statement-breakpoint
CREATE INDEX "training_enrollments_employee_idx" ON "training_enrollments" USING btree ("employee_id");--> statement-breakpoint
CREATE INDEX "training_enrollments_course_idx" ON "training_enrollments" USING btree ("course_id");--> statement-breakpoint
CREATE INDEX "training_requirements_course_idx" ON "training_requirements" USING btree ("course_id");