CREATE TABLE "user_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hub_user_id" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" "inet",
	"user_agent" text,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	"ended_by" text
);
--> statement-breakpoint
CREATE INDEX "user_sessions_hub_user_idx" ON "user_sessions" USING btree ("hub_user_id");--> statement-breakpoint
CREATE INDEX "user_sessions_expires_idx" ON "user_sessions" USING btree ("expires_at");