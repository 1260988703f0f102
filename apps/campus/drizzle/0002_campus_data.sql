CREATE TABLE "external_assessment_scores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"user_sourced_id" text NOT NULL,
	"provider" text NOT NULL,
	"assessment" text NOT NULL,
	"subject" text NOT NULL,
	"strand" text NOT NULL,
	"period" text DEFAULT '' NOT NULL,
	"grade_level" text,
	"level" integer,
	"percentile" integer,
	"tier" text,
	"score" double precision,
	"scale_score" double precision,
	"import_run_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "external_usage" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"user_sourced_id" text NOT NULL,
	"provider" text NOT NULL,
	"subject" text NOT NULL,
	"period" text DEFAULT '' NOT NULL,
	"grade_level" text,
	"questions_answered" integer,
	"skills_practiced" integer,
	"skills_proficient" integer,
	"skills_mastered" integer,
	"starting_level" integer,
	"current_level" integer,
	"growth" integer,
	"import_run_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gradebook_categories" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"title" text NOT NULL,
	"weight" double precision,
	"import_run_id" uuid
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text,
	"source" text NOT NULL,
	"origin" text NOT NULL,
	"content_hash" text,
	"started_by" text,
	"via" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text DEFAULT 'running' NOT NULL,
	"files_total" integer DEFAULT 0 NOT NULL,
	"files_done" integer DEFAULT 0 NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"rows_inserted" integer DEFAULT 0 NOT NULL,
	"rows_updated" integer DEFAULT 0 NOT NULL,
	"rows_unchanged" integer DEFAULT 0 NOT NULL,
	"rows_rejected" integer DEFAULT 0 NOT NULL,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"problem_count" integer DEFAULT 0 NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "line_items" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"assign_date" timestamp with time zone NOT NULL,
	"due_date" timestamp with time zone NOT NULL,
	"class_sourced_id" text NOT NULL,
	"category_sourced_id" text NOT NULL,
	"academic_session_sourced_id" text,
	"result_value_min" double precision,
	"result_value_max" double precision,
	"school_sourced_id" text NOT NULL,
	"import_run_id" uuid
);
--> statement-breakpoint
CREATE TABLE "practice_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"user_sourced_id" text NOT NULL,
	"attempt_token" text NOT NULL,
	"resource_sourced_id" text NOT NULL,
	"resource_type" text NOT NULL,
	"course_sourced_id" text NOT NULL,
	"unit_sourced_id" text,
	"lesson_sourced_id" text,
	"class_sourced_id" text,
	"term_sourced_id" text,
	"grade_level" text,
	"seed" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"score_raw" integer NOT NULL,
	"score_max" integer NOT NULL,
	"score_percent" numeric(5, 2) NOT NULL,
	"passed" boolean NOT NULL,
	"xp_awarded" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "practice_item_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"attempt_id" uuid NOT NULL,
	"org_sourced_id" text NOT NULL,
	"user_sourced_id" text NOT NULL,
	"resource_sourced_id" text NOT NULL,
	"item_sourced_id" text NOT NULL,
	"position" integer NOT NULL,
	"response" jsonb NOT NULL,
	"correct" boolean NOT NULL,
	"points" integer NOT NULL,
	"max_points" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "results" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"line_item_sourced_id" text NOT NULL,
	"student_sourced_id" text NOT NULL,
	"score_status" text NOT NULL,
	"score" double precision,
	"score_date" date NOT NULL,
	"comment" text,
	"text_score" text,
	"class_sourced_id" text,
	"in_progress" boolean,
	"incomplete" boolean,
	"late" boolean,
	"missing" boolean,
	"import_run_id" uuid
);
--> statement-breakpoint
CREATE TABLE "score_scales" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"title" text NOT NULL,
	"type" text NOT NULL,
	"org_sourced_id" text,
	"course_sourced_id" text,
	"class_sourced_id" text NOT NULL,
	"score_scale_value" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"import_run_id" uuid
);
--> statement-breakpoint
CREATE TABLE "scorm_dispatch_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"dispatch_id" uuid NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "scorm_dispatch_launches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"dispatch_id" uuid NOT NULL,
	"registration_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"origin" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scorm_dispatches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"tenant_id" uuid NOT NULL,
	"package_id" uuid NOT NULL,
	"title" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"registration_cap" integer,
	"registration_count" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "scorm_tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'lms' NOT NULL,
	"target_org_sourced_id" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"registration_cap" integer,
	"registration_count" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone,
	"allowed_domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "toddle_attendance" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"user_sourced_id" text NOT NULL,
	"date" date NOT NULL,
	"course_ref" text DEFAULT '' NOT NULL,
	"class_sourced_id" text,
	"status" text NOT NULL,
	"import_run_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "toddle_task_scores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"user_sourced_id" text NOT NULL,
	"course_ref" text NOT NULL,
	"course_title" text NOT NULL,
	"subject" text,
	"class_sourced_id" text,
	"task_ref" text NOT NULL,
	"task_title" text NOT NULL,
	"task_type" text NOT NULL,
	"grading_category" text,
	"evaluation_status" text NOT NULL,
	"overall_score" double precision,
	"overall_grade" text,
	"due_date" date,
	"import_run_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "toddle_term_grades" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_sourced_id" text NOT NULL,
	"user_sourced_id" text NOT NULL,
	"course_ref" text NOT NULL,
	"course_title" text NOT NULL,
	"subject" text,
	"class_sourced_id" text,
	"grading_period_ref" text NOT NULL,
	"grading_period_title" text NOT NULL,
	"academic_year" text NOT NULL,
	"score" double precision,
	"grade" text,
	"comment" text,
	"import_run_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "academic_sessions" ADD COLUMN "import_run_id" uuid;--> statement-breakpoint
