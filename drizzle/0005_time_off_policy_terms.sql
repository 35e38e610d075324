CREATE TABLE "time_off_policy_terms" (
	"policy_id" uuid NOT NULL,
	"effective_from" date NOT NULL,
	"accrual_kind" time_off_accrual_kind NOT NULL,
	"amount_per_year" numeric(8, 3) DEFAULT 0 NOT NULL,
	"carry_over_cap" numeric(8, 3),
	"negative_balance_limit" numeric(8, 3) DEFAULT 0 NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "time_off_policy_terms_policy_id_effective_from_pk" PRIMARY KEY("policy_id","effective_from")
);
--> statement-breakpoint
ALTER TABLE "time_off_policy_terms" ADD CONSTRAINT "time_off_policy_terms_policy_id_time_off_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."time_off_policies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Backfill (hand-written): each existing policy's current terms become its first term, in force
-- since 1900-01-01 so every day of history has one; then the policy row's copies are dropped.
INSERT INTO "time_off_policy_terms" ("policy_id", "effective_from", "accrual_kind", "amount_per_year", "carry_over_cap", "negative_balance_limit", "recorded_by", "recorded_at")
SELECT "id", DATE '1900-01-01', "accrual_kind", "amount_per_year", "carry_over_cap", "negative_balance_limit", 'migration:0005_time_off_policy_terms', "created_at"
FROM "time_off_policies";--> statement-breakpoint
ALTER TABLE "time_off_policies" DROP COLUMN "accrual_kind";--> statement-breakpoint
ALTER TABLE "time_off_policies" DROP COLUMN "amount_per_year";--> statement-breakpoint
ALTER TABLE "time_off_policies" DROP COLUMN "carry_over_cap";--> statement-breakpoint
ALTER TABLE "time_off_policies" DROP COLUMN "negative_balance_limit";