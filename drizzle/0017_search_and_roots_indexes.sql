-- hand-written (not generated): the trigram operator classes of the search indexes below. PostgreSQL
-- ships pg_trgm as contrib; PGlite loads it when created with it (src/db/database.ts: createPglite).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "employee_current_jobs_status_idx" ON "employee_current_jobs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "employee_job_changes_job_title_search_idx" ON "employee_job_changes" USING gin ("job_title" gin_trgm_ops) WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "employees_search_idx" ON "employees" USING gin (("first_name" || ' ' || "last_name" || ' ' || coalesce("preferred_name", '') || ' ' || "email" || ' ' || "employee_number") gin_trgm_ops) WITH (fastupdate=false);