ALTER TABLE "classes" ADD COLUMN "import_run_id" uuid;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "import_run_id" uuid;--> statement-breakpoint
ALTER TABLE "enrollments" ADD COLUMN "import_run_id" uuid;--> statement-breakpoint
ALTER TABLE "orgs" ADD COLUMN "import_run_id" uuid;--> statement-breakpoint
ALTER TABLE "user_roles" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "user_roles" ADD COLUMN "date_last_modified" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "user_roles" ADD COLUMN "import_run_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "user_master_identifier" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "preferred_middle_name" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "preferred_family_name" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "primary_org_sourced_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "pronouns" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "resource_sourced_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "import_run_id" uuid;--> statement-breakpoint
ALTER TABLE "external_assessment_scores" ADD CONSTRAINT "external_assessment_scores_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_assessment_scores" ADD CONSTRAINT "external_assessment_scores_user_sourced_id_users_sourced_id_fk" FOREIGN KEY ("user_sourced_id") REFERENCES "users"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_assessment_scores" ADD CONSTRAINT "external_assessment_scores_import_run_id_import_runs_id_fk" FOREIGN KEY ("import_run_id") REFERENCES "import_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_usage" ADD CONSTRAINT "external_usage_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_usage" ADD CONSTRAINT "external_usage_user_sourced_id_users_sourced_id_fk" FOREIGN KEY ("user_sourced_id") REFERENCES "users"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_usage" ADD CONSTRAINT "external_usage_import_run_id_import_runs_id_fk" FOREIGN KEY ("import_run_id") REFERENCES "import_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_started_by_users_sourced_id_fk" FOREIGN KEY ("started_by") REFERENCES "users"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_items" ADD CONSTRAINT "line_items_class_sourced_id_classes_sourced_id_fk" FOREIGN KEY ("class_sourced_id") REFERENCES "classes"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_items" ADD CONSTRAINT "line_items_category_sourced_id_gradebook_categories_sourced_id_fk" FOREIGN KEY ("category_sourced_id") REFERENCES "gradebook_categories"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_items" ADD CONSTRAINT "line_items_academic_session_sourced_id_academic_sessions_sourced_id_fk" FOREIGN KEY ("academic_session_sourced_id") REFERENCES "academic_sessions"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_items" ADD CONSTRAINT "line_items_school_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("school_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_user_sourced_id_users_sourced_id_fk" FOREIGN KEY ("user_sourced_id") REFERENCES "users"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_resource_sourced_id_resources_sourced_id_fk" FOREIGN KEY ("resource_sourced_id") REFERENCES "resources"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_course_sourced_id_courses_sourced_id_fk" FOREIGN KEY ("course_sourced_id") REFERENCES "courses"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_unit_sourced_id_course_components_sourced_id_fk" FOREIGN KEY ("unit_sourced_id") REFERENCES "course_components"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_lesson_sourced_id_course_components_sourced_id_fk" FOREIGN KEY ("lesson_sourced_id") REFERENCES "course_components"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_class_sourced_id_classes_sourced_id_fk" FOREIGN KEY ("class_sourced_id") REFERENCES "classes"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_attempts" ADD CONSTRAINT "practice_attempts_term_sourced_id_academic_sessions_sourced_id_fk" FOREIGN KEY ("term_sourced_id") REFERENCES "academic_sessions"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_item_responses" ADD CONSTRAINT "practice_item_responses_attempt_id_practice_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "practice_attempts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_item_responses" ADD CONSTRAINT "practice_item_responses_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_item_responses" ADD CONSTRAINT "practice_item_responses_user_sourced_id_users_sourced_id_fk" FOREIGN KEY ("user_sourced_id") REFERENCES "users"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_item_responses" ADD CONSTRAINT "practice_item_responses_resource_sourced_id_resources_sourced_id_fk" FOREIGN KEY ("resource_sourced_id") REFERENCES "resources"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_item_responses" ADD CONSTRAINT "practice_item_responses_item_sourced_id_assessment_items_sourced_id_fk" FOREIGN KEY ("item_sourced_id") REFERENCES "assessment_items"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_line_item_sourced_id_line_items_sourced_id_fk" FOREIGN KEY ("line_item_sourced_id") REFERENCES "line_items"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_student_sourced_id_users_sourced_id_fk" FOREIGN KEY ("student_sourced_id") REFERENCES "users"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_class_sourced_id_classes_sourced_id_fk" FOREIGN KEY ("class_sourced_id") REFERENCES "classes"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_scales" ADD CONSTRAINT "score_scales_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_scales" ADD CONSTRAINT "score_scales_course_sourced_id_courses_sourced_id_fk" FOREIGN KEY ("course_sourced_id") REFERENCES "courses"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_scales" ADD CONSTRAINT "score_scales_class_sourced_id_classes_sourced_id_fk" FOREIGN KEY ("class_sourced_id") REFERENCES "classes"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatch_keys" ADD CONSTRAINT "scorm_dispatch_keys_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatch_keys" ADD CONSTRAINT "scorm_dispatch_keys_dispatch_id_scorm_dispatches_id_fk" FOREIGN KEY ("dispatch_id") REFERENCES "scorm_dispatches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatch_keys" ADD CONSTRAINT "scorm_dispatch_keys_created_by_users_sourced_id_fk" FOREIGN KEY ("created_by") REFERENCES "users"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatch_launches" ADD CONSTRAINT "scorm_dispatch_launches_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatch_launches" ADD CONSTRAINT "scorm_dispatch_launches_dispatch_id_scorm_dispatches_id_fk" FOREIGN KEY ("dispatch_id") REFERENCES "scorm_dispatches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatch_launches" ADD CONSTRAINT "scorm_dispatch_launches_registration_id_scorm_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "scorm_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatches" ADD CONSTRAINT "scorm_dispatches_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatches" ADD CONSTRAINT "scorm_dispatches_tenant_id_scorm_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "scorm_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_dispatches" ADD CONSTRAINT "scorm_dispatches_package_id_scorm_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "scorm_packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_interactions" ADD CONSTRAINT "scorm_interactions_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_interactions" ADD CONSTRAINT "scorm_interactions_registration_id_scorm_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "scorm_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_interactions" ADD CONSTRAINT "scorm_interactions_sco_state_id_scorm_sco_states_id_fk" FOREIGN KEY ("sco_state_id") REFERENCES "scorm_sco_states"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_packages" ADD CONSTRAINT "scorm_packages_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_packages" ADD CONSTRAINT "scorm_packages_course_sourced_id_courses_sourced_id_fk" FOREIGN KEY ("course_sourced_id") REFERENCES "courses"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_packages" ADD CONSTRAINT "scorm_packages_import_run_id_import_runs_id_fk" FOREIGN KEY ("import_run_id") REFERENCES "import_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_packages" ADD CONSTRAINT "scorm_packages_uploaded_by_users_sourced_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "users"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_registrations" ADD CONSTRAINT "scorm_registrations_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_registrations" ADD CONSTRAINT "scorm_registrations_package_id_scorm_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "scorm_packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_registrations" ADD CONSTRAINT "scorm_registrations_learner_user_sourced_id_users_sourced_id_fk" FOREIGN KEY ("learner_user_sourced_id") REFERENCES "users"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_registrations" ADD CONSTRAINT "scorm_registrations_last_sco_id_scorm_scos_id_fk" FOREIGN KEY ("last_sco_id") REFERENCES "scorm_scos"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_sco_states" ADD CONSTRAINT "scorm_sco_states_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_sco_states" ADD CONSTRAINT "scorm_sco_states_registration_id_scorm_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "scorm_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_sco_states" ADD CONSTRAINT "scorm_sco_states_sco_id_scorm_scos_id_fk" FOREIGN KEY ("sco_id") REFERENCES "scorm_scos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_scos" ADD CONSTRAINT "scorm_scos_package_id_scorm_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "scorm_packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_scos" ADD CONSTRAINT "scorm_scos_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_tenants" ADD CONSTRAINT "scorm_tenants_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorm_tenants" ADD CONSTRAINT "scorm_tenants_target_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("target_org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "toddle_attendance" ADD CONSTRAINT "toddle_attendance_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "toddle_attendance" ADD CONSTRAINT "toddle_attendance_user_sourced_id_users_sourced_id_fk" FOREIGN KEY ("user_sourced_id") REFERENCES "users"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "toddle_attendance" ADD CONSTRAINT "toddle_attendance_class_sourced_id_classes_sourced_id_fk" FOREIGN KEY ("class_sourced_id") REFERENCES "classes"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "toddle_attendance" ADD CONSTRAINT "toddle_attendance_import_run_id_import_runs_id_fk" FOREIGN KEY ("import_run_id") REFERENCES "import_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "toddle_task_scores" ADD CONSTRAINT "toddle_task_scores_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "toddle_task_scores" ADD CONSTRAINT "toddle_task_scores_user_sourced_id_users_sourced_id_fk" FOREIGN KEY ("user_sourced_id") REFERENCES "users"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "toddle_task_scores" ADD CONSTRAINT "toddle_task_scores_class_sourced_id_classes_sourced_id_fk" FOREIGN KEY ("class_sourced_id") REFERENCES "classes"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "toddle_task_scores" ADD CONSTRAINT "toddle_task_scores_import_run_id_import_runs_id_fk" FOREIGN KEY ("import_run_id") REFERENCES "import_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "toddle_term_grades" ADD CONSTRAINT "toddle_term_grades_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "orgs"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "toddle_term_grades" ADD CONSTRAINT "toddle_term_grades_user_sourced_id_users_sourced_id_fk" FOREIGN KEY ("user_sourced_id") REFERENCES "users"("sourced_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "toddle_term_grades" ADD CONSTRAINT "toddle_term_grades_class_sourced_id_classes_sourced_id_fk" FOREIGN KEY ("class_sourced_id") REFERENCES "classes"("sourced_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "toddle_term_grades" ADD CONSTRAINT "toddle_term_grades_import_run_id_import_runs_id_fk" FOREIGN KEY ("import_run_id") REFERENCES "import_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "external_scores_natural_idx" ON "external_assessment_scores" USING btree ("org_sourced_id","provider","assessment","subject","period","user_sourced_id","strand");--> statement-breakpoint
CREATE INDEX "external_scores_user_idx" ON "external_assessment_scores" USING btree ("user_sourced_id","subject");--> statement-breakpoint
CREATE INDEX "external_scores_org_grade_idx" ON "external_assessment_scores" USING btree ("org_sourced_id","grade_level","subject");--> statement-breakpoint
CREATE INDEX "external_scores_run_idx" ON "external_assessment_scores" USING btree ("import_run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "external_usage_natural_idx" ON "external_usage" USING btree ("org_sourced_id","provider","subject","period","user_sourced_id");--> statement-breakpoint
CREATE INDEX "external_usage_user_idx" ON "external_usage" USING btree ("user_sourced_id");--> statement-breakpoint
CREATE INDEX "external_usage_org_grade_idx" ON "external_usage" USING btree ("org_sourced_id","grade_level","subject");--> statement-breakpoint
CREATE INDEX "external_usage_run_idx" ON "external_usage" USING btree ("import_run_id");--> statement-breakpoint
CREATE INDEX "import_runs_org_started_idx" ON "import_runs" USING btree ("org_sourced_id","started_at");--> statement-breakpoint
CREATE INDEX "import_runs_source_hash_idx" ON "import_runs" USING btree ("source","content_hash");--> statement-breakpoint
CREATE INDEX "line_items_class_idx" ON "line_items" USING btree ("class_sourced_id");--> statement-breakpoint
CREATE INDEX "line_items_school_session_idx" ON "line_items" USING btree ("school_sourced_id","academic_session_sourced_id");--> statement-breakpoint
CREATE INDEX "line_items_session_idx" ON "line_items" USING btree ("academic_session_sourced_id");--> statement-breakpoint
CREATE INDEX "line_items_category_idx" ON "line_items" USING btree ("category_sourced_id");--> statement-breakpoint
CREATE UNIQUE INDEX "practice_attempts_token_idx" ON "practice_attempts" USING btree ("user_sourced_id","attempt_token");--> statement-breakpoint
CREATE INDEX "practice_attempts_org_course_submitted_idx" ON "practice_attempts" USING btree ("org_sourced_id","course_sourced_id","submitted_at");--> statement-breakpoint
CREATE INDEX "practice_attempts_user_submitted_idx" ON "practice_attempts" USING btree ("user_sourced_id","submitted_at");--> statement-breakpoint
CREATE INDEX "practice_attempts_user_resource_idx" ON "practice_attempts" USING btree ("user_sourced_id","resource_sourced_id");--> statement-breakpoint
CREATE INDEX "practice_attempts_resource_submitted_idx" ON "practice_attempts" USING btree ("resource_sourced_id","submitted_at");--> statement-breakpoint
CREATE INDEX "practice_attempts_class_submitted_idx" ON "practice_attempts" USING btree ("class_sourced_id","submitted_at");--> statement-breakpoint
CREATE INDEX "practice_attempts_org_grade_submitted_idx" ON "practice_attempts" USING btree ("org_sourced_id","grade_level","submitted_at");--> statement-breakpoint
CREATE INDEX "practice_attempts_term_idx" ON "practice_attempts" USING btree ("term_sourced_id");--> statement-breakpoint
CREATE UNIQUE INDEX "practice_item_responses_attempt_item_idx" ON "practice_item_responses" USING btree ("attempt_id","item_sourced_id");--> statement-breakpoint
CREATE INDEX "practice_item_responses_item_idx" ON "practice_item_responses" USING btree ("item_sourced_id","correct");--> statement-breakpoint
CREATE INDEX "practice_item_responses_org_resource_idx" ON "practice_item_responses" USING btree ("org_sourced_id","resource_sourced_id");--> statement-breakpoint
CREATE INDEX "results_line_item_idx" ON "results" USING btree ("line_item_sourced_id");--> statement-breakpoint
CREATE INDEX "results_student_idx" ON "results" USING btree ("student_sourced_id","score_date");--> statement-breakpoint
CREATE INDEX "results_class_idx" ON "results" USING btree ("class_sourced_id");--> statement-breakpoint
CREATE INDEX "score_scales_class_idx" ON "score_scales" USING btree ("class_sourced_id");--> statement-breakpoint
CREATE INDEX "score_scales_org_idx" ON "score_scales" USING btree ("org_sourced_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scorm_dispatch_keys_hash_idx" ON "scorm_dispatch_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "scorm_dispatch_keys_dispatch_idx" ON "scorm_dispatch_keys" USING btree ("dispatch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scorm_dispatch_launches_token_idx" ON "scorm_dispatch_launches" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "scorm_dispatch_launches_registration_idx" ON "scorm_dispatch_launches" USING btree ("registration_id");--> statement-breakpoint
CREATE INDEX "scorm_dispatches_tenant_idx" ON "scorm_dispatches" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "scorm_dispatches_org_idx" ON "scorm_dispatches" USING btree ("org_sourced_id");--> statement-breakpoint
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
CREATE INDEX "scorm_scos_org_idx" ON "scorm_scos" USING btree ("org_sourced_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scorm_tenants_org_name_idx" ON "scorm_tenants" USING btree ("org_sourced_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "toddle_attendance_natural_idx" ON "toddle_attendance" USING btree ("org_sourced_id","user_sourced_id","date","course_ref");--> statement-breakpoint
CREATE INDEX "toddle_attendance_org_date_idx" ON "toddle_attendance" USING btree ("org_sourced_id","date");--> statement-breakpoint
CREATE INDEX "toddle_attendance_class_date_idx" ON "toddle_attendance" USING btree ("class_sourced_id","date");--> statement-breakpoint
CREATE INDEX "toddle_attendance_run_idx" ON "toddle_attendance" USING btree ("import_run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "toddle_task_scores_natural_idx" ON "toddle_task_scores" USING btree ("org_sourced_id","task_ref","user_sourced_id");--> statement-breakpoint
CREATE INDEX "toddle_task_scores_user_idx" ON "toddle_task_scores" USING btree ("user_sourced_id");--> statement-breakpoint
CREATE INDEX "toddle_task_scores_class_idx" ON "toddle_task_scores" USING btree ("class_sourced_id","task_type");--> statement-breakpoint
CREATE INDEX "toddle_task_scores_org_course_idx" ON "toddle_task_scores" USING btree ("org_sourced_id","course_ref");--> statement-breakpoint
CREATE INDEX "toddle_task_scores_run_idx" ON "toddle_task_scores" USING btree ("import_run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "toddle_term_grades_natural_idx" ON "toddle_term_grades" USING btree ("org_sourced_id","grading_period_ref","course_ref","user_sourced_id");--> statement-breakpoint
CREATE INDEX "toddle_term_grades_user_idx" ON "toddle_term_grades" USING btree ("user_sourced_id");--> statement-breakpoint
CREATE INDEX "toddle_term_grades_class_idx" ON "toddle_term_grades" USING btree ("class_sourced_id","grading_period_ref");--> statement-breakpoint
CREATE INDEX "toddle_term_grades_org_year_idx" ON "toddle_term_grades" USING btree ("org_sourced_id","academic_year");--> statement-breakpoint
CREATE INDEX "toddle_term_grades_run_idx" ON "toddle_term_grades" USING btree ("import_run_id");--> statement-breakpoint
CREATE INDEX "academic_sessions_parent_idx" ON "academic_sessions" USING btree ("parent_sourced_id");--> statement-breakpoint
CREATE INDEX "classes_terms_idx" ON "classes" USING gin ("term_sourced_ids");--> statement-breakpoint
CREATE INDEX "classes_grades_idx" ON "classes" USING gin ("grades");--> statement-breakpoint
CREATE INDEX "enrollments_school_role_idx" ON "enrollments" USING btree ("school_sourced_id","role");--> statement-breakpoint
CREATE INDEX "users_grades_idx" ON "users" USING gin ("grades");