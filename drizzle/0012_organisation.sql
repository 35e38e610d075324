CREATE TYPE "public"."organisation_change_kind" AS ENUM('CREATED', 'UPDATED', 'ARCHIVED');--> statement-breakpoint
ALTER TYPE "public"."employee_change_kind" ADD VALUE 'HIRE_DATE_CORRECTED';--> statement-breakpoint
ALTER TYPE "public"."workflow_change_kind" ADD VALUE 'RESCHEDULED';--> statement-breakpoint
CREATE TABLE "department_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sequence" bigserial NOT NULL,
	"department_id" uuid NOT NULL,
	"change_id" uuid NOT NULL,
	"effective_from" date NOT NULL,
	"fields" text[] NOT NULL,
	"name" text,
	"parent_id" uuid,
	"head_id" uuid,
	"cost_centre" text,
	CONSTRAINT "department_versions_sequence_unique" UNIQUE("sequence")
);
--> statement-breakpoint
CREATE TABLE "organisation_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sequence" bigserial NOT NULL,
	"department_id" uuid,
	"location_id" uuid,
	"kind" "organisation_change_kind" NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" text NOT NULL,
	"effective_from" date NOT NULL,
	"reason" text,
	"changes" jsonb NOT NULL,
	CONSTRAINT "organisation_changes_sequence_unique" UNIQUE("sequence"),
	CONSTRAINT "organisation_changes_one_unit" CHECK (("organisation_changes"."department_id" is null) <> ("organisation_changes"."location_id" is null))
);
--> statement-breakpoint
ALTER TABLE "departments" DROP CONSTRAINT "departments_name_unique";--> statement-breakpoint
ALTER TABLE "locations" DROP CONSTRAINT "locations_name_unique";--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "archived_on" date;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "address_line1" text;--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "address_line2" text;--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "region" text;--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "postal_code" text;--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "archived_on" date;--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "department_versions" ADD CONSTRAINT "department_versions_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "department_versions" ADD CONSTRAINT "department_versions_change_id_organisation_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."organisation_changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "department_versions" ADD CONSTRAINT "department_versions_parent_id_departments_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "department_versions" ADD CONSTRAINT "department_versions_head_id_employees_id_fk" FOREIGN KEY ("head_id") REFERENCES "public"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_changes" ADD CONSTRAINT "organisation_changes_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_changes" ADD CONSTRAINT "organisation_changes_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "department_versions_timeline_idx" ON "department_versions" USING btree ("department_id","effective_from","sequence");--> statement-breakpoint
CREATE INDEX "department_versions_parent_idx" ON "department_versions" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "department_versions_head_idx" ON "department_versions" USING btree ("head_id");--> statement-breakpoint
CREATE INDEX "organisation_changes_department_idx" ON "organisation_changes" USING btree ("department_id","sequence");--> statement-breakpoint
CREATE INDEX "organisation_changes_location_idx" ON "organisation_changes" USING btree ("location_id","sequence");--> statement-breakpoint
CREATE UNIQUE INDEX "locations_name_lower_key" ON "locations" USING btree (lower("name"));--> statement-breakpoint
-- Backfill (hand-written): departments that predate effective dating hold their name since always
-- (1900-01-01, as terms got in 0005), each with a CREATED change in the organisation's history.
WITH "created" AS (
	INSERT INTO "organisation_changes" ("department_id", "kind", "recorded_by", "effective_from", "changes")
	SELECT "id", 'CREATED', 'migration:0012_organisation', DATE '1900-01-01',
		jsonb_build_array(jsonb_build_object('field', 'name', 'before', NULL, 'after', "name"), jsonb_build_object('field', 'code', 'before', NULL, 'after', "code"))
	FROM "departments"
	RETURNING "id", "department_id"
)
INSERT INTO "department_versions" ("department_id", "change_id", "effective_from", "fields", "name")
SELECT "created"."department_id", "created"."id", DATE '1900-01-01', ARRAY['name'], "departments"."name"
FROM "created" JOIN "departments" ON "departments"."id" = "created"."department_id";--> statement-breakpoint
ALTER TABLE "departments" DROP COLUMN "name";