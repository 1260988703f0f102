CREATE TABLE "gradebook_categories" (
	"sourced_id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"date_last_modified" timestamp with time zone DEFAULT now() NOT NULL,
	"title" text NOT NULL,
	"weight" double precision,
	"import_run_id" uuid
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
ALTER TABLE "line_items" ADD CONSTRAINT "line_items_class_sourced_id_classes_sourced_id_fk" FOREIGN KEY ("class_sourced_id") REFERENCES "public"."classes"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_items" ADD CONSTRAINT "line_items_category_sourced_id_gradebook_categories_sourced_id_fk" FOREIGN KEY ("category_sourced_id") REFERENCES "public"."gradebook_categories"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_items" ADD CONSTRAINT "line_items_academic_session_sourced_id_academic_sessions_sourced_id_fk" FOREIGN KEY ("academic_session_sourced_id") REFERENCES "public"."academic_sessions"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_items" ADD CONSTRAINT "line_items_school_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("school_sourced_id") REFERENCES "public"."orgs"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_line_item_sourced_id_line_items_sourced_id_fk" FOREIGN KEY ("line_item_sourced_id") REFERENCES "public"."line_items"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_student_sourced_id_users_sourced_id_fk" FOREIGN KEY ("student_sourced_id") REFERENCES "public"."users"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_class_sourced_id_classes_sourced_id_fk" FOREIGN KEY ("class_sourced_id") REFERENCES "public"."classes"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_scales" ADD CONSTRAINT "score_scales_org_sourced_id_orgs_sourced_id_fk" FOREIGN KEY ("org_sourced_id") REFERENCES "public"."orgs"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_scales" ADD CONSTRAINT "score_scales_course_sourced_id_courses_sourced_id_fk" FOREIGN KEY ("course_sourced_id") REFERENCES "public"."courses"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_scales" ADD CONSTRAINT "score_scales_class_sourced_id_classes_sourced_id_fk" FOREIGN KEY ("class_sourced_id") REFERENCES "public"."classes"("sourced_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "line_items_class_idx" ON "line_items" USING btree ("class_sourced_id");--> statement-breakpoint
CREATE INDEX "line_items_school_session_idx" ON "line_items" USING btree ("school_sourced_id","academic_session_sourced_id");--> statement-breakpoint
CREATE INDEX "line_items_session_idx" ON "line_items" USING btree ("academic_session_sourced_id");--> statement-breakpoint
CREATE INDEX "line_items_category_idx" ON "line_items" USING btree ("category_sourced_id");--> statement-breakpoint
CREATE INDEX "results_line_item_idx" ON "results" USING btree ("line_item_sourced_id");--> statement-breakpoint
CREATE INDEX "results_student_idx" ON "results" USING btree ("student_sourced_id","score_date");--> statement-breakpoint
CREATE INDEX "results_class_idx" ON "results" USING btree ("class_sourced_id");--> statement-breakpoint
CREATE INDEX "score_scales_class_idx" ON "score_scales" USING btree ("class_sourced_id");--> statement-breakpoint
CREATE INDEX "score_scales_org_idx" ON "score_scales" USING btree ("org_sourced_id");--> statement-breakpoint
CREATE INDEX "academic_sessions_parent_idx" ON "academic_sessions" USING btree ("parent_sourced_id");--> statement-breakpoint
CREATE INDEX "classes_terms_idx" ON "classes" USING gin ("term_sourced_ids");--> statement-breakpoint
CREATE INDEX "classes_grades_idx" ON "classes" USING gin ("grades");--> statement-breakpoint
CREATE INDEX "enrollments_school_role_idx" ON "enrollments" USING btree ("school_sourced_id","role");--> statement-breakpoint
CREATE INDEX "users_grades_idx" ON "users" USING gin ("grades");