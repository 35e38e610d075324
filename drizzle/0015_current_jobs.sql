CREATE TABLE "employee_current_jobs" (
	"employee_id" uuid PRIMARY KEY NOT NULL,
	"status" "employment_status",
	"job_title" text,
	"department_id" uuid,
	"location_id" uuid,
	"employment_type" "employment_type",
	"manager_id" uuid,
	"termination_date" date
);
--> statement-breakpoint
CREATE TABLE "employee_current_jobs_day" (
	"only" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"as_of" date NOT NULL,
	CONSTRAINT "employee_current_jobs_day_single_row" CHECK ("employee_current_jobs_day"."only")
);
--> statement-breakpoint
ALTER TABLE "employee_current_jobs" ADD CONSTRAINT "employee_current_jobs_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "employee_current_jobs_manager_idx" ON "employee_current_jobs" USING btree ("manager_id");--> statement-breakpoint
-- ---------------------------------------------------------------- hand-written backfill (not generated)
-- The current jobs of existing employees, folded from the history as of the database's today
-- (the same rule as employee.store.ts: per field, the latest row by effective date then
-- recording order that names it). The lifecycle scheduler rolls the day to People's own today
-- (its time zone) on its first run.
INSERT INTO "employee_current_jobs_day" ("only", "as_of") VALUES (true, current_date);--> statement-breakpoint
INSERT INTO "employee_current_jobs"
  ("employee_id", "status", "job_title", "department_id", "location_id", "employment_type", "manager_id", "termination_date")
SELECT "employee_id",
  (array_agg("status" ORDER BY "effective_from" DESC, "sequence" DESC) FILTER (WHERE 'status' = ANY("fields")))[1],
  (array_agg("job_title" ORDER BY "effective_from" DESC, "sequence" DESC) FILTER (WHERE 'jobTitle' = ANY("fields")))[1],
  (array_agg("department_id" ORDER BY "effective_from" DESC, "sequence" DESC) FILTER (WHERE 'departmentId' = ANY("fields")))[1],
  (array_agg("location_id" ORDER BY "effective_from" DESC, "sequence" DESC) FILTER (WHERE 'locationId' = ANY("fields")))[1],
  (array_agg("employment_type" ORDER BY "effective_from" DESC, "sequence" DESC) FILTER (WHERE 'employmentType' = ANY("fields")))[1],
  (array_agg("manager_id" ORDER BY "effective_from" DESC, "sequence" DESC) FILTER (WHERE 'managerId' = ANY("fields")))[1],
  (array_agg(CASE WHEN "status" IN ('TERMINATED', 'RESIGNED') THEN "effective_from" END ORDER BY "effective_from" DESC, "sequence" DESC) FILTER (WHERE 'status' = ANY("fields")))[1]
FROM "employee_job_changes"
WHERE "effective_from" <= current_date
GROUP BY "employee_id";
