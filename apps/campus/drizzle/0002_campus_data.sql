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