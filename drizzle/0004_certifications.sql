CREATE TYPE "public"."certification_verification_state" AS ENUM('UNVERIFIED', 'VERIFIED', 'REJECTED');--> statement-breakpoint
CREATE TABLE "certification_catalog" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"issuer" text NOT NULL,
	"code" text,
	"aliases" text[] DEFAULT '{}'::text[] NOT NULL,
	"validity_months" integer,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"match_keys" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "employee_certifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"employee_id" uuid NOT NULL,
	"catalog_entry_id" uuid NOT NULL,
	"credential_id" text,
	"issued_on" date NOT NULL,
	"expires_on" date,
	"evidence_url" text,
	"verification_state" "certification_verification_state" DEFAULT 'UNVERIFIED' NOT NULL,
	"verified_by_employee_id" uuid,
	"verified_by" text,
	"verified_at" timestamp with time zone,
	"verification_comment" text,
	"renewed_from_id" uuid,
	"superseded_at" timestamp with time zone,
	"removed_at" timestamp with time zone,
	"removed_by" text,
	"removal_reason" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "employee_certifications" ADD CONSTRAINT "employee_certifications_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employee_certifications" ADD CONSTRAINT "employee_certifications_catalog_entry_id_certification_catalog_id_fk" FOREIGN KEY ("catalog_entry_id") REFERENCES "public"."certification_catalog"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employee_certifications" ADD CONSTRAINT "employee_certifications_verified_by_employee_id_employees_id_fk" FOREIGN KEY ("verified_by_employee_id") REFERENCES "public"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employee_certifications" ADD CONSTRAINT "employee_certifications_renewed_from_id_employee_certifications_id_fk" FOREIGN KEY ("renewed_from_id") REFERENCES "public"."employee_certifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "certification_catalog_match_keys_idx" ON "certification_catalog" USING gin ("match_keys");--> statement-breakpoint
CREATE UNIQUE INDEX "employee_certifications_current_uq" ON "employee_certifications" USING btree ("employee_id","catalog_entry_id") WHERE "employee_certifications"."superseded_at" is null and "employee_certifications"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "employee_certifications_employee_idx" ON "employee_certifications" USING btree ("employee_id");--> statement-breakpoint
CREATE INDEX "employee_certifications_catalog_idx" ON "employee_certifications" USING btree ("catalog_entry_id");--> statement-breakpoint
CREATE INDEX "employee_certifications_expires_idx" ON "employee_certifications" USING btree ("expires_on");