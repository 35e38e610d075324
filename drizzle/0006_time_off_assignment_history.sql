CREATE TABLE "time_off_policy_rule_sets" (
	"policy_id" uuid NOT NULL,
	"effective_from" date NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "time_off_policy_rule_sets_policy_id_effective_from_pk" PRIMARY KEY("policy_id","effective_from")
);
--> statement-breakpoint
ALTER TABLE "time_off_policy_rule_sets" ADD CONSTRAINT "time_off_policy_rule_sets_policy_id_time_off_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."time_off_policies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Backfill (hand-written, ordered by hand: drizzle-kit put the new primary key before its column):
-- the rules and overrides there are held since always, so they get 1900-01-01 (as terms did in
-- 0005) and every policy with rules gets its first rule set from that day.
INSERT INTO "time_off_policy_rule_sets" ("policy_id", "effective_from", "recorded_by")
SELECT DISTINCT "policy_id", DATE '1900-01-01', 'migration:0006_time_off_assignment_history' FROM "time_off_policy_rules";--> statement-breakpoint
DROP INDEX "time_off_policy_rules_policy_idx";--> statement-breakpoint
ALTER TABLE "time_off_policy_rules" ADD COLUMN "effective_from" date NOT NULL DEFAULT DATE '1900-01-01';--> statement-breakpoint
ALTER TABLE "time_off_policy_rules" ALTER COLUMN "effective_from" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "time_off_policy_rules" ADD CONSTRAINT "time_off_policy_rules_rule_set_fk" FOREIGN KEY ("policy_id","effective_from") REFERENCES "public"."time_off_policy_rule_sets"("policy_id","effective_from") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "time_off_policy_rules_policy_idx" ON "time_off_policy_rules" USING btree ("policy_id","effective_from");--> statement-breakpoint
ALTER TABLE "time_off_policy_overrides" DROP CONSTRAINT "time_off_policy_overrides_employee_id_policy_id_pk";--> statement-breakpoint
ALTER TABLE "time_off_policy_overrides" ALTER COLUMN "assigned" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "time_off_policy_overrides" ADD COLUMN "effective_from" date NOT NULL DEFAULT DATE '1900-01-01';--> statement-breakpoint
ALTER TABLE "time_off_policy_overrides" ALTER COLUMN "effective_from" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "time_off_policy_overrides" ADD COLUMN "recorded_by" text NOT NULL DEFAULT 'migration:0006_time_off_assignment_history';--> statement-breakpoint
ALTER TABLE "time_off_policy_overrides" ALTER COLUMN "recorded_by" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "time_off_policy_overrides" ADD COLUMN "recorded_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "time_off_policy_overrides" ADD CONSTRAINT "time_off_policy_overrides_employee_id_policy_id_effective_from_pk" PRIMARY KEY("employee_id","policy_id","effective_from");
