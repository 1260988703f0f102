CREATE TABLE "scorm_interactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"registration_id" uuid NOT NULL,
	"sco_state_id" uuid NOT NULL,
	"index" integer NOT NULL,
	"interaction_id" text NOT NULL,
	"type" text,
	"timestamp" text,
	"weighting" double precision,
	"learner_response" text,
	"result" text,
	"latency" text,
	"description" text,
	"correct_responses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"objective_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scorm_packages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"course_sourced_id" text,
	"title" text NOT NULL,
	"version" text NOT NULL,
	"edition" integer,
	"content_hash" text NOT NULL,
	"storage_path" text NOT NULL,
	"byte_size" integer NOT NULL,
	"file_count" integer NOT NULL,
	"manifest" jsonb NOT NULL,
	"import_run_id" uuid,
	"uploaded_by" text,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scorm_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"package_id" uuid NOT NULL,
	"learner_id" text NOT NULL,
	"learner_user_sourced_id" text,
	"learner_name" text,
	"dispatch_id" uuid,
	"attempt" integer DEFAULT 1 NOT NULL,
	"lesson_status" text,
	"completion_status" text DEFAULT 'not attempted' NOT NULL,
	"success_status" text DEFAULT 'unknown' NOT NULL,
	"score_raw" double precision,
	"score_min" double precision,
	"score_max" double precision,
	"score_scaled" double precision,
	"total_time_seconds" double precision DEFAULT 0 NOT NULL,
	"last_sco_id" uuid,
	"suspend_data" text,
	"location" text,
	"commit_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_launched_at" timestamp with time zone,
	"last_accessed_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scorm_sco_states" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"registration_id" uuid NOT NULL,
	"sco_id" uuid NOT NULL,
	"lesson_status" text,
	"completion_status" text DEFAULT 'not attempted' NOT NULL,
	"success_status" text DEFAULT 'unknown' NOT NULL,
	"score_raw" double precision,
	"score_min" double precision,
	"score_max" double precision,
	"score_scaled" double precision,
	"progress_measure" double precision,
	"location" text,
	"suspend_data" text,
	"exit" text,
	"session_time_seconds" double precision DEFAULT 0 NOT NULL,
	"total_time_seconds" double precision DEFAULT 0 NOT NULL,
	"cmi" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"commit_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scorm_scos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"package_id" uuid NOT NULL,
	"org_sourced_id" text NOT NULL,
	"identifier" text NOT NULL,
	"parent_identifier" text,
	"resource_identifier" text,
	"title" text NOT NULL,
	"launch_href" text,
	"parameters" text,
	"scorm_type" text DEFAULT 'sco' NOT NULL,
	"sort_order" integer NOT NULL,
	"depth" integer DEFAULT 0 NOT NULL,
	"mastery_score" double precision,
	"completion_threshold" double precision,
	"launch_data" text,
	"max_time_allowed" text,
	"time_limit_action" text
);
--> statement-breakpoint
ALTER TABLE "scorm_interactions" ADD CONSTRAINT "scorm_interactions_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "public"."orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_interactions" ADD CONSTRAINT "scorm_interactions_registration_id_scorm_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."scorm_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_interactions" ADD CONSTRAINT "scorm_interactions_sco_state_id_scorm_sco_states_id_fk" FOREIGN KEY ("sco_state_id") REFERENCES "public"."scorm_sco_states"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_packages" ADD CONSTRAINT "scorm_packages_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "public"."orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_packages" ADD CONSTRAINT "scorm_packages_course_sourced_id_courses_sourced_id_fk" FOREIGN KEY ("course_sourced_id") REFERENCES "public"."courses"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_packages" ADD CONSTRAINT "scorm_packages_import_run_id_import_runs_id_fk" FOREIGN KEY ("import_run_id") REFERENCES "public"."import_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_packages" ADD CONSTRAINT "scorm_packages_uploaded_by_users_sourced_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_registrations" ADD CONSTRAINT "scorm_registrations_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "public"."orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_registrations" ADD CONSTRAINT "scorm_registrations_package_id_scorm_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."scorm_packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_registrations" ADD CONSTRAINT "scorm_registrations_learner_user_sourced_id_users_sourced_id_fk" FOREIGN KEY ("learner_user_sourced_id") REFERENCES "public"."users"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_registrations" ADD CONSTRAINT "scorm_registrations_last_sco_id_scorm_scos_id_fk" FOREIGN KEY ("last_sco_id") REFERENCES "public"."scorm_scos"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_sco_states" ADD CONSTRAINT "scorm_sco_states_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "public"."orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_sco_states" ADD CONSTRAINT "scorm_sco_states_registration_id_scorm_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."scorm_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_sco_states" ADD CONSTRAINT "scorm_sco_states_sco_id_scorm_scos_id_fk" FOREIGN KEY ("sco_id") REFERENCES "public"."scorm_scos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_scos" ADD CONSTRAINT "scorm_scos_package_id_scorm_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."scorm_packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_scos" ADD CONSTRAINT "scorm_scos_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "public"."orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "scorm_interactions_state_index_idx" ON "scorm_interactions" USING btree ("sco_state_id","index");--> statement-breakpoint
CREATE INDEX "scorm_interactions_registration_idx" ON "scorm_interactions" USING btree ("registration_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scorm_packages_org_hash_idx" ON "scorm_packages" USING btree ("org_sourced_id","content_hash");--> statement-breakpoint
CREATE INDEX "scorm_packages_org_created_idx" ON "scorm_packages" USING btree ("org_sourced_id","created_at");--> statement-breakpoint
CREATE INDEX "scorm_packages_course_idx" ON "scorm_packages" USING btree ("course_sourced_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scorm_registrations_learner_attempt_idx" ON "scorm_registrations" USING btree ("package_id","learner_id","attempt") WHERE "scorm_registrations"."dispatch_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "scorm_registrations_dispatch_learner_attempt_idx" ON "scorm_registrations" USING btree ("dispatch_id","learner_id","attempt") WHERE "scorm_registrations"."dispatch_id" is not null;--> statement-breakpoint
CREATE INDEX "scorm_registrations_org_package_idx" ON "scorm_registrations" USING btree ("org_sourced_id","package_id");--> statement-breakpoint
CREATE INDEX "scorm_registrations_user_idx" ON "scorm_registrations" USING btree ("learner_user_sourced_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scorm_sco_states_registration_sco_idx" ON "scorm_sco_states" USING btree ("registration_id","sco_id");--> statement-breakpoint
CREATE INDEX "scorm_sco_states_org_idx" ON "scorm_sco_states" USING btree ("org_sourced_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scorm_scos_package_identifier_idx" ON "scorm_scos" USING btree ("package_id","identifier");--> statement-breakpoint
CREATE INDEX "scorm_scos_org_idx" ON "scorm_scos" USING btree ("org_sourced_id");